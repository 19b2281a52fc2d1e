import CinchJSON
import Foundation
import PropertyBased
import Testing
import _CinchTestSupport

@testable import CinchTemplate

/// Scalars of every kind a template holds: ASCII, tabs and other controls, Latin, CJK, emoji.
let templateScalar = Gen<UInt32>.value(in: 0...99).map { pick -> Unicode.Scalar in
  switch pick {
  case 0..<8: "\t"
  case 8..<12: Unicode.Scalar(UInt8(pick - 8 + 0x01))
  case 12..<16: Unicode.Scalar(0x1B)
  case 16..<30: ["é", "ü", "—", "…", "\u{202E}"][Int(pick) % 5]
  case 30..<40: ["日", "本", "語", "🚀", "☕"][Int(pick) % 5]
  case 40..<45: ["\"", "\\", "%", ":", ","][Int(pick) % 5]
  default: Unicode.Scalar(UInt8(0x20 + (pick * 7) % 95))
  }
}

let templateText = templateScalar.array(of: 0...60).map { scalars -> String in
  var text = ""
  text.unicodeScalars.append(contentsOf: scalars)
  return text
}

@Suite struct JSONValueTests {
  @Test func escapesQuotesBackslashesAndControls() {
    let text = "a\"b\\c\nd\re\tf\u{01}g\u{7F}h\u{08}\u{0C}é🚀"
    #expect(
      JSONValue.string(text).pretty()
        == "\"a\\\"b\\\\c\\nd\\re\\tf\\u0001g\\u007fh\\b\\fé🚀\"\n")
  }

  @Test func keepsKeyOrderAndIndentsByTwo() {
    let value = JSONValue.object([
      ("z", .int(1)), ("a", .array([])), ("m", .object([])),
      ("b", .array([.null, .bool(true), .string(nil)])),
    ])
    #expect(
      value.pretty() == """
        {
          "z": 1,
          "a": [],
          "m": {},
          "b": [
            null,
            true,
            null
          ]
        }

        """)
  }

  @Test func anyStringRoundTripsThroughAJSONParser() throws {
    try seededCheck(templateText) { text in
      let data = Data(JSONValue.array([.string(text)]).pretty().utf8)
      let parsed = try JSONSerialization.jsonObject(with: data) as? [String]
      #expect(parsed == [text])
    }
  }
}

