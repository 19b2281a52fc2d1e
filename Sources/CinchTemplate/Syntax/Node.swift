/// One node of a parsed YAML or JSON document, located by its exact byte span.
///
/// Both parsers compose the same values: scalars stay text (YAML 1.1's `2010-09-09` is not a
/// date, `012` is not octal), mappings keep their keys in order and located, and every
/// CloudFormation intrinsic function, short (`!Ref X`) or long (`{"Ref": "X"}`), becomes one
/// `.intrinsic` value that remembers which form it was written in.
public struct Node: Sendable {
  /// Only an intrinsic, which holds a node itself, is boxed: scalars and collections are kept
  /// in the node (an array is a reference already), where a box for every node had been one
  /// allocation per scalar of the template.
  public enum Value: Sendable {
    case scalar(String)
    case sequence([Node])
    case mapping([Entry])
    indirect case intrinsic(Intrinsic)
  }

  public var value: Value
  public var style: NodeStyle
  /// The tag as written and resolved by the parser (`!Ref`, `tag:yaml.org,2002:str`), if any.
  public var tag: String?
  /// The span of the node's text; for an alias this is the anchored node's span.
  public var range: SourceRange

  public init(_ value: Value, style: NodeStyle, tag: String? = nil, range: SourceRange) {
    self.value = value
    self.style = style
    self.tag = tag
    self.range = range
  }
}

/// A mapping entry; keys are nodes so that they carry their own location.
public struct Entry: Sendable {
  public var key: Node
  public var value: Node

  public init(key: Node, value: Node) {
    self.key = key
    self.value = value
  }

  /// The key's text (keys are scalars in every template we accept).
  public var name: String { key.scalar ?? "" }
}

/// How a node was written. JSON strings are `.doubleQuoted`, JSON numbers, booleans and
/// null `.plain`, JSON objects and arrays `.flow`.
public enum NodeStyle: String, Sendable, Hashable {
  case plain
  case singleQuoted = "single-quoted"
  case doubleQuoted = "double-quoted"
  case literal
  case folded
  case block
  case flow
}

extension Node {
  public var scalar: String? {
    if case .scalar(let text) = value { return text }
    return nil
  }

  /// The scalar as CloudFormation reads it: it parses YAML as YAML 1.1, where a plain
  /// `yes`/`No`/`ON`/`off`/`True` is a boolean, which reaches a string property, a parameter
  /// default or a condition as `true` or `false` (the aws CLI's `cloudformation package`
  /// quotes them for that reason: aws/aws-cli#5245), and a plain `010`, `0x1A`, `1_000` or
  /// `1:20` an integer, which reaches them in decimal (`YAML11Integer`). Quoted or tagged text
  /// is as written. (YAML 1.1's floats are left as written: how CloudFormation prints one is
  /// not documented.)
  public var scalarAsRead: String? {
    guard case .scalar(let text) = value else { return nil }
    guard style == .plain, tag == nil, let first = text.utf8.first else { return text }
    if text.utf8.count <= 5, let boolean = Self.yaml11Booleans[text] { return boolean }
    // Only what starts as a number can be one; most plain scalars are words.
    guard (0x30...0x39).contains(first) || first == 0x2B || first == 0x2D else { return text }
    return YAML11Integer.decimal(text) ?? text
  }

  /// YAML 1.1's booleans (its `bool` type's regular expression, as SnakeYAML and PyYAML
  /// resolve it: no `y`/`n`).
  static let yaml11Booleans: [String: String] = {
    var table: [String: String] = [:]
    for (words, value) in [
      (["yes", "true", "on"], "true"), (["no", "false", "off"], "false"),
    ] {
      for word in words {
        for spelling in [word, word.prefix(1).uppercased() + word.dropFirst(), word.uppercased()] {
          table[spelling] = value
        }
      }
    }
    return table
  }()

  public var sequence: [Node]? {
    if case .sequence(let items) = value { return items }
    return nil
  }

  public var mapping: [Entry]? {
    if case .mapping(let entries) = value { return entries }
    return nil
  }

  public var intrinsic: Intrinsic? {
    if case .intrinsic(let intrinsic) = value { return intrinsic }
    return nil
  }

  /// The value of the first entry named `key`, when this node is a mapping.
  public subscript(key: String) -> Node? {
    guard case .mapping(let entries) = value else { return nil }
    return entries.first { $0.key.scalar == key }?.value
  }

  /// The value of the first entry whose key reads as `key` (`scalarAsRead`): a plain `yes:`
  /// key is `true` to CloudFormation, as a lookup of it is.
  public subscript(read key: String) -> Node? {
    guard case .mapping(let entries) = value else { return nil }
    return entries.first { $0.key.scalarAsRead == key }?.value
  }

  /// The entry named `key`, with its key's location.
  public func entry(_ key: String) -> Entry? {
    guard case .mapping(let entries) = value else { return nil }
    return entries.first { $0.key.scalar == key }
  }

  /// Whether a scalar was written as YAML null (`~`, `null`, empty) rather than as text.
  public var isNull: Bool {
    guard case .scalar(let text) = value, style == .plain, tag == nil else { return false }
    return text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
  }
}
