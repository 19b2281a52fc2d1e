import COpenSSL

/// Bytes that must not outlive their use: key material, passphrases, decrypted values.
///
/// The buffer is zeroed (`OPENSSL_cleanse`, which the optimiser may not remove) when the last
/// reference goes away, and the type never prints its contents: `description`, `debugDescription`
/// and reflection all show `<redacted>`, so a `SecretBytes` that reaches a log or an error message
/// gives nothing away.
public final class SecretBytes: @unchecked Sendable {
  // Immutable after `init`: written once while constructing, read-only afterwards, which is
  // what makes sharing it between tasks safe.
  private let storage: UnsafeMutableRawBufferPointer

  /// The number of bytes held.
  public let count: Int

  /// `count` bytes filled by `initialize`, which must write every byte it is given.
  package init(count: Int, initialize: (UnsafeMutableRawBufferPointer) throws -> Void) rethrows {
    self.count = count
    // Never a zero-sized allocation, so `baseAddress` is never nil.
    self.storage = UnsafeMutableRawBufferPointer.allocate(
      byteCount: max(count, 1), alignment: MemoryLayout<UInt64>.alignment)
    storage.initializeMemory(as: UInt8.self, repeating: 0)
    // Every stored property is set, so if `initialize` throws, `deinit` runs and wipes and frees
    // the buffer; releasing it here as well would free it twice.
    try initialize(UnsafeMutableRawBufferPointer(rebasing: storage[0..<count]))
  }

  /// A copy of `bytes`. The caller remains responsible for wiping its own copy.
  public convenience init(copying bytes: some Collection<UInt8>) {
    self.init(count: bytes.count) { buffer in
      _ = buffer.initializeMemory(as: UInt8.self, from: bytes)
    }
  }

  /// A copy of a raw buffer.
  public convenience init(copying bytes: UnsafeRawBufferPointer) {
    self.init(count: bytes.count) { buffer in
      if bytes.count > 0, let source = bytes.baseAddress, let target = buffer.baseAddress {
        target.copyMemory(from: source, byteCount: bytes.count)
      }
    }
  }

  /// The UTF-8 bytes of a string (a passphrase, a value about to be sealed).
  public convenience init(utf8 text: String) {
    self.init(copying: text.utf8)
  }

  deinit {
    Self.release(storage)
  }

  private static func release(_ storage: UnsafeMutableRawBufferPointer) {
    if let base = storage.baseAddress {
      cinch_OPENSSL_cleanse(base, storage.count)
    }
    storage.deallocate()
  }

  /// Read access for the duration of `body`; do not let the pointer escape.
  public func withUnsafeBytes<Result>(
    _ body: (UnsafeRawBufferPointer) throws -> Result
  ) rethrows -> Result {
    try body(UnsafeRawBufferPointer(rebasing: storage[0..<count]))
  }

  /// The bytes as UTF-8 text, for values that are handed back to a caller who asked for them.
  public func utf8String() -> String {
    withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
  }

  /// Compares in time independent of where the first difference is.
  public func constantTimeEquals(_ other: SecretBytes) -> Bool {
    guard count == other.count else { return false }
    return withUnsafeBytes { mine in
      other.withUnsafeBytes { theirs in Crypto.constantTimeEquals(mine, theirs) }
    }
  }
}

extension SecretBytes: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
  public var description: String { "<redacted>" }
  public var debugDescription: String { "<redacted>" }
  public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .class) }
}