@Suite struct HumanDiagnosticRendererTests {
  /// A byte-order mark is not a column: the first line is shown without it, so the caret sits
  /// under the column the header names.
  @Test func aByteOrderMarkIsNotShown() {
    let source = SourceFile(
      path: "t.json", bytes: [0xEF, 0xBB, 0xBF] + Array(#"{"a": "b c"}"#.utf8))
    let space = 3 + #"{"a": "b"#.utf8.count
    let diagnostic = Diagnostic(
      .versionNotANumber, "m", file: "t.json",
      range: source.range(fromByte: space, toByte: space + 1))
    let output = HumanDiagnosticRenderer(colored: false).render(
      [diagnostic], sources: ["t.json": source])
    #expect(output.hasPrefix("t.json:1:9: error[E2003]: m\n"), "\(output)")
    #expect(output.contains("\n{\"a\": \"b c\"}\n        ^\n"), "\(output)")
  }

  /// The scalar shown above the caret is the one the range starts at, however the line mixes
  /// tabs, wide and multi-byte characters, and however long it is.
  @Test func caretSitsUnderTheStartOfTheRange() throws {
    let generator = zip(
      templateText, templateText, Gen<Int>.value(in: 0...400), Gen<Int>.value(in: 0...30))
    try seededCheck(generator) { prefix, body, padding, length in
      let line = String(repeating: "a", count: padding) + prefix + body
      let source = SourceFile(path: "t.yaml", text: "first\n" + line + "\nlast\n")
      let scalars = Array(line.unicodeScalars)
      let startColumn = padding + prefix.unicodeScalars.count + 1
      let endColumn = min(startColumn + length, scalars.count + 1)
      let range = source.range(
        fromByte: source.byteOffset(line: 2, scalarColumn: startColumn - 1),
        toByte: source.byteOffset(line: 2, scalarColumn: endColumn - 1))
      let diagnostic = Diagnostic(.versionNotANumber, "m", file: "t.yaml", range: range)
      let output = HumanDiagnosticRenderer(maxLineWidth: 80).render(
        [diagnostic], sources: ["t.yaml": source])
      let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      try #require(lines.count == 4)
      let shown = Array(lines[1].unicodeScalars)
      let caretLine = Array(lines[2].unicodeScalars)
      let caret = try #require(caretLine.firstIndex(of: "^"))
      // The caret line stands for the shown scalars before the caret one by one: a tab by a
      // tab, anything else by the cells a terminal draws it in.
      var pad: [Unicode.Scalar] = []
      var covered = 0
      while pad.count < caret, covered < shown.count {
        let scalar = shown[covered]
        pad += scalar == "\t" ? ["\t"] : Array(repeating: " ", count: DisplayWidth.terminal(scalar))
        covered += 1
      }
      #expect(Array(caretLine[..<caret]) == pad)
      if startColumn - 1 < scalars.count {
        #expect(covered < shown.count)
        if covered < shown.count {
          #expect(shown[covered] == HumanDiagnosticRenderer.displayable(scalars[startColumn - 1]))
        }
      }
      #expect(shown.count <= 82)
      let marks = caretLine[caret...]
      #expect(marks.dropFirst().allSatisfy { $0 == "~" })
      let cells = scalars[(startColumn - 1)..<(endColumn - 1)].reduce(0) {
        $0 + DisplayWidth.terminal(HumanDiagnosticRenderer.displayable($1))
      }
      let wanted = max(1, cells)
      if scalars.count <= 80 {
        #expect(marks.count == wanted)
      } else {
        // Cut to the window: never past the text shown, never longer than the range.
        let shownCells = shown[covered...].reduce(0) { $0 + DisplayWidth.terminal($1) }
        #expect(marks.count >= 1 && marks.count <= wanted && marks.count <= shownCells + 1)
      }
    }
  }

  /// On a long line with many secrets and many findings, each finding's window masks exactly
  /// the secrets' columns in it, a secret cut by the window's edge included; spans given apart
  /// from the findings (`secrets:`) are masked like a sensitive finding's own.
  @Test func everyWindowOfALongLineMasksTheSecretsInIt() {
    var line = ""
    var secretColumns: [Range<Int>] = []
    for index in 0..<300 {
      line += "ref "
      let start = line.unicodeScalars.count
      line += "S\(index % 10)CRET"
      secretColumns.append(start..<line.unicodeScalars.count)
      line += " "
    }
    let source = SourceFile(path: "t.yaml", text: "first\n" + line + "\n")
    func range(_ columns: Range<Int>) -> SourceRange {
      source.range(
        fromByte: source.byteOffset(line: 2, scalarColumn: columns.lowerBound),
        toByte: source.byteOffset(line: 2, scalarColumn: columns.upperBound))
    }
    let findings = stride(from: 0, to: line.unicodeScalars.count, by: 97).map {
      Diagnostic(.versionNotANumber, "m", file: "t.yaml", range: range($0..<($0 + 3)))
    }
    let output = HumanDiagnosticRenderer(maxLineWidth: 80).render(
      findings, sources: ["t.yaml": source],
      secrets: ["t.yaml": secretColumns.dropFirst().map(range)])
    let shown = output.split(separator: "\n").filter { $0.contains("ref") }
    #expect(shown.count == findings.count)
    // The first secret was given to no one: it shows, in the first window only.
    #expect(shown.first?.hasPrefix("ref S0CRET ref ****** ref") == true)
    for text in shown.dropFirst() {
      #expect(!text.contains("RET") && !text.contains("CR") && !text.contains("ET "))
      #expect(text.contains("ref ****** ref"))
    }
  }

  /// A terminal draws East Asian wide characters and emoji in two columns: the caret line pads
  /// them with two spaces, so the caret stands under the range's first character as drawn,
  /// and the underline is as wide as the text it marks. The column in the header stays a
  /// count of scalars; tabs are still echoed.
  @Test func caretCountsTheColumnsWideCharactersTake() {
    let line = "\t  Value: \"é日本語😀 {{resolve:ssm:/qa/nope}}\""
    let source = SourceFile(path: "t.yaml", text: line + "\n")
    let reference = "{{resolve:ssm:/qa/nope}}"
    let range = source.range(
      fromByte: source.byteOffset(line: 1, scalarColumn: 17),
      toByte: source.byteOffset(line: 1, scalarColumn: 17 + reference.count))
    let wide = source.range(
      fromByte: source.byteOffset(line: 1, scalarColumn: 12),
      toByte: source.byteOffset(line: 1, scalarColumn: 15))
    let output = HumanDiagnosticRenderer().render(
      [
        Diagnostic(.versionNotANumber, "m", file: "t.yaml", range: range),
        Diagnostic(.versionNotANumber, "w", file: "t.yaml", range: wide),
      ], sources: ["t.yaml": source])
    // `é` is East Asian ambiguous, which terminals draw in one column.
    let pad = "\t" + String(repeating: " ", count: 10)
    #expect(
      output == """
        t.yaml:1:18: error[E2003]: m
        \(line)
        \(pad)\(String(repeating: " ", count: 10))^\(String(repeating: "~", count: 23))

        t.yaml:1:13: error[E2003]: w
        \(line)
        \(pad) ^~~~~~

        """)
  }

  /// Combining marks and zero-width joiners take no column, as `wcwidth` counts them: the
  /// caret after `e` + U+0301 or a zero-width joiner sits under its character. A zero-width
  /// space, a format character that would hide in a name, is shown as U+FFFD, in one.
  @Test(arguments: ["e\u{301}", "\u{200D}x", "a\u{200B}b", "\u{1F469}\u{200D}\u{1F467}"])
  func caretSkipsZeroWidthCharacters(_ prefix: String) {
    let line = "V: '\(prefix){{resolve:ssm:qa/x}}'"
    let source = SourceFile(path: "t.yaml", text: line + "\n")
    let column = 4 + prefix.unicodeScalars.count  // 0-based
    let range = source.range(
      fromByte: source.byteOffset(line: 1, scalarColumn: column),
      toByte: source.byteOffset(line: 1, scalarColumn: column + 1))
    let output = HumanDiagnosticRenderer().render(
      [Diagnostic(.invalidName, "m", file: "t.yaml", range: range)], sources: ["t.yaml": source])
    let cells = prefix.unicodeScalars.reduce(0) { width, scalar in
      switch scalar.value {
      case 0x301, 0x200D: width
      case 0x1F469, 0x1F467: width + 2
      default: width + 1
      }
    }
    let caretLine = output.split(separator: "\n", omittingEmptySubsequences: false)[2]
    #expect(caretLine == Substring(String(repeating: " ", count: 4 + cells) + "^"))
  }

  @Test func neverTrapsOnRangesOutsideTheFile() {
    let source = SourceFile(path: "t.yaml", text: "a: b\n")
    let positions = [
      SourcePosition(offset: 0, line: 0, column: 0),
      SourcePosition(offset: 3, line: 1, column: 99),
      SourcePosition(offset: 5, line: 2, column: 1),
      SourcePosition(offset: 50, line: 9, column: 4),
    ]
    for start in positions {
      for end in positions {
        let diagnostic = Diagnostic(
          .yamlSyntax, "m", file: "t.yaml", range: SourceRange(start: start, end: end),
          notes: [Diagnostic.Note("n", range: SourceRange(start: end, end: start))])
        let output = HumanDiagnosticRenderer(colored: true).render(
          [diagnostic], sources: ["t.yaml": source])
        #expect(output.hasPrefix("\u{1B}[1mt.yaml:\(start.line):\(start.column):\u{1B}[0m"))
      }
    }
  }

  @Test func controlCharactersAndBidiOverridesAreNotPrinted() {
    let diagnostic = Diagnostic(
      .invalidName, "name 'a\u{1B}[2Jb\u{202E}c' is odd", file: "t\u{07}.yaml")
    let output = HumanDiagnosticRenderer().render([diagnostic])
    #expect(output == "t\u{FFFD}.yaml: error[E2002]: name 'a\u{FFFD}[2Jb\u{FFFD}c' is odd\n")
  }

  /// What bytes that are not text decode to besides U+FFFD: format characters (a right-to-left
  /// mark, a byte-order mark mid-line, a language tag), line and paragraph separators and
  /// unassigned code points are not printed either; the joiners emoji and scripts need are.
  @Test func formatCharactersSeparatorsAndUnassignedCodePointsAreNotPrinted() {
    let line = "a\u{200F}b\u{2028}c\u{0378}d\u{FEFF}e\u{E0001}f\u{2029}g\u{200D}h\u{E9}"
    let source = SourceFile(path: "t.yaml", bytes: [0xFF] + Array(line.utf8) + [0x0A])
    let diagnostic = Diagnostic(
      .invalidUTF8, "m \u{200E}", file: "t.yaml", range: source.range(fromByte: 0, toByte: 1))
    let output = HumanDiagnosticRenderer().render([diagnostic], sources: ["t.yaml": source])
    #expect(
      output == """
        t.yaml:1:1: error[E0002]: m \u{FFFD}
        \u{FFFD}a\u{FFFD}b\u{FFFD}c\u{FFFD}d\u{FFFD}e\u{FFFD}f\u{FFFD}g\u{200D}h\u{E9}
        ^

        """)
  }

