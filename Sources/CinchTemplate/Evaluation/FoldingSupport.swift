/// Small pure functions the evaluator folds with: Base64 (`Fn::Base64`), CIDR subnetting
/// (`Fn::Cidr`), `AllowedPattern` matching and compact JSON (`Fn::ToJsonString`).
enum Base64 {
  private static let alphabet = Array(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

  static func encode(_ bytes: [UInt8]) -> String {
    var output: [UInt8] = []
    output.reserveCapacity((bytes.count + 2) / 3 * 4)
    var index = 0
    while index + 3 <= bytes.count {
      let value =
        UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
      output += [
        alphabet[Int(value >> 18 & 63)], alphabet[Int(value >> 12 & 63)],
        alphabet[Int(value >> 6 & 63)], alphabet[Int(value & 63)],
      ]
      index += 3
    }
    let remaining = bytes.count - index
    if remaining > 0 {
      var value = UInt32(bytes[index]) << 16
      if remaining == 2 { value |= UInt32(bytes[index + 1]) << 8 }
      output += [alphabet[Int(value >> 18 & 63)], alphabet[Int(value >> 12 & 63)]]
      output +=
        remaining == 2
        ? [alphabet[Int(value >> 6 & 63)], UInt8(ascii: "=")]
        : [UInt8(ascii: "="), UInt8(ascii: "=")]
    }
    return String(decoding: output, as: UTF8.self)
  }
}

/// `Fn::Cidr` for IPv4: `count` consecutive subnets with `hostBits` host bits each, from the
/// start of the block (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-cidr.html).
enum CIDR {
  static func subnets(of block: String, count: Int, hostBits: Int) -> [String]? {
    let parts = block.split(separator: "/")
    guard parts.count == 2, let prefix = Int(parts[1]), (0...32).contains(prefix) else {
      return nil
    }
    let octets = parts[0].split(separator: ".", omittingEmptySubsequences: false).compactMap {
      UInt32($0)
    }
    guard octets.count == 4, octets.allSatisfy({ $0 <= 255 }) else { return nil }
    guard (1...32).contains(hostBits), 32 - hostBits >= prefix else { return nil }
    let address = octets.reduce(0) { $0 << 8 | $1 }
    let mask: UInt32 = prefix == 0 ? 0 : ~UInt32(0) << UInt32(32 - prefix)
    let base = UInt64(address & mask)
    let size = UInt64(1) << UInt64(hostBits)
    let available = (UInt64(1) << UInt64(32 - prefix)) / size
    guard UInt64(count) <= available else { return nil }
    return (0..<UInt64(count)).map { index in
      let start = UInt32(base + index * size)
      let text = [start >> 24, start >> 16 & 255, start >> 8 & 255, start & 255].map(String.init)
        .joined(separator: ".")
      return "\(text)/\(32 - hostBits)"
    }
  }
}

/// CloudFormation checks `AllowedPattern` against the whole value (Java regular expressions;
/// the common subset is what Swift's `Regex` reads). Nil when the pattern does not compile.
enum AllowedPattern {
  static func matches(_ pattern: String, _ value: String) -> Bool? {
    // Only `--` reads differently (see `javaClassHyphens`); any other pattern is used as written.
    let java = pattern.contains("--") ? javaClassHyphens(pattern) : pattern
    guard let java, let regex = try? Regex(java) else { return nil }
    return (try? regex.wholeMatch(in: value)) != nil
  }

