import Foundation
import GRDB

extension SQLiteStore: SecretStore {
  public func createSecret(_ request: CreateSecretRequest) async throws -> CreateSecretResponse {
    try await performSecret("CreateSecret", name: request.name) { db, trail in
      try self.create(request, db, &trail)
    }
  }

  /// Creates a secret with its versions (`create`'s value first, then `versions` in order) and
  /// the staging labels each version id is to have, in one transaction: all of it or nothing.
  /// `cinch sync` copies a secret into the embedded store with it, so a full disk or a kill
  /// midway leaves no secret holding only its first version, which a later sync would skip as
  /// existing. Returns the labels refused (a name Secrets Manager would not take).
  package func createSecretHistory(
    _ create: CreateSecretRequest, versions: [PutSecretValueRequest],
    stages: [(versionID: String, labels: [String])]
  ) async throws -> [String] {
    try await performSecret("CreateSecret", name: create.name) { db, trail in
      _ = try self.create(create, db, &trail)
      for version in versions { _ = try self.put(version, db, &trail) }
      guard var entry = try SecretEntry.fetch(db, name: create.name) else {
        throw StoreError.internalError("the secret '\(create.name)' was not written")
      }
      // The replay made each version AWSCURRENT in turn; the labels are now set as asked
      // (AWSCURRENT stays on the last version when none is asked for: a secret always has one).
      let keepsCurrent = !stages.contains { $0.labels.contains(SecretStage.current) }
      for label in try EntryLabels.fetch(db, entry: entry.id).keys
      where !(keepsCurrent && label == SecretStage.current) {
        try SecretStages.remove(db, entry: entry.id, label: label)
      }
      var refused: [String] = []
      var count = keepsCurrent ? 1 : 0
      for (versionID, labels) in stages {
        guard let record = try SecretVersionRecord.fetch(db, entry: entry.id, versionID: versionID)
        else { throw StoreError.secretValueNotFound(versionID: versionID) }
        for label in labels {
          do {
            try SecretValueRules.checkStage(label)
          } catch is StoreError {
            refused.append(label)
            continue
          }
          try SecretStages.set(db, entry: entry.id, label: label, version: record.version)
          count += 1
        }
      }
      guard count <= SecretValueRules.maximumStagesPerSecret else {
        throw StoreError.limitExceeded(
          "A secret can have at most 20 staging labels; '\(entry.name)' would have \(count).")
      }
      try self.removeOldDeprecatedVersions(entry, db)
      entry.attributes.lastChangedDate = self.now().timeIntervalSince1970
      try entry.save(db)
      return refused
    }
  }

  public func getSecretValue(_ request: GetSecretValueRequest) async throws
    -> GetSecretValueResponse
  {
    try await performSecret("GetSecretValue", name: request.secretID) { db, trail in
      var entry = try self.findSecret(request.secretID, db)
      guard !entry.isDeleted else { throw StoreError.markedForDeletion }
      let (record, value, stages) = try self.read(
        entry, versionID: request.versionID, stage: request.versionStage, db)
      try self.touch(&entry, record, db)
      trail.record(entry.name, version: record.version, versionID: record.versionID)
      return GetSecretValueResponse(
        arn: entry.arn(self.configuration), name: entry.name, versionID: record.versionID,
        secretBinary: value.type == .binary ? value.bytes.withUnsafeBytes { Data($0) } : nil,
        secretString: value.type == .string ? value.bytes.utf8String() : nil,
        versionStages: stages, createdDate: record.createdAt)
    }
  }

  public func putSecretValue(_ request: PutSecretValueRequest) async throws
    -> PutSecretValueResponse
  {
    try await performSecret("PutSecretValue", name: request.secretID) { db, trail in
      try self.put(request, db, &trail)
    }
  }

  public func updateSecret(_ request: UpdateSecretRequest) async throws -> UpdateSecretResponse {
    try await performSecret("UpdateSecret", name: request.secretID) { db, trail in
      try self.update(request, db, &trail)
    }
  }

  public func describeSecret(_ request: DescribeSecretRequest) async throws
    -> DescribeSecretResponse
  {
    try await performSecret("DescribeSecret", name: request.secretID) { db, trail in
      let entry = try self.findSecret(request.secretID, db)
      trail.record(entry.name)
      return try self.description(entry, db)
    }
  }

  /// No secret here has a resource policy, so the answer has none; it reads like
  /// `DescribeSecret`, a secret marked for deletion included.
  public func getResourcePolicy(_ request: GetResourcePolicyRequest) async throws
    -> GetResourcePolicyResponse
  {
    try await performSecret("GetResourcePolicy", name: request.secretID) { db, trail in
      let entry = try self.findSecret(request.secretID, db)
      trail.record(entry.name)
      return GetResourcePolicyResponse(arn: entry.arn(self.configuration), name: entry.name)
    }
  }

