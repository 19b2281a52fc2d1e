/// A plain-text dump of a located tree, one node per line, used by golden tests and by
/// `cinch parse --dump` when a user wants to see what cinch read.
///
/// ```
/// mapping block 1:1-3:18
///   key "Resources" plain 1:1-1:10
///   intrinsic Fn::Sub short !Sub 2:9-2:40
///     scalar single-quoted "{{resolve:ssm:/a}}" 2:14-2:40
/// ```
public enum NodeDump {
  public static func render(_ node: Node) -> String {
    var output = ""
    write(node, label: nil, depth: 0, into: &output)
    return output
  }

  private static func write(_ node: Node, label: String?, depth: Int, into output: inout String) {
    output += String(repeating: "  ", count: depth)
    if let label { output += label + " " }
    let location = "\(node.range.start)-\(node.range.end)"
    let tag = node.tag.map { " tag=\($0)" } ?? ""
    switch node.value {
    case .scalar(let text):
      output += "scalar \(node.style.rawValue) \(quoted(text))\(tag) \(location)\n"
    case .sequence(let items):
      output += "sequence \(node.style.rawValue)\(tag) \(location)\n"
      for item in items { write(item, label: "-", depth: depth + 1, into: &output) }
    case .mapping(let entries):
      output += "mapping \(node.style.rawValue)\(tag) \(location)\n"
      for entry in entries {
        output += String(repeating: "  ", count: depth + 1)
        output += "key \(quoted(entry.name)) \(entry.key.style.rawValue) "
        output += "\(entry.key.range.start)-\(entry.key.range.end)\n"
        write(entry.value, label: nil, depth: depth + 2, into: &output)
      }
    case .intrinsic(let intrinsic):
      let form: String
      switch intrinsic.form {
      case .shortTag: form = "short \(intrinsic.function.shortTag)"
      case .longForm(let key): form = "long key=\(key.start)-\(key.end)"
      }
      output += "intrinsic \(intrinsic.function.rawValue) \(form) \(location)\n"
      write(intrinsic.argument, label: nil, depth: depth + 1, into: &output)
    }
  }

  /// A double-quoted, escaped rendering of text, so whitespace and control characters show.
  static func quoted(_ text: String) -> String {
    var result = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\t": result += "\\t"
      case "\r": result += "\\r"
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F {
          result += "\\u{\(String(scalar.value, radix: 16))}"
        } else {
          result.unicodeScalars.append(scalar)
        }
      }
    }
    return result + "\""
  }
}
