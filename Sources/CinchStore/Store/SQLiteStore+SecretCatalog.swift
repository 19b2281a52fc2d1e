import Foundation
import GRDB

extension SQLiteStore: SecretCatalog, SecretResolver {
  public func secretVersions(_ secretID: String) async throws -> SecretVersionList {
    try await performSecret("ListSecretVersions", name: secretID) { db, trail in
      let entry = try self.findSecret(secretID, db)
      let labels = SecretStages.byVersion(try SecretStages.fetch(db, entry: entry.id))
      let versions = try SecretVersionRecord.fetchAll(db, entry: entry.id).map { record in
        SecretVersionList.Version(
          versionID: record.versionID, stages: labels[record.version] ?? [],
          createdDate: record.createdAt, valueType: record.valueType,
          jsonKeys: record.attributes.jsonKeys)
      }
      trail.record(entry.name)
      return SecretVersionList(
        name: entry.name, arn: entry.arn(self.configuration),
        description: entry.attributes.description, kmsKeyID: entry.attributes.kmsKeyRef,
        deletedDate: entry.attributes.deletedDate.map(Date.init(timeIntervalSince1970:)),
        versions: versions)
    }
  }

  public func resolveSecrets(_ selectors: [SecretSelector]) async throws -> [SecretResolution] {
    try await performSecret("ResolveSecrets", name: selectors.first?.secretID) { db, trail in
      var results: [SecretResolution] = []
      for selector in selectors {
        do {
          var entry = try self.findSecret(selector.secretID, db)
          guard !entry.isDeleted else { throw StoreError.markedForDeletion }
          let (record, value, stages) = try self.read(
            entry, versionID: selector.versionID, stage: selector.versionStage, db)
          try self.touch(&entry, record, db)
          results.append(
            .resolved(
              ResolvedSecret(
                selector: selector, name: entry.name, arn: entry.arn(self.configuration),
                versionID: record.versionID, versionStages: stages, createdDate: record.createdAt,
                valueType: value.type, value: value.bytes)))
          trail.record(entry.name, version: record.version)
        } catch let error as StoreError {
          results.append(.failed(selector: selector, error: error))
          trail.record(selector.secretID, result: error.code)
        }
      }
      return results
    }
  }
}

extension SQLiteStore {
  /// The full ARN of the secret `secretID` names (name, ARN or partial ARN), or nil when there
  /// is none. Not audited: the server uses it to decide whether a request is allowed, and the
  /// request itself is audited.
  package func secretARN(_ secretID: String) async -> String? {
    try? await readSnapshot { db in try self.findSecret(secretID, db).arn(self.configuration) }
  }
}
