package import ArgumentParser
package import CinchAWS
import Foundation

/// The aws CLI's options for reaching an endpoint, for every command that may talk to an
/// aws:// store (`AWSGlobalOptions`, `cinch sync`). They change nothing on the embedded store.
/// https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-options.html
package struct AWSConnectionOptions: ParsableArguments, Sendable {
  @Option(
    name: .customLong("cli-read-timeout"),
    help: ArgumentHelp(
      "Seconds an aws:// request may go without progress; 0 waits for ever (default: 60). No effect on the embedded store.",
      valueName: "seconds"))
  package var cliReadTimeout: String?

  @Option(
    name: .customLong("cli-connect-timeout"),
    help: ArgumentHelp(
      "Seconds to connect to an aws:// endpoint; 0 waits for ever (default: 60). No effect on the embedded store.",
      valueName: "seconds"))
  package var cliConnectTimeout: String?

  @Flag(
    name: .customLong("no-verify-ssl"),
    help: "Do not verify an aws:// endpoint's TLS certificate (a warning says so).")
  package var noVerifySSL = false

  @Option(
    name: .customLong("ca-bundle"),
    help: ArgumentHelp(
      "The certificate authorities (PEM) to verify an aws:// endpoint with (default: $AWS_CA_BUNDLE, the profile's ca_bundle, else the system's).",
      valueName: "path"))
  package var caBundle: String?

  package init() {}

  /// The options (a timeout that is not whole seconds is left out: `check` refuses it).
  package var connection: AWSConnection {
    AWSConnection(
      readTimeout: cliReadTimeout.flatMap(Self.seconds),
      connectTimeout: cliConnectTimeout.flatMap(Self.seconds), verifiesTLS: !noVerifySSL,
      caBundle: caBundle)
  }

  /// Whole seconds, 0 or more, as the aws CLI's `int` option type reads them (blanks around
  /// the digits allowed).
  private static func seconds(_ text: String) -> Double? {
    guard let value = Int(text.trimmingCharacters(in: .whitespaces)), value >= 0 else {
      return nil
    }
    return Double(value)
  }

  /// What is wrong with the options, in the aws CLI's words: a timeout must be whole seconds,
  /// 0 or more.
  package var problem: String? {
    for (option, text) in [
      ("--cli-read-timeout", cliReadTimeout), ("--cli-connect-timeout", cliConnectTimeout),
    ] {
      if let text, Self.seconds(text) == nil {
        return "argument \(option): invalid int value: '\(text)'"
      }
    }
    return nil
  }

  package func check() throws(AWSUsageError) {
    if let problem { throw .arguments(problem) }
  }
}
