/// Work on many items, a few at a time: what the AWS backend does to ask for many entries
/// without one call each in sequence, nor all at once.
enum BoundedConcurrency {
  /// Runs `work` on each of `items`, at most `width` at once, and hands each answer with its
  /// item's index to `collect` as it finishes (on the calling task, so `collect` may change
  /// the caller's state). A thrown error cancels the rest and is rethrown.
  ///
  /// One loop that adds and awaits, with nothing but constants captured by the child tasks:
  /// the earlier form, a nested function capturing the group and a counter, crossed answers
  /// between entries and trapped on an index out of range in release builds.
  static func forEach<Item: Sendable, Answer: Sendable>(
    _ items: [Item], width: Int, _ work: @escaping @Sendable (Item) async throws -> Answer,
    collect: (Int, Answer) -> Void
  ) async throws {
    try await withThrowingTaskGroup(of: (Int, Answer).self) { group in
      var next = 0
      var running = 0
      while true {
        while running < max(1, width), next < items.count {
          let index = next
          let item = items[index]
          group.addTask { (index, try await work(item)) }
          next += 1
          running += 1
        }
        guard let (index, answer) = try await group.next() else { break }
        running -= 1
        collect(index, answer)
      }
    }
  }
}