  /// Nothing to remove: confirms the secret and answers as AWS does for a secret without a
  /// policy.
  public func deleteResourcePolicy(_ request: DeleteResourcePolicyRequest) async throws
    -> DeleteResourcePolicyResponse
  {
    try await performSecret("DeleteResourcePolicy", name: request.secretID) { db, trail in
      let entry = try self.findSecret(request.secretID, db)
      guard !entry.isDeleted else { throw StoreError.markedForDeletion }
      trail.record(entry.name)
      return DeleteResourcePolicyResponse(arn: entry.arn(self.configuration), name: entry.name)
    }
  }

  /// Refused: a policy kept but never enforced would grant or deny nothing while saying it
  /// does. The refusal is audited like any failed request.
  public func putResourcePolicy(_ request: PutResourcePolicyRequest) async throws
    -> PutResourcePolicyResponse
  {
    try await performSecret("PutResourcePolicy", name: request.secretID) { db, _ in
      _ = try self.findSecret(request.secretID, db)
      throw StoreError.resourcePoliciesUnsupported
    }
  }

  public func validateResourcePolicy(_ request: ValidateResourcePolicyRequest) async throws
    -> ValidateResourcePolicyResponse
  {
    try await performSecret("ValidateResourcePolicy", name: request.secretID) { db, _ in
      if let secretID = request.secretID { _ = try self.findSecret(secretID, db) }
      throw StoreError.resourcePoliciesUnsupported
    }
  }

  public func listSecrets(_ request: ListSecretsRequest) async throws -> ListSecretsResponse {
    try await performSecret("ListSecrets", name: nil) { db, trail in
      try self.list(request, db, &trail)
    }
  }

  public func listSecretVersionIds(_ request: ListSecretVersionIdsRequest) async throws
    -> ListSecretVersionIdsResponse
  {
    try await performSecret("ListSecretVersionIds", name: request.secretID) { db, trail in
      try self.versionList(request, db, &trail)
    }
  }

  public func updateSecretVersionStage(_ request: UpdateSecretVersionStageRequest) async throws
    -> UpdateSecretVersionStageResponse
  {
    try await performSecret("UpdateSecretVersionStage", name: request.secretID) { db, trail in
      try self.stage(request, db, &trail)
    }
  }

  public func deleteSecret(_ request: DeleteSecretRequest) async throws -> DeleteSecretResponse {
    try await performSecret("DeleteSecret", name: request.secretID) { db, trail in
      try self.delete(request, db, &trail)
    }
  }

  public func restoreSecret(_ request: RestoreSecretRequest) async throws -> RestoreSecretResponse {
    try await performSecret("RestoreSecret", name: request.secretID) { db, trail in
      var entry = try self.findSecret(request.secretID, db)
      entry.attributes.deletedDate = nil
      entry.attributes.deletionDate = nil
      entry.attributes.lastChangedDate = self.now().timeIntervalSince1970
      try entry.save(db)
      trail.record(entry.name)
      return RestoreSecretResponse(arn: entry.arn(self.configuration), name: entry.name)
    }
  }

  public func tagResource(_ request: TagResourceRequest) async throws
    -> SecretsManagerEmptyResponse
  {
    try await performSecret("TagResource", name: request.secretID) { db, trail in
      try SecretValueRules.checkTags(request.tags)
      var entry = try self.findSecret(request.secretID, db)
      guard !entry.isDeleted else { throw StoreError.markedForDeletion }
      var tags = try EntryTags.fetch(db, entry: entry.id)
      for tag in request.tags { tags[tag.key] = tag.value }
      guard tags.count <= SecretValueRules.maximumTags else {
        throw StoreError.limitExceeded("A secret can have at most 50 tags.")
      }
      try EntryTags.set(db, entry: entry.id, request.tags)
      entry.attributes.tagged = true
      entry.attributes.lastChangedDate = self.now().timeIntervalSince1970
      try entry.save(db)
      trail.record(entry.name)
      return SecretsManagerEmptyResponse()
    }
  }

  public func untagResource(_ request: UntagResourceRequest) async throws
    -> SecretsManagerEmptyResponse
  {
    try await performSecret("UntagResource", name: request.secretID) { db, trail in
      var entry = try self.findSecret(request.secretID, db)
      guard !entry.isDeleted else { throw StoreError.markedForDeletion }
      for key in request.tagKeys {
        try db.execute(
          cached: "DELETE FROM entry_tags WHERE entry_id = ? AND tag_key = ?",
          arguments: [entry.id, key])
      }
      entry.attributes.lastChangedDate = self.now().timeIntervalSince1970
      try entry.save(db)
      trail.record(entry.name)
      return SecretsManagerEmptyResponse()
    }
  }

  public func getRandomPassword(_ request: GetRandomPasswordRequest) async throws
    -> GetRandomPasswordResponse
  {
    // Touches no entry; recorded all the same, so the audit log shows every call.
    try await performSecret("GetRandomPassword", name: nil) { _, _ in
      GetRandomPasswordResponse(randomPassword: try RandomPasswordGenerator(request).generate())
    }
  }

