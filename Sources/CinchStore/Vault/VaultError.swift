/// A failure of a Vault-compatible operation, as Vault's HTTP API reports it: a status and the
/// `errors` list (`{"errors":["…"]}`). An empty list is Vault's bare 404 for a missing key.
///
/// Messages are Vault's own texts where cinch mirrors Vault; none contains a secret value.
package struct VaultError: Error, Sendable, Hashable, CustomStringConvertible {
  package var status: Int
  package var errors: [String]

  package init(status: Int, _ errors: [String]) {
    self.status = status
    self.errors = errors
  }

  /// 400 with one message: `logical.ErrorResponse` plus `ErrInvalidRequest`.
  package static func invalid(_ message: String) -> VaultError {
    VaultError(status: 400, [message])
  }

  /// 404 `{"errors":[]}`: a read or list that found nothing.
  package static let notFound = VaultError(status: 404, [])

  /// 403 `permission denied`.
  package static let permissionDenied = VaultError(status: 403, ["permission denied"])

  /// 403 for a token that is unknown, expired or revoked. that is unknown, expired or revoked.
  package static let invalidToken = VaultError(status: 403, ["permission denied", "invalid token"])

  /// 500 `internal error`: what Vault answers when the audit log cannot be written.
  package static let internalError = VaultError(status: 500, ["internal error"])

  package var description: String {
    errors.isEmpty ? "status \(status)" : errors.joined(separator: "; ")
  }

  /// The audit log's result column for this failure (a status, never a message).
  var auditResult: String { "vault-\(status)" }
}
