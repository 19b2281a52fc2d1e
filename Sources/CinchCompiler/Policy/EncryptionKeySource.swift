public import CinchStore
public import CinchTemplate

/// What a store records about one entry's encryption.
public enum RecordedKey: Sendable, Hashable {
  case notFound
  /// The entry exists, without the version, version id or stage the query names.
  case versionNotFound
  case unencrypted
  /// The key id as recorded: `alias/aws/ssm`, `alias/myapp`, a key id or ARN.
  case keyID(String)
}

extension RecordedKey {
  /// The store's refusal of a name no entry can have (`ValidationException`).
  static func isInvalidName(_ error: StoreError) -> Bool { error.code == "ValidationException" }

  /// Each query's key from a catalog's batched answers (by entry name): `notFound` for an entry
  /// the catalog does not have (its error `notFoundCode`, a name the store refuses as invalid,
  /// or no answer), any other error thrown.
  /// A name no entry can have (an ECS `ValueFrom: q/p` without its leading slash) is a
  /// finding about that name, not a reason to abandon every other key.
  static func answering<Versions>(
    _ queries: [EncryptionKeyQuery], from answers: [String: Result<Versions, StoreError>],
    notFound notFoundCode: String, _ key: (EncryptionKeyQuery, Versions) -> RecordedKey
  ) throws -> [RecordedKey] {
    try queries.map { query in
      switch answers[query.entry.name] {
      case .success(let versions)?: return key(query, versions)
      case .failure(let error)? where error.code != notFoundCode && !isInvalidName(error):
        throw error
      case .failure?, nil: return .notFound
      }
    }
  }
}

/// Where the policy generator learns which KMS key protects a parameter's or secret's value:
/// metadata only, never a value. Parameter Store's catalog is one source; Secrets Manager's
/// `DescribeSecret` (`KmsKeyId`, absent for `aws/secretsmanager`) is another.
public protocol EncryptionKeySource: Sendable {
  /// The kinds of entries this source answers for.
  var kinds: Set<StoreEntry.Kind> { get }
  /// The key of the version `query` names (the latest, or `AWSCURRENT`, when it names none).
  func recordedKey(for query: EncryptionKeyQuery) async throws -> RecordedKey
  /// The keys of many queries, in the order asked. A source over a catalog that answers many
  /// entries together asks it once (the embedded store: one transaction instead of one per
  /// entry); the default asks `recordedKey(for:)` per query.
  func recordedKeys(for queries: [EncryptionKeyQuery]) async throws -> [RecordedKey]
  /// The keys of every parameter under `path` (a Parameter Store hierarchy, `/myapp/prod/`).
  func recordedKeys(underPath path: String) async throws -> Set<String>
}

extension EncryptionKeySource {
  public func recordedKeys(underPath path: String) async throws -> Set<String> { [] }

  public func recordedKeys(for queries: [EncryptionKeyQuery]) async throws -> [RecordedKey] {
    var keys: [RecordedKey] = []
    keys.reserveCapacity(queries.count)
    for query in queries { keys.append(try await recordedKey(for: query)) }
    return keys
  }
}

/// Parameter Store's answers, from `ParameterCatalog` (versions and their keys) and
/// `DescribeParameters` (the parameters under a path).
public struct ParameterKeySource: EncryptionKeySource {
  public let catalog: any ParameterCatalog
  public let store: any ParameterStore

  public init(catalog: any ParameterCatalog, store: any ParameterStore) {
    self.catalog = catalog
    self.store = store
  }

  public var kinds: Set<StoreEntry.Kind> { [.parameter] }

  public func recordedKey(for query: EncryptionKeyQuery) async throws -> RecordedKey {
    let versions: ParameterVersionList
    do {
      versions = try await catalog.parameterVersions(query.entry.name)
    } catch let error as StoreError
      where error.code == "ParameterNotFound" || RecordedKey.isInvalidName(error)
    {
      return .notFound
    }
    return Self.recordedKey(for: query, in: versions)
  }

