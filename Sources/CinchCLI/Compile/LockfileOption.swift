import ArgumentParser
import CinchCompiler
import Foundation

/// `--lock PATH` of the commands that read a lockfile when there is one (`check`, `render`,
/// `plan`). The default, `cinch.lock`, may not exist yet: a first run goes by the store. A
/// lockfile named here must exist, or a typo would pass for "no lock yet" and the command would
/// pin to, or check against, whatever the store holds now.
struct LockfileOption: ParsableArguments {
  @Option(
    name: .customLong("lock"),
    help: ArgumentHelp(
      "The lockfile (default: \(Lockfile.defaultPath); one named here must exist).",
      valueName: "path"))
  var named: String?

  /// The lockfile named, else the default.
  var path: String { named ?? Lockfile.defaultPath }

  /// Refuses a named lockfile that does not exist.
  func requireNamed() throws {
    if let named, !FileManager.default.fileExists(atPath: named) {
      throw CommandFailure(message: "\(named): no such lockfile")
    }
  }
}
