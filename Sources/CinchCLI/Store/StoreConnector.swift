import CinchAWS
import CinchCompiler
import CinchStore
import Foundation
import Synchronization

/// Opens stores: the value built at the edge (from the process's environment and home
/// directory, with the real HTTP transport) and handed to whatever needs a store, so tests can
/// build their own. Nothing is registered globally.
struct StoreConnector: Sendable {
  var environment: [String: String]
  var homeDirectory: String
  /// Makes the HTTP transport when an AWS store is opened: nothing network-related exists for
  /// the embedded store (and libcurl itself loads only on the first request).
  var makeTransport: @Sendable () -> any HTTPTransport

  /// The connector of this process.
  static func process() -> StoreConnector {
    let environment = ProcessEnvironment.current
    return StoreConnector(
      environment: environment,
      homeDirectory: environment["HOME"].flatMap { $0.isEmpty ? nil : $0 }
        ?? FileManager.default.homeDirectoryForCurrentUser.path,
      makeTransport: { CurlTransport() })
  }

  /// The AWS options `--region`, `--profile` and `--endpoint-url` as the aws CLI takes them,
  /// and its connection options (timeouts, TLS).
  struct AWSFlags: Sendable {
    var region: String?
    var profile: String?
    var endpointURL: String?
    var connection = AWSConnection()

    init(
      region: String? = nil, profile: String? = nil, endpointURL: String? = nil,
      connection: AWSConnection = AWSConnection()
    ) {
      self.region = region
      self.profile = profile
      self.endpointURL = endpointURL
      self.connection = connection
    }

    init(_ global: AWSGlobalOptions) {
      self.init(region: global.region, profile: global.profile, endpointURL: global.endpointURL)
      connection = global.connectionOptions.connection
    }
  }

  private static let insecureWarned = Atomic(false)

  /// The AWS backend for `aws://REGION` (or `aws://`).
  func aws(region: String?, flags: AWSFlags) throws -> AWSStore {
    var options = AWSStoreOptions(
      storeRegion: region, region: flags.region, profile: flags.profile,
      endpointURL: flags.endpointURL, environment: environment, homeDirectory: homeDirectory,
      transport: makeTransport())
    options.connection = flags.connection
    // As the aws CLI warns (urllib3's InsecureRequestWarning), once a process.
    if !flags.connection.verifiesTLS, !Self.insecureWarned.exchange(true, ordering: .relaxed) {
      FileHandle.standardError.write(
        Data(
          "cinch: warning: --no-verify-ssl: the endpoint's TLS certificate is not verified\n"
            .utf8))
    }
    return try AWSStore.connect(options)
  }
}

/// An open store of either kind.
enum OpenStore: Sendable {
  case embedded(SQLiteStore)
  case aws(AWSStore)

  var parameters: any ParameterStore & ParameterCatalog & ParameterResolver {
    switch self {
    case .embedded(let store): store
    case .aws(let store): store
    }
  }

  var secrets: any SecretStore & SecretCatalog & SecretResolver {
    switch self {
    case .embedded(let store): store
    case .aws(let store): store
    }
  }

  /// The customer-managed keys: the embedded store's, or AWS KMS.
  var keys: any KeyStore {
    switch self {
    case .embedded(let store): store
    case .aws(let store): store
    }
  }

  /// AWS publishes `/aws/service/…` parameters; the embedded store holds the copies it is given.
  var publicParameters: PublicParameters {
    switch self {
    case .embedded: .copiesOnly
    case .aws: .published
    }
  }

  /// The store as a stack deployed to `region` in account `accountID` reads it: the embedded
  /// file seen from there (`SQLiteStore.located`), so the ARNs a lock records, a policy grants
  /// and a reference by ARN names are the deploy's, as they would be in AWS. A bare `aws://` is
  /// AWS in the deploy's region when one was given (`regionGiven`), as CloudFormation reads a
  /// reference in the stack's region (`AWSStore.reading(in:)`); `aws://REGION` stays in the
  /// region it names.
  func deployed(region: String, accountID: String, regionGiven: Bool = true) throws -> OpenStore {
    switch self {
    case .embedded(let store):
      return .embedded(store.located(region: region, accountID: accountID))
    case .aws(let store):
      guard regionGiven else { return self }
      do {
        return .aws(try store.reading(in: region))
      } catch let error as AWSClientError {
        throw CommandFailure(message: "\(error)")
      }
    }
  }

  /// Closes the embedded store's connections (the AWS store holds none).
  func close() {
    if case .embedded(let store) = self { try? store.close() }
  }
}
