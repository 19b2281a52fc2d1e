package import CinchJSON

/// An error a store operation reports the way an AWS service does. The store's error types
/// conform to it; `AWSCommand` prints it as the aws CLI prints a service error and exits 254.
///
/// ```swift
/// extension ParameterStoreError: AWSServiceError {
///   var code: String { "ParameterNotFound" }
///   var message: String { "" }              // AWS sends no message for this one
///   var httpStatusCode: Int { 400 }
/// }
/// ```
package protocol AWSServiceError: Error {
  /// The error code AWS returns (`ParameterNotFound`, `ResourceNotFoundException`, …).
  var code: String { get }
  /// AWS's message, possibly empty. Never a secret value.
  var message: String { get }
  /// The HTTP status AWS answers with (400 for client errors, 500 for server errors).
  var httpStatusCode: Int { get }
  /// Members of the error response beyond `Code` and `Message`, in order; usually empty.
  var additionalFields: JSONObject { get }
  /// Lines printed before the error, for this command line only (a failed rotator's output):
  /// no part of what the service answers.
  var localDetail: String? { get }
  /// The retries made before giving up on this answer, when every attempt got it.
  var maxRetriesReached: Int? { get }
}

extension AWSServiceError {
  package var additionalFields: JSONObject { JSONObject() }
  package var localDetail: String? { nil }
  package var maxRetriesReached: Int? { nil }

  /// botocore's `ClientError` text: `An error occurred (CODE) when calling the OP operation: MSG`,
  /// with `(reached max retries: N)` after the operation when the retries ran out on it.
  package func clientErrorMessage(operation: String) -> String {
    let retries = maxRetriesReached.map { " (reached max retries: \($0))" } ?? ""
    return
      "An error occurred (\(code)) when calling the \(operation) operation\(retries): \(message)"
  }
}

/// A service error given by value, for code that has no error type of its own.
package struct AWSServiceFault: AWSServiceError, Equatable {
  package var code: String
  package var message: String
  package var httpStatusCode: Int
  package var additionalFields: JSONObject

  package init(
    code: String, message: String, httpStatusCode: Int = 400,
    additionalFields: JSONObject = JSONObject()
  ) {
    self.code = code
    self.message = message
    self.httpStatusCode = httpStatusCode
    self.additionalFields = additionalFields
  }
}