  public func recordedKeys(for queries: [EncryptionKeyQuery]) async throws -> [RecordedKey] {
    let answers = try await catalog.parameterVersions(byReference: queries.map(\.entry.name))
    return try RecordedKey.answering(queries, from: answers, notFound: "ParameterNotFound") {
      Self.recordedKey(for: $0, in: $1)
    }
  }

  static func recordedKey(for query: EncryptionKeyQuery, in versions: ParameterVersionList)
    -> RecordedKey
  {
    // A label names the version it is on now (`/app/db:live`), whose key may not be the
    // latest's.
    let version =
      if let label = query.versionStage {
        versions.versions.first { $0.labels.contains(label) }
      } else {
        query.version.map { number in versions.versions.first { $0.version == number } }
          ?? versions.latest
      }
    guard let version else { return .versionNotFound }
    guard version.type == .secureString, let keyID = version.keyID else { return .unencrypted }
    return .keyID(keyID)
  }

  public func recordedKeys(underPath path: String) async throws -> Set<String> {
    var keys: Set<String> = []
    var token: String?
    let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    repeat {
      let page = try await store.describeParameters(
        DescribeParametersRequest(
          parameterFilters: [
            ParameterStringFilter(key: "Path", option: "Recursive", values: [trimmed]),
            ParameterStringFilter(key: "Type", option: "Equals", values: ["SecureString"]),
          ], nextToken: token))
      for parameter in page.parameters {
        if let keyID = parameter.keyID { keys.insert(keyID) }
      }
      token = page.nextToken
    } while token != nil
    return keys
  }
}

/// Secrets Manager's answers, from `SecretCatalog` (`DescribeSecret`'s `KmsKeyId`, absent for
/// the AWS-managed `aws/secretsmanager`, and the versions with their stages and keys). The key
/// is the version's own where the store reports it (`ListSecretVersionIds` `KmsKeyIds`), the
/// secret's otherwise; the version a query names must still exist.
public struct SecretKeySource: EncryptionKeySource {
  public let catalog: any SecretCatalog

  public init(catalog: any SecretCatalog) {
    self.catalog = catalog
  }

  public var kinds: Set<StoreEntry.Kind> { [.secret] }

  public func recordedKey(for query: EncryptionKeyQuery) async throws -> RecordedKey {
    let list: SecretVersionList
    do {
      list = try await catalog.secretVersions(query.entry.name)
    } catch let error as StoreError
      where error.code == "ResourceNotFoundException" || RecordedKey.isInvalidName(error)
    {
      return .notFound
    }
    return Self.recordedKey(for: query, in: list)
  }

  public func recordedKeys(for queries: [EncryptionKeyQuery]) async throws -> [RecordedKey] {
    let answers = try await catalog.secretVersions(byID: queries.map(\.entry.name))
    return try RecordedKey.answering(
      queries, from: answers, notFound: "ResourceNotFoundException"
    ) { Self.recordedKey(for: $0, in: $1) }
  }

  static func recordedKey(for query: EncryptionKeyQuery, in list: SecretVersionList)
    -> RecordedKey
  {
    let version =
      query.versionID.map(list.version(id:))
      ?? list.version(staged: query.versionStage ?? SecretStage.current)
    guard let version else { return .versionNotFound }
    return .keyID(list.keyID(of: version))
  }
}

/// Looks up every key a generation asks about and classifies it with the store's KMS
/// metadata: customer-managed keys need `kms:Decrypt`, AWS-managed ones do not.
public struct EncryptionKeyResolver: Sendable {
  public let sources: [any EncryptionKeySource]
  public let keys: any KeyStore
  public let target: PolicyTarget

  public init(sources: [any EncryptionKeySource], keys: any KeyStore, target: PolicyTarget) {
    self.sources = sources
    self.keys = keys
    self.target = target
  }

