package import CinchStore

/// One test of a statement's `Condition` block: an operator (`StringEquals`, `StringLike`,
/// `Null`, … with `IfExists`), a context key (`secretsmanager:VersionStage`) and its values.
/// Any value may match; a key missing from the request fails the test, except for the negated
/// operators and `…IfExists`, where it passes, as IAM evaluates them.
package struct PolicyCondition: Sendable, Hashable {
  package enum Operator: String, Sendable, Hashable, CaseIterable {
    case stringEquals = "StringEquals"
    case stringNotEquals = "StringNotEquals"
    case stringEqualsIgnoreCase = "StringEqualsIgnoreCase"
    case stringNotEqualsIgnoreCase = "StringNotEqualsIgnoreCase"
    case stringLike = "StringLike"
    case stringNotLike = "StringNotLike"
    case bool = "Bool"
    case null = "Null"

    var isNegated: Bool {
      switch self {
      case .stringNotEquals, .stringNotEqualsIgnoreCase, .stringNotLike: true
      default: false
      }
    }
  }

  package var op: Operator
  package var ifExists: Bool
  /// Lower-cased: condition keys are case-insensitive.
  package var key: String
  package var values: [String]

  package init(operator text: String, key: String, values: [String]) throws(StoreError) {
    var name = text
    var ifExists = false
    if name.hasSuffix("IfExists") {
      ifExists = true
      name.removeLast("IfExists".count)
    }
    guard let op = Operator(rawValue: name), !(ifExists && op == .null) else {
      throw PolicyDocument.malformed(
        "Policy document contains a condition operator cinch serve does not enforce: '\(text)'.")
    }
    let lowered = key.lowercased()
    // A key cinch never supplies would be missing from every request: a `Deny` on it
    // (`aws:ResourceTag/env`, `aws:RequestedRegion`) would never apply, where AWS applies it.
    guard Self.suppliedKeys.contains(lowered) || lowered.hasPrefix(Self.encryptionContextPrefix)
    else {
      throw PolicyDocument.malformed(
        "Policy document contains a condition key cinch serve does not supply: '\(key)'.")
    }
    self.op = op
    self.ifExists = ifExists
    self.key = lowered
    self.values = values
  }

  /// The condition keys requests carry (Docs/Serve.md, "Condition keys"), lower-cased.
  static let suppliedKeys: Set<String> = [
    "secretsmanager:secretid", "secretsmanager:versionid", "secretsmanager:versionstage",
    "secretsmanager:name", "aws:username", "aws:principaltype", "aws:securetransport",
    "kms:viaservice", "kms:calleraccount",
  ]
  static let encryptionContextPrefix = "kms:encryptioncontext:"

  /// Whether the request, described by its context keys (lower-case names), passes the test.
  package func holds(in context: [String: String]) -> Bool {
    guard let actual = context[key] else {
      switch op {
      case .null: return values.contains("true")
      default: return ifExists || op.isNegated
      }
    }
    switch op {
    case .null: return values.contains("false")
    case .stringEquals: return values.contains(actual)
    case .stringNotEquals: return !values.contains(actual)
    case .stringEqualsIgnoreCase:
      return values.contains { $0.lowercased() == actual.lowercased() }
    case .stringNotEqualsIgnoreCase:
      return !values.contains { $0.lowercased() == actual.lowercased() }
    case .stringLike: return values.contains { WildcardPattern.matches($0, actual) }
    case .stringNotLike: return !values.contains { WildcardPattern.matches($0, actual) }
    case .bool: return values.contains { $0.lowercased() == actual.lowercased() }
    }
  }
}
