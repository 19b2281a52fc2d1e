import Synchronization

/// The unwrapped keys of one open store, held in wiped memory for the life of the store object:
/// the master wrapping key, the store key, and each KMS-style key's material once it is first
/// needed. Key material never changes (a rekey re-wraps it), so the cache is valid across
/// processes.
final class KeyVault: Sendable {
  struct State {
    var wrapKey: SecretBytes
    var masterKeyID: [UInt8]
    var materials: [[UInt8]: SecretBytes] = [:]
    var accessKeySecrets: [AccessKeySealed: SecretBytes] = [:]
  }

  /// What an access key's secret was opened from: the key, its user (part of the associated
  /// data) and the sealed bytes. The same inputs open to the same secret.
  struct AccessKeySealed: Hashable {
    var accessKeyID: String
    var userName: String?
    var sealed: [UInt8]
  }

  /// Opened access-key secrets kept at most.
  static let accessKeySecretCapacity = 256

  let storeID: [UInt8]
  let storeKey: SecretBytes
  /// HMAC key for the audit head (derived from the store key, so a rekey keeps it).
  let auditKey: HMACKey
  /// HMAC key for value fingerprints in lockfiles (derived from the store key).
  let fingerprintKey: HMACKey
  /// HMAC key that makes page tokens tamper-evident (derived from the store key).
  let pageTokenKey: HMACKey
  /// AES-256 key that seals the secrets of `cinch serve`'s access keys (derived from the store
  /// key, so a rekey keeps it).
  let accessKeySealingKey: SecretBytes
  private let state: Mutex<State>
  /// The audit head this process last sealed or found sealed, as stored: a head with exactly
  /// these bytes carries a MAC already known to be good, and is not checked again on every
  /// operation (`AuditChain.sealedEnd`).
  let knownAuditHead = Mutex<[UInt8]?>(nil)

  init(storeID: [UInt8], wrapKey: SecretBytes, masterKeyID: [UInt8], storeKey: SecretBytes) throws {
    self.storeID = storeID
    self.storeKey = storeKey
    self.auditKey = HMACKey(
      try Crypto.hkdfSHA256(key: storeKey, salt: storeID, info: "cinch/v1/audit-head"))
    self.fingerprintKey = HMACKey(
      try Crypto.hkdfSHA256(key: storeKey, salt: storeID, info: "cinch/v1/fingerprint"))
    self.pageTokenKey = HMACKey(
      try Crypto.hkdfSHA256(key: storeKey, salt: storeID, info: "cinch/v1/page-token"))
    self.accessKeySealingKey = try Crypto.hkdfSHA256(
      key: storeKey, salt: storeID, info: "cinch/v1/access-keys")
    self.state = Mutex(State(wrapKey: wrapKey, masterKeyID: masterKeyID))
  }

  var wrapping: (key: SecretBytes, id: [UInt8]) {
    state.withLock { ($0.wrapKey, $0.masterKeyID) }
  }

  func cachedMaterial(_ keyIDBytes: [UInt8]) -> SecretBytes? {
    state.withLock { $0.materials[keyIDBytes] }
  }

  func cache(_ material: SecretBytes, for keyIDBytes: [UInt8]) {
    state.withLock { $0.materials[keyIDBytes] = material }
  }

  /// An access key's secret already opened from exactly these inputs (`cinch serve` reads the
  /// key of every request; its row is still read each time, so a deleted, deactivated or
  /// altered key is seen at once).
  func openedAccessKeySecret(_ sealed: AccessKeySealed) -> SecretBytes? {
    state.withLock { $0.accessKeySecrets[sealed] }
  }

  func keepOpenedAccessKeySecret(_ secret: SecretBytes, for sealed: AccessKeySealed) {
    state.withLock { state in
      if state.accessKeySecrets.count >= Self.accessKeySecretCapacity {
        state.accessKeySecrets.removeAll()
      }
      state.accessKeySecrets[sealed] = secret
    }
  }

  /// After a rekey: the new wrapping key takes over; cached material stays valid.
  func replaceWrapping(key: SecretBytes, id: [UInt8]) {
    state.withLock {
      $0.wrapKey = key
      $0.masterKeyID = id
    }
  }
}
