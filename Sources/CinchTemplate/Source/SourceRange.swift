/// A point in a source file: a byte offset (0-based) and the 1-based line and column
/// (column counted in Unicode scalars) that a person reads.
public struct SourcePosition: Sendable, Hashable, Comparable, CustomStringConvertible {
  public var offset: Int
  public var line: Int
  public var column: Int

  public init(offset: Int, line: Int, column: Int) {
    self.offset = offset
    self.line = line
    self.column = column
  }

  public static func < (lhs: SourcePosition, rhs: SourcePosition) -> Bool {
    lhs.offset < rhs.offset
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
