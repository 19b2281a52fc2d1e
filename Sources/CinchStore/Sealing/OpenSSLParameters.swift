import COpenSSL

/// An `OSSL_PARAM` array whose names and buffers live exactly as long as this object.
///
/// `OSSL_PARAM` keeps the *pointers* it is given, so a Swift string bridged for one call would
/// dangle by the time `EVP_KDF_derive` reads it. Every name and buffer is copied into memory owned
/// here; buffers that held secrets are wiped before they are freed.
final class OpenSSLParameters {
  private var allocations: [(pointer: UnsafeMutableRawPointer, count: Int)] = []
  private var parameters: [OSSL_PARAM] = []

  init() {}

  deinit {
    for allocation in allocations {
      cinch_OPENSSL_cleanse(allocation.pointer, allocation.count)
      allocation.pointer.deallocate()
    }
  }

  private func copy(_ bytes: UnsafeRawBufferPointer, extraZero: Bool = false)
    -> UnsafeMutableRawPointer
  {
    let count = bytes.count + (extraZero ? 1 : 0)
    let pointer = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: 8)
    pointer.initializeMemory(as: UInt8.self, repeating: 0, count: max(count, 1))
    if let base = bytes.baseAddress, bytes.count > 0 {
      pointer.copyMemory(from: base, byteCount: bytes.count)
    }
    allocations.append((pointer, max(count, 1)))
    return pointer
  }

  private func cString(_ text: String) -> UnsafeMutablePointer<CChar> {
    let pointer = Array(text.utf8).withUnsafeBytes { copy($0, extraZero: true) }
    return pointer.assumingMemoryBound(to: CChar.self)
  }

  func utf8(_ name: String, _ value: String) {
    let key = cString(name)
    let buffer = cString(value)
    parameters.append(cinch_OSSL_PARAM_construct_utf8_string(key, buffer, 0))
  }

  func octets(_ name: String, _ value: UnsafeRawBufferPointer) {
    let key = cString(name)
    let buffer = copy(value)
    parameters.append(cinch_OSSL_PARAM_construct_octet_string(key, buffer, value.count))
  }

  func uint64(_ name: String, _ value: UInt64) {
    let key = cString(name)
    let buffer = withUnsafeBytes(of: value) { copy($0) }
    parameters.append(
      cinch_OSSL_PARAM_construct_uint64(key, buffer.assumingMemoryBound(to: UInt64.self)))
  }

  func uint32(_ name: String, _ value: UInt32) {
    let key = cString(name)
    let buffer = withUnsafeBytes(of: value) { copy($0) }
    parameters.append(
      cinch_OSSL_PARAM_construct_uint(key, buffer.assumingMemoryBound(to: UInt32.self)))
  }

  /// The terminated array, valid for the duration of `body`.
  func withParameters<Result>(_ body: (UnsafePointer<OSSL_PARAM>) throws -> Result) rethrows
    -> Result
  {
    var terminated = parameters
    terminated.append(cinch_OSSL_PARAM_construct_end())
    return try terminated.withUnsafeBufferPointer { buffer in
      guard let base = buffer.baseAddress else {
        preconditionFailure("a parameter array always holds its terminator")
      }
      return try body(base)
    }
  }
}
