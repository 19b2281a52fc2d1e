import CinchCompiler
import CinchTemplate

/// What the human format masks in the source lines it prints besides the sensitive findings'
/// own spans (which the renderer takes from the findings): those of sensitive findings left out,
/// and, in a file no credential scan read (every command's but `check`'s templates), the
/// credential-shaped text on and around the lines it shows. A line printed to a CI log never
/// shows a key, whichever command printed it.
enum ExcerptSecrets {
  /// The findings to print, sorted, with the credentials in what they say masked
  /// (`MessageSecrets`), and the spans to mask in their excerpts.
  static func findings(
    _ diagnostics: Diagnostics, sources: [String: SourceFile],
    credentialsScanned: Set<String> = []
  ) -> (items: [Diagnostic], excerptSecrets: [String: [SourceRange]]) {
    let sorted = diagnostics.sorted
    let excerpts = spans(
      diagnostics, shown: sorted, sources: sources, credentialsScanned: credentialsScanned)
    var masked = excerpts
    for item in sorted where item.sensitive {
      if let file = item.file, let range = item.range { masked[file, default: []].append(range) }
    }
    return (MessageSecrets(spans: masked, sources: sources).masking(sorted), excerpts)
  }

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

/// Masks credentials in what findings say: their messages, notes and template paths (a
/// reference's name quoted in E2002 or E4001, a mapping key that is an access key id). The
/// excerpts are masked by their spans (`ExcerptSecrets`); a message or path is text of its
/// own, so it is masked by content, in every format: the credential-shaped text the scanner
/// recognises anywhere in it, and the exact text of every span the excerpts mask (a secret
/// access key, recognised in the file by the key id near it, may stand alone in a message).
struct MessageSecrets {
  /// The masked texts by their first eight bytes (every credential shape is longer).
  private var known: [UInt64: [[UInt8]]] = [:]
  static let mask = "****"
  private static let prefixLength = 8

  init(spans: [String: [SourceRange]], sources: [String: SourceFile]) {
    for (file, ranges) in spans {
      guard let source = sources[file] else { continue }
      for range in ranges {
        let bytes = range.bytes.clamped(to: 0..<source.bytes.count)
        guard bytes.count >= Self.prefixLength else { continue }
        let text = Array(source.bytes[bytes])
        let key = Self.prefix(text, at: 0)
        if known[key]?.contains(text) != true { known[key, default: []].append(text) }
      }
    }
  }

  /// The findings with every credential in their messages, notes and paths masked.
  func masking(_ items: [Diagnostic]) -> [Diagnostic] {
    items.map { item in
      var item = item
      item.message = masking(item.message)
      for index in item.notes.indices {
        item.notes[index].message = masking(item.notes[index].message)
      }
      if var path = item.path {
        path.components = path.components.map(masking)
        item.path = path
      }
      return item
    }
  }

  func masking(_ text: String) -> String {
    let bytes = Array(text.utf8)
    guard bytes.count >= Self.prefixLength else { return text }
    var spans = CredentialScanner.spans(in: bytes)
    if !known.isEmpty {
      var index = 0
      while index + Self.prefixLength <= bytes.count {
        if let candidates = known[Self.prefix(bytes, at: index)],
          let longest = candidates.filter({ Self.bytes(bytes, at: index, equal: $0) })
            .map(\.count).max()
        {
          spans.append(index..<(index + longest))
        }
        index += 1
      }
    }
    guard !spans.isEmpty else { return text }
    var result: [UInt8] = []
    result.reserveCapacity(bytes.count)
    var position = 0
    for span in spans.mergingOverlaps() {
      result += bytes[position..<span.lowerBound]
      result += Self.mask.utf8
      position = span.upperBound
    }
    result += bytes[position...]
    return String(decoding: result, as: UTF8.self)
  }

  private static func prefix(_ bytes: [UInt8], at index: Int) -> UInt64 {
    var key: UInt64 = 0
    for offset in 0..<prefixLength { key = key << 8 | UInt64(bytes[index + offset]) }
    return key
  }

  private static func bytes(_ bytes: [UInt8], at index: Int, equal text: [UInt8]) -> Bool {
    index + text.count <= bytes.count && bytes[index..<(index + text.count)].elementsEqual(text)
  }
}
