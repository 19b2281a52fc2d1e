package import CinchJSON
import CinchTemplate

/// `--output table`: the response as box-drawn sections titled by the operation name, laid out
/// by the aws CLI's table rules:
/// - an object becomes a section whose scalar members form one row under a header of their keys
///   (sorted); a single scalar member prints as a `key | value` row; each non-scalar member
///   becomes a sub-section, indented one level, titled by its key;
/// - a list of objects becomes one section with the union of the scalar keys as header and one
///   row per element; when elements have non-scalar members, each element gets its own section;
/// - a list of scalars prints one value per row;
/// - columns are scaled to the widest section; when that is wider than the terminal (80 columns
///   when stdout is not a terminal), every one-row section is turned on its side;
/// - East Asian wide and ambiguous characters count two columns.
package struct AWSTableFormatter: Sendable {
  package struct Error: Swift.Error, Sendable, Equatable, CustomStringConvertible {
    package var description: String
  }

  package var terminalWidth: Int
  /// The aws CLI's colorized styler: row values bright blue, indentation bars dim yellow.
  package var colored: Bool

  package init(terminalWidth: Int = 80, colored: Bool = false) {
    self.terminalWidth = terminalWidth
    self.colored = colored
  }

  /// The table for `value`, or the empty string when `value` is empty or null (the aws CLI
  /// prints nothing then).
  package func format(_ value: JSONValue, title: String) throws(Error) -> String {
    var builder = TableBuilder()
    guard try builder.build(title: title, value, indentLevel: 0) else { return "" }
    return render(builder.sections)
  }

  // MARK: Rendering

  private func render(_ original: [TableSection]) -> String {
    var sections = original
    var maxWidth = Self.maximumWidth(sections)
    if maxWidth > terminalWidth {
      sections = sections.map { $0.turnedOnItsSide() }
      maxWidth = Self.maximumWidth(sections)
    }
    var output = String(repeating: "-", count: maxWidth) + "\n"
    for section in sections { renderSection(section, maxWidth: maxWidth, into: &output) }
    return output
  }

  private static func maximumWidth(_ sections: [TableSection]) -> Int {
    sections.map { $0.totalWidth(padding: 4, outerPadding: $0.indentLevel) }.max() ?? 0
  }

  private func renderSection(
    _ section: TableSection, maxWidth fullWidth: Int, into output: inout String
  ) {
    let bar = colored ? "\u{1B}[2m\u{1B}[33m|\u{1B}[0m" : "|"
    let indent = String(repeating: bar, count: section.indentLevel)
    func line(_ text: String) { output += indent + text + indent + "\n" }
    let maxWidth = fullWidth - section.indentLevel * 2
    if !section.title.isEmpty {
      line(Self.centered(section.title, length: maxWidth, left: "|", right: "|"))
      if section.headers.isEmpty && section.rows.isEmpty {
        line("+" + String(repeating: "-", count: maxWidth - 2) + "+")
      }
    }
    if !section.headers.isEmpty {
      let widths = section.columnWidths(padding: 4, maxWidth: maxWidth)
      line(Self.lineBreak(widths))
      var text = ""
      for (index, (width, header)) in zip(widths, section.headers).enumerated() {
        text += Self.centered(header, length: width, left: index == 0 ? "|" : "", right: "|")
      }
      line(text)
    }
    guard !section.rows.isEmpty else { return }
    let widths = section.columnWidths(padding: 4, maxWidth: maxWidth)
    guard !widths.isEmpty else { return }
    line(Self.lineBreak(widths))
    for row in section.rows {
      var text = ""
      for (index, (width, element)) in zip(widths, row).enumerated() {
        let styled = colored ? "\u{1B}[1m\u{1B}[34m" + element + "\u{1B}[0m" : element
        text += Self.leftAligned(
          styled, textLength: DisplayWidth.awsTable(element), length: width,
          left: index == 0 ? "|" : "",
          right: "|")
      }
      line(text)
    }
    line(Self.lineBreak(widths))
  }

  /// `+-----+------+`: the first cell carries both corners.
  private static func lineBreak(_ widths: [Int]) -> String {
    var text = ""
    for (index, width) in widths.enumerated() {
      text += index == 0 ? "+" + dashes(width - 2) + "+" : dashes(width - 1) + "+"
    }
    return text
  }

  private static func dashes(_ count: Int) -> String {
    String(repeating: "-", count: max(0, count))
  }
  private static func spaces(_ count: Int) -> String {
    String(repeating: " ", count: max(0, count))
  }

  private static func centered(_ text: String, length: Int, left: String, right: String) -> String {
    let textLength = DisplayWidth.awsTable(text)
    let start = length / 2 - textLength / 2 - 1
    let soFar = DisplayWidth.awsTable(left) + start + textLength
    return left + spaces(start) + text + spaces(length - DisplayWidth.awsTable(right) - soFar)
      + right
  }

  private static func leftAligned(
    _ text: String, textLength: Int, length: Int, left: String, right: String
  ) -> String {
    let needed = textLength + 2 + DisplayWidth.awsTable(left) + DisplayWidth.awsTable(right)
    let padding = length - needed >= 0 ? 2 : 0
    let soFar = left.unicodeScalars.count + padding + textLength
    return left + spaces(padding) + text + spaces(length - soFar - right.unicodeScalars.count)
      + right
  }
}

