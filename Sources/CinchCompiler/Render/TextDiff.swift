/// The smallest change that turns one text into another: the common prefix and suffix are
/// kept, and both ends fall on character boundaries so no UTF-8 sequence is split.
struct TextDiff: Equatable {
  /// The bytes of the old text that change.
  var old: Range<Int>
  /// The bytes of the new text that replace them.
  var new: Range<Int>

  init(old: Range<Int>, new: Range<Int>) {
    self.old = old
    self.new = new
  }

  init(from before: [UInt8], to after: [UInt8]) {
    self = before.withUnsafeBufferPointer { before in
      after.withUnsafeBufferPointer { after in TextDiff(from: before, to: after) }
    }
  }

  init(from before: UnsafeBufferPointer<UInt8>, to after: UnsafeBufferPointer<UInt8>) {
    var prefix = 0
    let limit = min(before.count, after.count)
    while prefix < limit, before[prefix] == after[prefix] { prefix += 1 }
    while prefix > 0,
      Self.isContinuation(before, at: prefix) || Self.isContinuation(after, at: prefix)
    {
      prefix -= 1
    }
    var suffix = 0
    while suffix < limit - prefix,
      before[before.count - 1 - suffix] == after[after.count - 1 - suffix]
    {
      suffix += 1
    }
    while suffix > 0,
      Self.isContinuation(before, at: before.count - suffix)
        || Self.isContinuation(after, at: after.count - suffix)
    {
      suffix -= 1
    }
    self.old = prefix..<(before.count - suffix)
    self.new = prefix..<(after.count - suffix)
  }

  var isEmpty: Bool { old.isEmpty && new.isEmpty }

  private static func isContinuation(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
    index < bytes.count && bytes[index] & 0xC0 == 0x80
  }
}