  @Test func blankLineBetweenDiagnosticsAndNothingAfterTheLast() {
    let a = Diagnostic(.emptyDocument, "the file holds no document", file: "a.yaml")
    let b = Diagnostic(.fileUnreadable, "cannot read 'b.yaml': no such file")
    #expect(
      HumanDiagnosticRenderer().render([a, b])
        == "a.yaml: warning[W0015]: the file holds no document\n\nerror[E0001]: cannot read 'b.yaml': no such file\n"
    )
    #expect(HumanDiagnosticRenderer().render([]) == "")
  }
}

@Suite struct DiagnosticOrderTests {
  /// Findings come in one order for the same files however they were named on the command line
  /// (`./x`, `x`, `$PWD/x`): CI logs and SARIF results of one run compare line by line.
  @Test func filesAreOrderedByWhereTheyAreNotHowTheyWereNamed() {
    let cwd = FileManager.default.currentDirectoryPath
    for template in ["infra/app.yaml", "./infra/app.yaml", cwd + "/infra/app.yaml"] {
      for lock in ["cinch.lock", "./cinch.lock", cwd + "/cinch.lock"] {
        var diagnostics = Diagnostics()
        diagnostics.report(Diagnostic(.lockEntryUnused, "unused", file: lock))
        diagnostics.report(Diagnostic(.notInLock, "missing", file: template))
        diagnostics.report(Diagnostic(.fileUnreadable, "no file"))
        #expect(
          diagnostics.sorted.map(\.message) == ["no file", "unused", "missing"],
          "\(template), \(lock)")
      }
    }
    // Two spellings of one file in one run are one file: by position.
    func at(_ offset: Int) -> SourceRange {
      let position = SourcePosition(offset: offset, line: 1, column: offset + 1)
      return SourceRange(start: position, end: position)
    }
    var mixed = Diagnostics()
    mixed.report(Diagnostic(.notInLock, "third", file: "./a.yaml", range: at(30)))
    mixed.report(Diagnostic(.notInLock, "first", file: "a.yaml", range: at(10)))
    mixed.report(Diagnostic(.notInLock, "second", file: "./a.yaml", range: at(20)))
    #expect(mixed.sorted.map(\.message) == ["first", "second", "third"])
  }
}

