import CinchJSON
import CinchTemplate

/// `cinch.lock`: every concrete reference the templates make, pinned to an exact version.
///
/// JSON with sorted keys, entries in a stable order and no timestamps, so that it diffs cleanly
/// in a pull request. It holds no value: only a keyed fingerprint of each (HMAC under a key
/// derived from the store's master key), which neither reveals a value nor lets one be guessed.
public struct Lockfile: Sendable, Equatable {
  public static let formatVersion = 1
  public static let defaultPath = "cinch.lock"

  /// Sorted by key.
  public private(set) var entries: [LockEntry]
  /// The templates the lock was made from, relative to the lockfile's folder: `lock --update`,
  /// `render`, `plan` and `check` use them when no file is named.
  public var templates: [String]
  /// How the templates were evaluated: used when a later command gives no evaluation flags,
  /// so the same references are read.
  public var inputs: RecordedInputs
  /// Which key made the fingerprints (`StoreReader.fingerprintKeyID`: the key's fingerprint of
  /// nothing, which names the key without revealing it); nil in a lock from before it was
  /// recorded. With it, `plan` tells a lock made under another key (nothing comparable) from a
  /// value that changed at its locked version (a parameter deleted and created again).
  public var fingerprintKey: String?

  public init(
    entries: [LockEntry] = [], templates: [String] = [], inputs: RecordedInputs = RecordedInputs(),
    fingerprintKey: String? = nil
  ) {
    self.entries = entries.sorted { $0.key < $1.key }
    self.templates = templates
    self.inputs = inputs
    self.fingerprintKey = fingerprintKey
  }

  /// Whether this lock's fingerprints were made under the key `keyID` names, so that a pin's
  /// fingerprint says something about the store's value. A lock from before the key was
  /// recorded is taken at its word when `vouched`: one of its pins at the store's own version
  /// matched.
  public func isFingerprinted(by keyID: String, vouched: Bool) -> Bool {
    fingerprintKey.map { $0 == keyID } ?? vouched
  }

  public func entry(for key: ResolutionKey) -> LockEntry? {
    entries.sortedElement(withKey: key, \.key)
  }

  public var keys: [ResolutionKey] { entries.map(\.key) }
}

public struct LockEntry: Sendable, Hashable {
  public var key: ResolutionKey
  public var pin: Pin
  /// `file:line:column` of every place that makes this reference, paths relative to the
  /// lockfile's folder, sorted.
  public var sites: [String]

  public init(key: ResolutionKey, pin: Pin, sites: [String]) {
    self.init(key: key, pin: pin, sortedSites: Self.sorted(sites))
  }

  /// `sites` already in `sorted` order.
  init(key: ResolutionKey, pin: Pin, sortedSites: [String]) {
    self.key = key
    self.pin = pin
    self.sites = sortedSites
  }

  /// Whether every template that read this entry when the lock was made is among `files`
  /// (paths relative to the lockfile's folder): only then can a run over `files` say that no
  /// template reads it any more. `check changed.yaml` or a template that failed to parse says
  /// nothing of the entries read from the others.
  func isReadOnly(from files: Set<String>) -> Bool {
    sites.allSatisfy { files.contains(Self.siteParts($0)?.file ?? $0) }
  }

  /// The site with its file named otherwise (`fromLock` for display): `../a.yaml:3:7`.
  public static func site(_ site: String, withFile transform: (String) -> String) -> String {
    guard let parts = siteParts(site) else { return site }
    return "\(transform(parts.file)):\(parts.line):\(parts.column)"
  }

  /// `templates/db.yaml:42:7` → (`templates/db.yaml`, 42, 7); nil when the text does not end
  /// in `:line:column`. Fields are found from the end, byte by byte: `split(separator:)` walked
  /// every `Character` of the path (grapheme breaking), ~26k instructions a site, 11% of a
  /// 1,000-resource `lock`.
  static func siteParts(_ site: String) -> (file: String, line: Int, column: Int)? {
    let bytes = site.utf8
    let colon = UInt8(ascii: ":")
    guard let last = bytes.lastIndex(of: colon),
      let middle = bytes[..<last].lastIndex(of: colon),
      let line = Int(Substring(bytes[bytes.index(after: middle)..<last])),
      let column = Int(Substring(bytes[bytes.index(after: last)...]))
    else { return nil }
    return (String(Substring(bytes[..<middle])), line, column)
  }

