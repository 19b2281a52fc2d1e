import CinchStore
import Foundation
import Synchronization

/// The embedded store of a `cinch ssm|secretsmanager|kms …` command, opened on a thread of its
/// own while swift-argument-parser parses the command line.
///
/// The two need nothing of each other and are most of such a command: parsing ~23 M
/// instructions (the runtime checking each option type's generic requirements, a scan of the
/// binary's conformance records each), opening ~17 M (the master key read and the store key
/// unwrapped, SQLite's connections). Only the store the command would open anyway is opened
/// ahead: no `--store` or `--key-file` on the command line, no help asked for, a file that
/// exists, and a key that needs no prompt. `StoreOptions.open` takes it when it is asked for
/// that same store (no flags, the same environment); any other open goes the usual way. A
/// failed open ahead throws its error there, so it is reported where it always was, and is not
/// done again: an open that waited out the busy timeout for another process's write lock would
/// wait as long again (until 2026-12-03 it was done again, and a held lock cost a command two
/// timeouts more).
/// A store nobody took (a usage error) is closed before the process exits (`terminate`), so no
/// WAL is left beside it.
final class StoreOpenedAhead: Sendable {
  let environment: [String: String]
  private let path: String
  private let key: MasterKeySource
  private let finished = DispatchSemaphore(value: 0)
  private let store = Mutex<Slot>(.opening)

  private enum Slot {
    case opening
    case opened(SQLiteStore)
    case failed(any Error)
    case taken
  }

  /// The open under way in this process, if one was started.
  private static let current = Mutex<StoreOpenedAhead?>(nil)

  /// Command groups whose every command opens the store with `StoreOptions`.
  static let commands = ["ssm", "secretsmanager", "kms"]

  private init(environment: [String: String], path: String, key: MasterKeySource) {
    self.environment = environment
    self.path = path
    self.key = key
  }

  /// The open to start for `arguments`, when the command will surely open this store.
  static func planned(arguments: [String], environment: [String: String]) -> StoreOpenedAhead? {
    guard opensDefaultStore(arguments) else { return nil }
    // What `StoreOptions` gives without flags (its option wrappers cannot be read before the
    // command line is parsed).
    let path = StoreOptions.storePath(flag: nil, environment)
    guard case .file? = try? StoreLocation.parse(path),
      FileManager.default.fileExists(atPath: path),
      let key = try? StoreOptions.unattendedKeySource(
        keyFileFlag: nil, storeFlag: nil, environment)
    else { return nil }
    let opening = StoreOpenedAhead(environment: environment, path: path, key: key)
    current.withLock { $0 = opening }
    return opening
  }

  /// Whether `cinch arguments…` surely opens the store its environment names: a store command
  /// group, no flag that names another store or key, no help.
  static func opensDefaultStore(_ arguments: [String]) -> Bool {
    guard let group = arguments.dropFirst().first, commands.contains(group) else { return false }
    return !arguments.dropFirst().contains { argument in
      ["--store", "--key-file", "--help", "-h", "help"].contains(argument)
        || argument.hasPrefix("--store=") || argument.hasPrefix("--key-file=")
    }
  }

  /// Opens the store; on the thread started for it.
  func run() {
    let opened = Result {
      try SQLiteStore.openOnThisThread(
        at: path, master: key, configuration: try StoreOptions.configuration(environment))
    }
    store.withLock { slot in
      switch opened {
      case .success(let store): slot = .opened(store)
      case .failure(let error): slot = .failed(error)
      }
    }
    finished.signal()
  }

  /// The store opened ahead, once, when it is the one `environment` names without flags;
  /// waits for the open to finish, and throws the error it failed with.
  static func take(environment: [String: String]) throws -> SQLiteStore? {
    guard let opening = current.withLock({ $0 }), opening.environment == environment else {
      return nil
    }
    return try opening.take()
  }

  private func take() throws -> SQLiteStore? {
    finished.wait()
    finished.signal()
    let taken: Result<SQLiteStore, any Error>? = store.withLock { slot in
      switch slot {
      case .opened(let opened):
        slot = .taken
        return .success(opened)
      case .failed(let error):
        slot = .taken
        return .failure(error)
      case .opening, .taken:
        return nil
      }
    }
    return try taken?.get()
  }

  /// Closes a store opened ahead that no command took; called just before the process exits.
  static func closeUntaken() {
    guard let opening = current.withLock({ $0 }) else { return }
    try? opening.take()?.close()
  }
}