@Suite struct GitHubDiagnosticRendererTests {
  @Test func escapesDataAndProperties() {
    #expect(GitHubDiagnosticRenderer.escapeData("50%,a:b\r\nc") == "50%25,a:b%0D%0Ac")
    #expect(GitHubDiagnosticRenderer.escapeProperty("50%,a:b\r\nc") == "50%25%2Ca%3Ab%0D%0Ac")
  }

  @Test func escapingIsReversibleAndLeavesNoSeparator() {
    seededCheck(templateText) { text in
      let property = GitHubDiagnosticRenderer.escapeProperty(text)
      #expect(!property.contains(",") && !property.contains(":"))
      #expect(!property.contains("\n") && !property.contains("\r"))
      #expect(Self.unescape(property) == text)
      let data = GitHubDiagnosticRenderer.escapeData(text)
      #expect(!data.contains("\n") && !data.contains("\r"))
      #expect(Self.unescape(data) == text)
    }
  }

  @Test func columnsOnlyOnASingleLine() {
    let single = SourceRange(
      start: SourcePosition(offset: 10, line: 3, column: 5),
      end: SourcePosition(offset: 14, line: 3, column: 9))
    let multi = SourceRange(
      start: SourcePosition(offset: 10, line: 3, column: 5),
      end: SourcePosition(offset: 30, line: 5, column: 2))
    // A block scalar's range ends at the start of the line after its text: that line is not
    // the annotation's.
    let block = SourceRange(
      start: SourcePosition(offset: 10, line: 6, column: 5),
      end: SourcePosition(offset: 60, line: 9, column: 1))
    let oneLine = SourceRange(
      start: SourcePosition(offset: 10, line: 6, column: 5),
      end: SourcePosition(offset: 20, line: 7, column: 1))
    let output = GitHubDiagnosticRenderer().render([
      Diagnostic(.versionNotANumber, "a", file: "t.yaml", range: single),
      Diagnostic(.versionNotANumber, "b", file: "t.yaml", range: multi),
      Diagnostic(.versionNotANumber, "c", file: "t.yaml", range: block),
      Diagnostic(.versionNotANumber, "d", file: "t.yaml", range: oneLine),
    ])
    #expect(
      output == """
        ::error file=t.yaml,line=3,col=5,endLine=3,endColumn=8,title=E2003 version-not-a-number::a
        ::error file=t.yaml,line=3,endLine=5,title=E2003 version-not-a-number::b
        ::error file=t.yaml,line=6,endLine=8,title=E2003 version-not-a-number::c
        ::error file=t.yaml,line=6,endLine=6,title=E2003 version-not-a-number::d

        """)
  }

  /// A fork's pull request can put escape sequences in a template; none reaches the log.
  @Test func controlCharactersFromATemplateNeverReachTheLog() {
    let output = GitHubDiagnosticRenderer().render([
      Diagnostic(
        .invalidName, "name '/app/a\u{1B}[31mRED\u{1B}]0;t\u{7}\u{0}' is not valid",
        file: "t\u{1B}.yaml", notes: [.init("see \u{202E}here")])
    ])
    #expect(!output.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
    #expect(
      !output.unicodeScalars.contains { (0x7F..<0xA0).contains($0.value) || $0 == "\u{202E}" })
    #expect(output.contains("/app/a\u{FFFD}[31mRED"))
    #expect(output.hasSuffix("%0Anote: see \u{FFFD}here\n"))
  }

  /// A line break in a file's name is the runner's to escape (`%0A`, which it reads back as the
  /// name's own character, so the annotation lands on the file); other control characters in
  /// it still become U+FFFD.
  @Test func aLineBreakInAFileNameIsEscapedNotReplaced() {
    let output = GitHubDiagnosticRenderer().render([
      Diagnostic(.versionNotANumber, "a", file: "a\nb\r\u{1B}.yaml")
    ])
    #expect(
      output == "::error file=a%0Ab%0D\u{FFFD}.yaml,title=E2003 version-not-a-number::a\n")
  }

  /// A file named through a link to the repository (or to a folder in it) is named from the
  /// repository, whose path the CLI has resolved: GitHub finds it there.
  @Test func aFileReachedThroughALinkIsNamedFromTheRepository() throws {
    let root = FileManager.default.temporaryDirectory.path + "/cinch-gh-" + UUID().uuidString
    try FileManager.default.createDirectory(
      atPath: root + "/repo/infra", withIntermediateDirectories: true)
    try FileManager.default.createSymbolicLink(atPath: root + "/link", withDestinationPath: "repo")
    defer { try? FileManager.default.removeItem(atPath: root) }
    let real = URL(fileURLWithPath: root + "/repo").resolvingSymlinksInPath().path
    let renderer = GitHubDiagnosticRenderer(baseDirectory: real, workingDirectory: root)
    let output = renderer.render([
      Diagnostic(.versionNotANumber, "a", file: "link/infra/t.yaml"),
      Diagnostic(.versionNotANumber, "b", file: root + "/link/infra/t.yaml"),
    ])
    #expect(
      output == """
        ::error file=infra/t.yaml,title=E2003 version-not-a-number::a
        ::error file=infra/t.yaml,title=E2003 version-not-a-number::b

        """)
  }

  @Test func pathsAreNormalizedAndMadeRelativeToTheRepository() {
    let plain = GitHubDiagnosticRenderer()
    #expect(plain.displayed("./templates/../templates//rds.yaml") == "templates/rds.yaml")
    #expect(plain.displayed("/a/./b/../c.yaml") == "/a/c.yaml")
    let rooted = GitHubDiagnosticRenderer(
      baseDirectory: "/repo", workingDirectory: "/repo/templates")
    #expect(rooted.displayed("rds.yaml") == "templates/rds.yaml")
    #expect(rooted.displayed("/repo/Samples/a.yaml") == "Samples/a.yaml")
    #expect(rooted.displayed("/elsewhere/a.yaml") == "/elsewhere/a.yaml")
  }

  /// The runner's decoding: `%XX` for the few escaped characters.
  static func unescape(_ text: String) -> String {
    var result = text
    for (escaped, plain) in [
      ("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%"),
    ] {
      result = result.replacingOccurrences(of: escaped, with: plain)
    }
    return result
  }
}

