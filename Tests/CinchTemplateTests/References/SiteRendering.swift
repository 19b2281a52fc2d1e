@testable import CinchTemplate

/// Renders reference sites for golden files: one block per site with its location, paths,
/// context, and the file's bytes at the site's range (which must be the reference text, except
/// where YAML escapes or folds it, or for a composed reference).
enum SiteRendering {
  static func render(_ sites: [ReferenceSite], file: SourceFile) -> String {
    var output = ""
    for site in sites {
      let reference = site.reference
      var fields = [reference.kind.rawValue, NodeDump.quoted(reference.name)]
      if let version = reference.version { fields.append("version=\(version)") }
      if let value = reference.secretString {
        fields.append("secretString=\(NodeDump.quoted(value))")
      }
      if let value = reference.jsonKey { fields.append("jsonKey=\(NodeDump.quoted(value))") }
      if let value = reference.versionStage {
        fields.append("versionStage=\(NodeDump.quoted(value))")
      }
      if let value = reference.versionId { fields.append("versionId=\(NodeDump.quoted(value))") }
      fields.append(reference.delimiter.rawValue)
      if reference.isClosedByInput { fields.append("closed-by-input") }
      output += "site \(fields.joined(separator: " "))\n"
      output += "  at \(site.range.start)-\(site.range.end) @\(site.path)\n"
      output += "  syntax \(site.syntaxPath)\n"
      switch site.context {
      case .literal:
        output += "  context literal\n"
      case .sub(let variables):
        output += "  context sub variables=[\(variables.joined(separator: ", "))]\n"
      case .join(let pieces):
        output += "  context join\n"
        for piece in pieces {
          switch piece {
          case .literal(let text): output += "    literal \(NodeDump.quoted(text))\n"
          case .unknown(let placeholder, let path):
            output += "    unknown \(placeholder) @\(path)\n"
          }
        }
      case .parameterType(let parameter):
        output += "  context parameter-type \(parameter)\n"
      }
      output += "  text \(NodeDump.quoted(reference.text))\n"
      let slice = file.text(site.range)
      if slice != reference.text { output += "  file \(NodeDump.quoted(slice))\n" }
    }
    return output
  }
}
