import Foundation
import GRDB

/// `cinch serve`'s credentials in IAM's vocabulary: access keys whose secret is sealed in the
/// store, and inline policies per user. A key created without a user belongs to the account
/// root: policies do not limit it. Every change is audited by key id and policy name, never with
/// a secret.
extension SQLiteStore {
  /// IAM allows two access keys per user (and two for the root).
  public static let accessKeysPerUser = 2

  public func createAccessKey(userName: String?) async throws -> CreateAccessKeyResponse {
    if let userName { try IAMNames.validateUserName(userName) }
    let accessKeyID = try IAMNames.newAccessKeyID()
    let secret = try IAMNames.newSecretAccessKey()
    let now = now()
    let sealed = try SecretBytes(utf8: secret).withUnsafeBytes { bytes in
      try Envelope.seal(
        bytes, keyID: Self.accessKeySealingKeyID, keyMaterial: vault.accessKeySealingKey,
        context: accessKeyContext(accessKeyID, userName: userName))
    }
    try await perform("CreateAccessKey", kind: .accessKey, name: accessKeyID) { db, _ in
      let count =
        try Int.fetchOne(
          db, cached: "SELECT COUNT(*) FROM iam_access_keys WHERE user_name IS ?",
          arguments: [userName]) ?? 0
      guard count < Self.accessKeysPerUser else {
        throw StoreError(
          code: "LimitExceeded",
          message: "Cannot exceed quota for AccessKeysPerUser: \(Self.accessKeysPerUser)",
          httpStatus: 409)
      }
      try db.execute(
        cached: """
          INSERT INTO iam_access_keys (access_key_id, user_name, status, created_at, sealed_secret)
          VALUES (?, ?, 'Active', ?, ?)
          """,
        arguments: [accessKeyID, userName, now.timeIntervalSince1970, Data(sealed)])
    }
    return CreateAccessKeyResponse(
      accessKey: AccessKey(
        userName: userName, accessKeyID: accessKeyID, status: .active, secretAccessKey: secret,
        createDate: now))
  }

  /// The keys of `userName`, or every key when `userName` is nil; oldest first.
  public func listAccessKeys(userName: String?) async throws -> ListAccessKeysResponse {
    try await perform("ListAccessKeys", kind: .accessKey, name: userName) { db, _ in
      var sql = "SELECT access_key_id, user_name, status, created_at FROM iam_access_keys"
      var arguments: StoreArguments = []
      if let userName {
        sql += " WHERE user_name = ?"
        arguments = [userName]
      }
      sql += " ORDER BY created_at, access_key_id"
      let keys = try Row.fetchAll(db, cached: sql, arguments: arguments).map { row in
        AccessKeyMetadata(
          userName: row["user_name"], accessKeyID: row["access_key_id"],
          status: AccessKeyStatus(rawValue: row["status"]) ?? .inactive,
          createDate: Date(timeIntervalSince1970: row["created_at"]))
      }
      return ListAccessKeysResponse(accessKeyMetadata: keys)
    }
  }

  /// Makes a key `Active` or `Inactive`; `userName`, when given, must own it.
  public func updateAccessKey(accessKeyID: String, status: AccessKeyStatus, userName: String?)
    async throws
  {
    try await perform("UpdateAccessKey", kind: .accessKey, name: accessKeyID) { db, _ in
      try Self.requireAccessKey(accessKeyID, userName: userName, db)
      try db.execute(
        cached: "UPDATE iam_access_keys SET status = ? WHERE access_key_id = ?",
        arguments: [status.rawValue, accessKeyID])
    }
  }

  /// Deletes a key; requests it signed are refused from then on.
  public func deleteAccessKey(accessKeyID: String, userName: String?) async throws {
    try await perform("DeleteAccessKey", kind: .accessKey, name: accessKeyID) { db, _ in
      try Self.requireAccessKey(accessKeyID, userName: userName, db)
      try db.execute(
        cached: "DELETE FROM iam_access_keys WHERE access_key_id = ?", arguments: [accessKeyID])
    }
  }

