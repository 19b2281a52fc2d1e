import CinchTemplate
import Foundation

/// The implicit types of YAML 1.1 (the type repository at yaml.org/type) and the YAML 1.2
/// core schema, as regular expressions: a plain scalar matching one is not read as a string by
/// some reader.
enum ImplicitTypes {
  static let patterns: [String] = [
    // null
    "~|null|Null|NULL|",
    // bool (1.1 and 1.2)
    "y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF",
    // int (1.1)
    "[-+]?0b[0-1_]+", "[-+]?0[0-7_]+", "[-+]?(0|[1-9][0-9_]*)", "[-+]?0x[0-9a-fA-F_]+",
    "[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+",
    // float (1.1)
    "[-+]?([0-9][0-9_]*)?\\.[0-9.]*([eE][-+][0-9]+)?", "[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\\.[0-9_]*",
    "[-+]?\\.(inf|Inf|INF)", "\\.(nan|NaN|NAN)",
    // int and float (1.2 core)
    "[-+]?[0-9]+", "0o[0-7]+", "0x[0-9a-fA-F]+",
    "[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?",
    // timestamp (1.1)
    "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(([Tt]|[ \\t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(\\.[0-9]*)?(([ \\t]*)Z|[-+][0-9]{1,2}(:[0-9]{2})?)?)?",
    // merge and value keys (1.1)
    "<<", "=",
  ]

  static let expressions: [NSRegularExpression] = patterns.compactMap {
    try? NSRegularExpression(pattern: "^(?:" + $0 + ")$")
  }

  /// Whether a plain scalar with this text reads as something other than a string.
  static func isNotAString(_ text: String) -> Bool {
    let range = NSRange(text.startIndex..., in: text)
    return expressions.contains { $0.firstMatch(in: text, range: range) != nil }
  }

  /// The untagged plain scalar values of a tree (keys included).
  static func plainScalars(_ node: Node, into values: inout [String]) {
    switch node.value {
    case .scalar(let text):
      if node.style == .plain, node.tag == nil { values.append(text) }
    case .sequence(let items):
      items.forEach { plainScalars($0, into: &values) }
    case .mapping(let entries):
      for entry in entries {
        plainScalars(entry.key, into: &values)
        plainScalars(entry.value, into: &values)
      }
    case .intrinsic(let intrinsic):
      plainScalars(intrinsic.argument, into: &values)
    }
  }
}
