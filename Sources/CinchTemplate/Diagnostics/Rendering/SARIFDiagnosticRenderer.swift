import CinchJSON

/// SARIF 2.1.0, the format GitHub code scanning uploads (`cinch check --format sarif`).
///
/// One run. `tool.driver.rules` holds a rule for every code the diagnostics use, in catalogue
/// order, with the metadata GitHub shows next to an alert (`shortDescription`,
/// `fullDescription`, `help`, `defaultConfiguration.level`, `properties.tags`). Each located
/// diagnostic is a result whose location is a URI relative to `%SRCROOT%` (the base directory)
/// and a region; notes with a location become `relatedLocations`. A diagnostic that names no
/// file (a store or a flag problem) has no place in code, where GitHub requires one, so it is a
/// tool execution notification of the run's invocation instead; so is E4013 (`check` did not
/// run), with its location when its cause has one (a lockfile's broken entry).
///
/// Columns: SARIF's default unit is the UTF-16 code unit, ours is the Unicode scalar, so the
/// run declares `"columnKind": "unicodeCodePoints"`; columns are 1-based and `endColumn` is
/// the column just past the region, as SARIF defines it. Regions also carry their byte span.
///
/// `partialFingerprints["cinch/v2"]` identifies a result across commits without line numbers:
/// FNV-1a 64 of the code, the artifact URI, the template path and what the finding is about
/// (the source text of its range, e.g. the reference, or the message when the range may hold
/// a secret or there is none), then `:occurrence` among equal hashes in the run. Moving a
/// resource does not reopen its alert, and neither does a change in the store that only
/// changes the message's words (`latest is 4`, not 3). (v1 hashed the message.)
///
/// `invocations[0].executionSuccessful` is false only when the run could not do its work (a
/// file it could not read, E4013, a store or flag problem): findings, even warnings made errors
/// by `--warnings-as-errors`, are a run that worked. Lines are counted as the YAML reader counts
/// them, a lone CR included, so the run declares `newlineSequences`.
/// GitHub's own `primaryLocationLineHash` is left for `upload-sarif` to compute.
public struct SARIFDiagnosticRenderer: DiagnosticRenderer {
  public static let defaultInformationURI = "https://github.com/cinch-dev/cinch"
  public static let schemaURI = "https://json.schemastore.org/sarif-2.1.0.json"
  public static let fingerprintKey = "cinch/v2"

  public var toolVersion: String
  public var informationURI: String
  /// The directory artifact URIs are relative to (`%SRCROOT%`), normally the repository root.
  /// When it is absolute the run records it in `originalUriBaseIds` as a `file:` URI.
  public var baseDirectory: String
  /// The directory a relative `Diagnostic.file` is relative to (the CLI's current directory).
  public var workingDirectory: String

  public init(
    toolVersion: String, baseDirectory: String, workingDirectory: String? = nil,
    informationURI: String = SARIFDiagnosticRenderer.defaultInformationURI
  ) {
    self.toolVersion = toolVersion
    self.informationURI = informationURI
    self.baseDirectory = baseDirectory
    self.workingDirectory = workingDirectory ?? baseDirectory
  }

  public func render(_ diagnostics: [Diagnostic], sources: [String: SourceFile]) -> String {
    sarifLog(diagnostics, sources: sources).pretty()
  }

