/// Label rules (reference: aws-store-semantics §1.5): at most 100 characters of letters, digits,
/// `.`, `-` and `_`, not starting with a digit, `aws` or `ssm` (any case). A label that breaks the
/// character rules is returned in `InvalidLabels`; one that breaks the length constraint fails
/// the request, as AWS's model validation does.
package enum ParameterLabelRules {
  package static let maximumLength = 100
  package static let maximumPerVersion = 10
  package static let maximumPerRequest = 10

  /// Throws for a length violation; returns whether the label may be attached.
  package static func isValid(_ label: String) throws(StoreError) -> Bool {
    guard !label.isEmpty, label.count <= maximumLength else {
      throw .constraint(
        value: "[\(label)]", at: "labels",
        "Member must satisfy constraint: [Member must have length less than or equal to 100, "
          + "Member must have length greater than or equal to 1]")
    }
    guard label.utf8.allSatisfy(ParameterNameRules.isNameCharacter) else { return false }
    if let first = label.utf8.first, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") {
      return false
    }
    let lowered = label.lowercased()
    return !lowered.hasPrefix("aws") && !lowered.hasPrefix("ssm")
  }

  /// The `Labels` list of a label or unlabel request: 1 to 10 entries.
  static func checkCount(_ labels: [String]) throws(StoreError) {
    guard !labels.isEmpty else {
      throw .constraint(
        value: "[]", at: "labels", "Member must have length greater than or equal to 1")
    }
    guard labels.count <= maximumPerRequest else {
      throw .constraint(
        value: "[\(labels.joined(separator: ", "))]", at: "labels",
        "Member must have length less than or equal to 10")
    }
  }
}
