import CinchStore
import Foundation
import Synchronization

/// The store operations against AWS itself: Parameter Store (and Secrets Manager) over the AWS
/// JSON 1.1 protocol, SigV4-signed, with the aws CLI's credential chain, region and endpoint
/// rules. It implements the same protocols as the embedded store, so every command works on
/// either; errors are AWS's own, unchanged.
package final class AWSStore: Sendable {
  package let region: String
  package let ssm: AWSJSONClient
  package let secretsManager: AWSJSONClient
  package let kms: AWSJSONClient
  /// Batches the resolver has in flight at once.
  package let resolverConcurrency: Int
  /// Names per `GetParameters` call, 1 to 10 (`CINCH_AWS_BATCH_SIZE`; 1 asks for each
  /// reference alone, for comparison).
  package let resolverBatchSize: Int
  /// Secrets per `BatchGetSecretValue` call, 1 to 20 (`CINCH_AWS_BATCH_SIZE` too; 1 asks for
  /// each secret alone with `GetSecretValue`).
  package let secretBatchSize: Int
  /// What `connect` made the store from, so `reading(in:)` can make it again for another
  /// region; nil for a store built from its parts.
  let connectedWith: AWSStoreOptions?
  /// The stores `reading(in:)` made, one a region: asked twice, it connects (and fetches
  /// credentials) once.
  private let regional = Mutex<[String: AWSStore]>([:])

  package init(
    region: String, ssm: AWSJSONClient, secretsManager: AWSJSONClient, kms: AWSJSONClient,
    resolverConcurrency: Int = 4,
    resolverBatchSize: Int = getParametersBatchSize,
    secretBatchSize: Int = batchGetSecretValueSize,
    connectedWith: AWSStoreOptions? = nil
  ) {
    self.connectedWith = connectedWith
    self.region = region
    self.ssm = ssm
    self.secretsManager = secretsManager
    self.kms = kms
    self.resolverConcurrency = max(1, resolverConcurrency)
    self.resolverBatchSize = min(max(1, resolverBatchSize), Self.getParametersBatchSize)
    self.secretBatchSize = min(max(1, secretBatchSize), Self.batchGetSecretValueSize)
  }

  /// The store the options describe: region from the store URL, `--region`, `AWS_REGION`,
  /// `AWS_DEFAULT_REGION` or the profile; endpoints per service; the credential chain.
  package static func connect(_ options: AWSStoreOptions) throws -> AWSStore {
    let environment = options.environment
    func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
    let files = AWSConfigFiles.load(environment: environment, home: options.homeDirectory)
    let namedProfile = options.profile ?? value("AWS_PROFILE") ?? value("AWS_DEFAULT_PROFILE")
    let profile = namedProfile ?? "default"
    if let namedProfile, !files.hasProfile(namedProfile), options.credentialProvider == nil {
      throw AWSClientError.configuration(
        "The config profile (\(namedProfile)) could not be found")
    }
    let region =
      options.storeRegion ?? options.region ?? value("AWS_REGION") ?? value("AWS_DEFAULT_REGION")
      ?? files.setting("region", profile: profile)
    guard let region, !region.isEmpty else { throw AWSClientError.noRegion }
    guard region.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else {
      throw AWSClientError.configuration(
        "Provided region_name '\(region)' doesn't match a supported format.")
    }
    let provider =
      options.credentialProvider
      ?? AWSCredentialChain.standard(
        environment: environment, files: files, profile: profile,
        explicitProfile: options.profile != nil, region: region, transport: options.transport)
    let credentials = AWSCredentialsCache(provider: provider)
    let retry =
      try options.retry
      ?? AWSRetryPolicy.fromEnvironment(
        environment, profileMaxAttempts: files.setting("max_attempts", profile: profile))
    let profileEndpoint = files.setting("endpoint_url", profile: profile)
    // As the aws CLI reads them (cli-configure-options.html): a flag, then AWS_CA_BUNDLE, then
    // the profile's ca_bundle; a timeout of 0 waits for ever.
    let connection = options.connection
    let caBundle =
      (connection.caBundle ?? value("AWS_CA_BUNDLE")
      ?? files.setting("ca_bundle", profile: profile)).map {
        AWSConfigFiles.expandingUser($0, home: options.homeDirectory)
      }
    let tls = TLSSettings(verifies: connection.verifiesTLS, caBundle: caBundle)
    func seconds(_ given: Double?) -> TimeInterval {
      guard let given else { return 60 }
      return given == 0 ? .infinity : given
    }
    func client(_ service: AWSService) throws -> AWSJSONClient {
      AWSJSONClient(
        service: service, region: region,
        endpoint: try service.endpoint(
          region: region, override: options.endpointURL, environment: environment,
          profileEndpoint: profileEndpoint,
          serviceEndpoint: files.serviceEndpoint(service.configKey, profile: profile)),
        credentials: credentials, transport: options.transport, retry: retry,
        timeout: seconds(connection.readTimeout),
        connectTimeout: seconds(connection.connectTimeout),
        tls: tls, extraHeaders: options.extraHeaders)
    }
    let batchSize = value("CINCH_AWS_BATCH_SIZE").flatMap(Int.init)
    return AWSStore(
      region: region, ssm: try client(.ssm), secretsManager: try client(.secretsManager),
      kms: try client(.kms), resolverBatchSize: batchSize ?? getParametersBatchSize,
      secretBatchSize: batchSize ?? batchGetSecretValueSize, connectedWith: options)
  }

  /// The store as a stack deployed to `region` reads it: CloudFormation resolves a dynamic
  /// reference in the stack's own region
  /// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references-ssm.html),
  /// so a bare `aws://`, whose region came from `--region`, the environment or the profile,
  /// follows the deploy's region. `aws://REGION` names its region and keeps it.
  package func reading(in region: String) throws -> AWSStore {
    guard var options = connectedWith, options.storeRegion == nil, region != self.region else {
      return self
    }
    return try regional.withLock { made in
      if let store = made[region] { return store }
      options.storeRegion = region
      let store = try AWSStore.connect(options)
      made[region] = store
      return store
    }
  }
}
