extension Array where Element == Range<Int> {
  /// The same positions as sorted, disjoint ranges: overlapping or touching ranges become one.
  /// For spans read or masked once however many findings, keys or secrets share them.
  package func mergingOverlaps() -> [Range<Int>] {
    var merged: [Range<Int>] = []
    for range in sorted(by: { $0.lowerBound < $1.lowerBound }) where !range.isEmpty {
      if let last = merged.last, range.lowerBound <= last.upperBound {
        merged[merged.count - 1] = last.lowerBound..<Swift.max(last.upperBound, range.upperBound)
      } else {
        merged.append(range)
      }
    }
    return merged
  }
}
