import Foundation

/// Why a store could not be created or opened. Each is one line that names the file or the key
/// source involved; none names key material.
public enum StoreAccessError: Error, Equatable, CustomStringConvertible {
  case storeNotFound(path: String)
  case storeExists(path: String)
  /// `init` found a store at `path` that has never been used (its audit log holds only its
  /// creation) and no key file at `keyFile`, the one it was to make: perhaps the store of an
  /// init killed between its two links (before 2026-12-03 the store was linked first), whose
  /// key is lost; removing it loses nothing.
  case unusedStoreExists(path: String, keyFile: String)
  case keyFileExists(path: String)
  /// `hint`: what the store is locked with, when that is not a key file (a passphrase), so
  /// that a key file given by mistake is said to be beside the point as well as missing.
  case keyFileNotFound(path: String, hint: String? = nil)
  /// The key file named (`--key-file`, `CINCH_MASTER_KEY_FILE`) is a folder.
  case keyFileIsDirectory(path: String)
  /// No key source at all: the default key file is missing, no key or passphrase is in the
  /// environment, and there is no terminal to ask on.
  /// `empty`: the key variables that are set but empty (`CINCH_PASSPHRASE=` in a script whose
  /// variable was not filled), said as such rather than as not set.
  case noMasterKey(store: String, keyFile: String, empty: [String] = [])
  case keyFileInvalid(path: String, reason: String)
  case invalidKey(origin: String, reason: String)
  /// The master key from `source` does not unlock the store.
  case wrongKey(source: String, store: String, hint: String?)
  case notAStore(path: String, reason: String)
  /// An SQLite database that SQLite finds damaged (`SQLITE_CORRUPT`, a malformed schema, a
  /// file cut short); `detail` is SQLite's message. Until 2026-12-03 this read "not a cinch
  /// store: not an SQLite database".
  case damaged(path: String, detail: String)
  /// Damage cinch finds itself, before SQLite would: `problem` says what (a file that is not
  /// a whole number of pages, a schema record garbled in place).
  case damagedFile(path: String, problem: String)
  case newerSchema(path: String, migration: String)
  /// The store, or a file or folder it needs beside it (its `-wal` and `-shm`), cannot be
  /// written: every use writes, a read's audit row included.
  case readOnly(path: String)
  /// `path`, where a file SQLite makes beside the store belongs (`belongs`: its `-wal` or
  /// `-shm`), is `found` (a directory, a FIFO, …) instead.
  case inTheWay(path: String, found: String, belongs: String)
  /// `path`, a `-wal` or `-shm`, is there without the store it belongs to.
  case orphanedBesideFile(path: String, store: String)
  /// A write found no room: the disk is full, or a disk quota or the file size limit
  /// (`RLIMIT_FSIZE`) is reached.
  case noSpace(path: String)
  case io(path: String, message: String)
  /// `path` is a symbolic link that leads back to itself, directly or through others.
  case linkLoop(path: String)
  /// `path` is a symbolic link to `target`, which does not exist, in a folder that does not
  /// exist either (in one that does, `init` creates the store at `target`).
  case linkToNoFolder(path: String, target: String)

  public var description: String {
    switch self {
    case .storeNotFound(let path):
      "no store at '\(path)'; create one with 'cinch init', or name one with --store or "
        + "CINCH_STORE"
    case .storeExists(let path):
      "a store already exists at '\(path)'; cinch never overwrites a store"
    case .unusedStoreExists(let path, let keyFile):
      "a store already exists at '\(path)'; cinch never overwrites a store. It has never been "
        + "used: if its key is lost (as when 'cinch init' is interrupted before it writes key "
        + "file '\(keyFile)'), remove '\(path)' and run 'cinch init' again"
    case .keyFileExists(let path):
      "key file '\(path)' already exists; cinch never overwrites a key file"
    case .keyFileNotFound(let path, let hint):
      "key file '\(path)' not found" + (hint.map { " (\($0))" } ?? "")
    case .keyFileIsDirectory(let path):
      "key file '\(path)' is a directory; name the key file itself (as '\(path)/master.key')"
    case .noMasterKey(let store, let keyFile, let empty):
      "no master key for store '\(store)': key file '\(keyFile)' not found, "
        + Self.keyVariables(empty: empty)
        + ", and there is no terminal to ask for a passphrase on"
    case .keyFileInvalid(let path, let reason):
      "key file '\(path)' is not a cinch master key: \(reason)"
    case .invalidKey(let origin, let reason):
      "the master key in \(origin) is not a 32-byte base64 key: \(reason)"
    case .wrongKey(let source, let store, let hint):
      "wrong master key: \(source) does not unlock store '\(store)'"
        + (hint.map { " (\($0))" } ?? "")
    case .notAStore(let path, let reason):
      "'\(path)' is not a cinch store: \(reason)"
    case .damaged(let path, let detail):
      "store '\(path)' is damaged (SQLite: \(Self.sqliteWords(detail))); restore it from a "
        + "backup"
    case .damagedFile(let path, let problem):
      "store '\(path)' is damaged: \(problem); restore it from a backup"
    case .newerSchema(let path, let migration):
      "store '\(path)' was written by a newer cinch (schema step '\(Self.quoting(migration))'); "
        + "upgrade cinch"
    case .readOnly(let path):
      "'\(path)' is read-only; cinch writes to the store and to its -wal and -shm files on every "
        + "use, a read's audit row included: make it writable"
    case .inTheWay(let path, let found, let belongs):
      "'\(path)' is \(found), where \(belongs) belongs; move it out of the way (SQLite makes "
        + "the file as the store opens)"
    case .orphanedBesideFile(let path, let store):
      "'\(path)' is there without the store '\(store)' it belongs to (left when a store was "
        + "removed without it); cinch never makes a store beside another's files: remove it, "
        + "or name another store"
    case .noSpace(let path):
      "cannot write to '\(path)': \(Self.noSpaceReason)"
    case .io(let path, let message):
      "cannot use '\(path)': \(message)"
    case .linkLoop(let path):
      "'\(path)' is a symbolic link that leads back to itself; point it at a store file"
    case .linkToNoFolder(let path, let target):
      "'\(path)' is a symbolic link to '\(target)', whose folder does not exist; make the "
        + "folder (cinch init then creates the store there) or point the link elsewhere"
    }
  }

