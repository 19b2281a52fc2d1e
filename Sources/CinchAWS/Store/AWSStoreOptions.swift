import Foundation

/// What the command line and the environment say about reaching AWS, gathered at the edge and
/// turned into an `AWSStore` by `AWSStore.connect`. Nothing here is read from the process
/// itself: the environment and the home directory are given.
package struct AWSStoreOptions: Sendable {
  /// The region of the store URL (`aws://eu-west-1`); nil for `aws://`.
  package var storeRegion: String?
  /// `--region`.
  package var region: String?
  /// `--profile`.
  package var profile: String?
  /// `--endpoint-url`.
  package var endpointURL: String?
  /// `--cli-read-timeout`, `--cli-connect-timeout`, `--no-verify-ssl`, `--ca-bundle`.
  package var connection = AWSConnection()
  package var environment: [String: String]
  /// Where `~/.aws` is.
  package var homeDirectory: String
  package var transport: any HTTPTransport
  /// Headers added to every request (signed).
  package var extraHeaders: [(name: String, value: String)]
  /// Replaces the credential chain (tests).
  package var credentialProvider: (any AWSCredentialProvider)?
  /// Replaces the retry policy the environment implies (tests).
  package var retry: AWSRetryPolicy?

  package init(
    storeRegion: String? = nil, region: String? = nil, profile: String? = nil,
    endpointURL: String? = nil, environment: [String: String], homeDirectory: String,
    transport: any HTTPTransport, extraHeaders: [(name: String, value: String)] = [],
    credentialProvider: (any AWSCredentialProvider)? = nil, retry: AWSRetryPolicy? = nil
  ) {
    self.storeRegion = storeRegion
    self.region = region
    self.profile = profile
    self.endpointURL = endpointURL
    self.environment = environment
    self.homeDirectory = homeDirectory
    self.transport = transport
    self.extraHeaders = extraHeaders
    self.credentialProvider = credentialProvider
    self.retry = retry
  }
}

/// The aws CLI's options for reaching an endpoint, as given on the command line.
package struct AWSConnection: Sendable, Equatable {
  /// Seconds without a byte moving, and to connect (0: none); nil: 60.
  package var readTimeout: Double?
  package var connectTimeout: Double?
  /// False for `--no-verify-ssl`.
  package var verifiesTLS = true
  /// `--ca-bundle`; else `AWS_CA_BUNDLE`, else the profile's `ca_bundle`.
  package var caBundle: String?

  package init(
    readTimeout: Double? = nil, connectTimeout: Double? = nil, verifiesTLS: Bool = true,
    caBundle: String? = nil
  ) {
    self.readTimeout = readTimeout
    self.connectTimeout = connectTimeout
    self.verifiesTLS = verifiesTLS
    self.caBundle = caBundle
  }
}