  /// The AWS-managed keys' aliases: known without asking.
  static let awsManagedAliases: Set<String> = ["alias/aws/ssm", "alias/aws/secretsmanager"]

  public func resolve(_ queries: EncryptionKeyQueries) async throws -> EncryptionKeys {
    var result = EncryptionKeys(isConfigured: true)
    var classified: [String: EncryptionKey?] = [:]
    /// Why a key could not be described, by the id the store records.
    var refusals: [String: String] = [:]
    func classifying(_ keyID: String) async throws -> EncryptionKey? {
      if let known = classified[keyID] { return known }
      let key: EncryptionKey?
      do {
        key = try await classify(keyID)
      } catch let error as StoreError {
        refusals[keyID] = error.code
        key = nil
      }
      classified[keyID] = key
      return key
    }
    let sorted = queries.entries.sorted(by: {
      ($0.entry, $0.version ?? 0) < ($1.entry, $1.version ?? 0)
    })
    // Each source asked once for all of its queries.
    var recorded: [EncryptionKeyQuery: RecordedKey] = [:]
    for (offset, source) in sources.enumerated() {
      let mine = sorted.filter { query in
        sources.firstIndex { $0.kinds.contains(query.entry.kind) } == offset
      }
      guard !mine.isEmpty else { continue }
      for (query, key) in zip(mine, try await source.recordedKeys(for: mine)) {
        recorded[query] = key
      }
    }
    for query in sorted {
      guard let key = recorded[query] else {
        result.entries[query] = .unknown
        continue
      }
      switch key {
      case .notFound: result.entries[query] = .notFound
      case .versionNotFound: result.entries[query] = .versionNotFound
      case .unencrypted: result.entries[query] = .unencrypted
      case .keyID(let keyID):
        if let key = try await classifying(keyID) {
          result.entries[query] = .key(key)
        } else {
          result.entries[query] =
            refusals[keyID].map { .undescribed(keyID: keyID, reason: $0) }
            ?? .unknown
        }
      }
    }
    for path in queries.paths.sorted() {
      var found: Set<EncryptionKey> = []
      for source in sources where source.kinds.contains(.parameter) {
        for keyID in try await source.recordedKeys(underPath: path) {
          if let key = try await classifying(keyID), key.isCustomerManaged { found.insert(key) }
        }
      }
      result.paths[path] = found.sorted()
    }
    return result
  }

  /// The key's ARN and manager. A key the store does not know but names by ARN belongs to
  /// another account: AWS-managed keys cannot be shared, so it is customer-managed. Any other
  /// refusal is thrown, for the caller to say.
  func classify(_ recorded: String) async throws -> EncryptionKey? {
    if Self.awsManagedAliases.contains(recorded) {
      return EncryptionKey(
        arn: "arn:\(target.partition):kms:\(target.region):\(target.accountID):\(recorded)",
        recordedAs: recorded, isCustomerManaged: false)
    }
    let metadata: KeyMetadata
    do {
      metadata = try await keys.describeKey(DescribeKeyRequest(keyID: recorded)).keyMetadata
    } catch let error as StoreError {
      guard recorded.hasPrefix("arn:"), recorded.contains(":key/") else { throw error }
      return EncryptionKey(arn: recorded, recordedAs: recorded, isCustomerManaged: true)
    }
    return EncryptionKey(
      arn: arn(of: recorded, keyID: metadata.keyID), recordedAs: recorded,
      isCustomerManaged: metadata.keyManager == "CUSTOMER")
  }

  /// A key ARN as recorded stays; a key id or alias becomes the key's ARN in the target's
  /// region and account (an alias ARN keeps its own region and account).
  private func arn(of recorded: String, keyID: String) -> String {
    let fields = recorded.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
    guard recorded.hasPrefix("arn:"), fields.count == 6 else { return target.keyARN(keyID) }
    if fields[5].hasPrefix("key/") { return recorded }
    return "arn:\(fields[1]):kms:\(fields[3]):\(fields[4]):key/\(keyID)"
  }
}
