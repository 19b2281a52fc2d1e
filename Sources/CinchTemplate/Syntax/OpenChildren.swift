/// The children of every collection a parser has open, innermost last: each open collection
/// owns the tail from its `Mark`. When a collection closes its children are moved out into
/// arrays of exactly their number. Arrays grown by doubling, one per collection, had been a
/// third of a 10,000-resource template's tree in unused capacity (Benchmarks/NOTES.md). The
/// YAML composer and the JSON reader both build their collections here.
struct OpenChildren {
  /// Where one open collection's children start.
  struct Mark {
    fileprivate let items: Int
    fileprivate let entries: Int
  }

  private(set) var items: [Node] = []
  private(set) var entries: [Entry] = []

  /// The mark of a collection that opens now.
  var mark: Mark { Mark(items: items.count, entries: entries.count) }

  mutating func append(_ item: Node) { items.append(item) }
  mutating func append(_ entry: Entry) { entries.append(entry) }

  /// The entries of the collection opened at `mark`, indexed as in `entries`.
  func entries(since mark: Mark) -> ArraySlice<Entry> { entries[mark.entries...] }

  /// Moves out the items of the collection opened at `mark`.
  mutating func takeItems(since mark: Mark) -> [Node] { Self.take(&items, from: mark.items) }

  /// Moves out the entries of the collection opened at `mark`.
  mutating func takeEntries(since mark: Mark) -> [Entry] {
    Self.take(&entries, from: mark.entries)
  }

  /// Moves `buffer[start...]` into an array of exactly that many elements. (`Array(slice)` of a
  /// whole buffer shares it, spare capacity and all, and the buffer's next change copies it.)
  private static func take<Element>(_ buffer: inout [Element], from start: Int) -> [Element] {
    guard start < buffer.count else { return [] }
    var taken: [Element] = []
    taken.reserveCapacity(buffer.count - start)
    taken.append(contentsOf: buffer[start...])
    buffer.removeSubrange(start...)
    return taken
  }
}
