/// The graph in Graphviz's DOT language (`dot -Tsvg`), left to right: a cluster per kind of
/// node, store entries as red cylinders in a cluster of their own, reads of the store drawn in
/// colour and labelled "reads at deploy" (solid red) or "reads at run time" (dashed purple), a
/// run-time reader's role linked by a dotted "runs as". Edges of a cycle are bold red and
/// labelled "cycle"; nodes that are not deployed and edges that are not taken are grey and dashed.
public struct GraphDOTRenderer: Sendable {
  public init() {}

  private struct Style {
    var title: String
    var shape: String
    var fill: String
    var stroke: String
  }

  private static func style(_ kind: GraphNode.Kind) -> Style {
    switch kind {
    case .parameter: Style(title: "Parameters", shape: "box", fill: "#e8f0fe", stroke: "#1a73e8")
    case .condition:
      Style(title: "Conditions", shape: "hexagon", fill: "#fef7e0", stroke: "#e37400")
    case .mapping: Style(title: "Mappings", shape: "folder", fill: "#f1f3f4", stroke: "#5f6368")
    case .resource: Style(title: "Resources", shape: "box", fill: "#ffffff", stroke: "#3c4043")
    case .output: Style(title: "Outputs", shape: "note", fill: "#e6f4ea", stroke: "#188038")
    case .store:
      Style(
        title: "Parameter Store and Secrets Manager", shape: "cylinder", fill: "#fad2cf",
        stroke: "#c5221f")
    }
  }

  private static let inactive = "#9aa0a6"

  public func render(_ graph: TemplateGraph) -> String {
    var lines = [
      "digraph \(Self.quoted(graph.file)) {",
      "  graph [rankdir=LR, fontname=\"Helvetica\", fontsize=12, label=\(Self.quoted(graph.file)), labelloc=t, labeljust=l, nodesep=0.3, ranksep=0.8];",
      "  node [fontname=\"Helvetica\", fontsize=10, style=\"filled\", penwidth=1.2];",
      "  edge [fontname=\"Helvetica\", fontsize=9, color=\"#5f6368\", arrowsize=0.7];",
    ]
    for kind in GraphNode.Kind.allCases {
      let members = graph.nodes.filter { $0.kind == kind }
      guard !members.isEmpty else { continue }
      let style = Self.style(kind)
      lines.append("")
      lines.append("  subgraph cluster_\(kind.rawValue) {")
      if kind == .store {
        lines.append(
          "    label=\(Self.quoted(style.title)); style=\"rounded,filled\"; fillcolor=\"#fce8e6\"; color=\"\(style.stroke)\"; fontcolor=\"\(style.stroke)\";"
        )
      } else {
        lines.append(
          "    label=\(Self.quoted(style.title)); style=\"rounded,dashed\"; color=\"#dadce0\"; fontcolor=\"#5f6368\";"
        )
      }
      for node in members {
        lines.append("    " + nodeStatement(node, style: style))
      }
      lines.append("  }")
    }
    if !graph.edges.isEmpty { lines.append("") }
    let cyclic = graph.cycleSteps
    for edge in graph.edges {
      lines.append("  " + edgeStatement(edge, inCycle: cyclic.contains([edge.from, edge.to])))
    }
    lines.append("}")
    return lines.joined(separator: "\n") + "\n"
  }

