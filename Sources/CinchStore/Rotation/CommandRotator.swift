import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A rotator that is a command (`cinch rotation register NAME -- COMMAND [ARGS…]`), run once
/// per step like a rotation Lambda: the event JSON on standard input, the store's location in
/// the environment (`CINCH_STORE`, and whatever unlocks it), so the command reads and writes
/// the pending version with ordinary `cinch secretsmanager` commands. Exit status 0 is success;
/// otherwise its standard error (the last 4 KiB) is the failure message. Standard output is
/// discarded. Nothing secret is put in its arguments or environment.
struct CommandRotator: SecretRotator {
  var name: String
  var command: [String]
  var timeoutSeconds: Double
  var environment: [String: String]

  static let defaultTimeoutSeconds: Double = 900
  static let keptErrorBytes = 4096

  func run(_ event: RotationEvent, context: RotationContext) async throws {
    guard let program = command.first else { throw RotatorFailure("the command is empty") }
    guard let executable = Self.resolve(program, path: environment["PATH"]) else {
      throw RotatorFailure("command '\(program)' not found")
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let input = try encoder.encode(event)

    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = Array(command.dropFirst())
    var variables = environment
    variables["CINCH_ROTATION_STEP"] = event.step.rawValue
    variables["CINCH_ROTATION_SECRET_ID"] = event.secretID
    variables["CINCH_ROTATION_TOKEN"] = event.clientRequestToken
    variables["CINCH_ROTATOR"] = name
    process.environment = variables
    let stdin = Pipe()
    let stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = FileHandle.nullDevice
    process.standardError = stderr

    let status: Int32 = try await withCheckedThrowingContinuation { continuation in
      let finished = DispatchGroup()
      finished.enter()
      process.terminationHandler = { _ in finished.leave() }
      do {
        try process.run()
      } catch {
        continuation.resume(
          throwing: RotatorFailure("command '\(program)' could not start: \(error)"))
        return
      }
      DispatchQueue.global().async {
        stdin.fileHandleForWriting.write(input)
        try? stdin.fileHandleForWriting.close()
      }
      let timedOut = TimeoutFlag()
      let deadline = DispatchTime.now() + timeoutSeconds
      DispatchQueue.global().asyncAfter(deadline: deadline) {
        if process.isRunning {
          timedOut.set()
          kill(process.processIdentifier, SIGKILL)
        }
      }
      DispatchQueue.global().async {
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        finished.wait()
        if timedOut.isSet {
          continuation.resume(
            throwing: RotatorFailure(
              "the command did not finish within \(Int(timeoutSeconds)) seconds"))
          return
        }
        let status = process.terminationStatus
        if status == 0 {
          continuation.resume(returning: 0)
        } else {
          let kept = errors.suffix(Self.keptErrorBytes)
          let text = String(decoding: kept, as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
          let reason =
            process.terminationReason == .uncaughtSignal
            ? "was killed by signal \(status)" : "exited with status \(status)"
          continuation.resume(
            throwing: RotatorFailure(text.isEmpty ? "the command \(reason)" : text))
        }
      }
    }
    _ = status
  }

  /// `program` itself when it names a path, else the first executable of that name on `path`.
  static func resolve(_ program: String, path: String?) -> String? {
    if program.contains("/") {
      return FileManager.default.isExecutableFile(atPath: program) ? program : nil
    }
    for directory in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
      let candidate = "\(directory)/\(program)"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    return nil
  }
}

/// A flag set from one thread and read from another.
private final class TimeoutFlag: @unchecked Sendable {
  private let lock = NSLock()
  private var value = false

  func set() { lock.withLock { value = true } }
  var isSet: Bool { lock.withLock { value } }
}
