import CinchJSON
import Foundation

/// `credential_process`: runs the command (split like a shell would split it, but not run by a
/// shell, as botocore does), reads the JSON document it prints (`Version` 1) and passes its
/// standard error through. Nothing it prints on standard output reaches a message.
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
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    process.environment = environment
    let output = Pipe()
    process.standardOutput = output
    process.standardInput = FileHandle.nullDevice
    do {
      try process.run()
    } catch {
      throw AWSClientError.credentials(source: source, reason: "'\(arguments[0])' did not start")
    }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw AWSClientError.credentials(
        source: source, reason: "'\(arguments[0])' exited with status \(process.terminationStatus)")
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
