/// Whether text can be written as a plain (unquoted) YAML scalar and read back as the same
/// string by libyaml and by YAML 1.1 and 1.2 readers, in block or flow context.
///
/// Two things can go wrong. The scanner can read the text differently: an indicator at the
/// start (`-`, `?`, `:`, `{`, `'`, `#`, …), `: ` or ` #` inside, leading or trailing blanks, a
/// line break, or in flow context `,[]{}?`. And a resolver can read it as another type: YAML 1.1
/// reads `yes`, `off`, `~`, `0x1F`, `1_000`, `1:30`, `2024-01-02` as bool, null, int, int,
/// sexagesimal and timestamp; YAML 1.2 reads `1e3` and `.inf` as floats. Anything that starts
/// like a number is treated as one, which quotes some strings no reader would misread; that
/// costs two quotes, never a wrong value.
enum YAMLPlainScalar {
  static func isSafe(_ text: String, flow: Bool) -> Bool {
    guard YAMLCharacters.isInlineText(text) else { return false }
    // Every character that matters below is ASCII, so bytes will do.
    let safe: Bool? = text.utf8.withContiguousStorageIfAvailable { isSafe(bytes: $0, flow: flow) }
    guard safe ?? isSafe(bytes: Array(text.utf8), flow: flow) else { return false }
    return !resolvesToAnotherType(text)
  }

  private static func isSafe(bytes: some RandomAccessCollection<UInt8>, flow: Bool) -> Bool {
    guard let first = bytes.first, let last = bytes.last else { return false }
    guard !isBlank(first), !isBlank(last) else { return false }
    let start = bytes.startIndex
    if bytes.count >= 3 {
      let head = (
        bytes[start], bytes[bytes.index(start, offsetBy: 1)], bytes[bytes.index(start, offsetBy: 2)]
      )
      if head == (0x2D, 0x2D, 0x2D) || head == (0x2E, 0x2E, 0x2E) { return false }
    }
    let next: UInt8? = bytes.count > 1 ? bytes[bytes.index(after: start)] : nil
    switch first {
    case UInt8(ascii: "-"):
      // `- ` is a sequence entry; `-x` is text (in flow context too, unless an indicator
      // follows).
      guard let next, !isBlank(next), !(flow && isFlowIndicator(next)) else { return false }
    case UInt8(ascii: "?"), UInt8(ascii: ":"):
      guard !flow, let next, !isBlank(next) else { return false }
    case UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"),
      UInt8(ascii: "}"), UInt8(ascii: "#"), UInt8(ascii: "&"), UInt8(ascii: "*"),
      UInt8(ascii: "!"), UInt8(ascii: "|"), UInt8(ascii: ">"), UInt8(ascii: "'"),
      UInt8(ascii: "\""), UInt8(ascii: "%"), UInt8(ascii: "@"), UInt8(ascii: "`"):
      return false
    default:
      break
    }
    var previous: UInt8 = 0
    var index = start
    while index != bytes.endIndex {
      let byte = bytes[index]
      let after = bytes.index(after: index)
      switch byte {
      case UInt8(ascii: ":"):
        // `: ` ends a key; at the end of the text the `:` would meet the line break.
        guard after != bytes.endIndex, !isBlank(bytes[after]) else { return false }
        if flow, isFlowIndicator(bytes[after]) || bytes[after] == UInt8(ascii: "?") {
          return false
        }
      case UInt8(ascii: "#"):
        if isBlank(previous) { return false }
      case UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"),
        UInt8(ascii: "}"), UInt8(ascii: "?"):
        if flow { return false }
      default:
        break
      }
      previous = byte
      index = after
    }
    return true
  }

  private static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }

  private static func isFlowIndicator(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"), UInt8(ascii: "{"),
      UInt8(ascii: "}"):
      true
    default: false
    }
  }

  /// Null, bool, merge and value keys of YAML 1.1 and 1.2 (core and JSON schemas), and
  /// anything that starts like a number or a timestamp.
  static func resolvesToAnotherType(_ text: String) -> Bool {
    if reservedWords.contains(text) { return true }
    var bytes = Substring(text).utf8[...]
    if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
      bytes = bytes.dropFirst()
    }
    if let lead = bytes.first, isDigit(lead) || lead == UInt8(ascii: ".") {
      // Ints of every base, floats, `.inf`, `.nan`, sexagesimals, `1_000`, `0x1F`, `0o17`:
      // their characters all come from this set.
      if bytes.allSatisfy(isNumberByte) { return true }
    }
    return startsWithDate(Array(text.utf8))
  }

  private static let reservedWords: Set<String> = [
    "~", "null", "Null", "NULL",
    "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO",
    "true", "True", "TRUE", "false", "False", "FALSE",
    "on", "On", "ON", "off", "Off", "OFF",
    "<<", "=",
  ]

  private static func isDigit(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
  }

  private static func isNumberByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"),
      UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "_"), UInt8(ascii: "."),
      UInt8(ascii: ":"), UInt8(ascii: "+"), UInt8(ascii: "-"):
      true
    default:
      false
    }
  }

  /// `YYYY-M-D` at the start: a YAML 1.1 timestamp (`2001-12-14 21:59:43.10 -5` included).
  private static func startsWithDate(_ bytes: [UInt8]) -> Bool {
    var index = 0
    func digits(_ minimum: Int, _ maximum: Int) -> Bool {
      var count = 0
      while index < bytes.count, count < maximum, isDigit(bytes[index]) {
        index += 1
        count += 1
      }
      return count >= minimum
    }
    func dash() -> Bool {
      guard index < bytes.count, bytes[index] == UInt8(ascii: "-") else { return false }
      index += 1
      return true
    }
    return digits(4, 4) && dash() && digits(1, 2) && dash() && digits(1, 2)
  }
}
