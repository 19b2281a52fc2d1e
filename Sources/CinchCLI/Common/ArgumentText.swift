/// Arguments are text: Swift reads each as UTF-8 and replaces bytes that are not with U+FFFD,
/// which would store `ab\xff` given to `--value` as `ab�` without a word. A command line with
/// such an argument is refused instead, as a `file://` input with the same bytes already is.
enum ArgumentText {
  /// The first argument after the program name that is not UTF-8, described without its text
  /// (it may be a secret): `argument 6 (the value of --value)`; nil when all are text.
  static func firstInvalid(
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = CommandLine.unsafeArgv,
    count: Int = Int(CommandLine.argc)
  ) -> String? {
    var previous: String?
    for index in 1..<max(1, count) {
      guard let pointer = argv[index] else { continue }
      guard let word = String(validatingCString: pointer) else {
        let option = previous.flatMap { $0.hasPrefix("-") && !$0.contains("=") ? $0 : nil }
        return "argument \(index)" + (option.map { " (the value of \($0))" } ?? "")
      }
      previous = word
    }
    return nil
  }
}
