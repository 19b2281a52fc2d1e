/// The name a mistyped one was probably meant to be: "did you mean …?" hints for names given on
/// the command line and names a template uses.
public enum NearestName {
  /// The candidate nearest to `name` by edit distance, when near enough to be a typo (at most a
  /// quarter of its length, and at least 2, edits away, and sharing at least one letter in
  /// place); ties go to the first in sorted order.
  public static func closest(to name: String, among candidates: some Sequence<String>) -> String? {
    let target = Array(name.utf8)
    let limit = max(2, target.count / 4)
    var best: (name: String, distance: Int)?
    for candidate in Set(candidates).sorted() where candidate != name {
      let bytes = Array(candidate.utf8)
      // The distance is at least the difference in length: most candidates stop here.
      guard abs(bytes.count - target.count) <= limit else { continue }
      let distance = editDistance(target, bytes)
      // A name of one or two letters is "near" every other one: a hint must keep something.
      guard distance <= limit, distance < min(target.count, bytes.count) else { continue }
      if distance < (best?.distance ?? .max) { best = (candidate, distance) }
    }
    return best?.name
  }

  /// `" (did you mean 'X'?)"`, or nothing when no candidate is near.
  public static func hint(for name: String, among candidates: some Sequence<String>) -> String {
    closest(to: name, among: candidates).map { " (did you mean '\($0)'?)" } ?? ""
  }

  /// Levenshtein distance over bytes, one row at a time.
  package static func editDistance(_ a: [UInt8], _ b: [UInt8]) -> Int {
    guard !a.isEmpty else { return b.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      for j in stride(from: 1, through: b.count, by: 1) {
        let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
        current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
      }
      swap(&previous, &current)
    }
    return previous[b.count]
  }
}
