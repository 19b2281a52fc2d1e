import Foundation

/// `--parameter-overrides` takes the words up to the next option, as `aws cloudformation deploy`
/// reads it. That command names no files, so a user who knows it types the template after the
/// pairs (`cinch lock --parameter-overrides Env=prod app.yaml`), and ArgumentParser would read
/// the template as one more override. An override is `Key=Value` with an alphanumeric key (a
/// CloudFormation parameter's name): the words of every run (after `--parameter-overrides`, or
/// after `--parameter-overrides=Key=Value`) that are not, or that name a file that exists, are
/// moved behind a `--`, where they are the files they are.
enum ParameterOverrideWords {
  static let option = "--parameter-overrides"

  static func filesMoved(
    _ arguments: [String],
    fileExists: (String) -> Bool = { FileManager.default.fileExists(atPath: $0) }
  ) -> [String] {
    guard arguments.contains(where: { $0 == option || $0.hasPrefix(option + "=") }) else {
      return arguments
    }
    var moved: [String] = []
    var files: [String] = []
    var index = 0
    while index < arguments.count {
      let word = arguments[index]
      index += 1
      if word == "--" {
        // What follows is positional already: the moved files go first among it.
        return moved + ["--"] + files + arguments[index...]
      }
      moved.append(word)
      let inline = word.hasPrefix(option + "=")
      guard word == option || inline else { continue }
      var pairs: [String] = []
      var others: [String] = []
      while index < arguments.count, !arguments[index].hasPrefix("-") {
        let candidate = arguments[index]
        if isPair(candidate) && !fileExists(candidate) || candidate.hasPrefix("file://") {
          pairs.append(candidate)
        } else {
          others.append(candidate)
        }
        index += 1
      }
      // With no pair at all the words stay: the option then says it wants Key=Value pairs.
      if pairs.isEmpty && !inline {
        moved += others
      } else {
        moved += pairs
        files += others
      }
    }
    return files.isEmpty ? moved : moved + ["--"] + files
  }

  /// `Key=Value` with the key a parameter's name could be: letters and digits. (A
  /// `file://PATH` of pairs is one too, kept whatever it holds.)
  static func isPair(_ word: String) -> Bool {
    guard let equals = word.firstIndex(of: "=") else { return false }
    let key = word[..<equals]
    return !key.isEmpty && key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
  }
}
