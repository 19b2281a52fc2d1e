package import CinchStore
import Synchronization

/// Signing keys already derived, by access key and scope, as the AWS SDKs keep them: deriving
/// one takes four HMACs, and every request of a day signed by the same key for the same region
/// and service uses the same one. An entry is used only for the secret it was derived from
/// (compared in constant time), so a key whose secret changed is derived again.
///
/// The keys stay in `SecretBytes` (wiped when dropped) and are never logged or returned beyond
/// the verifier. At most `capacity` entries; a full cache starts over.
package final class SigV4SigningKeyCache: Sendable {
  private struct Entry {
    var secret: SecretBytes
    var signingKey: SecretBytes
    /// `signingKey` made ready for HMACs (each request's signature is one).
    var mac: HMACKey
  }

  private struct Key: Hashable {
    var accessKeyID: String
    var scope: SigV4.Scope
  }

  private let entries = Mutex<[Key: Entry]>([:])
  private let capacity: Int

  package init(capacity: Int = 256) {
    self.capacity = capacity
  }

  /// The signing key of `secretAccessKey` for `scope`, derived on first use.
  package func signingKey(
    accessKeyID: String, secretAccessKey: SecretBytes, scope: SigV4.Scope
  ) -> SecretBytes {
    entry(accessKeyID: accessKeyID, secretAccessKey: secretAccessKey, scope: scope).signingKey
  }

  /// The same signing key, ready to compute signatures with.
  package func signingMAC(
    accessKeyID: String, secretAccessKey: SecretBytes, scope: SigV4.Scope
  ) -> HMACKey {
    entry(accessKeyID: accessKeyID, secretAccessKey: secretAccessKey, scope: scope).mac
  }

  private func entry(accessKeyID: String, secretAccessKey: SecretBytes, scope: SigV4.Scope)
    -> Entry
  {
    let key = Key(accessKeyID: accessKeyID, scope: scope)
    if let entry = entries.withLock({ $0[key] }), entry.secret.constantTimeEquals(secretAccessKey) {
      return entry
    }
    let derived = SigV4.signingKey(secretAccessKey: secretAccessKey, scope: scope)
    let entry = Entry(secret: secretAccessKey, signingKey: derived, mac: HMACKey(derived))
    entries.withLock { entries in
      if entries.count >= capacity { entries.removeAll() }
      entries[key] = entry
    }
    return entry
  }

  /// Entries held (for tests).
  package var count: Int { entries.withLock { $0.count } }
}
