/// `-` among the templates of a command that only reads them (`refs`, `parse`, `graph`,
/// `check`, `policy`, `consumers`): the template on standard input, named `<stdin>` in findings
/// (`cinch check - < stack.yaml`, a template made by a pipe). A file named `-` is `./-`.
enum StandardInputPath {
  static let argument = "-"
  /// What findings and output call it.
  static let name = "<stdin>"

  /// The name a path is shown under.
  static func displayName(_ path: String) -> String {
    path == argument ? name : path
  }

  /// Standard input is read once: `-` may be named once.
  static func checkReadOnce(_ files: [String]) throws {
    guard files.count(where: { $0 == argument }) > 1 else { return }
    throw CommandFailure(
      message: "'-' (standard input) is named more than once; it can be read only once")
  }

  /// `lock`, `render`, `plan` and `outdated` keep or read a lock, which records each template
  /// by its path to read it again: a template from standard input has none.
  static func refuse(_ files: [String], command: String) throws {
    guard files.contains(argument) else { return }
    throw CommandFailure(
      message: "\(command) does not read a template from standard input ('-'): the lock "
        + "records each template's path to read it again; name the file")
  }
}