  public func batchGetSecretValue(_ request: BatchGetSecretValueRequest) async throws
    -> BatchGetSecretValueResponse
  {
    try await performSecret("BatchGetSecretValue", name: request.secretIDList?.first) {
      db, trail in
      try self.batch(request, db, &trail)
    }
  }
}

// MARK: - Shared steps

extension SQLiteStore {
  static let defaultSecretKeyAlias = "alias/aws/secretsmanager"
  static let deprecatedVersionLimit = 100
  static let deprecatedVersionMinimumAge: TimeInterval = 24 * 3600

  /// `perform` for Secrets Manager operations: entries of kind `secretsmanager-secret`, and
  /// secrets whose recovery window has ended are removed first.
  func performSecret<T: Sendable>(
    _ operation: String, name: String?,
    _ body: @escaping @Sendable (Database, inout AuditTrail) throws -> T
  ) async throws -> T {
    try await perform(operation, kind: .secret, name: name) { db, trail in
      try self.purgeExpiredSecrets(db, &trail)
      return try body(db, &trail)
    }
  }

  /// Deletes the secrets whose recovery window has ended, each with an audit row.
  func purgeExpiredSecrets(_ db: Database, _ trail: inout AuditTrail) throws {
    let rows = try Row.fetchAll(
      db,
      cached: """
        SELECT id, name, last_version FROM entries
        WHERE kind = ? AND json_extract(attributes, '$.deletionDate') <= ?
        """,
      arguments: [EntryKind.secret.rawValue, now().timeIntervalSince1970])
    guard !rows.isEmpty else { return }
    var purged = AuditTrail(operation: "PurgeSecret", kind: .secret)
    for row in rows {
      let id: Int64 = row["id"]  // the rowid: always an integer
      do throws(StoreDamage) {
        purged.record(try row.storedText("name"), version: try row.storedInt("last_version"))
      } catch {
        throw error.storeError(table: "entries", entry: id, db)
      }
      try db.execute(cached: "DELETE FROM entries WHERE id = ?", arguments: [id])
    }
    trail.events += purged.events
  }

  /// The secret a `SecretId` names: an exact full ARN first, then a name, then a partial ARN.
  func findSecret(_ id: String, _ db: Database) throws -> SecretEntry {
    try SecretNameRules.validateID(id)
    switch SecretNameRules.reference(id, configuration) {
    case .foreign:
      break
    case .name(let name):
      if let entry = try SecretEntry.fetch(db, name: name) { return entry }
    case .arn(let rest):
      let characters = Array(rest)
      let suffixLength = SecretNameRules.suffixLength
      if characters.count > suffixLength + 1,
        characters[characters.count - suffixLength - 1] == "-"
      {
        let name = String(characters[..<(characters.count - suffixLength - 1)])
        let suffix = String(characters[(characters.count - suffixLength)...])
        if let entry = try SecretEntry.fetch(db, name: name), entry.attributes.arnSuffix == suffix {
          return entry
        }
      }
      if let entry = try SecretEntry.fetch(db, name: rest) { return entry }
    }
    throw StoreError.secretNotFound
  }

  /// The key a secret records for `KmsKeyId` (checked to be usable): nil for the AWS-managed
  /// `aws/secretsmanager` key however it is named, as AWS leaves `KmsKeyId` out for it and
  /// lists its versions' key as `DefaultEncryptionKey`
  /// (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_DescribeSecret.html).
  func storedKeyRef(_ keyID: String?, _ db: Database) throws -> String? {
    guard let keyID else { return nil }
    let key = try secretKey(keyID, db)
    return try key.keyID == secretKey(nil, db).keyID ? nil : keyID
  }

  /// The key that wraps new versions' data keys, with KMS's complaint as Secrets Manager
  /// reports it.
  func secretKey(_ keyRef: String?, _ db: Database) throws -> KMSKeyRecord {
    let key: KMSKeyRecord
    do {
      key = try KMSKeyRecord.resolve(keyRef ?? Self.defaultSecretKeyAlias, db, configuration)
    } catch let error as StoreError {
      throw StoreError(
        code: "EncryptionFailure",
        message: StoreError.kmsMessage(error.message, errorCode: error.code))
    }
    guard key.keyState == KMSKeyRecord.enabledState else {
      throw StoreError(
        code: "EncryptionFailure",
        message: StoreError.kmsMessage(
          "\(key.arn(configuration)) is disabled.", errorCode: "DisabledException"))
    }
    return key
  }