@Suite struct SARIFDiagnosticRendererTests {
  static let renderer = SARIFDiagnosticRenderer(toolVersion: "0.1.0", baseDirectory: "/repo")

  @Test func fnv1aMatchesTheReferenceVectors() {
    #expect(SARIFDiagnosticRenderer.fnv1a64("".utf8) == 0xcbf2_9ce4_8422_2325)
    #expect(SARIFDiagnosticRenderer.fnv1a64("a".utf8) == 0xaf63_dc4c_8601_ec8c)
    #expect(SARIFDiagnosticRenderer.fnv1a64("foobar".utf8) == 0x8594_4171_f739_67e8)
  }

  /// Moving a finding to another line keeps its fingerprint; changing what it says does not.
  @Test func fingerprintIgnoresPositions() throws {
    func fingerprint(_ diagnostic: Diagnostic) throws -> String {
      let output = Self.renderer.render([diagnostic])
      let log = try #require(
        try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
      let run = try #require((log["runs"] as? [[String: Any]])?.first)
      let result = try #require((run["results"] as? [[String: Any]])?.first)
      return try #require((result["partialFingerprints"] as? [String: String])?["cinch/v2"])
    }
    let path: TemplatePath = ["Resources", "Db", "Properties", "MasterUserPassword"]
    let here = SourceRange(
      start: SourcePosition(offset: 100, line: 7, column: 27),
      end: SourcePosition(offset: 120, line: 7, column: 47))
    let there = SourceRange(
      start: SourcePosition(offset: 900, line: 41, column: 9),
      end: SourcePosition(offset: 920, line: 41, column: 29))
    let a = Diagnostic(
      .versionNotANumber, "version 'x' is not a number", file: "/repo/t.yaml", range: here,
      path: path)
    var b = a
    b.range = there
    b.file = "t.yaml"
    var c = a
    c.message = "version 'y' is not a number"
    var d = a
    d.path = ["Resources", "Other", "Properties", "MasterUserPassword"]
    #expect(try fingerprint(a) == fingerprint(b))
    #expect(try fingerprint(a) != fingerprint(c))
    #expect(try fingerprint(a) != fingerprint(d))
    #expect(try fingerprint(a).hasSuffix(":1"))
  }

