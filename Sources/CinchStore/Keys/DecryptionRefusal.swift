/// A value the caller may not have decrypted (`SQLiteStore.kmsCallCheck` said no): the error
/// to answer and the entry it was refused for. Not a `StoreError`, so that the reads which
/// report a failing name and go on (`GetParameters`' `InvalidParameters`) fail as a whole
/// instead; the operation's audit row names the entry and version refused.
struct DecryptionRefusal: Error {
  var error: StoreError
  var name: String
  var version: Int
  /// A secret version's `VersionId`.
  var versionID: String?
}
