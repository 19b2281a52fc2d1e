import CinchTemplate

@testable import CinchCompiler

/// What a reader of a file gets from a node, written as text: values, keys, tags and
/// intrinsics, with ranges, styles and spellings left out. An `Fn::Join` reads as its joined
/// text (each piece known only after evaluation as a placeholder holding that piece's
/// canonical text), and an `Fn::Sub` string as its literal text and variables, so that a merged
/// piece or a `${!` escape compares equal when the meaning is the same.
///
/// `expected` overrides the canonical text of the nodes a rendering changes.
struct CanonicalTree {
  /// For a scalar of the original tree: the value it should have after rendering; for an
  /// `Fn::Sub` string or an `Fn::Join`: the canonical text it should have.
  var expected: (Node, Role) -> String? = { _, _ in nil }

  enum Role {
    case scalar
    case subString
    case join
  }

  func text(_ node: Node) -> String {
    switch node.value {
    case .scalar(let value):
      return Self.scalar(expected(node, .scalar) ?? value, tag: node.tag)
    case .sequence(let items):
      return "[" + items.map(text).joined(separator: ",") + "]"
    case .mapping(let entries):
      return "{" + entries.map { text($0.key) + ":" + text($0.value) }.joined(separator: ",") + "}"
    case .intrinsic(let intrinsic):
      let argument = intrinsic.argument
      switch intrinsic.function {
      case .sub:
        if let string = argument.scalar {
          return "Sub(" + (expected(argument, .subString) ?? Self.sub(string)) + ")"
        }
        if let items = argument.sequence, let string = items.first?.scalar {
          let rest = items.dropFirst().map(text).joined(separator: ",")
          return "Sub(" + (expected(items[0], .subString) ?? Self.sub(string)) + "," + rest + ")"
        }
      case .join:
        if let joined = joinedText(argument) {
          return "Join(" + (expected(node, .join) ?? joined) + ")"
        }
      default:
        break
      }
      return intrinsic.function.rawValue + "(" + text(argument) + ")"
    }
  }

  static func scalar(_ value: String, tag: String?) -> String {
    (tag.map { $0 + " " } ?? "") + value.debugDescription
  }

  /// An `Fn::Sub` string as its parts: literal text (adjacent runs joined) and variables.
  static func sub(_ string: String) -> String {
    sub(parts: SubTemplate(string).parts)
  }

  static func sub(parts: [SubTemplate.Part]) -> String {
    var output: [String] = []
    var pending = ""
    for part in parts {
      switch part {
      case .text(let text): pending += text
      case .variable(let name, _):
        if !pending.isEmpty { output.append(pending.debugDescription) }
        pending = ""
        output.append("${" + name + "}")
      }
    }
    if !pending.isEmpty { output.append(pending.debugDescription) }
    return output.joined(separator: "+")
  }

  /// `[delimiter, [pieces]]` as `delimiter|joined text`.
  func joinedText(_ argument: Node) -> String? {
    guard let arguments = argument.sequence, arguments.count == 2,
      let delimiter = arguments[0].scalar, let pieces = arguments[1].sequence
    else { return nil }
    let parts = pieces.map { piece in
      piece.scalar.map { JoinPart.literal(expected(piece, .scalar) ?? $0) }
        ?? .placeholder(text(piece))
    }
    return Self.join(delimiter: delimiter, text: Self.joined(parts, delimiter: delimiter))
  }

  static func placeholder(_ canonical: String) -> String { "\u{1}" + canonical + "\u{1}" }

  enum JoinPart {
    case literal(String)
    case placeholder(String)
  }

  /// The canonical text of a join from its delimiter and joined text.
  static func join(delimiter: String, text: String) -> String {
    delimiter.debugDescription + "|" + text.debugDescription
  }

  /// Pieces joined, each placeholder between U+0001 marks.
  static func joined(_ parts: [JoinPart], delimiter: String) -> String {
    var text = ""
    for (index, part) in parts.enumerated() {
      if index > 0 { text += delimiter }
      switch part {
      case .literal(let literal): text += literal
      case .placeholder(let canonical): text += placeholder(canonical)
      }
    }
    return text
  }
}
