/// The graph as a Mermaid flowchart (`flowchart LR`), for Markdown that renders Mermaid:
/// a subgraph per kind of node, store entries as cylinders, reads at deploy as thick red links
/// and reads at run time as dotted purple ones, both labelled. Node ids are `n0`, `n1`, … in
/// node order (graph ids hold `:` and `/`, which Mermaid ids cannot); labels are quoted, with
/// `"`, `#`, `%`, `<`, `>`, `&` and control characters written as Mermaid's entity codes. Nodes
/// that are not deployed and links not taken are grey and dashed; a graph without nodes is the
/// `flowchart LR` line alone.
public struct GraphMermaidRenderer: Sendable {
  public init() {}

  public func render(_ graph: TemplateGraph) -> String {
    var lines = ["flowchart LR"]
    var identifiers: [String: String] = [:]
    for (index, node) in graph.nodes.enumerated() { identifiers[node.id] = "n\(index)" }

    for kind in GraphNode.Kind.allCases {
      let members = graph.nodes.filter { $0.kind == kind }
      guard !members.isEmpty else { continue }
      lines.append("  subgraph \(kind.rawValue)Nodes [\"\(Self.title(kind))\"]")
      for node in members {
        guard let identifier = identifiers[node.id] else { continue }
        lines.append("    " + identifier + Self.shape(kind, label: label(node)))
      }
      lines.append("  end")
    }

    var linkStyles: [String] = []
    let cyclic = graph.cycleSteps
    for (index, edge) in graph.edges.enumerated() {
      guard let from = identifiers[edge.from], let to = identifiers[edge.to] else { continue }
      let arrow: String
      var label: String?
      var style: String?
      switch edge.kind {
      case .readsAtDeploy:
        arrow = "==>"
        label = "reads at deploy"
        style = "stroke:#c5221f,stroke-width:2px"
      case .readsAtRuntime:
        arrow = "-.->"
        label = "reads at run time"
        style = "stroke:#9334e6,stroke-width:2px"
      case .runsAs:
        arrow = "-.->"
        label = "runs as"
        style = "stroke:#9334e6"
      case .dependsOn:
        arrow = "-.->"
        label = "DependsOn"
      case .condition:
        arrow = "-.->"
      case .getAtt:
        arrow = "-->"
        label = "GetAtt"
      case .sub:
        arrow = "-->"
        label = "Sub"
      case .findInMap:
        arrow = "-->"
        label = "FindInMap"
      case .ref:
        arrow = "-->"
      }
      if cyclic.contains([edge.from, edge.to]), edge.isActive, !edge.kind.readsStore,
        edge.kind != .runsAs
      {
        label = (label.map { $0 + ", " } ?? "") + "cycle"
        style = "stroke:#d93025,stroke-width:2px"
      }
      if !edge.isActive {
        label = (label.map { $0 + ", " } ?? "") + "not taken"
        style = "stroke:#9aa0a6,stroke-dasharray:4 3"
      }
      // Link labels are fixed words, written bare: `A -->|reads at deploy| B`.
      let text = label.map { "|\($0)|" } ?? ""
      lines.append("  \(from) \(arrow)\(text) \(to)")
      if let style { linkStyles.append("  linkStyle \(index) \(style)") }
    }

    // An empty graph is the header alone.
    if graph.nodes.isEmpty { return lines.joined(separator: "\n") + "\n" }
    lines.append("  classDef parameter fill:#e8f0fe,stroke:#1a73e8")
    lines.append("  classDef condition fill:#fef7e0,stroke:#e37400")
    lines.append("  classDef mapping fill:#f1f3f4,stroke:#5f6368")
    lines.append("  classDef resource fill:#ffffff,stroke:#3c4043")
    lines.append("  classDef output fill:#e6f4ea,stroke:#188038")
    lines.append("  classDef store fill:#fad2cf,stroke:#c5221f")
    lines.append(
      "  classDef inactive fill:#f8f9fa,stroke:#9aa0a6,color:#9aa0a6,stroke-dasharray:4 3")
    for kind in GraphNode.Kind.allCases {
      let members = graph.nodes.filter { $0.kind == kind && $0.isActive }.compactMap {
        identifiers[$0.id]
      }
      if !members.isEmpty {
        lines.append("  class \(members.joined(separator: ",")) \(kind.rawValue)")
      }
    }
    let inactive = graph.nodes.filter { !$0.isActive }.compactMap { identifiers[$0.id] }
    if !inactive.isEmpty { lines.append("  class \(inactive.joined(separator: ",")) inactive") }
    lines += linkStyles
    return lines.joined(separator: "\n") + "\n"
  }

  private func label(_ node: GraphNode) -> String {
    var parts = [Self.escaped(node.name)]
    if let entry = node.entry {
      parts = GraphDOTRenderer.storeLabel(entry).split(separator: "\n").map {
        Self.escaped(String($0))
      }
    } else if let type = node.type, node.kind != .parameter || type != "String" {
      parts.append(Self.escaped(type))
    }
    if !node.isActive { parts.append(node.kind == .store ? "(not read)" : "(not deployed)") }
    return parts.joined(separator: "<br/>")
  }

  private static func title(_ kind: GraphNode.Kind) -> String {
    switch kind {
    case .parameter: "Parameters"
    case .condition: "Conditions"
    case .mapping: "Mappings"
    case .resource: "Resources"
    case .output: "Outputs"
    case .store: "Parameter Store and Secrets Manager"
    }
  }

  private static func shape(_ kind: GraphNode.Kind, label: String) -> String {
    switch kind {
    case .parameter: "([\"\(label)\"])"
    case .condition: "{{\"\(label)\"}}"
    case .mapping: "[/\"\(label)\"/]"
    case .resource: "[\"\(label)\"]"
    case .output: "[[\"\(label)\"]]"
    case .store: "[(\"\(label)\")]"
    }
  }

  /// Text safe inside a quoted Mermaid label: entity codes for the characters Mermaid or its
  /// HTML labels would read as syntax, `%` among them (`%%` starts a comment or a directive,
  /// which Mermaid finds anywhere in the text), and for control characters (`#13;`), so no two
  /// names share a label and no NUL is written.
  static func escaped(_ text: String) -> String {
    // Most names need no escape; the loop below goes by scalar: a combining mark after a quote
    // must not hide the quote.
    if !text.utf8.contains(where: Self.isSpecial) { return text }
    var output = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": output += "#quot;"
      case "#": output += "#35;"
      case "%": output += "#37;"
      case "<": output += "#lt;"
      case ">": output += "#gt;"
      case "&": output += "#amp;"
      case _ where scalar.value < 0x20 || scalar.value == 0x7F: output += "#\(scalar.value);"
      default: output.unicodeScalars.append(scalar)
      }
    }
    return output
  }

  private static func isSpecial(_ byte: UInt8) -> Bool {
    byte < 0x20 || byte == 0x7F || Self.special.contains(byte)
  }

  private static let special: [UInt8] = Array("\"#%<>&".utf8)
}
