import CinchStore

// aws-secrets: delete this file once `AWSStore` conforms to `SecretResolver & SecretCatalog`,
// and pass the store itself for `secrets:` in `StoreOptions.reader` (CompileSession.swift).
/// What the compiler reads secrets through on an `aws://` store until the AWS backend speaks
/// Secrets Manager: every call fails the command with one line. Templates that read only
/// parameters never call it.
struct AWSSecretsPending: SecretResolver, SecretCatalog {
  static let failure = CommandFailure(
    message: "secretsmanager references are not yet supported on aws:// stores")

  func secretVersions(_ secretID: String) async throws -> SecretVersionList {
    throw Self.failure
  }

  func resolveSecrets(_ requests: [SecretSelector]) async throws -> [SecretResolution] {
    throw Self.failure
  }
}
