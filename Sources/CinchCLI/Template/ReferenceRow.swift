import CinchJSON
import CinchTemplate

/// One line of `cinch refs`: a reference where it is written and what it reads.
struct ReferenceRow {
  var file: String
  var range: SourceRange
  var kind: String
  /// The evaluated name when known, else the name as written (with its `${…}`).
  var name: String
  var version: Int?
  var versionStage: String?
  var versionId: String?
  var jsonKey: String?
  var delimiter: String
  var path: String
  /// The exact reference text in the file.
  var text: String
  /// The reference CloudFormation resolves, when evaluation changed the text.
  var evaluated: String?
  var context: String
  var state: String
  var waitsOn: [String]

  init(_ evaluated: EvaluatedReference, file: SourceFile) {
    let site = evaluated.site
    let reference = evaluated.concrete ?? site.reference
    self.file = site.file
    self.range = site.range
    self.kind = reference.kind.rawValue
    self.name = reference.name
    self.version = reference.version
    self.versionStage = reference.versionStage
    self.versionId = reference.versionId
    self.jsonKey = reference.jsonKey
    self.delimiter = site.reference.delimiter.rawValue
    self.path = site.path.description
    self.text = site.reference.text
    self.evaluated = evaluated.concrete.flatMap { $0.text == site.reference.text ? nil : $0.text }
    switch site.context {
    case .literal: context = "literal"
    case .sub: context = "sub"
    case .join: context = "join"
    case .parameterType: context = "parameter-type"
    }
    switch evaluated.state {
    case .concrete:
      state = "concrete"
      waitsOn = []
    case .waiting(let dependencies):
      state = "waiting"
      waitsOn = dependencies.map(\.description)
    case .inactive:
      state = "inactive"
      waitsOn = []
    case .invalid:
      state = "invalid"
      waitsOn = []
    }
  }

  /// What the VERSION column shows: the pinned version, stage or id, or what is read by default.
  var selector: String {
    if let version { return String(version) }
    if let versionStage, let versionId { return "\(versionStage) \(versionId)" }
    if let versionStage { return versionStage }
    if let versionId { return versionId }
    return kind == "secretsmanager" ? "AWSCURRENT" : "latest"
  }

  var displayName: String {
    switch state {
    case "waiting": "\(name) (waits on \(waitsOn.joined(separator: ", ")))"
    case "inactive": "\(name) (not read on this deploy)"
    case "invalid": "\(name) (invalid)"
    default: name
    }
  }

  static func table(_ rows: [ReferenceRow]) -> String {
    guard !rows.isEmpty else { return "" }
    let header = ["LOCATION", "KIND", "NAME", "VERSION", "JSON-KEY", "PATH"]
    let cells = rows.map { row in
      [
        "\(row.file):\(row.range.start.line):\(row.range.start.column)", row.kind, row.displayName,
        row.selector, row.jsonKey ?? "-", row.path,
      ]
    }
    return TextTable.render(header: header, rows: cells)
  }

  static func json(_ rows: [ReferenceRow]) -> String {
    JSONValue.array(
      rows.map { row in
        JSONValue.object([
          ("file", .string(row.file)),
          ("line", .int(row.range.start.line)),
          ("column", .int(row.range.start.column)),
          ("endLine", .int(row.range.end.line)),
          ("endColumn", .int(row.range.end.column)),
          ("kind", .string(row.kind)),
          ("name", .string(row.name)),
          ("version", .int(row.version)),
          ("versionStage", .string(row.versionStage)),
          ("versionId", .string(row.versionId)),
          ("jsonKey", .string(row.jsonKey)),
          ("path", .string(row.path)),
          ("text", .string(row.text)),
          ("evaluated", .string(row.evaluated)),
          ("delimiter", .string(row.delimiter)),
          ("context", .string(row.context)),
          ("state", .string(row.state)),
          ("waitsOn", .array(row.waitsOn.map(JSONValue.string))),
        ])
      }
    ).pretty()
  }
}

/// Left-aligned columns separated by two spaces, widths in Unicode scalars... counted as
/// characters, which is what a terminal shows for the names templates use.
enum TextTable {
  /// A control character in a cell (a line break or carriage return in a logical ID or a
  /// file name) would start a row of its own that looks like cinch's: each is shown as U+FFFD,
  /// one character for one, as in a finding's message.
  static func cell(_ text: String) -> String { HumanDiagnosticRenderer.sanitized(text) }

  static func render(header: [String], rows: [[String]]) -> String {
    let rows = rows.map { $0.map(cell) }
    var widths = header.map(\.count)
    for row in rows {
      for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
    }
    func line(_ cells: [String]) -> String {
      var text = ""
      for (index, cell) in cells.enumerated() {
        if index == cells.count - 1 {
          text += cell
        } else {
          text += cell + String(repeating: " ", count: widths[index] - cell.count + 2)
        }
      }
      while text.hasSuffix(" ") { text.removeLast() }
      return text + "\n"
    }
    return line(header) + rows.map(line).joined()
  }
}
