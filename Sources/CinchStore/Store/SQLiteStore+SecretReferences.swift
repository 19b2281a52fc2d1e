import CinchJSON
import Foundation
import GRDB

extension SQLiteStore {
  /// `GetParameter` of `/aws/reference/secretsmanager/SECRET-ID[:VERSION-ID|:STAGE]`: the
  /// secret's version as a `SecureString` parameter
  /// (https://docs.aws.amazon.com/systems-manager/latest/userguide/integration-ps-secretsmanager.html).
  /// As AWS answers it (reported: localstack/localstack#3496, floci-io/floci's measured test):
  /// `Version` 0, `ARN` the secret's, `LastModifiedDate` the version's creation, no `DataType`,
  /// `Selector` when one was given, and `SourceResult` Secrets Manager's `GetSecretValue`
  /// result as AWS's Java SDK serialises it (the value included, as AWS sends it). A binary
  /// secret has no `Value`. Nothing is written but the read's audit row (it runs in a read
  /// batch), so the secret's `LastAccessedDate` does not move.
  func referencedSecret(
    _ reference: SecretReference, withDecryption: Bool, _ db: Database,
    _ trail: inout AuditTrail
  ) throws -> Parameter {
    guard withDecryption else { throw StoreError.secretReferenceNeedsDecryption }
    let entry: SecretEntry
    do {
      entry = try findSecret(reference.secretID, db)
    } catch is StoreError {
      throw reference.notFound
    }
    if let deletion = entry.attributes.deletionDate, deletion <= now().timeIntervalSince1970 {
      // Past its recovery window, not purged yet: gone, as Secrets Manager sees it.
      throw reference.notFound
    }
    guard !entry.isDeleted else { throw StoreError.secretReferenceRefused }
    let (record, value, stages) = try version(of: entry, reference, db)
    trail.record(reference.parameterName, version: record.version, versionID: record.versionID)
    let arn = entry.arn(configuration)
    let string = value.type == .string ? value.bytes.utf8String() : nil
    var source: [(String, JSONValue)] = [
      ("ARN", .string(arn)), ("name", .string(entry.name)),
      ("versionId", .string(record.versionID)),
    ]
    if let string { source.append(("secretString", .string(string))) }
    source.append(("versionStages", .array(stages.map { .string($0) })))
    source.append(("createdDate", .string(Self.javaDate(record.createdAt))))
    return Parameter(
      name: reference.parameterName, type: .secureString, value: string ?? "", version: 0,
      selector: reference.selector.map { ":" + $0 },
      sourceResult: JSONValue.object(JSONObject(source)).compact(),
      lastModifiedDate: record.createdAt, arn: arn, dataType: .text)
  }

  /// The version a selector names: a version id when the secret has one by that name, else a
  /// staging label; AWSCURRENT without a selector.
  private func version(of entry: SecretEntry, _ reference: SecretReference, _ db: Database) throws
    -> (SecretVersionRecord, SecretValue, [String])
  {
    var versionID: String?
    var stage: String?
    if let selector = reference.selector {
      if try SecretVersionRecord.fetch(db, entry: entry.id, versionID: selector) != nil {
        versionID = selector
      } else if try EntryLabels.fetch(db, entry: entry.id)[selector] != nil {
        stage = selector
      } else {
        throw reference.notFound
      }
    }
    do {
      return try read(entry, versionID: versionID, stage: stage, db)
    } catch let error as StoreError where error.code == "ResourceNotFoundException" {
      // The empty version a rotation has started.
      throw reference.notFound
    }
  }

  /// `Nov 10, 2020, 10:05:44 PM`: how AWS's `SourceResult` writes `createdDate` (Gson's default
  /// date format, in UTC).
  static func javaDate(_ date: Date) -> String {
    CivilTime.formatted(date, "MMM d, yyyy, h:mm:ss a")
  }
}
