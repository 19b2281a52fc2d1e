public import Foundation

/// Parameter Store in AWS's vocabulary: one method per operation, each taking and returning the
/// AWS shapes (`Codable`, JSON keys exactly AWS's), so the CLI prints the response as `aws ssm`
/// does, a remote backend sends the request as AWS JSON 1.1, and `cinch serve` decodes requests
/// from any AWS client.
///
/// Service errors are thrown as `StoreError` with AWS's code, message and HTTP status.
public protocol ParameterStore: Sendable {
  func putParameter(_ request: PutParameterRequest) async throws -> PutParameterResponse
  func getParameter(_ request: GetParameterRequest) async throws -> GetParameterResponse
  func getParameters(_ request: GetParametersRequest) async throws -> GetParametersResponse
  func getParametersByPath(_ request: GetParametersByPathRequest) async throws
    -> GetParametersByPathResponse
  func getParameterHistory(_ request: GetParameterHistoryRequest) async throws
    -> GetParameterHistoryResponse
  func labelParameterVersion(_ request: LabelParameterVersionRequest) async throws
    -> LabelParameterVersionResponse
  func unlabelParameterVersion(_ request: UnlabelParameterVersionRequest) async throws
    -> UnlabelParameterVersionResponse
  func deleteParameter(_ request: DeleteParameterRequest) async throws -> DeleteParameterResponse
  func deleteParameters(_ request: DeleteParametersRequest) async throws -> DeleteParametersResponse
  func describeParameters(_ request: DescribeParametersRequest) async throws
    -> DescribeParametersResponse
  func addTagsToResource(_ request: AddTagsToResourceRequest) async throws
    -> AddTagsToResourceResponse
  func removeTagsFromResource(_ request: RemoveTagsFromResourceRequest) async throws
    -> RemoveTagsFromResourceResponse
  func listTagsForResource(_ request: ListTagsForResourceRequest) async throws
    -> ListTagsForResourceResponse
}

/// Metadata only, never a value and never a decryption: what `cinch check` needs to confirm
/// that a referenced name, version or label exists, so a pull-request job runs without secrets.
public protocol ParameterCatalog: Sendable {
  /// The retained versions of one parameter with their labels. `reference` is a name or ARN;
  /// throws `ParameterNotFound` when there is no such parameter.
  func parameterVersions(_ reference: String) async throws -> ParameterVersionList

  /// The versions of many parameters, in the order asked, each answered separately (a missing
  /// name is a `ParameterNotFound` failure in its place, not a thrown error). A store that
  /// can answer them together does (the embedded one: one transaction instead of one each);
  /// the default asks `parameterVersions(_:)` once per reference.
  func parameterVersions(of references: [String]) async throws
    -> [Result<ParameterVersionList, StoreError>]
}

extension ParameterCatalog {
  /// Each distinct reference of `references` asked together through `parameterVersions(of:)`,
  /// the answers keyed by reference: what every caller with a run's worth of names wants.
  public func parameterVersions(byReference references: some Sequence<String>) async throws
    -> [String: Result<ParameterVersionList, StoreError>]
  {
    try await answersByKey(references) { try await parameterVersions(of: $0) }
  }

  public func parameterVersions(of references: [String]) async throws
    -> [Result<ParameterVersionList, StoreError>]
  {
    var results: [Result<ParameterVersionList, StoreError>] = []
    results.reserveCapacity(references.count)
    for reference in references {
      do {
        results.append(.success(try await parameterVersions(reference)))
      } catch let error as StoreError {
        results.append(.failure(error))
      }
    }
    return results
  }
}

/// Decrypted values for the resolver: many references in one transaction, each answered
/// separately, so one missing name does not hide the others.
public protocol ParameterResolver: Sendable {
  /// `references` are names or ARNs with optional `:version` / `:label`, as in
  /// `{{resolve:ssm:NAME:VERSION}}`.
  func resolveParameters(_ references: [String]) async throws -> [ParameterResolution]
}

/// The versions of a parameter, without values (`ParameterCatalog`).
public struct ParameterVersionList: Sendable, Hashable, Codable {
  public struct Version: Sendable, Hashable, Codable {
    public var version: Int
    public var labels: [String]
    public var lastModifiedDate: Date
    public var type: ParameterType
    public var keyID: String?
    public var tier: ParameterTier
    public var dataType: ParameterDataType

    public init(
      version: Int, labels: [String], lastModifiedDate: Date, type: ParameterType,
      keyID: String?, tier: ParameterTier, dataType: ParameterDataType
    ) {
      self.version = version
      self.labels = labels
      self.lastModifiedDate = lastModifiedDate
      self.type = type
      self.keyID = keyID
      self.tier = tier
      self.dataType = dataType
    }
  }

  public var name: String
  public var arn: String
  /// Oldest first.
  public var versions: [Version]

  public init(name: String, arn: String, versions: [Version]) {
    self.name = name
    self.arn = arn
    self.versions = versions
  }

  /// The newest retained version.
  public var latest: Version? { versions.last }

  /// The version carrying `label`, if any.
  public func version(labelled label: String) -> Version? {
    versions.first { $0.labels.contains(label) }
  }
}

/// One answer of `ParameterResolver`.
public enum ParameterResolution: Sendable {
  case resolved(ResolvedParameter)
  case failed(reference: String, error: StoreError)
}

/// A decrypted parameter value and the facts a lockfile pins. The value is `SecretBytes`: it
/// prints as `<redacted>` and is wiped when released.
public struct ResolvedParameter: Sendable {
  public var reference: String
  public var name: String
  public var arn: String
  public var type: ParameterType
  public var version: Int
  public var selector: String?
  public var dataType: ParameterDataType
  public var lastModifiedDate: Date
  /// The KMS key a `SecureString` is sealed under, as AWS reports it (nil for other types).
  public var keyID: String?
  public var value: SecretBytes

  public init(
    reference: String, name: String, arn: String, type: ParameterType, version: Int,
    selector: String?, dataType: ParameterDataType, lastModifiedDate: Date, keyID: String? = nil,
    value: SecretBytes
  ) {
    self.reference = reference
    self.name = name
    self.arn = arn
    self.type = type
    self.version = version
    self.selector = selector
    self.dataType = dataType
    self.lastModifiedDate = lastModifiedDate
    self.keyID = keyID
    self.value = value
  }
}

/// Asks `ask` once for the distinct keys of `keys` (in first-seen order) and files each answer
/// under its key: the shape of every batched catalog lookup.
func answersByKey<Answer>(
  _ keys: some Sequence<String>,
  _ ask: ([String]) async throws -> [Result<Answer, StoreError>]
) async throws -> [String: Result<Answer, StoreError>] {
  var seen = Set<String>()
  let unique = keys.filter { seen.insert($0).inserted }
  var answers: [String: Result<Answer, StoreError>] = [:]
  answers.reserveCapacity(unique.count)
  for (key, answer) in zip(unique, try await ask(unique)) { answers[key] = answer }
  return answers
}