  /// Adds or replaces an inline policy of `userName`. The caller checks the document's grammar
  /// (the server's policy parser); the store checks names and size.
  public func putUserPolicy(userName: String, policyName: String, policyDocument: String)
    async throws
  {
    try IAMNames.validateUserName(userName)
    try IAMNames.validatePolicyName(policyName)
    guard policyDocument.utf8.count <= IAMNames.maximumInlinePolicySize else {
      throw StoreError(
        code: "LimitExceeded",
        message: "Maximum policy size of \(IAMNames.maximumInlinePolicySize) bytes exceeded for "
          + "user \(userName)", httpStatus: 409)
    }
    let now = now()
    try await perform("PutUserPolicy", kind: .userPolicy, name: "\(userName)/\(policyName)") {
      db, _ in
      try db.execute(
        cached: """
          INSERT INTO iam_user_policies (user_name, policy_name, document, created_at)
          VALUES (?, ?, ?, ?)
          ON CONFLICT (user_name, policy_name) DO UPDATE SET document = excluded.document
          """,
        arguments: [userName, policyName, policyDocument, now.timeIntervalSince1970])
    }
  }

  public func getUserPolicy(userName: String, policyName: String) async throws -> UserPolicy {
    try await perform("GetUserPolicy", kind: .userPolicy, name: "\(userName)/\(policyName)") {
      db, _ in
      guard
        let document = try String.fetchOne(
          db,
          cached: "SELECT document FROM iam_user_policies WHERE user_name = ? AND policy_name = ?",
          arguments: [userName, policyName])
      else { throw IAMNames.noSuchPolicy(userName: userName, policyName: policyName) }
      return UserPolicy(userName: userName, policyName: policyName, policyDocument: document)
    }
  }

  public func listUserPolicies(userName: String) async throws -> ListUserPoliciesResponse {
    try await perform("ListUserPolicies", kind: .userPolicy, name: userName) { db, _ in
      ListUserPoliciesResponse(
        policyNames: try String.fetchAll(
          db,
          cached:
            "SELECT policy_name FROM iam_user_policies WHERE user_name = ? ORDER BY policy_name",
          arguments: [userName]))
    }
  }

  public func deleteUserPolicy(userName: String, policyName: String) async throws {
    try await perform("DeleteUserPolicy", kind: .userPolicy, name: "\(userName)/\(policyName)") {
      db, _ in
      try db.execute(
        cached: "DELETE FROM iam_user_policies WHERE user_name = ? AND policy_name = ?",
        arguments: [userName, policyName])
      guard db.changesCount > 0 else {
        throw IAMNames.noSuchPolicy(userName: userName, policyName: policyName)
      }
    }
  }

  /// The key, its opened secret and its user's policies, for authenticating a request; nil for
  /// a key the store does not know. A read only: it is not audited (the request it serves is).
  package func accessKeyCredential(_ accessKeyID: String) async throws -> AccessKeyCredential? {
    struct Row_: Sendable {
      var userName: String?
      var status: String
      var sealed: [UInt8]
      var policies: [(String, String)]
      var generation: Int64
    }
    let found = try await readSnapshot { db -> Row_? in
      let generation = try IAMGeneration.read(db)
      let key = try SteppedStatement(db, sql: Self.accessKeySQL).withRow([.text(accessKeyID)]) {
        columns -> (String?, String, [UInt8])? in
        guard let columns else { return nil }
        return (columns.text(0), columns.text(1) ?? "", columns.blob(2) ?? [])
      }
      guard let (userName, status, sealed) = key else { return nil }
      var policies: [(String, String)] = []
      if let userName {
        policies = try Row.fetchAll(
          db,
          cached: """
            SELECT policy_name, document FROM iam_user_policies WHERE user_name = ?
            ORDER BY policy_name
            """, arguments: [userName]
        ).map { ($0["policy_name"], $0["document"]) }
      }
      return Row_(
        userName: userName, status: status, sealed: sealed, policies: policies,
        generation: generation)
    }
    guard let found else { return nil }
    let inputs = KeyVault.AccessKeySealed(
      accessKeyID: accessKeyID, userName: found.userName, sealed: found.sealed)
    let secret: SecretBytes
    if let opened = vault.openedAccessKeySecret(inputs) {
      secret = opened
    } else {
      do {
        secret = try Envelope.open(
          found.sealed, keyMaterial: vault.accessKeySealingKey,
          context: accessKeyContext(accessKeyID, userName: found.userName))
      } catch {
        throw StoreError.internalError(
          "the sealed secret of access key '\(accessKeyID)' does not open: it was altered")
      }
      vault.keepOpenedAccessKeySecret(secret, for: inputs)
    }
    return AccessKeyCredential(
      accessKeyID: accessKeyID, userName: found.userName,
      status: AccessKeyStatus(rawValue: found.status) ?? .inactive, secretAccessKey: secret,
      policies: found.policies.map { (name: $0.0, document: $0.1) },
      iamGeneration: found.generation)
  }