  /// With the source at hand the fingerprint hashes what the finding is about, the text of its
  /// range: a message that changes with the store (`latest is 4`, not 3) keeps the alert, a
  /// finding on another reference does not, and a range that may hold a secret is never hashed.
  @Test func fingerprintHashesTheRangeNotTheMessage() throws {
    let text = "A: '{{resolve:ssm:/app/db:99}}'\nB: '{{resolve:ssm:/app/other:99}}'\n"
    let file = SourceFile(path: "t.yaml", text: text)
    func range(_ needle: String) -> SourceRange {
      let found = text.range(of: needle) ?? text.startIndex..<text.startIndex
      let start = text.utf8.distance(from: text.startIndex, to: found.lowerBound)
      let end = start + needle.utf8.count
      return SourceRange(
        start: file.position(atByte: start), end: file.position(atByte: end))
    }
    func fingerprint(_ diagnostic: Diagnostic) throws -> String {
      let output = Self.renderer.render([diagnostic], sources: ["t.yaml": file])
      let log = try #require(
        try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
      let run = try #require((log["runs"] as? [[String: Any]])?.first)
      let result = try #require((run["results"] as? [[String: Any]])?.first)
      return try #require((result["partialFingerprints"] as? [String: String])?["cinch/v2"])
    }
    let first = range("{{resolve:ssm:/app/db:99}}")
    let a = Diagnostic(
      .versionNotFound, "parameter '/app/db' has no version 99; latest is 3", file: "t.yaml",
      range: first)
    var b = a
    b.message = "parameter '/app/db' has no version 99; latest is 4"
    var c = a
    c.range = range("{{resolve:ssm:/app/other:99}}")
    #expect(try fingerprint(a) == fingerprint(b))
    #expect(try fingerprint(a) != fingerprint(c))
    var secret = a
    secret.sensitive = true
    var secretElsewhere = c
    secretElsewhere.sensitive = true
    // Sensitive: the message, not the text, so two ranges with one message hash alike.
    #expect(try fingerprint(secret) == fingerprint(secretElsewhere))
    #expect(
      SARIFDiagnosticRenderer.subject(of: secret, in: file) == secret.message)
  }

  /// `executionSuccessful` is false only when the run could not do its work; findings, even a
  /// file-less warning made an error by `--warnings-as-errors`, are a run that worked.
  @Test func executionFailsOnlyWhenTheRunCouldNotWork() throws {
    func invocation(_ diagnostics: [Diagnostic]) throws -> [String: Any]? {
      let output = Self.renderer.render(diagnostics)
      let log = try #require(
        try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
      let run = try #require((log["runs"] as? [[String: Any]])?.first)
      return (run["invocations"] as? [[String: Any]])?.first
    }
    var promoted = Diagnostic(.undeclaredParameter, "a value for Foo, which no template declares")
    promoted.severity = .error
    #expect(try invocation([promoted])?["executionSuccessful"] as? Bool == true)
    let notRun = Diagnostic(.checkNotRun, "broken.lock: not JSON", file: "broken.lock")
    #expect(try invocation([notRun])?["executionSuccessful"] as? Bool == false)
    let unread = Diagnostic(.fileUnreadable, "cannot read 'nope.yaml'", file: "nope.yaml")
    #expect(try invocation([unread])?["executionSuccessful"] as? Bool == false)
    #expect(try invocation([Diagnostic(.versionNotANumber, "x", file: "t.yaml")]) == nil)
  }

  @Test func identicalFindingsAreNumbered() throws {
    let diagnostic = Diagnostic(.nestedReference, "a reference inside a reference", file: "t.yaml")
    let output = Self.renderer.render([diagnostic, diagnostic])
    let hash = SARIFDiagnosticRenderer.fingerprint(
      code: "E2008", uri: "t.yaml", path: "", subject: "a reference inside a reference")
    #expect(output.contains("\"cinch/v2\": \"\(hash):1\""))
    #expect(output.contains("\"cinch/v2\": \"\(hash):2\""))
  }

  /// A malformed position from some stage still gives a file GitHub accepts.
  @Test func malformedPositionsAreClampedIntoTheSchema() throws {
    let zero = SourcePosition(offset: 0, line: 0, column: 0)
    let later = SourcePosition(offset: 40, line: 3, column: 9)
    let diagnostics = [
      Diagnostic(.yamlSyntax, "a", file: "t.yaml", range: SourceRange(start: zero, end: zero)),
      Diagnostic(.yamlSyntax, "b", file: "t.yaml", range: SourceRange(start: later, end: zero)),
    ]
    let output = Self.renderer.render(diagnostics)
    try SARIFRequirements.check(output, diagnostics: diagnostics)
    #expect(
      output.contains(
        "\"startLine\": 3,\n                  \"startColumn\": 9,\n                  \"endLine\": 3,\n                  \"endColumn\": 9,"
      ))
    if SARIFSchema.unavailableReason == nil {
      #expect(try SARIFSchema.validate(output) == "")
    }
  }

  @Test func percentEncodesWhatRFC3986Requires() {
    #expect(
      SARIFDiagnosticRenderer.percentEncoded("my stack,v2:é%.yaml")
        == "my%20stack,v2%3A%C3%A9%25.yaml")
    #expect(
      SARIFDiagnosticRenderer.percentEncoded("a-b_c.d~e!$&'()*+;=@") == "a-b_c.d~e!$&'()*+;=@")
    #expect(SARIFDiagnosticRenderer.percentEncoded("q?#[]") == "q%3F%23%5B%5D")
  }

  @Test func pathsAreMadeRelativeToTheBaseDirectory() {
    let renderer = SARIFDiagnosticRenderer(
      toolVersion: "0.1.0", baseDirectory: "/repo/./", workingDirectory: "/repo/templates")
    func uri(_ file: String) -> (String, Bool) {
      let location = renderer.artifactLocation(file)
      return (location.uri, location.relativeToRoot)
    }
    #expect(uri("rds.yaml") == ("templates/rds.yaml", true))
    #expect(uri("../Samples/a b.yaml") == ("Samples/a%20b.yaml", true))
    #expect(uri("/repo/templates//x/../y.json") == ("templates/y.json", true))
    #expect(uri("../../etc/passwd") == ("file:///etc/passwd", false))
    #expect(uri("/repository/t.yaml") == ("file:///repository/t.yaml", false))
    #expect(
      SARIFDiagnosticRenderer.directoryFileURI("/home/dev/my repo") == "file:///home/dev/my%20repo/"
    )
    #expect(SARIFDiagnosticRenderer.directoryFileURI("relative/dir") == nil)
  }

  @Test func shortDescriptionIsTheFirstClause() {
    #expect(
      SARIFDiagnosticRenderer.shortDescription(DiagnosticCode.fileUnreadable.summary)
        == "The file could not be read")
    #expect(
      SARIFDiagnosticRenderer.shortDescription(DiagnosticCode.unterminatedReference.summary)
        == "`{{resolve:` (or `<<resolve:`) is never closed")
    #expect(
      SARIFDiagnosticRenderer.shortDescription(DiagnosticCode.emptyVersion.summary)
        == "An `ssm`/`ssm-secure` reference ends with `:` and no version")
  }

  @Test func semanticVersions() {
    #expect(SARIFDiagnosticRenderer.isSemanticVersion("0.1.0"))
    #expect(SARIFDiagnosticRenderer.isSemanticVersion("1.20.3-beta.1+abc"))
    #expect(!SARIFDiagnosticRenderer.isSemanticVersion("1.2"))
    #expect(!SARIFDiagnosticRenderer.isSemanticVersion("01.2.3"))
    #expect(!SARIFDiagnosticRenderer.isSemanticVersion("dev"))
  }
}