/// A command line the aws CLI would refuse before calling the service: exit 252, the message
/// between blank lines on stderr. The factories give the aws CLI's wording.
package struct AWSUsageError: Error, Sendable, Equatable, CustomStringConvertible {
  package var message: String

  package init(_ message: String) { self.message = message }

  package var description: String { message }

  /// The program name in usage text.
  package static let program = "cinch"

  /// The aws CLI's argparse usage block followed by `PROG: error: DETAIL`.
  package static func arguments(_ detail: String) -> AWSUsageError {
    let usage = """
      usage: \(program) [options] <command> <subcommand> [<subcommand> ...] [parameters]
      To see help text, you can run:

        \(program) --help
        \(program) <command> --help
        \(program) <command> <subcommand> --help

      """
    return AWSUsageError(usage + "\n\(program): error: \(detail)\n")
  }

  /// Required options missing from the command line (and no `--cli-input-json`).
  package static func missingArguments(_ options: [String]) -> AWSUsageError {
    arguments("the following arguments are required: " + options.joined(separator: ", "))
  }

  /// A value outside an option's choices, with the aws CLI's two-column list of choices and,
  /// for a `given` value close to some, its `maybe you meant:` (awscli's argparser: difflib's
  /// `get_close_matches` at a cutoff of 0.8).
  package static func invalidChoice(option: String, choices: [String], given: String? = nil)
    -> AWSUsageError
  {
    var lines = ["Invalid choice, valid choices are:\n"]
    var index = 0
    while index < choices.count {
      let row = choices[index..<min(index + 2, choices.count)].map { choice in
        choice + String(repeating: " ", count: max(0, 40 - choice.count))
      }
      lines.append(row.joined(separator: " | "))
      index += 2
    }
    if let given {
      let close = closeMatches(given, choices)
      if !close.isEmpty {
        lines.append("\n\nInvalid choice: '\(given)', maybe you meant:\n")
        lines += close.map { "  * \($0)" }
      }
    }
    return arguments("argument \(option): " + lines.joined(separator: "\n"))
  }

  /// difflib's `get_close_matches(word, choices, n=3, cutoff=0.8)`: the choices whose
  /// similarity to `word` is at least 0.8, best first (ties in reverse order of the choices'
  /// text, as Python's `heapq.nlargest` of `(score, choice)` sorts them).
  static func closeMatches(
    _ word: String, _ choices: [String], limit: Int = 3, cutoff: Double = 0.8
  )
    -> [String]
  {
    let scored = choices.compactMap { choice -> (Double, String)? in
      // difflib's `set_seq1(choice)`, `set_seq2(word)`: the ratio is not symmetric.
      let score = similarity(Array(choice), Array(word))
      return score >= cutoff ? (score, choice) : nil
    }
    return scored.sorted { $0 > $1 }.prefix(limit).map(\.1)
  }

  /// difflib's `SequenceMatcher.ratio()`: twice the characters the Ratcliff–Obershelp matching
  /// finds in both, over both lengths.
  static func similarity(_ a: [Character], _ b: [Character]) -> Double {
    guard !a.isEmpty || !b.isEmpty else { return 1 }
    return 2 * Double(matchedCount(a[...], b[...])) / Double(a.count + b.count)
  }

  /// The longest common block (the earliest in `a`, then in `b`), and the same on each side of
  /// it.
  private static func matchedCount(_ a: ArraySlice<Character>, _ b: ArraySlice<Character>) -> Int {
    guard !a.isEmpty, !b.isEmpty else { return 0 }
    var best = (length: 0, aStart: a.startIndex, bStart: b.startIndex)
    var previous = [Int](repeating: 0, count: b.count + 1)
    for i in a.indices {
      var current = [Int](repeating: 0, count: b.count + 1)
      for (offset, j) in b.indices.enumerated() where a[i] == b[j] {
        current[offset + 1] = previous[offset] + 1
        if current[offset + 1] > best.length {
          best = (current[offset + 1], i - current[offset + 1] + 1, j - current[offset + 1] + 1)
        }
      }
      previous = current
    }
    guard best.length > 0 else { return 0 }
    return best.length
      + matchedCount(a[a.startIndex..<best.aStart], b[b.startIndex..<best.bStart])
      + matchedCount(a[(best.aStart + best.length)...], b[(best.bStart + best.length)...])
  }

  /// botocore's client-side validation of the request: `Parameter validation failed:` and one
  /// line per problem.
  package static func parameterValidation(_ problems: [String]) -> AWSUsageError {
    AWSUsageError("Parameter validation failed:\n" + problems.joined(separator: "\n"))
  }

  package static func missingParameter(_ name: String) -> String {
    "Missing required parameter in input: \"\(name)\""
  }

  package static func unknownParameter(_ name: String, allowed: [String]) -> String {
    "Unknown parameter in input: \"\(name)\", must be one of: " + allowed.joined(separator: ", ")
  }

  /// A `--query` the JMESPath parser refuses.
  package static func badQuery(_ expression: String, _ error: JMESPathError) -> AWSUsageError {
    AWSUsageError("Bad value for --query \(expression): \(error)")
  }

  /// A parameter value the aws CLI cannot read (`Error parsing parameter '--tags': …`).
  package static func parsingParameter(_ option: String, _ detail: String) -> AWSUsageError {
    AWSUsageError("Error parsing parameter '\(option)': \(detail)")
  }
}

/// How the aws CLI ends: the process exit codes it documents.
package enum AWSExitCode {
  package static let success: Int32 = 0
  /// Command syntax invalid, unknown option, or a parameter value that prevents the call.
  package static let usage: Int32 = 252
  /// Environment or configuration invalid (missing key file, no store).
  package static let configuration: Int32 = 253
  /// The service (the store) returned an error.
  package static let serviceError: Int32 = 254
  /// Anything else.
  package static let general: Int32 = 255
}

/// A configuration problem (no store, unreadable key): exit 253.
package struct AWSConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
  package var message: String
  package init(_ message: String) { self.message = message }
  package var description: String { message }
}
