import CinchJSON
import Foundation

/// `credential_process`: runs the command (split like a shell would split it, but not run by a
/// shell, as botocore does), reads the JSON document it prints (`Version` 1). Its standard
/// error is kept, as botocore keeps it: nothing on a run that works, its last line in the
/// one-line error of one that fails. Nothing it prints on standard output reaches a message.
package struct CredentialProcess: Sendable {
  package var command: String
  package var profile: String
  package var environment: [String: String]

  package init(command: String, profile: String, environment: [String: String]) {
    self.command = command
    self.profile = profile
    self.environment = environment
  }

  var source: String { "credential_process of profile '\(profile)'" }

  package func run() async throws -> AWSCredentials {
    let arguments = try Self.split(command)
    guard !arguments.isEmpty else {
      throw AWSClientError.credentials(source: source, reason: "the command is empty")
    }
    guard let executable = Self.executable(arguments[0], environment: environment) else {
      throw AWSClientError.credentials(
        source: source, reason: "'\(arguments[0])' is not an executable file (nor on PATH)")
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = Array(arguments.dropFirst())
    process.environment = environment
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    process.standardInput = FileHandle.nullDevice
    do {
      try process.run()
    } catch {
      throw AWSClientError.credentials(source: source, reason: "'\(arguments[0])' did not start")
    }
    // Both read at once: a process that fills one pipe while the other is read would wait.
    // Each is drained to its end but kept to a bound, so a command that prints without end
    // costs no more memory than that.
    let standardError = Task.detached {
      Self.drain(errors.fileHandleForReading, keeping: Self.errorLimit, from: .end)
    }
    let (data, outputOverflowed) = Self.drain(
      output.fileHandleForReading, keeping: Self.outputLimit, from: .start)
    let (said, _) = await standardError.value
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      var reason = "'\(arguments[0])' exited with status \(process.terminationStatus)"
      if let line = Self.lastLine(said) { reason += ": \(line)" }
      throw AWSClientError.credentials(source: source, reason: reason)
    }
    guard !outputOverflowed else {
      throw AWSClientError.credentials(
        source: source, reason: "its output is larger than \(Self.outputLimit / 1024) KiB")
    }
    let bytes = Array(data)
    if let document = try? JSONValueParser.parse(String(decoding: bytes, as: UTF8.self)) {
      guard case .integer(1) = document["Version"] ?? .null else {
        throw AWSClientError.credentials(
          source: source, reason: "its output must have \"Version\": 1")
      }
    }
    return try CredentialDocument.parse(bytes, source: source)
  }

  /// A credentials document is a few hundred bytes; botocore reads what it is given whole.
  static let outputLimit = 1 << 20
  /// Only the end of standard error is ever shown (its last line).
  static let errorLimit = 64 << 10

  enum Kept { case start, end }

  /// Reads `handle` to its end, keeping `limit` bytes of it (its first or its last); says
  /// whether there was more.
  static func drain(_ handle: FileHandle, keeping limit: Int, from kept: Kept) -> (Data, Bool) {
    var data = Data()
    var overflowed = false
    while case let chunk = handle.availableData, !chunk.isEmpty {
      switch kept {
      case .start:
        let room = limit - data.count
        if chunk.count > room { overflowed = true }
        if room > 0 { data.append(chunk.prefix(room)) }
      case .end:
        data.append(chunk)
        if data.count > 2 * limit {
          data = Data(data.suffix(limit))
          overflowed = true
        }
      }
    }
    if kept == .end, data.count > limit {
      data = Data(data.suffix(limit))
      overflowed = true
    }
    return (data, overflowed)
  }

  /// `name` as `execvp` finds it: a path when it has a `/`, else the first executable file of
  /// that name in the environment's `PATH`.
  static func executable(_ name: String, environment: [String: String]) -> String? {
    if name.contains("/") {
      var info = stat()
      return stat(name, &info) == 0 && info.st_mode & S_IFMT == S_IFREG && access(name, X_OK) == 0
        ? name : nil
    }
    let path = environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    for folder in path.split(separator: ":", omittingEmptySubsequences: false) {
      let candidate = (folder.isEmpty ? "." : String(folder)) + "/" + name
      var info = stat()
      if stat(candidate, &info) == 0, info.st_mode & S_IFMT == S_IFREG,
        access(candidate, X_OK) == 0
      {
        return candidate
      }
    }
    return nil
  }

  /// The last line a failed process wrote to standard error that has something on it, control
  /// characters replaced and cut to 300 characters: one line for the error.
  static func lastLine(_ data: Data) -> String? {
    let text = String(decoding: data, as: UTF8.self)
    guard
      let line = text.split(whereSeparator: \.isNewline).last(where: {
        !$0.trimmingCharacters(in: .whitespaces).isEmpty
      })
    else { return nil }
    let clean = String(
      String.UnicodeScalarView(
        line.unicodeScalars.map { $0.properties.generalCategory == .control ? "\u{FFFD}" : $0 })
    )
    .trimmingCharacters(in: .whitespaces)
    return clean.count > 300 ? String(clean.prefix(300)) + "…" : clean
  }

  /// Splits a command line into words: whitespace separates, single quotes keep everything,
  /// double quotes keep everything but `\"` and `\\`, a backslash outside quotes escapes the next
  /// character.
  package static func split(_ line: String) throws -> [String] {
    var words: [String] = []
    var current = ""
    var inWord = false
    var quote: Character?
    var escaped = false
    for character in line {
      if escaped {
        current.append(character)
        escaped = false
        continue
      }
      switch quote {
      case "'":
        if character == "'" { quote = nil } else { current.append(character) }
      case "\"":
        if character == "\"" {
          quote = nil
        } else if character == "\\" {
          escaped = true
        } else {
          current.append(character)
        }
      default:
        if character == "'" || character == "\"" {
          quote = character
          inWord = true
        } else if character == "\\" {
          escaped = true
          inWord = true
        } else if character.isWhitespace {
          if inWord { words.append(current) }
          current = ""
          inWord = false
        } else {
          current.append(character)
          inWord = true
        }
      }
    }
    guard quote == nil, !escaped else {
      throw AWSClientError.configuration(
        "credential_process has an unclosed quote or a trailing backslash")
    }
    if inWord { words.append(current) }
    return words
  }
}
