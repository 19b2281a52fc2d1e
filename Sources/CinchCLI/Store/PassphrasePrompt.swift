import CinchStore
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads a passphrase from the controlling terminal with echo off. Nothing is read when there
/// is no terminal (scripts use `CINCH_PASSPHRASE`).
enum PassphrasePrompt {
  /// The passphrase typed at `/dev/tty`, or nil when stdin is no terminal.
  static func read(_ prompt: String) throws -> SecretBytes? {
    guard isatty(STDIN_FILENO) == 1 else { return nil }
    let tty = open("/dev/tty", O_RDWR | O_CLOEXEC)
    guard tty >= 0 else { return nil }
    defer { close(tty) }
    var original = termios()
    guard tcgetattr(tty, &original) == 0 else { return nil }
    var silent = original
    silent.c_lflag &= ~tcflag_t(ECHO)
    _ = tcsetattr(tty, TCSAFLUSH, &silent)
    defer {
      _ = tcsetattr(tty, TCSAFLUSH, &original)
      Output.write("\n", to: tty)
    }
    Output.write(prompt, to: tty)
    // Read byte by byte up to the newline, into memory that is wiped afterwards.
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1024, alignment: 1)
    defer {
      buffer.initializeMemory(as: UInt8.self, repeating: 0)
      buffer.deallocate()
    }
    var length = 0
    var byte: UInt8 = 0
    while length < buffer.count, readByte(tty, &byte), byte != UInt8(ascii: "\n") {
      buffer[length] = byte
      length += 1
    }
    byte = 0
    return SecretBytes(copying: UnsafeRawBufferPointer(rebasing: buffer[0..<length]))
  }

  private static func readByte(_ descriptor: Int32, _ byte: inout UInt8) -> Bool {
    #if canImport(Glibc)
      Glibc.read(descriptor, &byte, 1) == 1
    #else
      Darwin.read(descriptor, &byte, 1) == 1
    #endif
  }

  /// A new passphrase, typed twice.
  static func readNew(_ what: String) throws -> SecretBytes? {
    guard let first = try read("New passphrase for \(what): ") else { return nil }
    guard let second = try read("Repeat the passphrase: ") else { return nil }
    guard first.constantTimeEquals(second) else {
      throw CLIFailure("the passphrases do not match")
    }
    guard first.count >= 8 else { throw CLIFailure("a passphrase needs at least 8 characters") }
    return first
  }
}

/// A failure of a cinch command (not an aws-style one): printed as `cinch: MESSAGE`, exit 2.
struct CLIFailure: Error, CustomStringConvertible {
  var message: String
  init(_ message: String) { self.message = message }
  var description: String { message }
}
