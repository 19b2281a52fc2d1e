public import Foundation

/// Secrets Manager in AWS's vocabulary: one method per operation, each taking and returning the
/// AWS shapes (`Codable`, JSON keys exactly AWS's), like `ParameterStore`.
///
/// A `SecretId` is a name, a full ARN or a partial ARN (the ARN without its `-xxxxxx` suffix).
/// Service errors are thrown as `StoreError` with AWS's code, message and HTTP status.
public protocol SecretStore: Sendable {
  func createSecret(_ request: CreateSecretRequest) async throws -> CreateSecretResponse
  func getSecretValue(_ request: GetSecretValueRequest) async throws -> GetSecretValueResponse
  func putSecretValue(_ request: PutSecretValueRequest) async throws -> PutSecretValueResponse
  func updateSecret(_ request: UpdateSecretRequest) async throws -> UpdateSecretResponse
  func describeSecret(_ request: DescribeSecretRequest) async throws -> DescribeSecretResponse
  func listSecrets(_ request: ListSecretsRequest) async throws -> ListSecretsResponse
  func listSecretVersionIds(_ request: ListSecretVersionIdsRequest) async throws
    -> ListSecretVersionIdsResponse
  func updateSecretVersionStage(_ request: UpdateSecretVersionStageRequest) async throws
    -> UpdateSecretVersionStageResponse
  func deleteSecret(_ request: DeleteSecretRequest) async throws -> DeleteSecretResponse
  func restoreSecret(_ request: RestoreSecretRequest) async throws -> RestoreSecretResponse
  func tagResource(_ request: TagResourceRequest) async throws -> SecretsManagerEmptyResponse
  func untagResource(_ request: UntagResourceRequest) async throws -> SecretsManagerEmptyResponse
  func getRandomPassword(_ request: GetRandomPasswordRequest) async throws
    -> GetRandomPasswordResponse
  func batchGetSecretValue(_ request: BatchGetSecretValueRequest) async throws
    -> BatchGetSecretValueResponse
  /// Configures rotation and, unless `RotateImmediately` is false, rotates now: the four steps
  /// run before this returns. A failed step throws `RotationFailedException` and leaves
  /// AWSCURRENT where it was.
  func rotateSecret(_ request: RotateSecretRequest) async throws -> RotateSecretResponse
  func cancelRotateSecret(_ request: CancelRotateSecretRequest) async throws
    -> CancelRotateSecretResponse
  /// Resource-based policies: the embedded store keeps none (it enforces identity-based
  /// policies only, in `cinch serve`), so `GetResourcePolicy` answers without one,
  /// `DeleteResourcePolicy` has nothing to remove, and `PutResourcePolicy` /
  /// `ValidateResourcePolicy` are refused there; the AWS backend sends each to AWS.
  func getResourcePolicy(_ request: GetResourcePolicyRequest) async throws
    -> GetResourcePolicyResponse
  func deleteResourcePolicy(_ request: DeleteResourcePolicyRequest) async throws
    -> DeleteResourcePolicyResponse
  func putResourcePolicy(_ request: PutResourcePolicyRequest) async throws
    -> PutResourcePolicyResponse
  func validateResourcePolicy(_ request: ValidateResourcePolicyRequest) async throws
    -> ValidateResourcePolicyResponse
}

/// Metadata only, never a value and never a decryption: what `cinch check` needs to confirm that
/// a referenced secret, version id, staging label or JSON key exists.
public protocol SecretCatalog: Sendable {
  /// A secret's description and its versions with their stages. `secretID` is a name, full ARN
  /// or partial ARN; throws `ResourceNotFoundException` when there is no such secret.
  func secretVersions(_ secretID: String) async throws -> SecretVersionList

  /// The metadata of many secrets, in the order asked, each answered separately (a missing
  /// secret is a `ResourceNotFoundException` failure in its place, not a thrown error). A store
  /// that can answer them together does (the embedded one: one transaction instead of one
  /// each); the default asks `secretVersions(_:)` once per id.
  func secretVersions(of secretIDs: [String]) async throws -> [Result<
    SecretVersionList, StoreError
  >]

