/// The byte layouts of sealed blobs (DESIGN §6, STYLE "storage under encryption").
///
/// A key wrapped by another key:
/// ```
/// [format version: 1][key id: 16][nonce: 12][ciphertext + tag]
/// ```
/// A value: the same header, then the data key wrapped under the named key, then the value
/// under the data key; both GCM operations take the same associated data.
/// ```
/// [format version: 1][key id: 16][key nonce: 12][wrapped data key: 32 + 16]
/// [nonce: 12][ciphertext + tag: n + 16]
/// ```
package enum Envelope {
  package static let formatVersion: UInt8 = 1
  package static let keyIDLength = 16
  static let wrappedKeyLength = Crypto.keyLength + Crypto.tagLength
  package static let keyEnvelopeLength = 1 + keyIDLength + Crypto.nonceLength + wrappedKeyLength
  static let valueHeaderLength = keyEnvelopeLength + Crypto.nonceLength

  /// Wraps `key` (32 bytes) under `wrappingKey`, naming the wrapping key by `wrappingKeyID`.
  package static func wrap(
    _ key: SecretBytes, under wrappingKey: SecretBytes, wrappingKeyID: [UInt8],
    context: SealingContext
  ) throws -> [UInt8] {
    precondition(wrappingKeyID.count == keyIDLength && key.count == Crypto.keyLength)
    let sealed = try key.withUnsafeBytes {
      try Crypto.sealAESGCM(key: wrappingKey, plaintext: $0, associatedData: context.associatedData)
    }
    return [formatVersion] + wrappingKeyID + sealed.nonce + sealed.ciphertextAndTag
  }

  /// The id of the key a key envelope or value envelope was wrapped under.
  package static func keyID(of blob: [UInt8]) throws -> [UInt8] {
    guard blob.count >= keyEnvelopeLength else {
      throw CryptoError.malformedEnvelope("\(blob.count) bytes is shorter than any sealed blob")
    }
    guard blob[0] == formatVersion else {
      throw CryptoError.malformedEnvelope("unknown format version \(blob[0])")
    }
    return Array(blob[1...keyIDLength])
  }

  /// Unwraps a key envelope (or the key part of a value envelope).
  package static func unwrap(
    _ blob: [UInt8], with wrappingKey: SecretBytes, context: SealingContext
  ) throws -> SecretBytes {
    try context.associatedData.withUnsafeBytes { aad in
      try blob.withUnsafeBytes { try unwrap($0, with: wrappingKey, associatedData: aad) }
    }
  }

  private static func unwrap(
    _ blob: UnsafeRawBufferPointer, with wrappingKey: SecretBytes,
    associatedData: UnsafeRawBufferPointer
  ) throws -> SecretBytes {
    guard blob.count >= keyEnvelopeLength else {
      throw CryptoError.malformedEnvelope("\(blob.count) bytes is shorter than any sealed blob")
    }
    guard blob[0] == formatVersion else {
      throw CryptoError.malformedEnvelope("unknown format version \(blob[0])")
    }
    let nonceStart = 1 + keyIDLength
    let keyStart = nonceStart + Crypto.nonceLength
    let key = try Crypto.openAESGCM(
      key: wrappingKey, nonce: UnsafeRawBufferPointer(rebasing: blob[nonceStart..<keyStart]),
      ciphertextAndTag: UnsafeRawBufferPointer(
        rebasing: blob[keyStart..<(keyStart + wrappedKeyLength)]),
      associatedData: associatedData)
    guard key.count == Crypto.keyLength else { throw CryptoError.authenticationFailed }
    return key
  }

  /// Seals `plaintext` under a fresh data key, itself wrapped under `keyMaterial`.
  package static func seal(
    _ plaintext: UnsafeRawBufferPointer, keyID: [UInt8], keyMaterial: SecretBytes,
    context: SealingContext
  ) throws -> [UInt8] {
    let dataKey = try Crypto.randomKey()
    let header = try wrap(dataKey, under: keyMaterial, wrappingKeyID: keyID, context: context)
    let sealed = try Crypto.sealAESGCM(
      key: dataKey, plaintext: plaintext, associatedData: context.associatedData)
    return header + sealed.nonce + sealed.ciphertextAndTag
  }

  /// Opens a value envelope; `keyMaterial` must be the material of the key named in its header.
  /// The associated data is built once for both GCM operations.
  package static func open(
    _ blob: [UInt8], keyMaterial: SecretBytes, context: SealingContext
  ) throws -> SecretBytes {
    guard blob.count >= valueHeaderLength + Crypto.tagLength else {
      throw CryptoError.malformedEnvelope("\(blob.count) bytes is shorter than a sealed value")
    }
    return try context.associatedData.withUnsafeBytes { aad in
      try blob.withUnsafeBytes { bytes in
        let dataKey = try unwrap(bytes, with: keyMaterial, associatedData: aad)
        return try Crypto.openAESGCM(
          key: dataKey,
          nonce: UnsafeRawBufferPointer(rebasing: bytes[keyEnvelopeLength..<valueHeaderLength]),
          ciphertextAndTag: UnsafeRawBufferPointer(rebasing: bytes[valueHeaderLength...]),
          associatedData: aad)
      }
    }
  }
}
