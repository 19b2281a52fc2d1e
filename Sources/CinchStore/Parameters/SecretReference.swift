/// A parameter name under `/aws/reference/secretsmanager/`: Parameter Store's read-only view of a
/// Secrets Manager secret, `SECRET-ID` optionally followed by `:VERSION-ID` or `:STAGE`
/// (https://docs.aws.amazon.com/systems-manager/latest/userguide/integration-ps-secretsmanager.html).
/// Only `GetParameter` and `GetParameters` read it, and only with `WithDecryption`.
package struct SecretReference: Sendable, Hashable {
  package static let prefix = "/aws/reference/secretsmanager/"

  /// The name as the request gave it, selector removed: the answer's `Name`.
  package var parameterName: String
  /// The secret's name or ARN.
  package var secretID: String
  /// A version id or a staging label.
  package var selector: String?

  /// Nil when `name` is not under the prefix. A selector must be one non-empty segment after
  /// the id, so an ARN (colons of its own) does not fit, as on AWS.
  package init?(_ name: String) throws(StoreError) {
    guard name.hasPrefix(Self.prefix) else { return nil }
    let rest = name.dropFirst(Self.prefix.count)
    let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count <= 2, let id = parts.first, !id.isEmpty,
      parts.count == 1 || !parts[1].isEmpty
    else { throw .malformedSecretReference }
    secretID = String(id)
    selector = parts.count == 2 ? String(parts[1]) : nil
    parameterName = Self.prefix + secretID
  }

  /// AWS's text for a secret or selector it cannot find, which names the reference without its
  /// leading slash and, where no selector was given, ends the name in `null` (as measured
  /// against AWS by floci-io/floci's integration test; moto words it otherwise).
  var notFound: StoreError {
    .parameterNotFound(
      "An error occurred (ParameterNotFound) when referencing Secrets Manager: Secret "
        + "\(parameterName.dropFirst())\(selector.map { ":" + $0 } ?? "null") not found.")
  }
}

extension StoreError {
  /// `WithDecryption` absent or false on a `/aws/reference/secretsmanager/` read.
  static let secretReferenceNeedsDecryption = validation(
    "WithDecryption flag must be True for retrieving a Secret Manager secret.")

  /// More than one `:` after the secret id, or an empty selector.
  static let malformedSecretReference = validation(
    "Invalid parameter name. Please use correct syntax for referencing a version/label  "
      + "<name>:<version/label>")

  /// The secret is scheduled for deletion: what Parameter Store answers then.
  static let secretReferenceRefused = validation("Invalid Request to Secrets Manager")
}
