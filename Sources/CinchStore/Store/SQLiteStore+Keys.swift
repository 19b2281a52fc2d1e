import Foundation
import GRDB

extension SQLiteStore: KeyStore {
  public func createKey(_ request: CreateKeyRequest) async throws -> CreateKeyResponse {
    try await perform("CreateKey", kind: .kmsKey, name: nil) { db, trail in
      try CreateKeyRules.check(request)
      let description = request.description ?? ""
      try self.requireCurrentMasterKey(db)
      let (keyID, keyIDBytes) = try KMSKeyRecord.newKeyID()
      let material = try Crypto.randomKey()
      let (wrapKey, masterKeyID) = self.vault.wrapping
      let record = KMSKeyRecord(
        keyID: keyID, keyIDBytes: keyIDBytes, description: description,
        keyManager: KMSKeyRecord.customerKeyManager, createdAt: Date.storeTimestamp(),
        material: try Envelope.wrap(
          material, under: wrapKey, wrappingKeyID: masterKeyID,
          context: MasterKey.kmsKeyContext(storeID: self.storeID, keyID: keyID)))
      try record.insert(db)
      for tag in request.tags ?? [] {
        try db.execute(
          cached:
            "INSERT OR REPLACE INTO kms_key_tags (key_id, tag_key, tag_value) VALUES (?, ?, ?)",
          arguments: [keyID, tag.tagKey, tag.tagValue])
      }
      self.vault.cache(material, for: keyIDBytes)
      trail.record(keyID)
      return CreateKeyResponse(keyMetadata: record.metadata(self.configuration))
    }
  }

  public func describeKey(_ request: DescribeKeyRequest) async throws -> DescribeKeyResponse {
    try await perform("DescribeKey", kind: .kmsKey, name: request.keyID) { db, trail in
      let record = try KMSKeyRecord.resolve(request.keyID, db, self.configuration)
      trail.record(record.keyID)
      return DescribeKeyResponse(keyMetadata: record.metadata(self.configuration))
    }
  }

  public func listKeys(_ request: ListKeysRequest) async throws -> ListKeysResponse {
    try await perform("ListKeys", kind: .kmsKey, name: nil) { db, _ in
      let limit = try Self.checkLimit(request.limit, maximum: 1000, defaultValue: 100)
      guard let after = self.pageTokens.read(request.marker, "keys") else {
        throw StoreError.kmsInvalidMarker
      }
      let rows = try Row.fetchAll(
        db, cached: "SELECT key_id FROM kms_keys WHERE key_id > ? ORDER BY key_id LIMIT ?",
        arguments: [after ?? "", limit + 1])
      let ids: [String] = rows.prefix(limit).map { $0["key_id"] }
      let prefix = self.configuration.kmsARNPrefix
      let truncated = rows.count > limit
      return ListKeysResponse(
        keys: ids.map { KeyListEntry(keyID: $0, keyARN: prefix + "key/" + $0) },
        nextMarker: truncated ? ids.last.map { self.pageTokens.make("keys", $0) } : nil,
        truncated: truncated)
    }
  }

  public func createAlias(_ request: CreateAliasRequest) async throws -> CreateAliasResponse {
    try await perform("CreateAlias", kind: .kmsKey, name: request.aliasName) { db, trail in
      let alias = request.aliasName
      guard alias.hasPrefix("alias/"), alias.count > 6 else {
        throw StoreError.validation("Invalid identifier")
      }
      guard alias.count <= 256 else {
        throw StoreError.constraint(
          value: alias, at: "aliasName", "Member must have length less than or equal to 256")
      }
      if alias.hasPrefix("alias/aws/") { throw StoreError.kmsNotAuthorized }
      if alias.contains(":") {
        throw StoreError.validation("\(alias) contains invalid characters for an alias")
      }
      guard
        alias.utf8.allSatisfy({
          ParameterNameRules.isNameCharacter($0) && $0 != UInt8(ascii: ".")
            || $0 == UInt8(ascii: "/")
        })
      else {
        throw StoreError.constraint(
          value: alias, at: "aliasName",
          "Member must satisfy regular expression pattern: ^[a-zA-Z0-9/_-]+$")
      }
      let target = request.targetKeyID
      if target.hasPrefix("alias/") || target.contains(":alias/") {
        throw StoreError.validation("Aliases must refer to keys. Not aliases")
      }
      let record = try KMSKeyRecord.resolve(target, db, self.configuration)
      guard record.keyManager == KMSKeyRecord.customerKeyManager else {
        throw StoreError.kmsNotAuthorized
      }
      if try Bool.fetchOne(
        db, cached: "SELECT 1 FROM kms_aliases WHERE alias_name = ?", arguments: [alias]) != nil
      {
        throw StoreError.kmsAlreadyExists(
          "An alias with the name \(self.configuration.kmsARNPrefix)\(alias) already exists")
      }
      // Milliseconds, as every other date the store keeps (and AWS returns).
      let now = Date.storeTimestamp().timeIntervalSince1970
      try db.execute(
        cached:
          "INSERT INTO kms_aliases (alias_name, key_id, created_at, updated_at) VALUES (?, ?, ?, ?)",
        arguments: [alias, record.keyID, now, now])
      trail.record(alias)
      return CreateAliasResponse()
    }
  }