  /// The region (and account, when the store knows it) of the secrets' ARNs; nil: unknown.
  var secretHome: SecretHome? { get }
}

/// Where a store's secrets live, as their ARNs say: a reference by the full ARN of a secret in
/// another region or account is not found there, whatever the store holds.
public struct SecretHome: Sendable, Hashable {
  public var region: String
  /// Nil when the store does not know its account (AWS, before anything is asked of it).
  public var accountID: String?

  public init(region: String, accountID: String?) {
    self.region = region
    self.accountID = accountID
  }

  /// Where an entry named by its full ARN is, and where the store is, when they differ.
  public struct Elsewhere: Sendable, Hashable {
    /// `account 999999999999 in eu-west-1` (or the region alone when the store's account is
    /// unknown).
    public var secret: String
    public var store: String
  }

  /// For the full ARN `secretID` of a secret elsewhere, where it and the store are; nil for a
  /// name, an ARN of this region and account, or anything else.
  public func elsewhere(_ secretID: String) -> Elsewhere? {
    let parts = secretID.split(separator: ":", maxSplits: 6, omittingEmptySubsequences: false)
    guard parts.count == 7, parts[0] == "arn", parts[2] == "secretsmanager", parts[5] == "secret"
    else { return nil }
    return elsewhere(region: String(parts[3]), account: String(parts[4]))
  }

  /// The same for a parameter named by its ARN (`arn:aws:ssm:REGION:ACCOUNT:parameter/NAME`,
  /// a `:VERSION` or `:LABEL` after it allowed): a parameter shared from another account, or one
  /// of another region, is read from there, not from this store. AWS's public parameters
  /// have no account in their ARN, and are elsewhere only in another region.
  public func elsewhere(parameterARN: String) -> Elsewhere? {
    let parts = parameterARN.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
    guard parts.count == 6, parts[0] == "arn", parts[2] == "ssm",
      parts[5].hasPrefix("parameter/")
    else { return nil }
    guard !parts[4].isEmpty else {
      return parts[3] == region ? nil : Elsewhere(secret: String(parts[3]), store: region)
    }
    return elsewhere(region: String(parts[3]), account: String(parts[4]))
  }

  private func elsewhere(region: String, account: String) -> Elsewhere? {
    guard region != self.region || (accountID.map { $0 != account } ?? false) else { return nil }
    guard let accountID else { return Elsewhere(secret: region, store: self.region) }
    return Elsewhere(
      secret: "account \(account) in \(region)", store: "account \(accountID) in \(self.region)")
  }
}

extension SecretCatalog {
  public var secretHome: SecretHome? { nil }
}

extension SecretCatalog {
  /// Each distinct id of `secretIDs` asked together through `secretVersions(of:)`, the answers
  /// keyed by id.
  public func secretVersions(byID secretIDs: some Sequence<String>) async throws
    -> [String: Result<SecretVersionList, StoreError>]
  {
    try await answersByKey(secretIDs) { try await secretVersions(of: $0) }
  }

  public func secretVersions(of secretIDs: [String]) async throws
    -> [Result<SecretVersionList, StoreError>]
  {
    var results: [Result<SecretVersionList, StoreError>] = []
    results.reserveCapacity(secretIDs.count)
    for secretID in secretIDs {
      do {
        results.append(.success(try await secretVersions(secretID)))
      } catch let error as StoreError {
        results.append(.failure(error))
      }
    }
    return results
  }
}

/// Decrypted values for the resolver: many secrets in one transaction, each answered
/// separately, so one missing secret does not hide the others.
public protocol SecretResolver: Sendable {
  func resolveSecrets(_ requests: [SecretSelector]) async throws -> [SecretResolution]
}

/// Which version of which secret: AWSCURRENT unless a version id or a stage is named (both must
/// then name the same version), as `{{resolve:secretsmanager:ID:SecretString:KEY:STAGE:ID}}`.
public struct SecretSelector: Sendable, Hashable, Codable {
  public var secretID: String
  public var versionID: String?
  public var versionStage: String?