  /// Adds a version holding `value` (or, with nil, the empty version a rotation starts from),
  /// seals it and attaches `stages`, moving them from other versions.
  @discardableResult
  func addVersion(
    _ entry: inout SecretEntry, versionID: String, value: SecretValue?, stages: [String],
    _ db: Database
  ) throws -> SecretVersionRecord {
    let now = self.now()
    let version = entry.lastVersion + 1
    var sealed: Data?
    var attributes = SecretVersionAttributes()
    if let value {
      let key = try secretKey(entry.attributes.kmsKeyRef, db)
      try checkSecretEncryption(under: key, entry, versionID: versionID)
      let context = SecretVersionRecord.context(
        storeID: storeID, entry: entry, version: version, versionID: versionID, type: value.type)
      sealed = Data(try seal(value.bytes, under: key, context: context))
      attributes.jsonKeys = SecretValueRules.jsonKeys(value)
    }
    let attributesJSON = attributes.storedJSON()
    try db.execute(
      cached: """
        INSERT INTO entry_versions (entry_id, version, version_id, created_at, created_by,
          key_ref, sealed, type, attributes)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        entry.id, version, versionID, now.timeIntervalSince1970, configuration.creator,
        value == nil ? nil : entry.attributes.kmsKeyRef, sealed, value?.type.rawValue,
        attributesJSON,
      ])
    entry.lastVersion = version
    entry.attributes.lastChangedDate = now.timeIntervalSince1970
    try moveStages(stages, to: version, entry, db, isNewValue: value != nil)
    try entry.save(db)
    guard let record = try SecretVersionRecord.fetch(db, entry: entry.id, version: version) else {
      throw StoreError.internalError("version \(versionID) of '\(entry.name)' was not written")
    }
    return record
  }

  /// The KMS calls a new secret value needs with the caller's credentials, as `CreateSecret`,
  /// `PutSecretValue` and `UpdateSecret` document them for a customer-managed key:
  /// `kms:GenerateDataKey` and `kms:Decrypt`, with `SecretARN` and `SecretVersionId`
  /// (https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html#security-encryption-authz).
  /// The rotator writes through a store without a check: AWS runs it under its own role.
  func checkSecretEncryption(under key: KMSKeyRecord, _ entry: SecretEntry, versionID: String)
    throws(StoreError)
  {
    try checkEncryption(
      under: key, by: .secretsManager, actions: [.generateDataKey, .decrypt],
      context: ["SecretARN": entry.arn(configuration), "SecretVersionId": versionID])
  }

  /// Seals raw bytes under a fresh data key wrapped by `key`.
  func seal(_ bytes: SecretBytes, under key: KMSKeyRecord, context: SealingContext) throws
    -> [UInt8]
  {
    let material = try material(of: key)
    return try bytes.withUnsafeBytes {
      try Envelope.seal($0, keyID: key.keyIDBytes, keyMaterial: material, context: context)
    }
  }

  /// Attaches each label to `version`, taking it from the version that had it; when AWSCURRENT
  /// moves, AWSPREVIOUS goes to the version it left. When a new value (`isNewValue`: a value
  /// written by CreateSecret, PutSecretValue or UpdateSecret) takes AWSCURRENT from a version
  /// that also holds AWSPENDING, as a finished rotation leaves it, AWSPENDING goes too, so the
  /// next rotation is not refused as unfinished. UpdateSecretVersionStage leaves it: AWS's
  /// recorded answers (LocalStack's snapshot tests `test_update_secret_version_stages_current_
  /// pending` and `…_cycle_custom_stages_2`, validated against AWS) show both.
  func moveStages(
    _ labels: [String], to version: Int, _ entry: SecretEntry, _ db: Database,
    isNewValue: Bool = false
  ) throws {
    var stages = try EntryLabels.fetch(db, entry: entry.id)
    for label in labels where stages[label] != version {
      let from = stages[label]
      stages[label] = version
      try SecretStages.set(db, entry: entry.id, label: label, version: version)
      guard label == SecretStage.current, let from else { continue }
      if !labels.contains(SecretStage.previous) {
        stages[SecretStage.previous] = from
        try SecretStages.set(db, entry: entry.id, label: SecretStage.previous, version: from)
      }
      if isNewValue, stages[SecretStage.pending] == from, !labels.contains(SecretStage.pending) {
        stages[SecretStage.pending] = nil
        try SecretStages.remove(db, entry: entry.id, label: SecretStage.pending)
      }
    }
    guard stages.count <= SecretValueRules.maximumStagesPerSecret else {
      throw StoreError.limitExceeded(
        "A secret can have at most 20 staging labels; '\(entry.name)' would have \(stages.count).")
    }
    try removeOldDeprecatedVersions(entry, db)
  }

  /// Keeps at most 100 deprecated versions (those without a staging label): the oldest are
  /// removed, but never one created in the last 24 hours; a write that would leave more than
  /// 100 young deprecated versions fails (`reference: aws-store-semantics §2.4`).
  func removeOldDeprecatedVersions(_ entry: SecretEntry, _ db: Database) throws {
    let labelled = Set(try EntryLabels.fetch(db, entry: entry.id).values)
    let rows = try Row.fetchAll(
      db,
      cached: "SELECT version, created_at FROM entry_versions WHERE entry_id = ? ORDER BY version",
      arguments: [entry.id])
    var versions: [(version: Int, createdAt: Date)] = []
    do throws(StoreDamage) {
      for row in rows {
        versions.append((try row.storedInt("version"), try row.storedTime("created_at")))
      }
    } catch {
      throw error.storeError(table: "entry_versions", kind: .secret, name: entry.name)
    }
    let deprecated = versions.filter { !labelled.contains($0.version) }
    var excess = deprecated.count - Self.deprecatedVersionLimit
    guard excess > 0 else { return }
    let cutoff = now().timeIntervalSince1970 - Self.deprecatedVersionMinimumAge
    for old in deprecated where excess > 0 && old.createdAt.timeIntervalSince1970 <= cutoff {
      try db.execute(
        cached: "DELETE FROM entry_versions WHERE entry_id = ? AND version = ?",
        arguments: [entry.id, old.version])
      excess -= 1
    }
    if excess > 0 {
      throw StoreError.limitExceeded(
        "You can't create a new version of the secret \(entry.name): it already has "
          + "\(Self.deprecatedVersionLimit) versions without a staging label, and versions "
          + "created in the last 24 hours can't be removed.")
    }
  }

  /// Opens a version's value; the empty version a rotation started has none.
  func openValue(_ record: SecretVersionRecord, _ entry: SecretEntry, _ db: Database) throws
    -> SecretValue?
  {
    guard let sealed = record.sealed, let type = record.valueType else { return nil }
    let context = SecretVersionRecord.context(
      storeID: storeID, entry: entry, version: record.version, versionID: record.versionID,
      type: type)
    return SecretValue(
      type: type, bytes: try open(sealed, context: context, displayName: entry.name, db))
  }

  /// The version `GetSecretValue` names (AWSCURRENT by default), its value and its labels; the
  /// value is decrypted only when the caller may (`checkDecryption`).
  func read(_ entry: SecretEntry, versionID: String?, stage: String?, _ db: Database) throws
    -> (SecretVersionRecord, SecretValue, [String])
  {
    if let versionID { try SecretValueRules.checkToken(versionID, field: "versionId") }
    if let stage { try SecretValueRules.checkStage(stage) }
    let stages = try EntryLabels.fetch(db, entry: entry.id)
    let record: SecretVersionRecord
    if let versionID {
      guard let found = try SecretVersionRecord.fetch(db, entry: entry.id, versionID: versionID)
      else { throw StoreError.secretValueNotFound(versionID: versionID) }
      if let stage, stages[stage] != found.version { throw StoreError.stageAndVersionMismatch }
      record = found
    } else {
      let wanted = stage ?? SecretStage.current
      guard let version = stages[wanted],
        let found = try SecretVersionRecord.fetch(db, entry: entry.id, version: version)
      else { throw StoreError.secretValueNotFound(stage: wanted) }
      record = found
    }
    if let sealed = record.sealed {
      try checkDecryption(
        sealed, by: .secretsManager,
        context: ["SecretARN": entry.arn(configuration), "SecretVersionId": record.versionID],
        entry: entry.name, version: record.version, versionID: record.versionID, db)
    }
    guard let value = try openValue(record, entry, db) else {
      throw versionID.map { StoreError.secretValueNotFound(versionID: $0) }
        ?? StoreError.secretValueNotFound(stage: stage ?? SecretStage.current)
    }
    return (record, value, EntryLabels.byVersion(stages)[record.version] ?? [])
  }

  /// Records a read: `LastAccessedDate` of the secret and the version, to the day (UTC).
  func touch(_ entry: inout SecretEntry, _ record: SecretVersionRecord, _ db: Database) throws {
    // Midnight UTC: Unix time has exactly 86,400 seconds a day, so no calendar is needed
    // (`Calendar.startOfDay` was ~15k instructions of every secret read).
    let day = (now().timeIntervalSince1970 / 86_400).rounded(.down) * 86_400
    if entry.attributes.lastAccessedDate != day {
      entry.attributes.lastAccessedDate = day
      try entry.save(db)
    }
    if record.attributes.lastAccessedDate != day {
      var updated = record
      updated.attributes.lastAccessedDate = day
      try updated.saveAttributes(db, entry: entry.id)
    }
  }

  static func newToken() -> String { Crypto.randomUUIDString() }
}

// MARK: - Operations

extension SQLiteStore {
  func create(_ request: CreateSecretRequest, _ db: Database, _ trail: inout AuditTrail) throws
    -> CreateSecretResponse
  {
    try SecretNameRules.validate(request.name)
    if let token = request.clientRequestToken { try SecretValueRules.checkToken(token) }
    if let description = request.description {
      try SecretValueRules.checkDescription(description)
    }
    if let keyID = request.kmsKeyID { try SecretValueRules.checkKeyID(keyID) }
    if let tags = request.tags { try SecretValueRules.checkTags(tags) }
    if (request.tags?.count ?? 0) > SecretValueRules.maximumTags {
      throw StoreError.limitExceeded("A secret can have at most 50 tags.")
    }
    if !(request.addReplicaRegions ?? []).isEmpty {
      throw StoreError.invalidRequest("Replication is not available in the cinch store.")
    }
    let value = try SecretValueRules.value(
      string: request.secretString, binary: request.secretBinary)

    if let existing = try SecretEntry.fetch(db, name: request.name) {
      if existing.isDeleted { throw StoreError.nameScheduledForDeletion }
      // A replay of the same request (same token, same value) succeeds without a change; the
      // token of a version with another value cannot be used again ("you cannot modify an
      // existing version", CreateSecret's ClientRequestToken in the API reference).
      if let token = request.clientRequestToken, let value,
        let record = try SecretVersionRecord.fetch(db, entry: existing.id, versionID: token)
      {
        guard let stored = try openValue(record, existing, db), stored.sameValue(as: value) else {
          throw StoreError.tokenInUse(token: token, arn: existing.arn(configuration))
        }
        trail.record(existing.name, version: record.version, versionID: record.versionID)
        return CreateSecretResponse(
          arn: existing.arn(configuration), name: existing.name, versionID: token)
      }
      throw StoreError.secretExists(name: request.name)
    }
    let keyRef = try storedKeyRef(request.kmsKeyID, db)

    let now = self.now()
    let attributes = SecretAttributes(
      arnSuffix: try SecretNameRules.randomSuffix(),
      description: request.description.flatMap { $0.isEmpty ? nil : $0 },
      kmsKeyRef: keyRef, lastChangedDate: now.timeIntervalSince1970,
      tagged: (request.tags ?? []).isEmpty ? nil : true)
    try db.execute(
      cached: """
        INSERT INTO entries (kind, lookup_name, name, created_at, attributes)
        VALUES (?, ?, ?, ?, ?)
        """,
      arguments: [
        EntryKind.secret.rawValue, request.name, request.name, now.timeIntervalSince1970,
        try SecretEntry.encode(attributes),
      ])
    guard var entry = try SecretEntry.fetch(db, name: request.name) else {
      throw StoreError.internalError("the secret '\(request.name)' was not written")
    }
    if let tags = request.tags { try EntryTags.set(db, entry: entry.id, tags) }
    var versionID: String?
    if let value {
      let token = request.clientRequestToken ?? Self.newToken()
      let record = try addVersion(
        &entry, versionID: token, value: value, stages: [SecretStage.current], db)
      versionID = token
      trail.record(entry.name, version: record.version, versionID: record.versionID)
    } else {
      trail.record(entry.name)
    }
    return CreateSecretResponse(
      arn: entry.arn(configuration), name: entry.name, versionID: versionID)
  }

  func put(_ request: PutSecretValueRequest, _ db: Database, _ trail: inout AuditTrail) throws
    -> PutSecretValueResponse
  {
    if let token = request.clientRequestToken { try SecretValueRules.checkToken(token) }
    if let stages = request.versionStages { try SecretValueRules.checkStages(stages) }
    var entry = try findSecret(request.secretID, db)
    guard !entry.isDeleted else { throw StoreError.markedForDeletion }
    guard
      let value = try SecretValueRules.value(
        string: request.secretString, binary: request.secretBinary)
    else { throw StoreError.noValue }
    let token = request.clientRequestToken ?? Self.newToken()
    var stages = request.versionStages ?? [SecretStage.current]
    if try EntryLabels.fetch(db, entry: entry.id)[SecretStage.current] == nil,
      !stages.contains(SecretStage.current)
    {
      // The first value of a secret becomes AWSCURRENT.
      stages.append(SecretStage.current)
    }

    if let existing = try SecretVersionRecord.fetch(db, entry: entry.id, versionID: token) {
      if let stored = try openValue(existing, entry, db) {
        guard stored.sameValue(as: value) else {
          throw StoreError.tokenInUse(token: token, arn: entry.arn(configuration))
        }
        trail.record(entry.name, version: existing.version, versionID: existing.versionID)
        let labels = EntryLabels.byVersion(try EntryLabels.fetch(db, entry: entry.id))
        return PutSecretValueResponse(
          arn: entry.arn(configuration), name: entry.name, versionID: token,
          versionStages: labels[existing.version] ?? [])
      }
      // The empty version a rotation created: filled once, under its own version number.
      let key = try secretKey(entry.attributes.kmsKeyRef, db)
      try checkSecretEncryption(under: key, entry, versionID: token)
      let context = SecretVersionRecord.context(
        storeID: storeID, entry: entry, version: existing.version, versionID: token,
        type: value.type)
      let sealed = try seal(value.bytes, under: key, context: context)
      var attributes = existing.attributes
      attributes.jsonKeys = SecretValueRules.jsonKeys(value)
      try db.execute(
        cached: """
          UPDATE entry_versions SET sealed = ?, type = ?, key_ref = ?, created_by = ?,
            attributes = ?
          WHERE entry_id = ? AND version = ?
          """,
        arguments: [
          Data(sealed), value.type.rawValue, entry.attributes.kmsKeyRef, configuration.creator,
          attributes.storedJSON(), entry.id,
          existing.version,
        ])
      try moveStages(stages, to: existing.version, entry, db, isNewValue: true)
      entry.attributes.lastChangedDate = now().timeIntervalSince1970
      try entry.save(db)
      trail.record(entry.name, version: existing.version, versionID: existing.versionID)
      let labels = EntryLabels.byVersion(try EntryLabels.fetch(db, entry: entry.id))
      return PutSecretValueResponse(
        arn: entry.arn(configuration), name: entry.name, versionID: token,
        versionStages: labels[existing.version] ?? [])
    }

    let record = try addVersion(&entry, versionID: token, value: value, stages: stages, db)
    trail.record(entry.name, version: record.version, versionID: record.versionID)
    let labels = EntryLabels.byVersion(try EntryLabels.fetch(db, entry: entry.id))
    return PutSecretValueResponse(
      arn: entry.arn(configuration), name: entry.name, versionID: token,
      versionStages: labels[record.version] ?? [])
  }

  func update(_ request: UpdateSecretRequest, _ db: Database, _ trail: inout AuditTrail) throws
    -> UpdateSecretResponse
  {
    if let token = request.clientRequestToken { try SecretValueRules.checkToken(token) }
    if let description = request.description {
      try SecretValueRules.checkDescription(description)
    }
    if let keyID = request.kmsKeyID { try SecretValueRules.checkKeyID(keyID) }
    var entry = try findSecret(request.secretID, db)
    guard !entry.isDeleted else { throw StoreError.markedForDeletion }
    let value = try SecretValueRules.value(
      string: request.secretString, binary: request.secretBinary)
    // An empty description is none: AWS leaves `Description` out of DescribeSecret then.
    if let description = request.description {
      entry.attributes.description = description.isEmpty ? nil : description
    }
    if let keyID = request.kmsKeyID, case let keyRef = try storedKeyRef(keyID, db),
      keyRef != entry.attributes.kmsKeyRef
    {
      entry.attributes.kmsKeyRef = keyRef
      try resealLabelledVersions(entry, db)
    }
    entry.attributes.lastChangedDate = now().timeIntervalSince1970
    try entry.save(db)
    guard let value else {
      trail.record(entry.name)
      return UpdateSecretResponse(arn: entry.arn(configuration), name: entry.name)
    }
    let token = request.clientRequestToken ?? Self.newToken()
    if try SecretVersionRecord.fetch(db, entry: entry.id, versionID: token) != nil {
      throw StoreError.tokenInUse(token: token, arn: entry.arn(configuration))
    }
    let record = try addVersion(
      &entry, versionID: token, value: value, stages: [SecretStage.current], db)
    trail.record(entry.name, version: record.version, versionID: record.versionID)
    return UpdateSecretResponse(
      arn: entry.arn(configuration), name: entry.name, versionID: token)
  }

  /// After a `KmsKeyId` change: the labelled versions are sealed again under the new key, as
  /// Secrets Manager re-encrypts AWSCURRENT, AWSPENDING and AWSPREVIOUS. With a caller's KMS
  /// permissions to decide (`cinch serve`), a version the caller could not re-encrypt stays as
  /// it is, and the update still succeeds: "If you don't have kms:Decrypt permission to the
  /// previous key … the existing versions are not re-encrypted"
  /// (https://docs.aws.amazon.com/secretsmanager/latest/userguide/manage_update-encryption-key.html),
  /// "If you don't have kms:Encrypt permission to the new key, Secrets Manager does not
  /// re-encrypt existing secret versions"
  /// (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_UpdateSecret.html).
  func resealLabelledVersions(_ entry: SecretEntry, _ db: Database) throws {
    let key = try secretKey(entry.attributes.kmsKeyRef, db)
    let labelled = Set(try EntryLabels.fetch(db, entry: entry.id).values)
    for record in try SecretVersionRecord.fetchAll(db, entry: entry.id)
    where labelled.contains(record.version) {
      guard let sealed = record.sealed else { continue }
      let kmsContext = ["SecretARN": entry.arn(configuration), "SecretVersionId": record.versionID]
      guard
        try decryptionRefusal(sealed, by: .secretsManager, context: kmsContext, db) == nil,
        kmsRefusal(.encrypt, under: key, by: .secretsManager, context: kmsContext) == nil
      else { continue }
      guard let value = try openValue(record, entry, db) else { continue }
      let context = SecretVersionRecord.context(
        storeID: storeID, entry: entry, version: record.version, versionID: record.versionID,
        type: value.type)
      try db.execute(
        cached:
          "UPDATE entry_versions SET sealed = ?, key_ref = ? WHERE entry_id = ? AND version = ?",
        arguments: [
          Data(try seal(value.bytes, under: key, context: context)), entry.attributes.kmsKeyRef,
          entry.id, record.version,
        ])
    }
  }

  func stage(
    _ request: UpdateSecretVersionStageRequest, _ db: Database, _ trail: inout AuditTrail
  ) throws -> UpdateSecretVersionStageResponse {
    try SecretValueRules.checkStage(request.versionStage)
    if let id = request.removeFromVersionID {
      try SecretValueRules.checkToken(id, field: "removeFromVersionId")
    }
    if let id = request.moveToVersionID {
      try SecretValueRules.checkToken(id, field: "moveToVersionId")
    }
    var entry = try findSecret(request.secretID, db)
    guard !entry.isDeleted else { throw StoreError.markedForDeletion }
    let label = request.versionStage
    let stages = try EntryLabels.fetch(db, entry: entry.id)
    var target: SecretVersionRecord?
    if let id = request.moveToVersionID {
      guard let found = try SecretVersionRecord.fetch(db, entry: entry.id, versionID: id) else {
        throw StoreError.secretValueNotFound(versionID: id)
      }
      target = found
    }
    var removedFrom: SecretVersionRecord?
    if let id = request.removeFromVersionID {
      guard let found = try SecretVersionRecord.fetch(db, entry: entry.id, versionID: id) else {
        throw StoreError.secretValueNotFound(versionID: id)
      }
      removedFrom = found
    }
    if let holder = stages[label], holder != target?.version {
      guard let holderRecord = try SecretVersionRecord.fetch(db, entry: entry.id, version: holder)
      else { throw StoreError.internalError("label '\(label)' is on a missing version") }
      guard let removedFrom else {
        throw StoreError.removeFromVersionRequired(stage: label, versionID: holderRecord.versionID)
      }
      guard removedFrom.version == holder else {
        throw StoreError.invalidParameter(
          "The parameter RemoveFromVersionId doesn't match. Staging label \(label) is currently "
            + "attached to version \(holderRecord.versionID), not to version "
            + "\(removedFrom.versionID).")
      }
    } else if stages[label] == nil, let removedFrom {
      throw StoreError.invalidParameter(
        "Staging label \(label) is not attached to version \(removedFrom.versionID).")
    }
    if label == SecretStage.current {
      guard let target else {
        throw StoreError.invalidParameter(
          "You can't remove the staging label AWSCURRENT: move it to another version with "
            + "MoveToVersionId.")
      }
      guard target.sealed != nil else {
        throw StoreError.invalidParameter(
          "You can't move the staging label AWSCURRENT to version \(target.versionID): that "
            + "version has no secret value yet.")
      }
    }
    if let target {
      try moveStages([label], to: target.version, entry, db)
      trail.record(entry.name, version: target.version, versionID: target.versionID)
    } else if stages[label] != nil {
      try SecretStages.remove(db, entry: entry.id, label: label)
      try removeOldDeprecatedVersions(entry, db)
      trail.record(entry.name, version: stages[label], versionID: removedFrom?.versionID)
    } else {
      trail.record(entry.name)
    }
    entry.attributes.lastChangedDate = now().timeIntervalSince1970
    try entry.save(db)
    return UpdateSecretVersionStageResponse(arn: entry.arn(configuration), name: entry.name)
  }

  func delete(_ request: DeleteSecretRequest, _ db: Database, _ trail: inout AuditTrail) throws
    -> DeleteSecretResponse
  {
    let force = request.forceDeleteWithoutRecovery ?? false
    if force && request.recoveryWindowInDays != nil { throw StoreError.recoveryWindowWithForce }
    let window = request.recoveryWindowInDays ?? 30
    if !force && !(7...30).contains(window) { throw StoreError.recoveryWindowRange }
    let now = self.now()
    let entry: SecretEntry
    do {
      entry = try findSecret(request.secretID, db)
    } catch let error as StoreError where force && error == .secretNotFound {
      // Forcing the deletion of a secret that is not there is not an error.
      trail.record(request.secretID, result: "ok")
      let arn =
        request.secretID.hasPrefix("arn:")
        ? request.secretID : configuration.secretARNPrefix + request.secretID
      return DeleteSecretResponse(arn: arn, name: request.secretID, deletionDate: now)
    }
    let arn = entry.arn(configuration)
    if force {
      try db.execute(cached: "DELETE FROM entries WHERE id = ?", arguments: [entry.id])
      trail.record(entry.name, version: entry.lastVersion)
      return DeleteSecretResponse(arn: arn, name: entry.name, deletionDate: now)
    }
    guard !entry.isDeleted else { throw StoreError.markedForDeletion }
    var updated = entry
    let deletion = now.addingTimeInterval(Double(window) * 86_400)
    updated.attributes.deletedDate = now.timeIntervalSince1970
    updated.attributes.deletionDate = deletion.timeIntervalSince1970
    updated.attributes.lastChangedDate = now.timeIntervalSince1970
    try updated.save(db)
    trail.record(entry.name)
    return DeleteSecretResponse(arn: arn, name: entry.name, deletionDate: deletion)
  }
}
