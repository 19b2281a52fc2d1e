import CinchTemplate

/// One read of a parameter or secret, at deploy (a reference) or at run time (a resource
/// property), with everything a grant needs: the entry's ARN, the version it is pinned to, and
/// the line that reads it.
struct StoreRead: Sendable, Hashable {
  enum Timing: Sendable, Hashable {
    case deploy
    /// Read by a resource when it runs, as `role` (nil when it names none).
    case runtime(role: PolicyRole?, resourceType: String)
  }

  var timing: Timing
  var kind: StoreEntry.Kind
  /// The entry's ARN, ARN pattern, or template expression.
  var resource: PolicyResource
  /// The ARN the service puts in the encryption context (`PARAMETER_ARN`, `SecretARN`), as
  /// an exact value or a pattern; nil when only the template knows it.
  var contextARN: String?
  /// The partition and region of the entry (its ARN's, for an entry named by ARN).
  var partition: String
  var region: String
  /// The key question, when the value may be encrypted under a key cinch should look up.
  var keyQuery: EncryptionKeyQuery?
  /// A secret's pinned staging label or version id (at most one is set).
  var versionStage: String?
  var versionID: String?
  /// False for an entry the template creates: no metadata to check before deploy. A public
  /// parameter (`/aws/service/…`) is checked like any other (`cinch check` reads its history),
  /// under its accountless ARN.
  var checkable: Bool
  var reason: PolicyReason
}
