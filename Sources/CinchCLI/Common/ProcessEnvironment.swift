import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The process's environment variables, read once from `environ`.
///
/// Foundation's `ProcessInfo.processInfo.environment` builds a new dictionary on every call,
/// finding each `=` with `String`'s grapheme-aware search: ~1.6 M instructions for the three
/// calls a `cinch ssm get-parameter` made with 123 variables set, on the thread the command
/// waits for (Benchmarks/NOTES.md). cinch never changes its own environment, so one snapshot,
/// split at the first `=` byte, serves every reader. Foundation's rules hold: an entry without
/// `=` is skipped, a later entry for the same name wins, and bytes that are not UTF-8 are
/// decoded with replacement characters.
enum ProcessEnvironment {
  static let current: [String: String] = read()

  static func read() -> [String: String] {
    #if canImport(Glibc)
      var variables: [String: String] = [:]
      // Never null in a process cinch starts in: nothing here calls `clearenv`.
      var entry = environ
      while let pointer = entry.pointee {
        let bytes = UnsafeRawBufferPointer(start: pointer, count: strlen(pointer))
        if let equals = bytes.firstIndex(of: UInt8(ascii: "=")) {
          let name = String(decoding: bytes[..<equals], as: UTF8.self)
          variables[name] = String(decoding: bytes[(equals + 1)...], as: UTF8.self)
        }
        entry += 1
      }
      return variables
    #else
      return ProcessInfo.processInfo.environment
    #endif
  }
}
