import ArgumentParser

/// `--profile` and `--endpoint-url` of the template commands (`lock`, `render`, `plan`,
/// `outdated`, `check`, `policy`): how an `aws://` store is reached, as the aws CLI takes them
/// (`--region` is the deploy's region there, `AWS::Region`). With the embedded store they are
/// refused: meant for AWS, they would change nothing and look as if they had.
struct AWSAccessOptions: ParsableArguments {
  @Option(
    name: .customLong("profile"),
    help:
      "For an aws:// store: the aws CLI profile to read credentials and settings from (default: $AWS_PROFILE, else 'default')."
  )
  var profile: String?

  @Option(name: .customLong("endpoint-url"), help: endpointHelp())
  var endpointURL: String?

  /// `--endpoint-url`'s help, also `policy`'s (which has its own `--profile`).
  static func endpointHelp(_ more: String = "") -> ArgumentHelp {
    ArgumentHelp(
      "For an aws:// store: the endpoint of Parameter Store, Secrets Manager and KMS alike "
        + "(default: $AWS_ENDPOINT_URL_SSM and the other services' variables, $AWS_ENDPOINT_URL, "
        + "the profile's)." + more,
      valueName: "url")
  }

  /// The flags an `aws://` store opens with, in the deploy's `region` (nil: not given).
  func flags(region: String?) -> StoreConnector.AWSFlags {
    StoreConnector.AWSFlags(region: region, profile: profile, endpointURL: endpointURL)
  }
}