  /// The store's IAM generation now (`CredentialCheck`).
  package func iamGeneration() async throws -> Int64 {
    try await readSnapshot { db in try IAMGeneration.read(db) }
  }

  static let accessKeySQL =
    "SELECT user_name, status, sealed_secret FROM iam_access_keys WHERE access_key_id = ?"

  /// The policy documents of every user, for checking them all (`cinch serve` refuses to start
  /// with a document it cannot enforce).
  package func allUserPolicies() async throws -> [UserPolicy] {
    try await readSnapshot { db in
      try Row.fetchAll(
        db,
        cached: "SELECT user_name, policy_name, document FROM iam_user_policies ORDER BY 1, 2"
      ).map {
        UserPolicy(
          userName: $0["user_name"], policyName: $0["policy_name"], policyDocument: $0["document"])
      }
    }
  }

  /// The associated data of a sealed secret: bound to the store, the key id and its user, so a
  /// row edited to give the key to another user no longer opens.
  private func accessKeyContext(_ accessKeyID: String, userName: String?) -> SealingContext {
    SealingContext(
      storeID: storeID, kind: .accessKey, name: accessKeyID, version: 1,
      detail: userName.map { "user:" + $0 } ?? "root")
  }

  /// The id written in the header of sealed access-key secrets (the key itself is derived from
  /// the store key).
  static let accessKeySealingKeyID: [UInt8] = Array(
    Crypto.sha256(Array("cinch/v1/access-keys".utf8)).prefix(Envelope.keyIDLength))

  private static func requireAccessKey(_ accessKeyID: String, userName: String?, _ db: Database)
    throws
  {
    guard
      let row = try Row.fetchOne(
        db, cached: "SELECT user_name FROM iam_access_keys WHERE access_key_id = ?",
        arguments: [accessKeyID])
    else {
      throw StoreError(
        code: "NoSuchEntity", message: "The Access Key with id \(accessKeyID) cannot be found.",
        httpStatus: 404)
    }
    let owner: String? = row["user_name"]
    if let userName, owner != userName {
      throw StoreError(
        code: "NoSuchEntity", message: "The Access Key with id \(accessKeyID) cannot be found.",
        httpStatus: 404)
    }
  }
}

/// IAM's naming rules and the shapes of its identifiers.
enum IAMNames {
  /// IAM's limit on one user's inline policies together (2,048 characters of whitespace-free
  /// JSON in AWS; we count bytes as written).
  static let maximumInlinePolicySize = 2048 * 4

  static func validateUserName(_ name: String) throws {
    try validate(name, field: "userName", maximum: 64)
  }

  static func validatePolicyName(_ name: String) throws {
    try validate(name, field: "policyName", maximum: 128)
  }

  /// `[\w+=,.@-]+` within the length limit.
  private static func validate(_ name: String, field: String, maximum: Int) throws {
    let allowed = name.unicodeScalars.allSatisfy { scalar in
      (scalar.isASCII
        && (CharacterSet.alphanumerics.contains(scalar)
          || "_+=,.@-".unicodeScalars.contains(scalar)))
    }
    guard !name.isEmpty, name.count <= maximum, allowed else {
      throw StoreError(
        code: "ValidationError",
        message: "1 validation error detected: Value '\(name)' at '\(field)' failed to satisfy "
          + "constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+")
    }
  }

  static func noSuchPolicy(userName: String, policyName: String) -> StoreError {
    StoreError(
      code: "NoSuchEntity",
      message: "The user policy with name \(policyName) cannot be found.", httpStatus: 404)
  }

  /// `AKIA` and 16 characters of base32 (`A-Z2-7`), as IAM's long-term key ids.
  static func newAccessKeyID() throws -> String {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    return "AKIA" + String(try Crypto.randomBytes(16).map { alphabet[Int($0 & 0x1f)] })
  }

  /// 40 characters of base64 (30 random bytes), as IAM's secret access keys.
  static func newSecretAccessKey() throws -> String {
    Data(try Crypto.randomBytes(30)).base64EncodedString()
  }
}
