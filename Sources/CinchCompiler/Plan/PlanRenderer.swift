import CinchJSON

/// A plan as text: for a terminal, as JSON, or as Markdown for a pull-request comment. Lengths
/// and fingerprint comparisons only; a value never appears.
public struct PlanRenderer: Sendable {
  public enum Format: String, Sendable, CaseIterable {
    case human, json, markdown
  }

  public let format: Format

  public init(format: Format) {
    self.format = format
  }

  public func render(_ plan: Plan) -> String {
    switch format {
    case .human: human(plan)
    case .json: json(plan)
    case .markdown: markdown(plan)
    }
  }

  private static func symbol(_ status: Plan.Status) -> String {
    switch status {
    case .unchanged: "="
    case .rewritten: "*"
    case .moved: "~"
    case .added: "+"
    case .dropped: "-"
    case .failed: "!"
    case .notPlanned: "?"
    }
  }

  private static func name(_ key: ResolutionKey) -> String {
    var text = "\(key.kind.rawValue) \(key.name)"
    if let jsonKey = key.jsonKey { text += " [\(jsonKey)]" }
    return text
  }

  private static func requested(_ key: ResolutionKey) -> String {
    switch key.selector {
    case .latest: key.kind == .secretsManager ? "default AWSCURRENT" : "latest"
    case .version(let version): String(version)
    case .stage(let stage): stage
    case .versionId(let id): id
    }
  }

  private static func value(_ change: Plan.Change) -> String {
    // The value's length (of a String parameter only), or that it is a secret.
    let detail =
      change.length.map { ", \($0) bytes" } ?? (change.key.kind == .ssm ? "" : " (secret)")
    switch change.status {
    case .dropped: return "no template reads it"
    case .failed where change.current != nil:
      // The reference reads, the version the lock pins does not.
      return change.failure?.code == .versionNotFound
        ? "locked version gone" : "locked version cannot be read"
    case .failed: return "cannot be read"
    case .notPlanned: return "its template did not load"
    case .added: return change.length.map { "new, \($0) bytes" } ?? "new"
    case .rewritten:
      guard let locked = change.locked, let current = change.current,
        !locked.isAtVersion(of: current)
      else { return "another value at the locked version" + detail }
      // Moved too: what the new version holds, against the lock's fingerprint.
      return "another value at the locked version; now: "
        + (change.valueChanged == false ? "same value as locked" : "value changed") + detail
    case .unchanged, .moved:
      let verdict: String =
        switch change.valueChanged {
        case true?: "value changed"
        case false?: "same value"
        case nil: "value not comparable"
        }
      return verdict + detail
    }
  }

  private static func summary(_ plan: Plan) -> String {
    "\(plan.count(.moved)) to move, \(plan.count(.added)) to add, \(plan.count(.dropped)) to drop, "
      + "\(plan.count(.unchanged)) unchanged"
      + (plan.count(.rewritten) > 0
        ? ", \(plan.count(.rewritten)) with another value at the locked version" : "")
      + (plan.count(.failed) > 0 ? ", \(plan.count(.failed)) unreadable" : "")
      + (plan.count(.notPlanned) > 0
        ? ", \(plan.count(.notPlanned)) not planned (a template did not load)" : "")
      + comparability(plan)
  }

  /// `; values not comparable (W4012)` when no pin can be compared (another key), the count
  /// when only some cannot (edited entries).
  private static func comparability(_ plan: Plan) -> String {
    let missing = plan.notComparable
    guard missing > 0 else { return "" }
    let compared = plan.count(.unchanged) + plan.count(.moved)
    if missing == compared { return "; values not comparable (W4012)" }
    return "; \(missing) \(missing == 1 ? "value" : "values") not comparable (W4012)"
  }