  /// By file, then line and column as numbers (`a.yaml:9:1` before `a.yaml:10:1`).
  static func sorted(_ sites: [String]) -> [String] {
    sorted(sites, requiringParts: false) ?? sites
  }

  /// `sorted`, or nil when `requiringParts` and a site is not `file:line:column` (a lockfile's
  /// sites are checked as they are sorted: parsing each twice was 57 M instructions of reading
  /// a lock with 30,000 sites).
  static func sorted(_ sites: [String], requiringParts: Bool) -> [String]? {
    // Each site parsed once (not at every comparison, which was most of reading a lock with
    // ten thousand sites), and lists in order already (a lock's own) left as they are.
    var malformed = false
    let keyed = sites.map { site in
      let parts = siteParts(site)
      if parts == nil { malformed = true }
      return ((parts?.file ?? site, parts?.line ?? 0, parts?.column ?? 0), site)
    }
    if requiringParts, malformed { return nil }
    if zip(keyed, keyed.dropFirst()).allSatisfy({ !($1.0 < $0.0) }) { return sites }
    return keyed.sorted { $0.0 < $1.0 }.map(\.1)
  }
}

extension Pin {
  /// Whether `other` pins the same version (or version id) as this pin.
  func isAtVersion(of other: Pin) -> Bool {
    version == other.version && versionId == other.versionId
  }

  /// Whether `arn` is this pin's ARN, or (for a secret) its partial ARN: the ARN without the
  /// `-` and six characters Secrets Manager appends.
  public func recordsARN(_ arn: String) -> Bool {
    arn == self.arn
      || (self.arn.contains(":secretsmanager:") && self.arn.count > 7
        && arn == String(self.arn.dropLast(7)) && self.arn.dropLast(6).hasSuffix("-"))
  }
}

/// What a reference resolved to, without its value.
public struct Pin: Sendable, Hashable {
  public var arn: String
  /// `ssm`/`ssm-secure`: the parameter version.
  public var version: Int?
  /// `secretsmanager`: the version id.
  public var versionId: String?
  /// `secretsmanager`: the staging label the version was taken from (`AWSCURRENT` by default).
  public var stage: String?
  /// `String`, `StringList`, `SecureString`, or `SecretString` for a secret.
  public var type: String
  /// The KMS key the value is encrypted under, when the store reports one.
  public var keyID: String?
  /// `hmac-sha256:…` of the value the reference resolves to (the JSON key's value for a
  /// reference with a JSON key).
  public var fingerprint: String
  /// `secretsmanager` with a JSON key: the key was found in the pinned version's value when the
  /// lock was made. `check` cannot read a value, so it trusts this record for the key.
  public var jsonKeyVerified: Bool

  public init(
    arn: String, version: Int? = nil, versionId: String? = nil, stage: String? = nil, type: String,
    keyID: String? = nil, fingerprint: String, jsonKeyVerified: Bool = false
  ) {
    self.arn = arn
    self.version = version
    self.versionId = versionId
    self.stage = stage
    self.type = type
    self.keyID = keyID
    self.fingerprint = fingerprint
    self.jsonKeyVerified = jsonKeyVerified
  }

  /// `7`, or a version id.
  public var versionText: String { version.map(String.init) ?? versionId ?? "?" }
}

/// The evaluation inputs a lock was made with. Parameter files are paths relative to the
/// lockfile's folder; overrides of `NoEcho` parameters are never recorded.
public struct RecordedInputs: Sendable, Hashable {
  public var parameterFiles: [String]
  public var parameterOverrides: [String]
  public var region: String?
  public var accountID: String?
  public var stackName: String?

  public init(
    parameterFiles: [String] = [], parameterOverrides: [String] = [], region: String? = nil,
    accountID: String? = nil, stackName: String? = nil
  ) {
    self.parameterFiles = parameterFiles
    self.parameterOverrides = parameterOverrides
    self.region = region
    self.accountID = accountID
    self.stackName = stackName
  }
}

extension RecordedInputs {
  /// As the lockfile and render's manifest write them: sorted keys, the region, account and
  /// stack name only when given.
  var json: JSONValue {
    var fields: [(String, JSONValue)] = [
      ("parameterFiles", .array(parameterFiles.map(JSONValue.string))),
      ("parameterOverrides", .array(parameterOverrides.map(JSONValue.string))),
    ]
    if let region { fields.append(("region", .string(region))) }
    if let accountID { fields.append(("accountId", .string(accountID))) }
    if let stackName { fields.append(("stackName", .string(stackName))) }
    return .object(fields.sorted { $0.0 < $1.0 })
  }
}