  private func nodeStatement(_ node: GraphNode, style: Style) -> String {
    var label = [node.name]
    if let entry = node.entry {
      label = [Self.storeLabel(entry)]
    } else if let type = node.type, node.kind != .parameter || type != "String" {
      label.append(type)
    }
    if !node.isActive { label.append(node.kind == .store ? "(not read)" : "(not deployed)") }
    var attributes = [
      "label=\(Self.quoted(label.joined(separator: "\n")))", "shape=\(style.shape)",
    ]
    if node.kind == .parameter || node.kind == .resource {
      attributes.append(
        "style=\(Self.quoted(node.isActive ? "rounded,filled" : "rounded,filled,dashed"))")
    } else if !node.isActive {
      attributes.append("style=\"filled,dashed\"")
    }
    attributes.append("fillcolor=\(Self.quoted(node.isActive ? style.fill : "#f8f9fa"))")
    attributes.append("color=\(Self.quoted(node.isActive ? style.stroke : Self.inactive))")
    if !node.isActive { attributes.append("fontcolor=\(Self.quoted(Self.inactive))") }
    return "\(Self.quoted(node.id)) [\(attributes.joined(separator: ", "))];"
  }

  /// A store entry's name, and its kind; an ARN shows its name, with its region and account
  /// on the second line, so the picture stays narrow.
  static func storeLabel(_ entry: StoreEntry) -> String {
    guard entry.isConcrete, let arn = entry.arn else {
      return entry.name + "\n"
        + (entry.isConcrete ? entry.kind.rawValue : "\(entry.kind.rawValue), not yet known")
    }
    return "\(arn.name)\n\(entry.kind.rawValue) (ARN in \(arn.region), \(arn.account))"
  }

  private func edgeStatement(_ edge: GraphEdge, inCycle: Bool) -> String {
    var attributes: [String] = []
    var color: String?
    var label: String?
    switch edge.kind {
    case .ref: break
    case .getAtt: label = "GetAtt"
    case .sub: label = "Sub"
    case .findInMap: label = "FindInMap"
    case .dependsOn:
      label = "DependsOn"
      attributes.append("style=dashed")
    case .condition:
      attributes.append("style=dotted")
      color = "#e37400"
    case .readsAtDeploy:
      label = "reads at deploy"
      color = "#c5221f"
      attributes.append("penwidth=2")
    case .readsAtRuntime:
      label = "reads at run time"
      color = "#9334e6"
      attributes.append(contentsOf: ["style=dashed", "penwidth=2"])
    case .runsAs:
      label = "runs as"
      color = "#9334e6"
      attributes.append("style=dotted")
    }
    if inCycle, edge.isActive, !edge.kind.readsStore, edge.kind != .runsAs {
      color = "#d93025"
      label = (label.map { $0 + ", " } ?? "") + "cycle"
      attributes.append("penwidth=2")
    }
    if !edge.isActive {
      color = Self.inactive
      label = (label.map { $0 + " " } ?? "") + "(not taken)"
      if !attributes.contains(where: { $0.hasPrefix("style=") }) {
        attributes.append("style=dashed")
      }
    }
    if let color {
      attributes.append("color=\(Self.quoted(color))")
      if label != nil { attributes.append("fontcolor=\(Self.quoted(color))") }
    }
    if let label { attributes.insert("label=\(Self.quoted(label))", at: 0) }
    let suffix = attributes.isEmpty ? "" : " [\(attributes.joined(separator: ", "))]"
    return "\(Self.quoted(edge.from)) -> \(Self.quoted(edge.to))\(suffix);"
  }

  /// A DOT quoted string: `"` and `\` escaped, newlines as `\n` (centred lines), and every
  /// other control character as `\U+000D`: Graphviz cannot read a NUL, and a dropped one would
  /// make two names one node. After a backslash nothing but `\`, `"` and `n` comes from the
  /// name itself, so distinct names stay distinct; a label shows `U+000D`.
  static func quoted(_ text: String) -> String {
    // Most names need no escape; the loop below goes by scalar, as Graphviz reads bytes: a
    // combining mark after a quote must not hide the quote.
    if !text.utf8.contains(where: Self.isSpecial) { return "\"" + text + "\"" }
    var output = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": output += "\\\""
      case "\\": output += "\\\\"
      case "\n": output += "\\n"
      case "\t": output.unicodeScalars.append(scalar)
      case _ where scalar.value < 0x20 || scalar.value == 0x7F:
        output += "\\U+" + Self.hex(scalar.value)
      default: output.unicodeScalars.append(scalar)
      }
    }
    return output + "\""
  }

  private static func isSpecial(_ byte: UInt8) -> Bool {
    byte < 0x20 && byte != UInt8(ascii: "\t") || byte == 0x7F || byte == UInt8(ascii: "\"")
      || byte == UInt8(ascii: "\\")
  }

  /// Four upper-case hexadecimal digits, as Unicode writes a code point.
  static func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
  }
}
