extension String {
  /// Calls `body` with the string's UTF-8 bytes: a native string's own storage, else a copy.
  /// Iterating `String.UTF8View` costs ~20 instructions a byte; a buffer, one or two.
  func withUTF8Bytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows
    -> Result
  {
    if let result = try utf8.withContiguousStorageIfAvailable(body) { return result }
    return try Array(utf8).withUnsafeBufferPointer(body)
  }
}