  private func human(_ plan: Plan) -> String {
    var rows: [[String]] = []
    for change in plan.changes {
      rows.append([
        Self.symbol(change.status), Self.name(change.key), Self.requested(change.key),
        change.locked?.versionText ?? "-", change.current?.versionText ?? "-", Self.value(change),
      ])
    }
    var text = "plan against \(plan.against): \(Self.summary(plan))\n"
    guard !rows.isEmpty else { return text }
    let header = ["", "REFERENCE", "REQUESTED", "LOCKED", "NOW", "VALUE"]
    var widths = header.map(\.count)
    for row in rows {
      for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
    }
    for row in [header] + rows {
      var line = ""
      for (index, cell) in row.enumerated() {
        line +=
          index == row.count - 1
          ? cell : cell + String(repeating: " ", count: widths[index] - cell.count + 2)
      }
      text += line.trimmingTrailingSpaces() + "\n"
    }
    return text
  }

  private func json(_ plan: Plan) -> String {
    func pin(_ pin: Pin?) -> JSONValue {
      guard let pin else { return .null }
      return .object([
        ("version", .int(pin.version)), ("versionId", .string(pin.versionId)),
        ("stage", .string(pin.stage)), ("arn", .string(pin.arn)),
      ])
    }
    return JSONValue.object([
      ("against", .string(plan.against)),
      (
        "summary",
        .object([
          ("moved", .int(plan.count(.moved))), ("added", .int(plan.count(.added))),
          ("dropped", .int(plan.count(.dropped))), ("unchanged", .int(plan.count(.unchanged))),
          ("rewritten", .int(plan.count(.rewritten))),
          ("failed", .int(plan.count(.failed))), ("notPlanned", .int(plan.count(.notPlanned))),
          ("fingerprintsComparable", .bool(plan.fingerprintsComparable)),
        ])
      ),
      (
        "changes",
        .array(
          plan.changes.map { change in
            .object([
              ("status", .string(change.status.rawValue)),
              ("kind", .string(change.key.kind.rawValue)),
              ("name", .string(change.key.name)),
              ("jsonKey", .string(change.key.jsonKey)),
              ("requested", .string(change.key.selector.description)),
              ("locked", pin(change.locked)),
              ("now", pin(change.current)),
              ("valueChanged", change.valueChanged.map(JSONValue.bool) ?? .null),
              ("length", .int(change.length)),
              ("sites", .array(change.sites.map(JSONValue.string))),
            ])
          })
      ),
    ]).pretty()
  }

  private func markdown(_ plan: Plan) -> String {
    var text = "### cinch plan\n\nAgainst `\(plan.against)`: \(Self.summary(plan)).\n"
    let interesting = plan.changes.filter { $0.status != .unchanged }
    guard !interesting.isEmpty else { return text + "\nNo reference changes.\n" }
    text += "\n| | Reference | Requested | Locked | Now | Value | Used at |\n"
    text += "|---|---|---|---|---|---|---|\n"
    for change in interesting {
      let sites =
        change.sites.prefix(3).map(Self.codeSpan).joined(separator: "<br>")
        + (change.sites.count > 3 ? "<br>+\(change.sites.count - 3) more" : "")
      text +=
        "| \(Self.symbol(change.status)) | \(Self.codeSpan(Self.name(change.key))) "
        + "| \(Self.escape(Self.requested(change.key))) | \(change.locked?.versionText ?? "–") "
        + "| \(change.current?.versionText ?? "–") | \(Self.value(change)) | \(sites) |\n"
    }
    return text
  }

  private static func escape(_ text: String) -> String {
    text.replacingOccurrences(of: "|", with: "\\|")
  }

  /// `text` as a code span in a table cell: GFM splits cells at a `|` even inside a code span,
  /// so it is escaped (`\|` shows as `|`), and a backtick in the text gets a longer fence, padded
  /// with a space where the text starts or ends with one (CommonMark 6.1).
  static func codeSpan(_ text: String) -> String {
    var longest = 0
    var run = 0
    for character in text {
      run = character == "`" ? run + 1 : 0
      longest = max(longest, run)
    }
    let fence = String(repeating: "`", count: longest + 1)
    let pad = text.first == "`" || text.last == "`" ? " " : ""
    return fence + pad + escape(text) + pad + fence
  }
}

extension String {
  fileprivate func trimmingTrailingSpaces() -> String {
    var copy = self
    while copy.hasSuffix(" ") { copy.removeLast() }
    return copy
  }

  fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
    split(separator: Character(target), omittingEmptySubsequences: false).joined(
      separator: replacement)
  }
}
