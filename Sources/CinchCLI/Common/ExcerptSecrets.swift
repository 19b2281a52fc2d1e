import CinchCompiler
import CinchTemplate

/// What the human format masks in the source lines it prints besides the sensitive findings'
/// own spans (which the renderer takes from the findings): those of sensitive findings left out,
/// and, in a file no credential scan read (every command's but `check`'s templates), the
/// credential-shaped text on and around the lines it shows. A line printed to a CI log never
/// shows a key, whichever command printed it.
enum ExcerptSecrets {
  static func spans(
    _ diagnostics: Diagnostics, shown items: [Diagnostic], sources: [String: SourceFile],
    credentialsScanned: Set<String> = []
  ) -> [String: [SourceRange]] {
    var spans = diagnostics.hiddenSecrets
    var lines: [String: Set<Int>] = [:]
    for item in items {
      if let file = item.file, let range = item.range {
        lines[file, default: []].insert(range.start.line)
      }
      for note in item.notes {
        if let file = note.file ?? item.file, let range = note.range {
          lines[file, default: []].insert(range.start.line)
        }
      }
    }
    for (file, shown) in lines where !credentialsScanned.contains(file) {
      guard let source = sources[file] else { continue }
      let found = CredentialScanner.spans(in: source, near: shown)
      if !found.isEmpty { spans[file, default: []] += found }
    }
    return spans
  }
}
