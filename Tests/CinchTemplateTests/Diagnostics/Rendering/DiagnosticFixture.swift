import CinchTemplate
import Foundation
import Testing
import _CinchTestSupport

/// A golden case under `Tests/Fixtures/diagnostics/<case>/`: the files in `sources/` (keyed by
/// their path below it, as a user would name them) and `diagnostics.json`, hand-written
/// diagnostics whose ranges are `line:column-line:column` (1-based, columns in Unicode scalars,
/// end exclusive). A range in a file that is not in `sources/` needs `offsets` as well.
struct DiagnosticFixture {
  static let stage = "diagnostics"
  /// Where SARIF paths are made relative to; the sources act as if checked out there.
  static let baseDirectory = "/home/dev/project"

  let name: String
  let sources: [String: SourceFile]
  let diagnostics: [Diagnostic]

  init(_ name: String) throws {
    self.name = name
    let directory = Fixtures.directory(Self.stage, name)
    var sources: [String: SourceFile] = [:]
    let sourceRoot = directory.appendingPathComponent("sources")
    if let walker = FileManager.default.enumerator(atPath: sourceRoot.path) {
      for case let relative as String in walker {
        var isDirectory: ObjCBool = false
        let url = sourceRoot.appendingPathComponent(relative)
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory),
          !isDirectory.boolValue
        else { continue }
        sources[relative] = SourceFile(
          path: relative, bytes: FakeCredentials.expand(Array(try Data(contentsOf: url))))
      }
    }
    self.sources = sources
    let data = try Data(contentsOf: directory.appendingPathComponent("diagnostics.json"))
    let spec = try JSONDecoder().decode(Spec.self, from: data)
    self.diagnostics = try spec.diagnostics.map { try $0.diagnostic(sources: sources) }
  }

  struct Spec: Decodable {
    var diagnostics: [DiagnosticSpec]
  }

  struct NoteSpec: Decodable {
    var message: String
    var file: String?
    var range: String?
    var offsets: [Int]?
  }

  struct DiagnosticSpec: Decodable {
    var code: String
    var message: String
    var file: String?
    var range: String?
    var offsets: [Int]?
    var path: [String]?
    var severity: String?
    var notes: [NoteSpec]?
    var sensitive: Bool?

    func diagnostic(sources: [String: SourceFile]) throws -> Diagnostic {
      let code = try #require(DiagnosticCode.named(code), "unknown code \(code)")
      let notes = try (notes ?? []).map { note in
        Diagnostic.Note(
          note.message, file: note.file,
          range: try DiagnosticFixture.range(
            note.range, offsets: note.offsets, in: sources[note.file ?? file ?? ""]))
      }
      return Diagnostic(
        code, message, file: file,
        range: try DiagnosticFixture.range(
          range, offsets: offsets, in: file.flatMap { sources[$0] }),
        path: path.map(TemplatePath.init), notes: notes,
        severity: try severity.map { try #require(Severity(rawValue: $0)) },
        sensitive: sensitive ?? false)
    }
  }

  /// `12:7-14:3` as a range of `source`, or with the given byte offsets when there is no source.
  static func range(_ text: String?, offsets: [Int]?, in source: SourceFile?) throws -> SourceRange?
  {
    guard let text else { return nil }
    let numbers = text.split(whereSeparator: { $0 == ":" || $0 == "-" }).compactMap { Int($0) }
    try #require(numbers.count == 4, "range '\(text)' is not line:column-line:column")
    if let source {
      let start = source.byteOffset(line: numbers[0], scalarColumn: numbers[1] - 1)
      let end = source.byteOffset(line: numbers[2], scalarColumn: numbers[3] - 1)
      let range = source.range(fromByte: start, toByte: end)
      try #require(
        range.start.line == numbers[0] && range.start.column == numbers[1]
          && range.end.line == numbers[2] && range.end.column == numbers[3],
        "range '\(text)' is outside \(source.path)")
      return range
    }
    let bytes = try #require(offsets, "range '\(text)' in a file without source needs offsets")
    return SourceRange(
      start: SourcePosition(offset: bytes[0], line: numbers[0], column: numbers[1]),
      end: SourcePosition(offset: bytes[1], line: numbers[2], column: numbers[3]))
  }
}
