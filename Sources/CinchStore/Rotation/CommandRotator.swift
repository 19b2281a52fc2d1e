import CinchJSON
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A rotator that is a command (`cinch rotation register NAME -- COMMAND [ARGS…]`), run once
/// per step like a rotation Lambda: the event JSON on standard input, the store's location in
/// the environment (`CINCH_STORE`, and whatever unlocks it), so the command reads and writes
/// the pending version with ordinary `cinch secretsmanager` commands. Exit status 0 is success;
/// otherwise the failure is its exit status, and its standard error (the last 16 KiB) goes, with
/// the secret's values scrubbed, only to whoever ran the rotation. Standard output is discarded.
/// Nothing secret is put in its arguments or environment.
struct CommandRotator: SecretRotator {
  var name: String
  var command: [String]
  var timeoutSeconds: Double
  var environment: [String: String]

  static let defaultTimeoutSeconds: Double = 900
  /// Kept raw; the scrubbed text is cut again (`SQLiteStore.shownRotatorOutputBytes`) once
  /// no value can straddle the cut.
  static let keptErrorBytes = 16_384

  func run(_ event: RotationEvent, context: RotationContext) async throws {
    guard let program = command.first else { throw RotatorFailure("the command is empty") }
    guard let executable = Self.resolve(program, path: environment["PATH"]) else {
      throw RotatorFailure(Self.notRunnable(program, path: environment["PATH"]))
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let input = try encoder.encode(event)

    var variables = environment
    variables["CINCH_ROTATION_STEP"] = event.step.rawValue
    variables["CINCH_ROTATION_SECRET_ID"] = event.secretID
    variables["CINCH_ROTATION_TOKEN"] = event.clientRequestToken
    variables["CINCH_ROTATOR"] = name
    let arguments = Array(command.dropFirst())
    let timeout = timeoutSeconds
    let childEnvironment = variables
    let outcome: ChildProcess.Outcome = try await withCheckedThrowingContinuation {
      continuation in
      DispatchQueue.global().async {
        do {
          continuation.resume(
            returning: try ChildProcess.run(
              executable: executable, arguments: arguments, environment: childEnvironment,
              input: Array(input), timeoutSeconds: timeout, keptErrorBytes: Self.keptErrorBytes))
        } catch {
          continuation.resume(
            throwing: RotatorFailure("command '\(program)' could not start: \(error)"))
        }
      }
    }
    guard outcome.timedOut || outcome.status != 0 || outcome.signaled else { return }
    // What it wrote before it was killed is shown too: a hung `psql` is where it helps most.
    let reason =
      outcome.timedOut
      ? "did not finish within \(Self.seconds(timeoutSeconds))" : Self.reason(outcome)
    // Kept as written: the store scrubs it, then trims it. Trimmed first, a value that ends in
    // a newline or a space (a PEM key, a file written with `echo`) would no longer match.
    var kept = outcome.standardError[...]
    if outcome.standardErrorCut {
      // The kept bytes start mid-output, maybe inside a value, whose tail no scrubbing would
      // recognise: they are shown from the next line on, or not at all.
      guard let newline = kept.firstIndex(of: UInt8(ascii: "\n")) else {
        throw RotatorFailure("the command \(reason)")
      }
      kept = kept[(newline + 1)...]
    }
    let text = String(decoding: kept, as: UTF8.self)
    throw RotatorFailure(
      "the command \(reason)", output: text.allSatisfy(\.isWhitespace) ? nil : text)
  }

  /// A timeout as it was given (`1 second`, `1.5 seconds`, `0.001 seconds`), written as
  /// `cinch rotation list` writes it: not rounded down to whole seconds.
  static func seconds(_ seconds: Double) -> String {
    seconds == 1 ? "1 second" : "\(JSONValue.double(seconds).compact()) seconds"
  }

  static func reason(_ outcome: ChildProcess.Outcome) -> String {
    outcome.signaled
      ? "was killed by signal \(outcome.status)" : "exited with status \(outcome.status)"
  }

  /// `program` itself when it names a path, else the first executable of that name on `path`.
  static func resolve(_ program: String, path: String?) -> String? {
    candidates(program, path: path).first { FileManager.default.isExecutableFile(atPath: $0) }
  }

  /// The program itself when it names a path, else each folder of `PATH` with it.
  static func candidates(_ program: String, path: String?) -> [String] {
    if program.contains("/") { return [program] }
    return (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map {
      "\($0)/\(program)"
    }
  }

  /// Why `resolve` found nothing: no such file, or one that may not be run.
  static func notRunnable(_ program: String, path: String?) -> String {
    var isFolder: ObjCBool = false
    guard
      let found = candidates(program, path: path).first(where: {
        FileManager.default.fileExists(atPath: $0, isDirectory: &isFolder)
      })
    else { return "command '\(program)' not found" }
    return isFolder.boolValue
      ? "command '\(program)' is a folder ('\(found)')"
      : "command '\(program)' is not executable ('\(found)' has no execute permission)"
  }
}
