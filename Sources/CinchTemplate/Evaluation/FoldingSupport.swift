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
    guard let regex = (try? Regex(pattern)) ?? (try? Regex(javaClassHyphens(pattern))) else {
      return nil
    }
    return (try? regex.wholeMatch(in: value)) != nil
  }

  /// `pattern` with each `-` beside another `-` inside a character class escaped. Java reads
  /// `[--]` or `[.--a]` as hyphens (java.util.regex.Pattern has no `--` operator); Swift's
  /// `Regex`, as ICU and UTS #18, reads `--` there as set subtraction and refuses the class
  /// (AWS's own Managed AD template has `(?!.*[--]{2})`). Tried only when the pattern as
  /// written does not compile, so a pattern both read alike is never changed.
  static func javaClassHyphens(_ pattern: String) -> String {
    let characters = Array(pattern)
    var output = ""
    var depth = 0
    var quoted = false
    var index = 0
    while index < characters.count {
      let character = characters[index]
      let next = index + 1 < characters.count ? characters[index + 1] : nil
      if quoted {
        // `\Q…\E`: literal text up to `\E`.
        if character == "\\", next == "E" { quoted = false }
      } else if character == "\\" {
        if next == "Q" { quoted = true }
        output.append(character)
        if let next { output.append(next) }
        index += 2
        continue
      } else if character == "[" {
        depth += 1
        // A `]` or `^]` right after the opening bracket is a literal.
        output.append(character)
        index += 1
        if index < characters.count, characters[index] == "^" {
          output.append("^")
          index += 1
        }
        if index < characters.count, characters[index] == "]" {
          output.append("]")
          index += 1
        }
        continue
      } else if character == "]", depth > 0 {
        depth -= 1
      } else if character == "-", depth > 0,
        next == "-" || (index > 0 && characters[index - 1] == "-")
      {
        output += "\\-"
        index += 1
        continue
      }
      output.append(character)
      index += 1
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