  func sarifLog(_ diagnostics: [Diagnostic], sources: [String: SourceFile]) -> JSONValue {
    // Rules: every code used, in catalogue order (codes outside the catalogue after, by id).
    let catalogueIndex = Dictionary(
      DiagnosticCode.all.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
    let codes = Set(diagnostics.map(\.code)).sorted { a, b in
      let ia = catalogueIndex[a.id] ?? Int.max
      let ib = catalogueIndex[b.id] ?? Int.max
      return ia != ib ? ia < ib : a.id < b.id
    }
    let ruleIndex = Dictionary(uniqueKeysWithValues: codes.enumerated().map { ($1.id, $0) })

    // Artifacts: every file a result or note points into, in order of first appearance; two
    // spellings of one path (`./a.yaml`, `a.yaml`) are one artifact.
    var artifacts: [(file: String, location: ArtifactLocation)] = []
    var artifactIndex: [String: Int] = [:]
    func artifact(_ file: String) -> (index: Int, location: ArtifactLocation) {
      let location = artifactLocation(file)
      if let index = artifactIndex[location.uri] { return (index, location) }
      artifactIndex[location.uri] = artifacts.count
      artifacts.append((file, location))
      return (artifacts.count - 1, location)
    }

    // A result's location always has a region (GitHub requires one); a related location
    // without a range names the whole file, as SARIF reads a missing region.
    func physicalLocation(_ file: String, _ range: SourceRange?, regionRequired: Bool) -> JSONValue
    {
      let (index, location) = artifact(file)
      var artifactLocation = location.json
      if case .object(var members) = artifactLocation {
        members["index"] = .int(index)
        artifactLocation = .object(members)
      }
      var entries: [(String, JSONValue)] = [("artifactLocation", artifactLocation)]
      if range != nil || regionRequired { entries.append(("region", Self.region(range))) }
      return .object(entries)
    }

    var results: [JSONValue] = []
    var notifications: [JSONValue] = []
    var occurrences: [String: Int] = [:]
    for diagnostic in diagnostics {
      let rule = JSONValue.object([
        ("id", .string(diagnostic.code.id)),
        ("index", .int(ruleIndex[diagnostic.code.id] ?? 0)),
      ])
      let message = JSONValue.object([("text", .string(Self.messageText(diagnostic)))])

      // A check that did not run is no finding in code, even when its cause has a place (a
      // lockfile's broken entry): a notification, located there.
      guard let file = diagnostic.file, diagnostic.code != .checkNotRun else {
        var notification: [(String, JSONValue)] = [
          ("level", .string(diagnostic.severity.sarifLevel)),
          ("message", message),
        ]
        if let file = diagnostic.file {
          notification.append(
            (
              "locations",
              .array([
                .object([
                  (
                    "physicalLocation",
                    physicalLocation(file, diagnostic.range, regionRequired: false)
                  )
                ])
              ])
            ))
        }
        notification.append(("associatedRule", rule))
        notifications.append(.object(notification))
        continue
      }

      var location: [(String, JSONValue)] = [
        ("physicalLocation", physicalLocation(file, diagnostic.range, regionRequired: true))
      ]
      if let path = diagnostic.path, !path.isEmpty {
        location.append(
          (
            "logicalLocations",
            .array([.object([("fullyQualifiedName", .string(path.description))])])
          ))
      }
      var result: [(String, JSONValue)] = [
        ("ruleId", .string(diagnostic.code.id)),
        ("ruleIndex", .int(ruleIndex[diagnostic.code.id] ?? 0)),
        ("level", .string(diagnostic.severity.sarifLevel)),
        ("message", message),
        ("locations", .array([.object(location)])),
      ]
      let related = diagnostic.notes.compactMap { note -> (file: String, note: Diagnostic.Note)? in
        note.file(in: diagnostic).map { ($0, note) }
      }
      if !related.isEmpty {
        result.append(
          (
            "relatedLocations",
            .array(
              related.enumerated().map { offset, item in
                .object([
                  ("id", .int(offset + 1)),
                  (
                    "physicalLocation",
                    physicalLocation(item.file, item.note.range, regionRequired: false)
                  ),
                  ("message", .object([("text", .string(item.note.message))])),
                ])
              })
          ))
      }
      let hash = Self.fingerprint(
        code: diagnostic.code.id, uri: artifact(file).location.uri,
        path: diagnostic.path?.description ?? "",
        subject: Self.subject(of: diagnostic, in: sources[file]))
      let occurrence = (occurrences[hash] ?? 0) + 1
      occurrences[hash] = occurrence
      result.append(
        ("partialFingerprints", .object([(Self.fingerprintKey, .string("\(hash):\(occurrence)"))])))
      results.append(.object(result))
    }

    var driver: [(String, JSONValue)] = [
      ("name", .string("cinch")),
      ("version", .string(toolVersion)),
    ]
    if Self.isSemanticVersion(toolVersion) {
      driver.append(("semanticVersion", .string(toolVersion)))
    }
    driver.append(("informationUri", .string(informationURI)))
    driver.append(("rules", .array(codes.map(Self.rule))))

    var run: [(String, JSONValue)] = [("tool", .object([("driver", .object(driver))]))]
    let failed = diagnostics.contains(where: Self.isExecutionFailure)
    if !notifications.isEmpty || failed {
      var invocation: [(String, JSONValue)] = [("executionSuccessful", .bool(!failed))]
      if !notifications.isEmpty {
        invocation.append(("toolExecutionNotifications", .array(notifications)))
      }
      run.append(("invocations", .array([.object(invocation)])))
    }
    if let root = Self.directoryFileURI(baseDirectory) {
      run.append(
        ("originalUriBaseIds", .object([("%SRCROOT%", .object([("uri", .string(root))]))])))
    }
    run.append(
      (
        "artifacts",
        .array(
          artifacts.map { item in
            var entries: [(String, JSONValue)] = [("location", item.location.json)]
            if let source = sources[item.file] {
              entries.append(("length", .int(source.bytes.count)))
            }
            return .object(entries)
          })
      ))
    run.append(("results", .array(results)))
    run.append(("columnKind", .string("unicodeCodePoints")))
    run.append(("newlineSequences", .array(["\r\n", "\n", "\r"].map(JSONValue.string))))

    return .object([
      ("$schema", .string(Self.schemaURI)),
      ("version", .string("2.1.0")),
      ("runs", .array([.object(run)])),
    ])
  }

  // MARK: Rules

  static func rule(_ code: DiagnosticCode) -> JSONValue {
    let properties: [(String, JSONValue)] = [
      ("tags", .array(["cloudformation", code.family.tag].map(JSONValue.string))),
      (
        "problem.severity",
        .string(code.defaultSeverity == .info ? "recommendation" : code.defaultSeverity.label)
      ),
    ]
    return .object([
      ("id", .string(code.id)),
      ("name", .string(code.name)),
      ("shortDescription", .object([("text", .string(shortDescription(code.summary)))])),
      ("fullDescription", .object([("text", .string(code.summary))])),
      ("defaultConfiguration", .object([("level", .string(code.defaultSeverity.sarifLevel))])),
      (
        "help",
        .object([
          ("text", .string("\(code.id) \(code.name): \(code.summary)")),
          ("markdown", .string("**\(code.id)** `\(code.name)`\n\n\(code.summary)")),
        ])
      ),
      ("properties", .object(properties)),
    ])
  }

  /// The first clause of a summary: up to the first `; ` or `: ` outside backticks, without a
  /// final period (`The file could not be read`).
  static func shortDescription(_ summary: String) -> String {
    let characters = Array(summary)
    var inCode = false
    var end = characters.count
    for index in characters.indices {
      let character = characters[index]
      if character == "`" { inCode.toggle() }
      if !inCode, character == ";" || character == ":",
        index + 1 < characters.count, characters[index + 1] == " "
      {
        end = index
        break
      }
    }
    var text = String(characters[..<end])
    if text.hasSuffix(".") { text.removeLast() }
    return text
  }

  // MARK: Results

  /// The diagnostic's message, then each note on a line of its own.
  static func messageText(_ diagnostic: Diagnostic) -> String {
    ([diagnostic.message] + diagnostic.notes.map { "note: \($0.message)" }).joined(separator: "\n")
  }

  /// A region of whole lines and scalar columns (see the type's comment) and its byte span.
  /// A diagnostic about a whole file (no range) points at its start, since GitHub requires a
  /// region.
  static func region(_ range: SourceRange?) -> JSONValue {
    guard let range else {
      return .object([
        ("startLine", .int(1)), ("startColumn", .int(1)), ("endLine", .int(1)),
        ("endColumn", .int(1)),
      ])
    }
    // Positions are clamped into what the schema accepts (1-based, the end not before the
    // start): one malformed position must not get the whole upload rejected.
    let startLine = max(range.start.line, 1)
    let startColumn = max(range.start.column, 1)
    var endLine = max(range.end.line, startLine)
    var endColumn = max(range.end.column, 1)
    if range.end.offset < range.start.offset || (endLine == startLine && endColumn < startColumn) {
      endLine = startLine
      endColumn = startColumn
    }
    let byteOffset = max(range.start.offset, 0)
    return .object([
      ("startLine", .int(startLine)),
      ("startColumn", .int(startColumn)),
      ("endLine", .int(endLine)),
      ("endColumn", .int(endColumn)),
      ("byteOffset", .int(byteOffset)),
      ("byteLength", .int(max(range.end.offset - byteOffset, 0))),
    ])
  }

  /// A diagnostic that means the run could not do its work, rather than a finding: a file not
  /// read, `check` not run, or a problem outside any file (a store, a flag) that is an error by
  /// its code, whatever `--warnings-as-errors` made of a warning.
  static func isExecutionFailure(_ diagnostic: Diagnostic) -> Bool {
    diagnostic.code == .fileUnreadable || diagnostic.code == .checkNotRun
      || (diagnostic.file == nil && diagnostic.code.defaultSeverity == .error)
  }

  /// What a finding is about, for its fingerprint: the source text of its range, unless the
  /// range may hold a secret (a hash of it would be a guessable digest) or there is none to
  /// read; then the message.
  static func subject(of diagnostic: Diagnostic, in source: SourceFile?) -> String {
    guard !diagnostic.sensitive, let range = diagnostic.range, let source,
      range.start.offset >= 0, range.start.offset < range.end.offset,
      range.end.offset <= source.bytes.count
    else { return diagnostic.message }
    return String(decoding: source.bytes[range.start.offset..<range.end.offset], as: UTF8.self)
  }

  /// FNV-1a 64 over the fields, each followed by a NUL byte, as 16 lowercase hex digits.
  static func fingerprint(code: String, uri: String, path: String, subject: String) -> String {
    var bytes: [UInt8] = []
    for field in [code, uri, path, subject] {
      bytes.append(contentsOf: field.utf8)
      bytes.append(0)
    }
    let hex = String(fnv1a64(bytes), radix: 16)
    return String(repeating: "0", count: 16 - hex.count) + hex
  }

  /// The 64-bit FNV-1a hash: not cryptographic, but fixed forever, so fingerprints computed by
  /// one version of cinch match the next.
  static func fnv1a64(_ bytes: some Sequence<UInt8>) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
      hash ^= UInt64(byte)
      hash = hash &* 0x0000_0100_0000_01b3
    }
    return hash
  }

  static func isSemanticVersion(_ version: String) -> Bool {
    let core = version.split(separator: "+", maxSplits: 1, omittingEmptySubsequences: false)[0]
      .split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)[0]
    let parts = core.split(separator: ".", omittingEmptySubsequences: false)
    return parts.count == 3
      && parts.allSatisfy { part in
        !part.isEmpty && part.allSatisfy(\.isASCII) && part.allSatisfy(\.isNumber)
          && (part == "0" || part.first != "0")
      }
  }

  // MARK: Paths and URIs

  struct ArtifactLocation {
    var uri: String
    var relativeToRoot: Bool

    var json: JSONValue {
      var entries: [(String, JSONValue)] = [("uri", .string(uri))]
      if relativeToRoot { entries.append(("uriBaseId", .string("%SRCROOT%"))) }
      return .object(entries)
    }
  }

  /// A file under the base directory is a relative URI against `%SRCROOT%`; any other file is an
  /// absolute `file:` URI (GitHub makes those relative to the checkout itself).
  func artifactLocation(_ file: String) -> ArtifactLocation {
    let path = DisplayPath(file, base: baseDirectory, working: workingDirectory)
    let encoded = path.components.map(Self.percentEncoded).joined(separator: "/")
    if path.isUnderBase { return ArtifactLocation(uri: encoded, relativeToRoot: true) }
    return ArtifactLocation(
      uri: path.isAbsolute ? "file:///" + encoded : encoded, relativeToRoot: false)
  }

  /// `file:///abs/dir/`, or nil for a relative directory.
  static func directoryFileURI(_ directory: String) -> String? {
    let path = PathComponents(directory)
    guard path.isAbsolute else { return nil }
    return "file:///" + path.components.map { percentEncoded($0) + "/" }.joined()
  }

  /// RFC 3986 percent-encoding of one path segment: unreserved characters, sub-delims and `@`
  /// stay; `:` is encoded too, since a relative reference's first segment may not hold one.
  static func percentEncoded(_ segment: String) -> String {
    var result = ""
    for byte in segment.utf8 {
      switch byte {
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
        UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "!"), UInt8(ascii: "$"),
        UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"),
        UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"),
        UInt8(ascii: "="), UInt8(ascii: "@"):
        result.unicodeScalars.append(Unicode.Scalar(byte))
      default:
        let hex = Array("0123456789ABCDEF")
        result.append("%")
        result.append(hex[Int(byte >> 4)])
        result.append(hex[Int(byte & 0xF)])
      }
    }
    return result
  }
}

extension DiagnosticCode.Family {
  /// A kebab-case tag for filtering (SARIF `properties.tags`).
  var tag: String {
    switch self {
    case .input: "parsing"
    case .structure: "template-structure"
    case .reference: "dynamic-references"
    case .graph: "dependency-graph"
    case .store: "store"
    case .emit: "rendering"
    case .policy: "iam-policy"
    }
  }
}
