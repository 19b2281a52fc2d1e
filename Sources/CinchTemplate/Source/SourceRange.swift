/// A point in a source file: a byte offset (0-based) and the 1-based line and column
/// (column counted in Unicode scalars) that a person reads.
///
/// Kept in 32 bits each (12 bytes, not 24): every node of a parsed template carries two, and
/// at 10,000 resources the tree's positions were a fifth of `lock`'s memory. Files are read
/// only up to `SourcePosition.maxOffset` bytes (`ParseLimits`), so nothing is cut short.
public struct SourcePosition: Sendable, Hashable, Comparable, CustomStringConvertible {
  private var storedOffset: UInt32
  private var storedLine: UInt32
  private var storedColumn: UInt32

  /// The largest offset, line or column a position holds; larger values saturate.
  public static let maxOffset = Int(UInt32.max)

  public var offset: Int {
    get { Int(storedOffset) }
    set { storedOffset = UInt32(clamping: newValue) }
  }
  public var line: Int {
    get { Int(storedLine) }
    set { storedLine = UInt32(clamping: newValue) }
  }
  public var column: Int {
    get { Int(storedColumn) }
    set { storedColumn = UInt32(clamping: newValue) }
  }

  public init(offset: Int, line: Int, column: Int) {
    storedOffset = UInt32(clamping: offset)
    storedLine = UInt32(clamping: line)
    storedColumn = UInt32(clamping: column)
  }

  public static func < (lhs: SourcePosition, rhs: SourcePosition) -> Bool {
    lhs.storedOffset < rhs.storedOffset
  }

  public var description: String { "\(line):\(column)" }
}

/// A half-open span of bytes `[start, end)` in one file.
public struct SourceRange: Sendable, Hashable, CustomStringConvertible {
  public var start: SourcePosition
  public var end: SourcePosition

  public init(start: SourcePosition, end: SourcePosition) {
    self.start = start
    self.end = end
  }

  public var bytes: Range<Int> { start.offset..<end.offset }

  public var description: String {
    "\(start.line):\(start.column)-\(end.line):\(end.column) [\(start.offset)..<\(end.offset)]"
  }
}

/// Where a value sits in a template: `["Resources", "Db", "Properties", "MasterUserPassword"]`.
/// Sequence elements appear as their decimal index.
public struct TemplatePath: Sendable, Hashable, CustomStringConvertible,
  ExpressibleByArrayLiteral
{
  public var components: [String]

  public init(_ components: [String] = []) { self.components = components }
  public init(arrayLiteral elements: String...) { self.components = elements }

  public func appending(_ component: String) -> TemplatePath {
    TemplatePath(components + [component])
  }

  public func appending(_ index: Int) -> TemplatePath {
    TemplatePath(components + [String(index)])
  }

  public var isEmpty: Bool { components.isEmpty }
  public var first: String? { components.first }

  public subscript(index: Int) -> String? {
    components.indices.contains(index) ? components[index] : nil
  }

  /// `Resources/Db/Properties/MasterUserPassword`
  public var description: String { components.joined(separator: "/") }
}
