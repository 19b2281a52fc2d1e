/// The graph as JSON, one node or edge a line, keys in a fixed order, so output diffs well:
///
/// ```json
/// {
///   "file": "app.yaml",
///   "nodes": [
///     {"id": "parameter:Env", "kind": "parameter", "label": "Env", "type": "String", "active": true, "line": 3},
///     {"id": "store:ssm:/myapp/prod/db", "kind": "store", "label": "/myapp/prod/db", "store": "parameter", "concrete": true, "active": true, "line": 12}
///   ],
///   "edges": [
///     {"from": "resource:Db", "to": "store:ssm:/myapp/prod/db", "kind": "readsAtDeploy", "active": true, "path": "Resources/Db/Properties/MasterUserPassword", "line": 12}
///   ],
///   "order": ["parameter:Env", "store:ssm:/myapp/prod/db", "resource:Db"],
///   "cycles": []
/// }
/// ```
///
/// `line` is where the node is declared (a store entry: its first read) and where the edge's
/// first site is; an edge made in several places says so in `sites`.
public struct GraphJSONRenderer: Sendable {
  public init() {}

  public func render(_ graph: TemplateGraph) -> String {
    var output = "{\n  \"file\": \(Self.string(graph.file)),\n  \"nodes\": ["
    for (index, node) in graph.nodes.enumerated() {
      var fields = [
        ("id", Self.string(node.id)), ("kind", Self.string(node.kind.rawValue)),
        ("label", Self.string(node.name)),
      ]
      if let entry = node.entry {
        fields.append(("store", Self.string(entry.kind.rawValue)))
        fields.append(("concrete", entry.isConcrete ? "true" : "false"))
      } else if let type = node.type {
        fields.append(("type", Self.string(type)))
      }
      fields.append(("active", node.isActive ? "true" : "false"))
      if let range = node.range { fields.append(("line", String(range.start.line))) }
      output += index == 0 ? "\n    " : ",\n    "
      Self.append(fields, to: &output)
    }
    output += graph.nodes.isEmpty ? "],\n" : "\n  ],\n"
    output += "  \"edges\": ["
    for (index, edge) in graph.edges.enumerated() {
      var fields = [
        ("from", Self.string(edge.from)), ("to", Self.string(edge.to)),
        ("kind", Self.string(edge.kind.rawValue)), ("active", edge.isActive ? "true" : "false"),
      ]
      if let site = edge.sites.first {
        fields.append(("path", Self.string(site.path.description)))
        if let range = site.range { fields.append(("line", String(range.start.line))) }
      }
      if edge.sites.count > 1 { fields.append(("sites", String(edge.sites.count))) }
      output += index == 0 ? "\n    " : ",\n    "
      Self.append(fields, to: &output)
    }
    output += graph.edges.isEmpty ? "],\n" : "\n  ],\n"
    output += "  \"order\": [" + graph.order.map(Self.string).joined(separator: ", ") + "],\n"
    output +=
      "  \"cycles\": ["
      + graph.cycles.map { "[" + $0.members.map(Self.string).joined(separator: ", ") + "]" }
      .joined(separator: ", ") + "]\n}\n"
    return output
  }

  /// `{"key": value, …}` onto `output`: values are JSON already.
  private static func append(_ fields: [(String, String)], to output: inout String) {
    output += "{"
    for (index, field) in fields.enumerated() {
      if index > 0 { output += ", " }
      CompactJSON.writeString(field.0, into: &output)
      output += ": "
      output += field.1
    }
    output += "}"
  }

  private static func string(_ text: String) -> String {
    var output = ""
    CompactJSON.writeString(text, into: &output)
    return output
  }
}