  /// `CINCH_MASTER_KEY and CINCH_PASSPHRASE are not set`, or which is set but empty.
  static func keyVariables(empty: [String]) -> String {
    let names = ["CINCH_MASTER_KEY", "CINCH_PASSPHRASE"]
    let unset = names.filter { !empty.contains($0) }
    var parts: [String] = []
    if !unset.isEmpty {
      parts.append(
        unset.joined(separator: " and ") + (unset.count == 1 ? " is" : " are") + " not set")
    }
    if !empty.isEmpty {
      parts.append(
        empty.joined(separator: " and ") + (empty.count == 1 ? " is" : " are") + " set but empty")
    }
    return parts.joined(separator: ", ")
  }

  /// `notAStore` when `path` is a folder (SQLite would say only "disk I/O error"), with
  /// `advice` (what to name instead) after the reason, or no regular file at all: a FIFO (whose open would wait for a
  /// writer for ever), a socket or a device. Nil otherwise (a regular file, or nothing there).
  package static func ifNotARegularFile(_ path: String, advice: String = "") -> StoreAccessError? {
    guard let kind = notARegularFile(path) else { return nil }
    return .notAStore(path: path, reason: kind + (kind == directory ? advice : ""))
  }

  /// `inTheWay` for the first of the store's `-wal` and `-shm` that is there and is no regular
  /// file: SQLite opened a `-shm` directory read-only (and a store beside a WAL with frames
  /// then read, but every write failed), and said of a `-wal` directory only "unable to open
  /// database file". Nil when each is a file, or missing.
  static func ifBesideFileNotARegularFile(of path: String) -> StoreAccessError? {
    for (suffix, belongs) in [
      ("-wal", "the store's write-ahead log"), ("-shm", "the store's WAL index"),
    ] {
      if let kind = notARegularFile(path + suffix) {
        return .inTheWay(path: path + suffix, found: kind, belongs: belongs)
      }
    }
    return nil
  }

  private static let directory = "a directory"

  /// What `path` is when it is there and is no regular file (a link is followed): a directory,
  /// a FIFO (whose open would wait for a writer for ever), a socket or a device.
  private static func notARegularFile(_ path: String) -> String? {
    var status = stat()
    guard stat(path, &status) == 0 else { return nil }
    switch status.st_mode & S_IFMT {
    case S_IFDIR: return directory
    case S_IFIFO: return "a FIFO (named pipe)"
    case S_IFSOCK: return "a socket"
    case S_IFCHR, S_IFBLK: return "a device"
    default: return nil
    }
  }

  /// Text read from the store (a `store_meta` value, a schema step's name) as a message quotes
  /// it: anything else could put a terminal escape or a second line on the user's terminal.
  /// Every control or format character (an escape, a bell, a newline, a bidi override) is
  /// written as `\u{…}` and a backslash as `\\`, and text past 64 characters is cut, with `…`.
  static func quoting(_ stored: String) -> String {
    var quoted = ""
    for (index, scalar) in stored.unicodeScalars.enumerated() {
      if index == 64 { return quoted + "…" }
      switch scalar.properties.generalCategory {
      case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .unassigned,
        .privateUse:
        quoted += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
      default:
        if scalar == "\\" { quoted += "\\\\" } else { quoted.unicodeScalars.append(scalar) }
      }
    }
    return quoted
  }

  /// SQLite's message up to anything it quotes from the file: "malformed database schema
  /// (…) - orphan index" names the damaged schema row in its own, possibly garbled, bytes.
  static func sqliteWords(_ message: String) -> String {
    let words = message.prefix { $0 != "(" }.trimmingCharacters(in: .whitespaces)
    return words.isEmpty ? message : words
  }

  /// Why a write found no room, in the words every such error uses.
  static let noSpaceReason =
    "no space left (the disk is full, or a disk quota or the file size limit is reached)"

  /// A system call on `path` that failed with `code` (`errno`): no room is `noSpace`, anything
  /// else the system's words for it.
  static func file(_ path: String, errno code: Int32) -> StoreAccessError {
    StoreDatabase.outOfSpaceErrors.contains(code)
      ? .noSpace(path: path) : .io(path: path, message: String(cString: strerror(code)))
  }

  /// The same error naming `final` where it named `staged`: a new store's files are written
  /// under hidden names, and the user knows them by their own.
  func naming(_ staged: String, as final: String) -> StoreAccessError {
    switch self {
    case .noSpace(let path) where path == staged: .noSpace(path: final)
    case .io(let path, let message) where path == staged: .io(path: final, message: message)
    default: self
    }
  }
}
