/// `Docs/Diagnostics.md`: the catalogue of every diagnostic code as Markdown, one table per
/// family (code, name, default severity, summary), generated from `DiagnosticCode.all` so the
/// document can never disagree with the code. A test fails when the committed file is stale.
public struct DiagnosticsCatalogueRenderer: Sendable {
  public var codes: [DiagnosticCode]

  public init(codes: [DiagnosticCode] = DiagnosticCode.all) {
    self.codes = codes
  }

  public func render() -> String {
    var lines: [String] = [
      "<!-- Generated from DiagnosticCode.all by DiagnosticsCatalogueRenderer. Do not edit:",
      "     change Sources/CinchTemplate/Diagnostics/DiagnosticCode+Catalogue.swift, then run",
      "     `RECORD_FIXTURES=1 swift test` to regenerate this file. -->",
      "",
      "# Diagnostics",
      "",
      "Every problem cinch reports has a code such as `E2003` and a name such as",
      "`version-not-a-number`; either one selects it (for example in `--ignore`). The letter is",
      "the default severity (`E` error, `W` warning, `I` info) and the first digit the family.",
      "An error makes `cinch check` exit with status 1; warnings and infos do not.",
      "",
    ]
    let counts = Dictionary(grouping: codes, by: \.defaultSeverity).mapValues(\.count)
    func count(_ number: Int, _ one: String, _ many: String) -> String {
      "\(number) \(number == 1 ? one : many)"
    }
    lines.append(
      count(codes.count, "code", "codes") + ": "
        + count(counts[.error] ?? 0, "error", "errors") + ", "
        + count(counts[.warning] ?? 0, "warning", "warnings") + ", "
        + count(counts[.info] ?? 0, "info", "infos") + ".")
    for family in DiagnosticCode.Family.allCases {
      let members = codes.filter { $0.family == family }
      guard !members.isEmpty else { continue }
      lines += [
        "",
        "## \(family.rawValue) · \(family.title)",
        "",
        "| Code | Name | Severity | Summary |",
        "|------|------|----------|---------|",
      ]
      for code in members {
        lines.append(
          "| <a id=\"\(code.id.lowercased())\"></a>\(code.id) | `\(code.name)` | "
            + "\(code.defaultSeverity.label) | \(Self.cell(code.summary)) |")
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// Table-cell text: a `|` would end the cell, a line break the row.
  static func cell(_ text: String) -> String {
    var result = ""
    for character in text {
      switch character {
      case "|": result += "\\|"
      case "\n", "\r\n", "\r": result += " "
      default: result.append(character)
      }
    }
    return result
  }
}
