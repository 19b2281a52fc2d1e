/// Hex digits, for every hex writer of the project.
@usableFromInline package enum Hex {
  /// The digit of `nibble` (0–15), lower case unless asked (percent-encoding is upper case).
  @inlinable @inline(__always)
  package static func digit(_ nibble: UInt8, uppercase: Bool = false) -> UInt8 {
    nibble < 10 ? UInt8(ascii: "0") + nibble : (uppercase ? 0x41 : 0x61) - 10 + nibble
  }
}

extension Collection<UInt8> {
  /// Lower-case hex, two digits a byte, written in place. `String(format: "%02x")` per byte went
  /// through Foundation and was 6% of a 30,000-reference `lock` (fingerprints).
  /// Inlinable so that callers in other modules get it specialized: the generic version went
  /// through `Collection`'s witnesses, a heap-allocated coroutine per byte (~200 `malloc`s a
  /// `serve` request for its three SHA-256 digests).
  @inlinable
  package var hex: String {
    String(unsafeUninitializedCapacity: count * 2) { text in
      var written = 0
      for byte in self {
        text[written] = Hex.digit(byte >> 4)
        text[written + 1] = Hex.digit(byte & 0x0f)
        written += 2
      }
      return written
    }
  }
}

extension Array<UInt8> {
  /// Appends `bytes` as lower-case hex.
  @inlinable
  package mutating func appendHex(_ bytes: some Sequence<UInt8>) {
    for byte in bytes {
      append(Hex.digit(byte >> 4))
      append(Hex.digit(byte & 0x0f))
    }
  }
}
