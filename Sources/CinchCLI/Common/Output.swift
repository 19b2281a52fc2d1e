#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The only place cinch writes to the standard streams.
enum Output {
  static func stdout(_ text: String) { write(text, to: STDOUT_FILENO) }
  static func stderr(_ text: String) { write(text, to: STDERR_FILENO) }

  static func stdoutBytes(_ bytes: [UInt8]) {
    bytes.withUnsafeBufferPointer { buffer in
      var offset = 0
      while offset < buffer.count {
        let written = systemWrite(
          STDOUT_FILENO, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          return
        }
        offset += written
      }
    }
  }

  static func write(_ text: String, to descriptor: Int32) {
    var text = text
    text.withUTF8 { buffer in
      var offset = 0
      while offset < buffer.count {
        let written = systemWrite(
          descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          return
        }
        offset += written
      }
    }
  }

  /// Whether a stream is a terminal (colour, prompts, refusing to print secrets).
  static func isTerminal(_ descriptor: Int32) -> Bool { isatty(descriptor) == 1 }

  /// Colour only on a terminal, and never with `NO_COLOR` set (https://no-color.org).
  static func colorEnabled(for descriptor: Int32) -> Bool {
    guard isTerminal(descriptor) else { return false }
    if let value = getenv("NO_COLOR"), value.pointee != 0 { return false }
    if let term = getenv("TERM"), String(cString: term) == "dumb" { return false }
    return true
  }

  private static func systemWrite(_ fd: Int32, _ pointer: UnsafePointer<UInt8>?, _ count: Int)
    -> Int
  {
    #if canImport(Glibc)
      Glibc.write(fd, pointer, count)
    #else
      Darwin.write(fd, pointer, count)
    #endif
  }
}