/// Why a lockfile could not be read.
public struct LockfileError: Error, Sendable, Equatable, CustomStringConvertible {
  public var path: String
  /// Where in the file (1-based), when the problem has a place: the field or the entry.
  public var line: Int?
  public var column: Int?
  public var reason: String

  public init(path: String, line: Int? = nil, column: Int? = nil, reason: String) {
    self.path = path
    self.line = line
    self.column = column
    self.reason = reason
  }

  /// `cinch.lock:12:18: reference 1: 'version' must be a whole number`.
  public var description: String {
    guard let line, let column else { return "\(path): \(reason)" }
    return "\(path):\(line):\(column): \(reason)"
  }
}

/// An entry of a lockfile that does not agree with itself: it pins another version than it
/// requests, no version, a version below 1, or a reference another entry pins too (a clean
/// merge of two branches' edits can leave one). `cinch lock` sets it aside and pins the
/// reference again, as if the lock had never had it; every other command refuses the lock.
public struct SetAsideEntry: Sendable, Equatable {
  public var key: ResolutionKey
  /// Why, and where in the file.
  public var error: LockfileError
}

/// A problem found reading a lockfile, and where: reference `index` (0-based) and its `field`,
/// or a top-level `field`. Placed in the text only when there is one (`Lockfile.locate`).
struct LockfileProblem: Error {
  var reason: String
  var index: Int?
  var field: String?
}

extension Lockfile {
  /// The file's text: sorted keys, two-space indentation, a final newline.
  public func serialized() -> String {
    let references = entries.map { entry -> JSONValue in
      var fields: [(String, JSONValue)] = [
        ("arn", .string(entry.pin.arn)),
        ("fingerprint", .string(entry.pin.fingerprint)),
        ("kind", .string(entry.key.kind.rawValue)),
        ("name", .string(entry.key.name)),
        ("requested", .string(entry.key.selector.description)),
        ("sites", .array(entry.sites.map(JSONValue.string))),
        ("type", .string(entry.pin.type)),
      ]
      if let jsonKey = entry.key.jsonKey {
        fields.append(("jsonKey", .string(jsonKey)))
        if entry.pin.jsonKeyVerified { fields.append(("jsonKeyVerified", .bool(true))) }
      }
      if let keyID = entry.pin.keyID { fields.append(("keyId", .string(keyID))) }
      if let stage = entry.pin.stage { fields.append(("stage", .string(stage))) }
      if let version = entry.pin.version { fields.append(("version", .int(version))) }
      if let versionId = entry.pin.versionId { fields.append(("versionId", .string(versionId))) }
      return .object(fields.sorted { $0.0 < $1.0 })
    }
    var fields: [(String, JSONValue)] = [
      ("inputs", inputs.json),
      ("lockfileVersion", .int(Self.formatVersion)),
      ("references", .array(references)),
      ("templates", .array(templates.map(JSONValue.string))),
    ]
    if let fingerprintKey { fields.insert(("fingerprintKey", .string(fingerprintKey)), at: 0) }
    return JSONValue.object(fields).pretty()
  }

  /// Reads a lockfile's text; `path` names it in errors, with the line and column of the field
  /// or entry at fault.
  public static func parse(_ text: String, path: String) throws(LockfileError) -> Lockfile {
    try parse(text, path: path, settingAside: false).lock
  }

