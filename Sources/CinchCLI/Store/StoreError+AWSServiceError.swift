import CinchStore

/// Store errors print as the aws CLI prints service errors (exit 254).
extension StoreError: AWSServiceError {
  package var httpStatusCode: Int { httpStatus }
  package var localDetail: String? { rotatorOutput.map(RotatorOutput.text) }
}

/// What a failed command rotator wrote to standard error, as `rotate-secret` and `rotate --due`
/// show it to whoever ran the rotation (the store scrubbed the secret's values from it; it is
/// never stored, nor returned by `cinch serve`).
enum RotatorOutput {
  static func text(_ output: String) -> String {
    let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
    return "the rotator's standard error (the secret's values redacted):\n"
      + lines.map { "  \($0)\n" }.joined()
  }
}
