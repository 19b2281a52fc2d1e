/// YAML 1.1's `int` type, which CloudFormation's parser resolves plain scalars to before a
/// value reaches a string: `010` is octal 8, `0x1A` 26, `0b101` 5, `1_000` 1000, `+5` 5 and
/// `1:20` (base 60) 80, each then written in decimal. An account id written plain with a
/// leading zero is the known casualty (`012345670123` reads as `1402433619`:
/// aws-cloudformation/cloudformation-coverage-roadmap#745). The forms are the type's regular
/// expression (https://yaml.org/type/int.html), as SnakeYAML and PyYAML resolve it:
///
///     [-+]?0b[0-1_]+ | [-+]?0[0-7_]+ | [-+]?(0|[1-9][0-9_]*) | [-+]?0x[0-9a-fA-F_]+
///     | [-+]?[1-9][0-9_]*(:[0-5]?[0-9])+
///
/// Values of any size are exact (SnakeYAML makes a `BigInteger` of what a `long` cannot hold).
enum YAML11Integer {
  /// The decimal text of `text` read as a YAML 1.1 integer; nil when it is none.
  static func decimal(_ text: String) -> String? {
    var digits = Substring(text)
    var negative = false
    if let sign = digits.first, sign == "-" || sign == "+" {
      negative = sign == "-"
      digits = digits.dropFirst()
    }
    guard let first = digits.first, first.isASCII, first.isNumber else { return nil }
    let value: Magnitude?
    if digits.hasPrefix("0b") {
      value = Magnitude(digits.dropFirst(2), radix: 2)
    } else if digits.hasPrefix("0x") {
      value = Magnitude(digits.dropFirst(2), radix: 16)
    } else if digits.hasPrefix("0") {
      value = digits.count == 1 ? Magnitude() : Magnitude(digits.dropFirst(), radix: 8)
    } else if digits.contains(":") {
      value = Magnitude(sexagesimal: digits)
    } else {
      value = Magnitude(digits, radix: 10)
    }
    guard let value else { return nil }
    let text = value.decimal
    return negative && text != "0" ? "-" + text : text
  }

  /// A non-negative integer of any size, in base-10⁹ limbs, least significant first.
  struct Magnitude {
    var limbs: [UInt32] = [0]
    static let base: UInt64 = 1_000_000_000

    init() {}

    /// `digits` in `radix`, underscores skipped; nil for any other character or no digit.
    init?(_ digits: Substring, radix: UInt32) {
      var any = false
      for character in digits where character != "_" {
        guard let digit = character.hexDigitValue, digit < radix else { return nil }
        multiplyAdd(radix, UInt32(digit))
        any = true
      }
      guard any else { return nil }
    }

    /// `1:20:30`: a decimal integer without a leading zero, then `:` and base-60 digits of one
    /// or two characters (`[0-5]?[0-9]`).
    init?(sexagesimal digits: Substring) {
      let parts = digits.split(separator: ":", omittingEmptySubsequences: false)
      guard let head = parts.first, head.first != "0", let start = Magnitude(head, radix: 10)
      else { return nil }
      self = start
      for part in parts.dropFirst() {
        guard (1...2).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }),
          let sixtieth = UInt32(part), part.count == 1 || sixtieth < 60
        else { return nil }
        multiplyAdd(60, sixtieth)
      }
    }

    mutating func multiplyAdd(_ factor: UInt32, _ addend: UInt32) {
      var carry = UInt64(addend)
      for index in limbs.indices {
        let product = UInt64(limbs[index]) * UInt64(factor) + carry
        limbs[index] = UInt32(product % Self.base)
        carry = product / Self.base
      }
      while carry > 0 {
        limbs.append(UInt32(carry % Self.base))
        carry /= Self.base
      }
    }

    var decimal: String {
      var text = String(limbs.last ?? 0)
      for limb in limbs.dropLast().reversed() {
        let part = String(limb)
        text += String(repeating: "0", count: 9 - part.count) + part
      }
      return text
    }
  }
}