  /// `settingAside` (`cinch lock`, which pins them again): entries that do not agree with
  /// themselves (`SetAsideEntry`) are left out of the lock and returned, where otherwise the
  /// first of them refuses it. What is not an entry's own contradiction (JSON that does not
  /// parse, a field of the wrong type) is refused either way.
  public static func parse(_ text: String, path: String, settingAside: Bool)
    throws(LockfileError) -> (lock: Lockfile, setAside: [SetAsideEntry])
  {
    let root: JSONValue
    do {
      root = try JSONValueParser.parse(text)
    } catch {
      // A merge that conflicted in the lockfile: said as such, not as the JSON error it makes.
      var lineNumber = 0
      // By any line break: a checkout with `core.autocrlf` has CRLF (one Character in Swift).
      for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
        lineNumber += 1
        if line.hasPrefix("<<<<<<< ") || line == "<<<<<<<" {
          throw LockfileError(
            path: path, line: lineNumber, column: 1,
            reason: "a merge left conflict markers in the lockfile: keep both sides' "
              + "\"templates\" (a template only one side locked would be left out), take either "
              + "side's entries, and run 'cinch lock' before any other command: it finds each "
              + "entry's sites in the templates again (either side's sites leave out the other's "
              + "templates) and pins what they read now")
        }
      }
      throw LockfileError(
        path: path, line: error.line, column: error.column,
        reason: "not valid JSON: \(error.message)")
    }
    func located(_ problem: LockfileProblem) -> LockfileError {
      let range = locate(problem, in: text, path: path)
      return LockfileError(
        path: path, line: range?.start.line, column: range?.start.column, reason: problem.reason)
    }
    do {
      let (lock, setAside) = try read(root, settingAside: settingAside)
      return (lock, setAside.map { SetAsideEntry(key: $0.key, error: located($0.problem)) })
    } catch {
      throw located(error)
    }
  }

  /// Where a problem is: the field's value, else the entry; nil when the text has no such
  /// place (a field left out of the file entirely, at the top level).
  private static func locate(_ problem: LockfileProblem, in text: String, path: String)
    -> SourceRange?
  {
    var ignored = Diagnostics()
    guard let root = TemplateParser.parse(SourceFile(path: path, text: text), into: &ignored).root
    else { return nil }
    guard let index = problem.index else {
      return problem.field.flatMap { root[$0]?.range }
    }
    guard let items = root["references"]?.sequence, items.indices.contains(index) else {
      return nil
    }
    let item = items[index]
    return problem.field.flatMap { item[$0]?.range } ?? item.range
  }

  /// A string, nil when left out; anything else is `problem`.
  private static func string(
    _ value: JSONValue?, else problem: () -> LockfileProblem
  ) throws(LockfileProblem) -> String? {
    switch value {
    case nil, .null?: return nil
    case .string(let text)?: return text
    default: throw problem()
    }
  }

  /// A list of strings, empty when left out; anything else is `problem`.
  private static func strings(
    _ value: JSONValue?, else problem: () -> LockfileProblem
  ) throws(LockfileProblem) -> [String] {
    switch value {
    case nil, .null?: return []
    case .array(let items)?:
      var strings: [String] = []
      for item in items {
        guard let text = try string(item, else: problem) else { throw problem() }
        strings.append(text)
      }
      return strings
    default: throw problem()
    }
  }

  private static func read(_ root: JSONValue, settingAside: Bool) throws(LockfileProblem)
    -> (Lockfile, [(key: ResolutionKey, problem: LockfileProblem)])
  {
    guard let formatValue = root["lockfileVersion"] else {
      throw LockfileProblem(reason: "no 'lockfileVersion'; is this a cinch lockfile?")
    }
    guard case .integer(let format) = formatValue else {
      throw LockfileProblem(
        reason: "'lockfileVersion' must be a whole number", field: "lockfileVersion")
    }
    guard format == Int64(formatVersion) else {
      throw LockfileProblem(
        reason:
          "lockfile version \(format) is not supported (this cinch reads version \(formatVersion))",
        field: "lockfileVersion")
    }
    guard let references = root["references"]?.arrayValue else {
      throw LockfileProblem(
        reason: root["references"] == nil ? "no 'references' list" : "'references' must be a list",
        field: "references")
    }
    var entries: [LockEntry] = []
    // Where each reference was first pinned: a second entry for it (an edit, a bad merge) would
    // be read by whichever command found it first.
    var positions: [ResolutionKey: Int] = [:]
    var setAside: [(key: ResolutionKey, problem: LockfileProblem)] = []
    /// An entry that contradicts itself: refused, or (`settingAside`) left out with every other
    /// entry of its reference.
    func contradiction(_ key: ResolutionKey, _ problem: LockfileProblem) throws(LockfileProblem) {
      guard settingAside else {
        var refused = problem
        refused.reason += "; run 'cinch lock', which pins it again"
        throw refused
      }
      setAside.append((key, problem))
    }
    for (index, item) in references.enumerated() {
      func problem(_ reason: String, _ field: String? = nil) -> LockfileProblem {
        LockfileProblem(reason: "reference \(index + 1) \(reason)", index: index, field: field)
      }
      guard item.objectValue != nil else { throw problem("is not an object") }
      /// A field that may be left out; present, it must be a string.
      func optionalString(_ field: String) throws(LockfileProblem) -> String? {
        try Self.string(item[field]) { problem("has a '\(field)' that is not a string", field) }
      }
      func string(_ field: String) throws(LockfileProblem) -> String {
        guard let value = try optionalString(field) else { throw problem("has no '\(field)'") }
        return value
      }
      let kindText = try string("kind")
      guard let kind = Reference.Kind(rawValue: kindText) else {
        throw problem("has unknown kind '\(kindText)'", "kind")
      }
      let requested = try string("requested")
      guard let selector = ResolutionKey.Selector(requested) else {
        throw problem("has an unreadable 'requested' '\(requested)'", "requested")
      }
      var version: Int?
      switch item["version"] {
      case nil, .null?: break
      case .integer(let number)?: version = Int(number)
      default: throw problem("has a 'version' that is not a whole number", "version")
      }
      let jsonKey = try optionalString("jsonKey")
      let pin = Pin(
        arn: try string("arn"), version: version, versionId: try optionalString("versionId"),
        stage: try optionalString("stage"), type: try string("type"),
        keyID: try optionalString("keyId"), fingerprint: try string("fingerprint"),
        jsonKeyVerified: jsonKey != nil && item["jsonKeyVerified"] == .bool(true))
      let key = ResolutionKey(
        kind: kind, name: try string("name"), selector: selector, jsonKey: jsonKey)
      if let first = positions.updateValue(index, forKey: key) {
        try contradiction(
          key,
          LockfileProblem(
            reason:
              "references \(first + 1) and \(index + 1) both pin \(LockRules.describe(key)); "
              + "a lock pins each reference once",
            index: index, field: "name"))
      }
      if kind == .secretsManager ? pin.versionId == nil : pin.version == nil {
        try contradiction(key, problem("pins no version"))
        continue
      }
      // Read here, not at render: `check --offline` vouches for pins from the lock alone.
      if let version = pin.version, version < 1 {
        try contradiction(
          key, problem("pins version \(version); parameter versions start at 1", "version"))
        continue
      }
      switch selector {
      case .version(let requested) where pin.version != requested:
        try contradiction(
          key,
          problem(
            "requests version \(requested) but pins version "
              + (pin.version.map(String.init) ?? "none"), "version"))
        continue
      case .versionId(let requested) where pin.versionId != requested:
        try contradiction(
          key,
          problem(
            "requests version id \(requested) but pins " + (pin.versionId ?? "none"),
            "versionId"))
        continue
      default:
        break
      }
      let sites = try strings(item["sites"]) {
        problem("has 'sites' that are not a list of file:line:column", "sites")
      }
      guard let sorted = LockEntry.sorted(sites, requiringParts: true) else {
        let bad = sites.first { LockEntry.siteParts($0) == nil } ?? ""
        throw problem("has a site '\(bad)' that is not file:line:column", "sites")
      }
      entries.append(LockEntry(key: key, pin: pin, sortedSites: sorted))
    }
    let recorded = root["inputs"]
    if let recorded, recorded != .null, recorded.objectValue == nil {
      throw LockfileProblem(reason: "'inputs' must be an object", field: "inputs")
    }
    func input(_ field: String) -> LockfileProblem {
      LockfileProblem(reason: "'inputs' has a '\(field)' of the wrong type", field: "inputs")
    }
    func text(_ field: String) throws(LockfileProblem) -> String? {
      try Self.string(recorded?[field]) { input(field) }
    }
    let accountID = try text("accountId")
    if let accountID,
      !(accountID.utf8.count == 12 && accountID.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }))
    {
      throw LockfileProblem(
        reason: "'inputs' has an 'accountId' that is not 12 digits: '\(accountID)'",
        field: "inputs")
    }
    let inputs = RecordedInputs(
      parameterFiles: try strings(recorded?["parameterFiles"]) { input("parameterFiles") },
      parameterOverrides: try strings(recorded?["parameterOverrides"]) {
        input("parameterOverrides")
      },
      region: try text("region"), accountID: accountID, stackName: try text("stackName"))
    let templates = try strings(root["templates"]) {
      LockfileProblem(reason: "'templates' must be a list of paths", field: "templates")
    }
    // Every entry of a reference one of them contradicts: which one holds the right pin is
    // not known.
    let contradicted = Set(setAside.map(\.key))
    if !contradicted.isEmpty { entries.removeAll { contradicted.contains($0.key) } }
    return (
      Lockfile(
        entries: entries, templates: templates, inputs: inputs,
        fingerprintKey: root["fingerprintKey"]?.stringValue),
      setAside
    )
  }
}