/// One titled block of the table: optional header, rows of cells, nesting level.
struct TableSection {
  var title = ""
  var headers: [String] = []
  var rows: [[String]] = []
  var indentLevel = 0
  private var columnCount: Int?
  private var maxWidths: [Int] = []

  init(title: String = "", indentLevel: Int = 0) {
    self.title = title
    self.indentLevel = indentLevel
  }

  mutating func setHeaders(_ newHeaders: [String]) {
    updateWidths(newHeaders)
    if columnCount == nil { columnCount = newHeaders.count }
    headers = newHeaders
  }

  mutating func addRow(_ row: [String]) throws(AWSTableFormatter.Error) {
    if columnCount == nil { columnCount = row.count }
    if let columnCount, row.count != columnCount {
      throw AWSTableFormatter.Error(
        description: "Row should have \(columnCount) elements, instead it has \(row.count)")
    }
    rows.append(row)
    updateWidths(row)
  }

  private mutating func updateWidths(_ cells: [String]) {
    if maxWidths.isEmpty {
      maxWidths = cells.map(DisplayWidth.awsTable)
    } else {
      for (index, cell) in cells.enumerated() where index < maxWidths.count {
        maxWidths[index] = max(maxWidths[index], DisplayWidth.awsTable(cell))
      }
    }
  }

  func totalWidth(padding: Int, outerPadding: Int) -> Int {
    let columns = maxWidths.reduce(0) { $0 + $1 + padding } + 2 + outerPadding * 2
    return max(DisplayWidth.awsTable(title) + 2 + outerPadding * 2, columns)
  }

  /// Column widths scaled so they add up to `maxWidth`, rounding half to even and then taking
  /// the difference off (or adding it to) the columns from the left (from the right).
  func columnWidths(padding: Int, maxWidth: Int) -> [Int] {
    let unscaled = maxWidths.map { $0 + padding }
    guard !unscaled.isEmpty else { return [] }
    let scale = Double(maxWidth) / Double(unscaled.reduce(0, +))
    var scaled = unscaled.map { Int((scale * Double($0)).rounded(.toNearestOrEven)) }
    var offBy = scaled.reduce(0, +) - maxWidth
    while offBy != 0 {
      let order = offBy < 0 ? Array(scaled.indices.reversed()) : Array(scaled.indices)
      for index in order {
        if offBy > 0 {
          scaled[index] -= 1
          offBy -= 1
        } else {
          scaled[index] += 1
          offBy += 1
        }
        if offBy == 0 { break }
      }
    }
    return scaled
  }

  /// A one-row section with a header becomes `header | value` rows.
  func turnedOnItsSide() -> TableSection {
    guard rows.count == 1, !headers.isEmpty else { return self }
    var section = TableSection(title: title, indentLevel: indentLevel)
    for (header, element) in zip(headers, rows[0]) {
      try? section.addRow([header, element])
    }
    return section
  }
}

