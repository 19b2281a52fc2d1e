import Foundation
import GRDB

extension SQLiteStore: SecretCatalog, SecretResolver {
  public var secretHome: SecretHome? {
    SecretHome(region: configuration.region, accountID: configuration.accountID)
  }

  public func secretVersions(_ secretID: String) async throws -> SecretVersionList {
    try await performSecret("ListSecretVersions", name: secretID) { db, trail in
      try self.versionList(ofSecret: secretID, db, &trail)
    }
  }

  /// One transaction (and one audit row per secret) for all of `secretIDs`, as for parameters.
  public func secretVersions(of secretIDs: [String]) async throws
    -> [Result<SecretVersionList, StoreError>]
  {
    guard !secretIDs.isEmpty else { return [] }
    return try await performSecret("ListSecretVersions", name: secretIDs.first) { db, trail in
      var results: [Result<SecretVersionList, StoreError>] = []
      results.reserveCapacity(secretIDs.count)
      for secretID in secretIDs {
        do {
          results.append(.success(try self.versionList(ofSecret: secretID, db, &trail)))
        } catch let error as StoreError {
          trail.record(secretID, result: error.code)
          results.append(.failure(error))
        }
      }
      return results
    }
  }

  private func versionList(ofSecret secretID: String, _ db: Database, _ trail: inout AuditTrail)
    throws -> SecretVersionList
  {
    let entry = try findSecret(secretID, db)
    let labels = EntryLabels.byVersion(try EntryLabels.fetch(db, entry: entry.id))
    let versions = try SecretVersionRecord.fetchAll(db, entry: entry.id).map { record in
      SecretVersionList.Version(
        versionID: record.versionID, stages: labels[record.version] ?? [],
        createdDate: record.createdAt, valueType: record.valueType,
        jsonKeys: record.attributes.jsonKeys,
        kmsKeyIDs: record.sealed == nil ? nil : [record.keyRef ?? "DefaultEncryptionKey"])
    }
    trail.record(entry.name)
    return SecretVersionList(
      name: entry.name, arn: entry.arn(configuration),
      description: entry.attributes.description, kmsKeyID: entry.attributes.kmsKeyRef,
      deletedDate: entry.attributes.deletedDate.map(Date.init(timeIntervalSince1970:)),
      versions: versions)
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
          trail.record(entry.name, version: record.version, versionID: record.versionID)
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

  /// Whether the secret `secretID` names has a version with the id `versionID`. Not audited,
  /// as `secretARN`: the server asks it to authorize `/aws/reference/secretsmanager/ID:SELECTOR`,
  /// whose selector Parameter Store reads as a version id when the secret has one, else as a
  /// staging label.
  package func secretHasVersion(_ secretID: String, id versionID: String) async -> Bool {
    let found = try? await readSnapshot { db in
      let entry = try self.findSecret(secretID, db)
      return try SecretVersionRecord.fetch(db, entry: entry.id, versionID: versionID) != nil
    }
    return found ?? false
  }
}
