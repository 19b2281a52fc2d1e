public import Foundation
import GRDB

/// A command rotator registered in the store.
public struct CommandRotatorRecord: Sendable, Hashable, Codable {
  public var name: String
  /// The program and its arguments.
  public var command: [String]
  /// How long one step may run before it is killed (default 900 seconds, a Lambda's limit).
  public var timeoutSeconds: Double?
  public var createdDate: Date

  public init(name: String, command: [String], timeoutSeconds: Double?, createdDate: Date) {
    self.name = name
    self.command = command
    self.timeoutSeconds = timeoutSeconds
    self.createdDate = createdDate
  }
}

extension SQLiteStore {
  /// Rotator names are Lambda function names: 1–64 letters, digits, `-` and `_`.
  static func checkRotatorName(_ name: String) throws(StoreError) {
    guard !name.isEmpty, name.count <= 64,
      name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
    else {
      throw .invalidParameter(
        "Invalid rotator name '\(name)': 1 to 64 letters, digits, '-' and '_'.")
    }
  }

  /// Registers (or with `replace`, re-registers) a command rotator. A program named by a
  /// relative path (`rot/db.sh`) is kept as the absolute path it names from the current folder,
  /// so a rotation run from elsewhere (`rotate --due` from cron) finds it; one named by a path
  /// must exist and be executable now. A bare name is looked up on `PATH` when it runs.
  @discardableResult
  public func registerRotator(
    name: String, command: [String], timeoutSeconds: Double? = nil, replace: Bool = false
  ) async throws -> CommandRotatorRecord {
    var command = command
    if let program = command.first, program.contains("/") {
      let absolute =
        program.hasPrefix("/")
        ? program
        : URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
          .appendingPathComponent(program).standardizedFileURL.path
      guard CommandRotator.resolve(absolute, path: nil) != nil else {
        throw StoreError.invalidParameter(
          "The rotator cannot run: \(CommandRotator.notRunnable(absolute, path: nil)).")
      }
      command[0] = absolute
    } else if let program = command.first {
      // A bare name runs from PATH (`psql`), as a rotation finds it: one PATH does not hold
      // now is a typo, or a file of this folder that needs its `./`.
      let path = ProcessInfo.processInfo.environment["PATH"]
      guard CommandRotator.resolve(program, path: path) != nil else {
        let here = FileManager.default.isExecutableFile(atPath: program)
        throw StoreError.invalidParameter(
          "The rotator cannot run: \(CommandRotator.notRunnable(program, path: path)) on PATH"
            + (here ? " (for the one in this folder, give ./\(program))" : "") + ".")
      }
    }
    let registered = command
    return try await perform("RegisterRotator", kind: nil, name: name) { db, trail in
      try Self.checkRotatorName(name)
      guard self.rotationHost.builtIns[name] == nil else {
        throw StoreError.invalidParameter("'\(name)' is a built-in rotator.")
      }
      guard let program = registered.first, !program.isEmpty else {
        throw StoreError.invalidParameter("A rotator needs a command to run.")
      }
      if let timeoutSeconds, !(timeoutSeconds > 0) {
        throw StoreError.invalidParameter("The timeout must be a positive number of seconds.")
      }
      let exists =
        try Int.fetchOne(
          db, cached: "SELECT COUNT(*) FROM rotators WHERE name = ?", arguments: [name])
        ?? 0 > 0
      if exists && !replace {
        // Names the flag that replaces it (`cinch rotation register --replace`), the only
        // caller that registers.
        throw StoreError.resourceExists(
          "A rotator named '\(name)' is already registered; deregister it first, or pass "
            + "--replace.")
      }
      let now = self.now()
      let json = String(decoding: try JSONEncoder().encode(registered), as: UTF8.self)
      try db.execute(
        cached: """
          INSERT INTO rotators (name, command, timeout_seconds, created_at) VALUES (?, ?, ?, ?)
          ON CONFLICT(name) DO UPDATE SET command = excluded.command,
            timeout_seconds = excluded.timeout_seconds, created_at = excluded.created_at
          """,
        arguments: [name, json, timeoutSeconds, now.timeIntervalSince1970])
      trail.record(name)
      return CommandRotatorRecord(
        name: name, command: registered, timeoutSeconds: timeoutSeconds, createdDate: now)
    }
  }

  /// Every registered command rotator, by name.
  public func commandRotators() async throws -> [CommandRotatorRecord] {
    try await perform("ListRotators", kind: nil, name: nil) { db, _ in
      try Self.fetchRotators(db)
    }
  }

  public func deregisterRotator(name: String) async throws {
    try await perform("DeregisterRotator", kind: nil, name: name) { db, trail in
      try db.execute(cached: "DELETE FROM rotators WHERE name = ?", arguments: [name])
      guard db.changesCount > 0 else {
        throw StoreError(
          code: "ResourceNotFoundException", message: "No rotator named '\(name)' is registered.")
      }
      trail.record(name)
    }
  }

  static func fetchRotators(_ db: Database, name: String? = nil) throws -> [CommandRotatorRecord] {
    var sql = "SELECT name, command, timeout_seconds, created_at FROM rotators"
    var arguments: StoreArguments = []
    if let name {
      sql += " WHERE name = ?"
      arguments = [name]
    }
    return try Row.fetchAll(db, cached: sql + " ORDER BY name", arguments: arguments).map { row in
      let json: String = row["command"]
      return CommandRotatorRecord(
        name: row["name"],
        command: try JSONDecoder().decode([String].self, from: Data(json.utf8)),
        timeoutSeconds: row["timeout_seconds"],
        createdDate: Date(timeIntervalSince1970: row["created_at"]))
    }
  }

  func rotatorExists(_ name: String, _ db: Database) throws -> Bool {
    if rotationHost.builtIns[name] != nil { return true }
    return try !Self.fetchRotators(db, name: name).isEmpty
  }

  /// The rotator a rotation runs: built in, or a registered command with the environment that
  /// lets it open this store.
  func rotator(named name: String) async throws -> any SecretRotator {
    if let builtIn = rotationHost.builtIns[name] { return builtIn }
    let records = try await readSnapshot { db in try Self.fetchRotators(db, name: name) }
    guard let record = records.first else {
      throw StoreError.invalidRequest("There is no rotator named '\(name)'.")
    }
    return CommandRotator(
      name: record.name, command: record.command,
      timeoutSeconds: record.timeoutSeconds ?? CommandRotator.defaultTimeoutSeconds,
      environment: rotatorEnvironment())
  }

  /// The environment of a command rotator: inherited (unless the host says otherwise), then
  /// where the store is, its region and account, and what the host adds.
  func rotatorEnvironment() -> [String: String] {
    var environment =
      rotationHost.inheritsEnvironment ? ProcessInfo.processInfo.environment : [:]
    let absolute =
      path.hasPrefix("/")
      ? path : FileManager.default.currentDirectoryPath + "/" + path
    environment["CINCH_STORE"] = (absolute as NSString).standardizingPath
    environment["AWS_REGION"] = configuration.region
    environment["AWS_DEFAULT_REGION"] = configuration.region
    environment["CINCH_ACCOUNT_ID"] = configuration.accountID
    for (key, value) in rotationHost.environment { environment[key] = value }
    return environment
  }
}