  /// `pattern` with its character classes' hyphens read as Java reads them, written so Swift's
  /// `Regex` reads the same; nil when Java would refuse a range. Java's `Pattern` has no `--`
  /// operator: after a character X, a `-` not followed by `]` or `[` makes the range X…Y (an
  /// error when Y comes before X), and any other `-` is itself, so `[--]` is a hyphen and
  /// `[!--]` the range `!`…`-`. Swift's `Regex`, as ICU and UTS #18, reads `--` in a class as
  /// set subtraction and refuses such classes (AWS's own Managed AD template has
  /// `(?!.*[--]{2})`), or accepts them meaning something else (`[.--a]`, which Java refuses,
  /// is `.` less `a`). `\Q…\E` outside a class is copied as it is.
  static func javaClassHyphens(_ pattern: String) -> String? {
    let characters = Array(pattern)
    var output = ""
    var depth = 0
    var index = 0
    /// One item of a class at `index`: a character, or an escape (`\-`, `\w`, `\p{…}`…),
    /// with its code point when it stands for one character.
    func item() -> (text: String, scalar: Unicode.Scalar?) {
      let character = characters[index]
      guard character == "\\", index + 1 < characters.count else {
        index += 1
        return (
          String(character),
          character.unicodeScalars.count == 1 ? character.unicodeScalars.first : nil
        )
      }
      let escaped = characters[index + 1]
      index += 2
      if escaped.isLetter || escaped.isNumber {
        // A class or code-point escape (`\w`, `\p{L}`, `\x41`, `\u0041`): as written.
        var text = "\\" + String(escaped)
        if index < characters.count, characters[index] == "{",
          let close = characters[index...].firstIndex(of: "}")
        {
          text += String(characters[index...close])
          index = close + 1
        }
        return (text, nil)
      }
      return (String(escaped), escaped.unicodeScalars.first)
    }
    /// An item written for Swift: a hyphen or a bracket escaped, anything else as it was.
    func written(_ item: (text: String, scalar: Unicode.Scalar?)) -> String {
      guard let scalar = item.scalar, item.text.count == 1 else { return item.text }
      return "-[]\\^&".unicodeScalars.contains(scalar) ? "\\" + item.text : item.text
    }
    /// A class (or, inside one, a nested class) opens at `index`, with its `^` if it has one.
    func openClass() {
      depth += 1
      output.append("[")
      index += 1
      if index < characters.count, characters[index] == "^" {
        output.append("^")
        index += 1
      }
    }
    while index < characters.count {
      let character = characters[index]
      if depth == 0 {
        if character == "\\", index + 1 < characters.count, characters[index + 1] == "Q" {
          // Quoted text, up to `\E` (or the end): no class opens in it.
          var end = index + 2
          while end < characters.count,
            !(characters[end] == "\\" && end + 1 < characters.count && characters[end + 1] == "E")
          {
            end += 1
          }
          end = min(end + 2, characters.count)
          output += String(characters[index..<end])
          index = end
          continue
        }
        if character == "\\" {
          output.append(character)
          if index + 1 < characters.count { output.append(characters[index + 1]) }
          index += 2
          continue
        }
        if character == "[" {
          openClass()
          continue
        }
        output.append(character)
        index += 1
        continue
      }
      // Inside a class.
      if character == "]" {
        depth -= 1
        output.append(character)
        index += 1
        continue
      }
      if character == "[" {
        openClass()
        continue
      }
      if character == "&", index + 1 < characters.count, characters[index + 1] == "&" {
        output += "&&"
        index += 2
        continue
      }
      let first = item()
      guard index + 1 < characters.count, characters[index] == "-",
        characters[index + 1] != "]", characters[index + 1] != "["
      else {
        output += written(first)
        continue
      }
      index += 1
      let last = item()
      if let low = first.scalar, let high = last.scalar, high.value < low.value { return nil }
      output += written(first) + "-" + written(last)
    }
    return output
  }
}

/// `Fn::ToJsonString`: compact JSON of a known value, keys in template order.
enum CompactJSON {
  static func render(_ value: Value) -> String {
    var output = ""
    write(value, into: &output)
    return output
  }

  private static func write(_ value: Value, into output: inout String) {
    switch value {
    case .string(let text): writeString(text, into: &output)
    case .bool(let flag): output += flag ? "true" : "false"
    case .list(let items):
      output += "["
      for (index, item) in items.enumerated() {
        if index > 0 { output += "," }
        write(item, into: &output)
      }
      output += "]"
    case .map(let fields):
      output += "{"
      for (index, field) in fields.enumerated() {
        if index > 0 { output += "," }
        writeString(field.key, into: &output)
        output += ":"
        write(field.value, into: &output)
      }
      output += "}"
    case .partial, .unknown, .noValue: output += "null"
    }
  }

  static func writeString(_ text: String, into output: inout String) {
    output += "\""
    defer { output += "\"" }
    // Most strings need no escape: appended whole, not a scalar at a time (which made writing
    // `graph --format json` on 10,000 resources 0.7 s).
    let plain = text.utf8.allSatisfy { byte in
      byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\")
    }
    if plain {
      output += text
      return
    }
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": output += "\\\""
      case "\\": output += "\\\\"
      case "\n": output += "\\n"
      case "\r": output += "\\r"
      case "\t": output += "\\t"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          output.unicodeScalars.append(scalar)
        }
      }
    }
  }
}
