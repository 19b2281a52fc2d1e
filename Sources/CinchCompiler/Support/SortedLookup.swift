extension RandomAccessCollection {
  /// The element whose `keyOf` is `key`, in a collection sorted by `keyOf`: a binary search.
  /// `render` and `check` look up every reference of a template, 30,000 for the largest
  /// benchmark, and a linear scan per lookup made them quadratic.
  func sortedElement<Key: Comparable>(
    withKey key: Key, _ keyOf: (Element) -> Key
  ) -> Element? {
    var low = startIndex
    var count = self.count
    while count > 0 {
      let half = count / 2
      let middle = index(low, offsetBy: half)
      if keyOf(self[middle]) < key {
        low = index(after: middle)
        count -= half + 1
      } else {
        count = half
      }
    }
    guard low != endIndex, keyOf(self[low]) == key else { return nil }
    return self[low]
  }
}