/// Walks a response into sections the way the aws CLI's table formatter does.
private struct TableBuilder {
  var sections: [TableSection] = []

  private mutating func newSection(_ title: String, indentLevel: Int) {
    sections.append(TableSection(title: title, indentLevel: indentLevel))
  }

  private mutating func addRow(_ cells: [JSONValue]) throws(AWSTableFormatter.Error) {
    if sections.isEmpty { sections.append(TableSection()) }
    try sections[sections.count - 1].addRow(cells.map(PythonText.str))
  }

  private mutating func setHeaders(_ headers: [String]) {
    if sections.isEmpty { sections.append(TableSection()) }
    sections[sections.count - 1].setHeaders(headers)
  }

  /// Python's truthiness: nothing is drawn for null, false, zero, "" or an empty container.
  private static func isEmpty(_ value: JSONValue) -> Bool {
    switch value {
    case .null: true
    case .bool(let bool): !bool
    case .integer(let integer): integer == 0
    case .double(let double): double == 0
    case .string(let string): string.isEmpty
    case .array(let array): array.isEmpty
    case .object(let object): object.isEmpty
    }
  }

  mutating func build(title: String?, _ current: JSONValue, indentLevel: Int)
    throws(AWSTableFormatter.Error) -> Bool
  {
    if Self.isEmpty(current) { return false }
    if let title { newSection(title, indentLevel: indentLevel) }
    switch current {
    case .array(let list):
      if list.first?.objectValue != nil {
        try buildFromList(list, indentLevel: indentLevel, title: title)
      } else {
        for item in list {
          switch item {
          case .array(let inner) where inner.allSatisfy(\.isScalar):
            try addRow(inner)
          case .object(let object):
            // Iterating a dict yields its keys, which are all scalars.
            try addRow(object.keys.map(JSONValue.string))
          case .array:
            _ = try build(title: nil, item, indentLevel: 0)
          default:
            try addRow([item])
          }
        }
      }
    case .object(let object):
      try buildFromObject(object, indentLevel: indentLevel)
    default:
      break
    }
    return true
  }

  private mutating func buildFromObject(_ object: JSONObject, indentLevel: Int)
    throws(AWSTableFormatter.Error)
  {
    let (headers, more) = Self.scalarKeys(object)
    if headers.count == 1, let value = object[headers[0]] {
      try addRow([.string(headers[0]), value])
    } else if !headers.isEmpty {
      setHeaders(headers)
      try addRow(headers.map { object[$0] ?? .string("") })
    }
    for key in more {
      if let value = object[key] { _ = try build(title: key, value, indentLevel: indentLevel + 1) }
    }
  }

  private mutating func buildFromList(_ list: [JSONValue], indentLevel: Int, title: String?)
    throws(AWSTableFormatter.Error)
  {
    var headerSet = Set<String>()
    var moreSet = Set<String>()
    for element in list {
      let (headers, more) = Self.scalarKeys(element.objectValue ?? JSONObject())
      headerSet.formUnion(headers)
      moreSet.formUnion(more)
    }
    let headers = pythonSorted(Array(headerSet))
    let more = pythonSorted(Array(moreSet))
    setHeaders(headers)
    for (index, element) in list.enumerated() {
      let object = element.objectValue ?? JSONObject()
      if index > 0 && !more.isEmpty {
        newSection(title ?? "", indentLevel: indentLevel)
        setHeaders(headers)
      }
      try addRow(headers.map { object[$0] ?? .string("") })
      for key in more {
        if let value = object[key] {
          _ = try build(title: key, value, indentLevel: indentLevel + 1)
        }
      }
    }
  }

  private static func scalarKeys(_ object: JSONObject) -> (headers: [String], more: [String]) {
    var headers: [String] = []
    var more: [String] = []
    for member in object {
      if member.value.isScalar { headers.append(member.key) } else { more.append(member.key) }
    }
    return (pythonSorted(headers), pythonSorted(more))
  }
}
