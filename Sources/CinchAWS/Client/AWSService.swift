import CinchPartitions
package import Foundation

/// What the client needs to know about a service: its signing name, the `X-Amz-Target` prefix,
/// its endpoint prefix and the suffix of its `AWS_ENDPOINT_URL_…` variable.
package struct AWSService: Sendable, Hashable {
  package var signingName: String
  package var targetPrefix: String
  package var endpointPrefix: String
  /// `SSM` in `AWS_ENDPOINT_URL_SSM`: the service id upper-cased, spaces as underscores.
  package var environmentSuffix: String
  /// The service's section name in a config file's `services` block (`ssm`, `secrets_manager`).
  package var configKey: String

  package static let ssm = AWSService(
    signingName: "ssm", targetPrefix: "AmazonSSM", endpointPrefix: "ssm",
    environmentSuffix: "SSM", configKey: "ssm")
  package static let secretsManager = AWSService(
    signingName: "secretsmanager", targetPrefix: "secretsmanager",
    endpointPrefix: "secretsmanager", environmentSuffix: "SECRETS_MANAGER",
    configKey: "secrets_manager")

  /// STS, for `AssumeRoleWithWebIdentity` only (a query-protocol call, not JSON).
  package static let sts = AWSService(
    signingName: "sts", targetPrefix: "", endpointPrefix: "sts", environmentSuffix: "STS",
    configKey: "sts")

  package static let kms = AWSService(
    signingName: "kms", targetPrefix: "TrentService", endpointPrefix: "kms",
    environmentSuffix: "KMS", configKey: "kms")

  /// The public endpoint in `region`.
  package func defaultEndpoint(region: String) -> URL? {
    let domain = Partition.of(region: region).urlSuffix
    return URL(string: "https://\(endpointPrefix).\(region).\(domain)")
  }

  /// The endpoint the aws CLI would use: `--endpoint-url`, else `AWS_ENDPOINT_URL_<SERVICE>`,
  /// else the service's `endpoint_url` in the profile's `services` section, else
  /// `AWS_ENDPOINT_URL`, else the profile's `endpoint_url`, else the public endpoint
  /// (`AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true` skips the environment and the profile).
  /// https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
  package func endpoint(
    region: String, override: String?, environment: [String: String], profileEndpoint: String?,
    serviceEndpoint: String? = nil
  ) throws -> URL {
    var candidates: [(String, String?)] = [("--endpoint-url", override)]
    if environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"]?.lowercased() != "true" {
      candidates += [
        (
          "AWS_ENDPOINT_URL_\(environmentSuffix)",
          environment["AWS_ENDPOINT_URL_\(environmentSuffix)"]
        ),
        ("the profile's services section, \(configKey) endpoint_url", serviceEndpoint),
        ("AWS_ENDPOINT_URL", environment["AWS_ENDPOINT_URL"]),
        ("the profile's endpoint_url", profileEndpoint),
      ]
    }
    for (origin, value) in candidates {
      guard let value, !value.isEmpty else { continue }
      guard let url = URL(string: value), let scheme = url.scheme?.lowercased(),
        scheme == "http" || scheme == "https", url.host != nil
      else {
        throw AWSClientError.configuration(
          "Invalid endpoint: \(value) (from \(origin); an endpoint is http:// or https:// and a host)"
        )
      }
      return url
    }
    guard let url = defaultEndpoint(region: region) else {
      throw AWSClientError.configuration("Invalid region: '\(region)'")
    }
    return url
  }
}
