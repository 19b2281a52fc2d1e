public import CinchTemplate

/// Where each entry sits in a lockfile's text, so a finding about an entry (unused, say) points
/// at its name in `cinch.lock` like any other finding. The lockfile is JSON; the located JSON
/// reader gives every object its span.
public enum LockfileLocator {
  public static func ranges(_ document: ParsedDocument) -> [ResolutionKey: SourceRange] {
    guard let references = document.root?["references"]?.sequence else { return [:] }
    var ranges: [ResolutionKey: SourceRange] = [:]
    for item in references {
      guard let kindText = item["kind"]?.scalar, let kind = Reference.Kind(rawValue: kindText),
        let name = item["name"]?.scalar,
        let selector = item["requested"]?.scalar.flatMap(ResolutionKey.Selector.init)
      else { continue }
      let key = ResolutionKey(
        kind: kind, name: name, selector: selector, jsonKey: item["jsonKey"]?.scalar)
      // The entry's name is the line a reader looks for; the whole object spans a dozen.
      if ranges[key] == nil { ranges[key] = item["name"]?.range ?? item.range }
    }
    return ranges
  }
}
