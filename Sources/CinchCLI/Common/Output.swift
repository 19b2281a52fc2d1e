#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The only place cinch writes to the standard streams.
enum Output {
  /// Set once, before any thread starts (`ProcessSetup.guardStandardStreams`).
  nonisolated(unsafe) static var standardOutputWasClosed = false

  static func stdout(_ text: String) { write(text, to: STDOUT_FILENO) }
  static func stderr(_ text: String) { write(text, to: STDERR_FILENO) }

  static func stdoutBytes(_ bytes: [UInt8]) {
    bytes.withUnsafeBufferPointer { write($0, to: STDOUT_FILENO) }
  }

  static func write(_ text: String, to descriptor: Int32) {
    var text = text
    text.withUTF8 { write($0, to: descriptor) }
  }

  /// Writes all of `buffer`. Standard output that cannot be written (closed, a full disk, an
  /// I/O error) ends the run: one line on standard error and exit 2, never a success whose
  /// output was lost (a broken pipe ends it by `SIGPIPE`, as for any filter). Standard error
  /// that cannot be written is given up on: there is nowhere left to say so.
  private static func write(_ buffer: UnsafeBufferPointer<UInt8>, to descriptor: Int32) {
    if descriptor == STDOUT_FILENO, standardOutputWasClosed, !buffer.isEmpty {
      write("cinch: error: cannot write to standard output: it is closed\n", to: STDERR_FILENO)
      terminate(2)
    }
    var offset = 0
    while offset < buffer.count {
      let written = systemWrite(
        descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
      if written < 0 {
        let failure = errno
        if failure == EINTR { continue }
        if descriptor == STDOUT_FILENO {
          write(
            "cinch: error: cannot write to standard output: \(String(cString: strerror(failure)))\n",
            to: STDERR_FILENO)
          terminate(2)
        }
        return
      }
      offset += written
    }
  }

  /// Whether a stream is a terminal (colour, prompts, refusing to print secrets).
  static func isTerminal(_ descriptor: Int32) -> Bool { isatty(descriptor) == 1 }

  /// Whether standard output is where colour would go (`colorEnabled(for:)`).
  static var stdoutTakesColor: Bool { colorEnabled(for: STDOUT_FILENO) }

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