  public func listAliases(_ request: ListAliasesRequest) async throws -> ListAliasesResponse {
    try await perform("ListAliases", kind: .kmsKey, name: request.keyID) { db, _ in
      let limit = try Self.checkLimit(request.limit, maximum: 100, defaultValue: 50)
      // The aliases of one key are a listing of their own.
      let keyID = try request.keyID.map {
        try KMSKeyRecord.resolve($0, db, self.configuration).keyID
      }
      let listing = "aliases|\(keyID ?? "*")"
      guard let after = self.pageTokens.read(request.marker, listing) else {
        throw StoreError.kmsInvalidMarker
      }
      var sql = "SELECT * FROM kms_aliases WHERE alias_name > ?"
      var arguments: StoreArguments = [after ?? ""]
      if let keyID {
        sql += " AND key_id = ?"
        arguments += [keyID]
      }
      sql += " ORDER BY alias_name LIMIT ?"
      arguments += [limit + 1]
      let rows = try Row.fetchAll(db, cached: sql, arguments: arguments)
      let prefix = self.configuration.kmsARNPrefix
      let entries = rows.prefix(limit).map { row in
        AliasListEntry(
          aliasName: row["alias_name"], aliasARN: prefix + (row["alias_name"] as String),
          targetKeyID: row["key_id"],
          creationDate: Date(timeIntervalSince1970: row["created_at"]),
          lastUpdatedDate: Date(timeIntervalSince1970: row["updated_at"]))
      }
      let truncated = rows.count > limit
      return ListAliasesResponse(
        aliases: entries,
        nextMarker: truncated
          ? entries.last.map { self.pageTokens.make(listing, $0.aliasName) } : nil,
        truncated: truncated)
    }
  }

  static func checkLimit(_ value: Int?, maximum: Int, defaultValue: Int) throws(StoreError) -> Int {
    guard let value else { return defaultValue }
    guard (1...maximum).contains(value) else {
      throw .constraint(
        value: String(value), at: "limit",
        value < 1
          ? "Member must have value greater than or equal to 1"
          : "Member must have value less than or equal to \(maximum)")
    }
    return value
  }
}

extension SQLiteStore: AuditLog {
  public func auditRecords(name: String?, limit: Int?) async throws -> [AuditRecord] {
    try await readSnapshot { db in
      var sql = "SELECT * FROM audit_log"
      var arguments: StoreArguments = []
      if let name {
        sql += " WHERE name = ? OR name = ?"
        let key = ParameterName.key(of: name)
        arguments += [name, key == name ? "/" + name : key]
      }
      sql += " ORDER BY seq DESC"
      if let limit {
        sql += " LIMIT ?"
        arguments += [limit]
      }
      return try Row.fetchAll(db, cached: sql, arguments: arguments).map { row in
        do throws(StoreDamage) {
          return try AuditChain.record(row)
        } catch {
          let seq: Int = row["seq"]  // the rowid: always an integer
          throw StoreError.storeDamaged(
            place: "audit_log.\(error.column) of row \(seq)", problem: error.problem)
        }
      }
      .reversed()
    }
  }

  public func verifyAuditLog(witness: AuditHead?) async throws -> AuditVerification {
    let vault = self.vault
    return try await readSnapshot { db in
      try AuditChain.verify(db, vault: vault, witness: witness)
    }
  }
}

extension SQLiteStore {
  /// The ARN of the key `identifier` names (a key id, key ARN, alias name or alias ARN),
  /// without auditing; nil when it names none. IAM authorizes a key's operations against the
  /// key, never its alias.
  package func keyARN(_ identifier: String) async -> String? {
    try? await readSnapshot { db in
      try KMSKeyRecord.resolve(identifier, db, self.configuration).arn(self.configuration)
    }
  }
}
