import Foundation

/// Value, type, tier, data type, description, pattern and tag rules for `PutParameter`
/// (reference: aws-store-semantics §1.2–1.3).
package enum ParameterValueRules {
  static let maximumDescriptionLength = 1024
  static let maximumPatternLength = 1024
  static let maximumTags = 50

  static func checkValue(_ value: String) throws(StoreError) {
    guard !value.isEmpty else {
      throw .constraint(
        value: "", at: "value", "Member must have length greater than or equal to 1.")
    }
    // "You can't include values wrapped in double brackets {{}} … in a parameter value."
    if let open = value.range(of: "{{"), value[open.upperBound...].contains("}}") {
      throw .validation(
        "Parameter value can't nest another parameter. Do not use \"{{}}\" in the value.")
    }
  }

  /// A value's size as the tier limits count it: characters, as AWS's error says ("Standard
  /// tier parameters support a maximum parameter value of 4096 characters", reference §1.2; the
  /// tiers page says "4 KB" / "8 KB"), and as Parameter Store, a Java service, counts them:
  /// `String.length()`, UTF-16 code units. So 4096 × `é` fits a standard parameter (8,192
  /// UTF-8 bytes), and a character outside the BMP (an emoji) counts two.
  /// https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html
  static func size(_ value: String) -> Int { value.utf16.count }

  static func checkType(_ type: ParameterType) throws(StoreError) {
    guard ParameterType.known.contains(type) else {
      throw .constraint(
        value: type.rawValue, at: "type",
        "Member must satisfy enum value set: [SecureString, StringList, String]")
    }
  }

  static func checkTier(_ tier: ParameterTier) throws(StoreError) {
    guard ParameterTier.known.contains(tier) else {
      throw .constraint(
        value: tier.rawValue, at: "tier",
        "Member must satisfy enum value set: [Advanced, Intelligent-Tiering, Standard]")
    }
  }

  static func checkDataType(_ dataType: ParameterDataType, type: ParameterType, value: String)
    throws(StoreError)
  {
    guard ParameterDataType.known.contains(dataType) else {
      throw .validation(
        "The following data type is not supported: \(dataType.rawValue) "
          + "(Data type names are all lowercase.)")
    }
    if dataType == .ec2Image {
      // AWS validates an AMI id asynchronously: PutParameter succeeds, then "the parameter will
      // not be created or updated" when the id is invalid (API_PutParameter.html, DataType).
      // With no EC2 to ask, cinch checks the id's shape at once: the store ends in the same
      // state, and the caller learns why.
      guard type == .string else {
        throw .validation("The aws:ec2:image data type is only supported for String parameters.")
      }
      guard isAMIID(value) else {
        throw .validation(
          "The parameter value is not a valid Amazon Machine Image (AMI) ID. An AMI ID has the "
            + "format ami-12345abcdeEXAMPLE.")
      }
    }
  }

  /// "You can change an existing parameter from one data type to another … The exceptions are
  /// aws:ec2:image and aws:ssm:integration. You can't change a parameter to or from either of
  /// these data types." (docs.aws.amazon.com/systems-manager/latest/userguide/
  /// parameter-store-data-types.html; the message is cinch's, AWS documents none.)
  static func checkDataTypeChange(from old: ParameterDataType, to new: ParameterDataType)
    throws(StoreError)
  {
    let fixed: [ParameterDataType] = [.ec2Image, .ssmIntegration]
    guard old != new, fixed.contains(old) || fixed.contains(new) else { return }
    throw .validation(
      "A parameter's data type cannot change from \(old.rawValue) to \(new.rawValue): "
        + "aws:ec2:image and aws:ssm:integration parameters keep their data type.")
  }

  /// `ami-` followed by 8 or 17 lowercase hex digits.
  static func isAMIID(_ value: String) -> Bool {
    guard value.hasPrefix("ami-") else { return false }
    let digits = value.utf8.dropFirst(4)
    return (digits.count == 8 || digits.count == 17)
      && digits.allSatisfy {
        ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9"))
          || ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "f"))
      }
  }

  static func checkDescription(_ description: String) throws(StoreError) {
    guard description.count <= maximumDescriptionLength else {
      throw .constraint(
        value: description, at: "description",
        "Member must have length less than or equal to 1024")
    }
  }

  /// Compiles `AllowedPattern`; throws `InvalidAllowedPatternException` when it is no regex.
  static func compilePattern(_ pattern: String) throws(StoreError) -> NSRegularExpression {
    guard pattern.count <= maximumPatternLength else {
      throw .constraint(
        value: pattern, at: "allowedPattern", "Member must have length less than or equal to 1024")
    }
    do {
      return try NSRegularExpression(pattern: pattern)
    } catch {
      throw .invalidAllowedPattern
    }
  }

  /// The value must match the pattern (a match anywhere, as the pattern's own anchors say).
  static func checkPattern(_ pattern: String, value: String) throws(StoreError) {
    let regex = try compilePattern(pattern)
    let range = NSRange(value.startIndex..<value.endIndex, in: value)
    guard regex.firstMatch(in: value, range: range) != nil else {
      throw .parameterPatternMismatch(pattern: pattern)
    }
  }

  /// No `aws:` prefix on keys, and SSM's `TagKey` (1–128) and `TagValue` (0–256) shapes, both with the pattern
  /// `^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$` (botocore's ssm/2014-11-06 model), as AWS words a
  /// violation of each.
  static func checkTags(_ tags: [Tag]) throws(StoreError) {
    for (index, tag) in tags.enumerated() {
      try tag.checkLengths(at: index)
      for (text, field) in [(tag.key, "key"), (tag.value, "value")]
      where !text.unicodeScalars.allSatisfy(isTagScalar) {
        throw .constraint(
          value: text, at: "tags.\(index + 1).member.\(field)",
          "Member must satisfy regular expression pattern: \(tagPattern)")
      }
      if tag.key.lowercased().hasPrefix("aws:") {
        throw .validation("Tag keys can't start with the reserved prefix \"aws:\".")
      }
    }
    guard tags.count <= maximumTags else { throw .tooManyTags }
  }

  static let tagPattern = #"^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$"#

  /// A letter, separator or number (`\p{L}`, `\p{Z}`, `\p{N}`), or one of `_.:/=+-@`.
  private static func isTagScalar(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
      .spaceSeparator, .lineSeparator, .paragraphSeparator,
      .decimalNumber, .letterNumber, .otherNumber:
      true
    default:
      "_.:/=+-@".unicodeScalars.contains(scalar)
    }
  }
}