  public init(secretID: String, versionID: String? = nil, versionStage: String? = nil) {
    self.secretID = secretID
    self.versionID = versionID
    self.versionStage = versionStage
  }
}

/// One answer of `SecretResolver`.
public enum SecretResolution: Sendable {
  case resolved(ResolvedSecret)
  case failed(selector: SecretSelector, error: StoreError)
}

/// Whether a version holds `SecretString` or `SecretBinary`.
public enum SecretValueType: String, Sendable, Hashable, Codable {
  case string = "SecretString"
  case binary = "SecretBinary"
}

/// A decrypted secret version and the facts a lockfile pins. The value is `SecretBytes` (the
/// UTF-8 of a `SecretString`, or the bytes of a `SecretBinary`): it prints as `<redacted>` and is
/// wiped when released.
public struct ResolvedSecret: Sendable {
  public var selector: SecretSelector
  public var name: String
  public var arn: String
  public var versionID: String
  public var versionStages: [String]
  public var createdDate: Date
  public var valueType: SecretValueType
  public var value: SecretBytes

  public init(
    selector: SecretSelector, name: String, arn: String, versionID: String,
    versionStages: [String], createdDate: Date, valueType: SecretValueType, value: SecretBytes
  ) {
    self.selector = selector
    self.name = name
    self.arn = arn
    self.versionID = versionID
    self.versionStages = versionStages
    self.createdDate = createdDate
    self.valueType = valueType
    self.value = value
  }
}

/// A secret and its versions without values (`SecretCatalog`).
public struct SecretVersionList: Sendable, Hashable, Codable {
  public struct Version: Sendable, Hashable, Codable {
    public var versionID: String
    public var stages: [String]
    public var createdDate: Date
    /// Nil for the empty version a rotation creates before its `createSecret` step, and nil
    /// (unknown) from a store that cannot tell without reading the value: AWS, whose metadata
    /// calls do not say.
    public var valueType: SecretValueType?
    /// The top-level keys of a `SecretString` that is a JSON object (what
    /// `{{resolve:secretsmanager:ID:SecretString:KEY}}` can name); nil for other values, and
    /// nil (unknown) from AWS, where only reading the value would tell.
    public var jsonKeys: [String]?
    /// The KMS keys the version is encrypted under (`ListSecretVersionIds` `KmsKeyIds`;
    /// `DefaultEncryptionKey` for `aws/secretsmanager`), nil when not reported. Changing a
    /// secret's key re-encrypts only the labelled versions: an older one keeps its own.
    /// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_UpdateSecret.html
    public var kmsKeyIDs: [String]?

    public init(
      versionID: String, stages: [String], createdDate: Date, valueType: SecretValueType?,
      jsonKeys: [String]?, kmsKeyIDs: [String]? = nil
    ) {
      self.versionID = versionID
      self.stages = stages
      self.createdDate = createdDate
      self.valueType = valueType
      self.jsonKeys = jsonKeys
      self.kmsKeyIDs = kmsKeyIDs
    }

    /// A version without a staging label.
    public var isDeprecated: Bool { stages.isEmpty }
  }

  public var name: String
  public var arn: String
  public var description: String?
  public var kmsKeyID: String?
  /// Set while the secret is scheduled for deletion (its values cannot be read).
  public var deletedDate: Date?
  /// Oldest first, deprecated versions included.
  public var versions: [Version]

  public init(
    name: String, arn: String, description: String?, kmsKeyID: String?, deletedDate: Date?,
    versions: [Version]
  ) {
    self.name = name
    self.arn = arn
    self.description = description
    self.kmsKeyID = kmsKeyID
    self.deletedDate = deletedDate
    self.versions = versions
  }

  /// The version carrying `stage`, if any.
  public func version(staged stage: String) -> Version? {
    versions.first { $0.stages.contains(stage) }
  }

  public func version(id: String) -> Version? {
    versions.first { $0.versionID == id }
  }
}

/// The staging labels Secrets Manager gives meaning to.
public enum SecretStage {
  public static let current = "AWSCURRENT"
  public static let previous = "AWSPREVIOUS"
  public static let pending = "AWSPENDING"
}
