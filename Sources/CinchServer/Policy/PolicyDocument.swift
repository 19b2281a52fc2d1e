import CinchJSON
package import CinchStore

/// An IAM identity-based policy, as `cinch policy` writes it and as IAM takes it:
/// `{"Version": "2012-10-17", "Statement": [{"Effect", "Action"|"NotAction",
/// "Resource"|"NotResource", "Condition"}]}`. Parsing refuses what the server could not enforce
/// (an unknown condition operator, a `Principal`), so a policy never silently allows more than it
/// says.
package struct PolicyDocument: Sendable, Hashable {
  package enum Effect: String, Sendable, Hashable {
    case allow = "Allow"
    case deny = "Deny"
  }

  /// A list of patterns (`*` any run of characters, `?` one character), or its negation
  /// (`NotAction`, `NotResource`).
  package struct PatternList: Sendable, Hashable {
    package var patterns: [String]
    package var negated: Bool
    package var caseInsensitive: Bool

    package func matches(_ value: String) -> Bool {
      let subject = caseInsensitive ? value.lowercased() : value
      let any = patterns.contains { WildcardPattern.matches($0, subject) }
      return negated ? !any : any
    }
  }

  package struct Statement: Sendable, Hashable {
    package var sid: String?
    package var effect: Effect
    package var actions: PatternList
    package var resources: PatternList
    package var conditions: [PolicyCondition]
  }

  package var statements: [Statement]

  package init(statements: [Statement]) {
    self.statements = statements
  }

  /// Parses a policy document; the error is IAM's `MalformedPolicyDocument` with what is wrong.
  package init(parsing text: String) throws(StoreError) {
    let document: JSONValue
    do {
      document = try JSONValueParser.parse(text)
    } catch {
      throw Self.malformed("Syntax errors in policy.")
    }
    guard let root = document.objectValue else { throw Self.malformed("Syntax errors in policy.") }
    for key in root.keys where !["Version", "Id", "Statement"].contains(key) {
      throw Self.malformed("Policy document contains an unknown element '\(key)'.")
    }
    if let version = root["Version"] {
      guard let text = version.stringValue, ["2012-10-17", "2008-10-17"].contains(text) else {
        throw Self.malformed("The policy failed legacy parsing")
      }
    }
    let list: [JSONValue]
    switch root["Statement"] {
    case .array(let items)?: list = items
    case .object(let item)?: list = [.object(item)]
    default: throw Self.malformed("Policy document must contain a 'Statement'.")
    }
    guard !list.isEmpty else { throw Self.malformed("Policy document must contain a 'Statement'.") }
    statements = try list.map { value throws(StoreError) in try Self.statement(value) }
  }

  private static func statement(_ value: JSONValue) throws(StoreError) -> Statement {
    guard let object = value.objectValue else {
      throw malformed("Each 'Statement' must be an object.")
    }
    let known = [
      "Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition",
    ]
    for key in object.keys where !known.contains(key) {
      if key == "Principal" || key == "NotPrincipal" {
        throw malformed("Policy document should not specify a principal.")
      }
      throw malformed("Statement contains an unknown element '\(key)'.")
    }
    guard let effectText = object["Effect"]?.stringValue, let effect = Effect(rawValue: effectText)
    else { throw malformed("Each statement needs an 'Effect' of 'Allow' or 'Deny'.") }
    let actions = try patternList(object, "Action", "NotAction", caseInsensitive: true)
    let resources = try patternList(object, "Resource", "NotResource", caseInsensitive: false)
    var conditions: [PolicyCondition] = []
    if let block = object["Condition"] {
      guard let operators = block.objectValue else { throw malformed("Syntax errors in policy.") }
      for member in operators {
        guard let tests = member.value.objectValue else {
          throw malformed("Syntax errors in policy.")
        }
        for test in tests {
          let values: [String]
          switch test.value {
          case .string(let text): values = [text]
          case .bool(let flag): values = [flag ? "true" : "false"]
          case .array(let items):
            values = try items.map { item throws(StoreError) in
              switch item {
              case .string(let text): return text
              case .bool(let flag): return flag ? "true" : "false"
              default: throw malformed("Condition values must be strings.")
              }
            }
          default: throw malformed("Condition values must be strings.")
          }
          for value in values { try refusePolicyVariables(value) }
          conditions.append(
            try PolicyCondition(operator: member.key, key: test.key, values: values))
        }
      }
    }
    return Statement(
      sid: object["Sid"]?.stringValue, effect: effect, actions: actions, resources: resources,
      conditions: conditions)
  }

  private static func patternList(
    _ object: JSONObject, _ name: String, _ negatedName: String, caseInsensitive: Bool
  ) throws(StoreError) -> PatternList {
    let plain = object[name]
    let negated = object[negatedName]
    guard (plain == nil) != (negated == nil) else {
      throw malformed("Each statement needs exactly one of '\(name)' and '\(negatedName)'.")
    }
    let value = plain ?? negated
    var patterns: [String]
    switch value {
    case .string(let text)?: patterns = [text]
    case .array(let items)?:
      patterns = []
      for item in items {
        guard let text = item.stringValue else { throw malformed("Syntax errors in policy.") }
        patterns.append(text)
      }
    default: throw malformed("Syntax errors in policy.")
    }
    if name == "Action" {
      for pattern in patterns where pattern != "*" {
        guard pattern.contains(":") else {
          throw malformed(
            "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.")
        }
        guard pattern.split(separator: ":", omittingEmptySubsequences: false).count == 2 else {
          throw malformed("Actions/Condition can contain only one colon.")
        }
      }
    } else {
      for pattern in patterns {
        // IAM's own refusal: a resource is an ARN (a pattern of one) or `*`.
        guard pattern == "*" || pattern.hasPrefix("arn:") else {
          throw malformed("Resource \(pattern) must be in ARN format or \"*\".")
        }
        try refusePolicyVariables(pattern)
      }
    }
    if caseInsensitive { patterns = patterns.map { $0.lowercased() } }
    return PatternList(
      patterns: patterns, negated: negated != nil, caseInsensitive: caseInsensitive)
  }

  /// A policy variable (`${aws:username}`) stands for a value of the request that IAM puts in
  /// before it matches; cinch does not, and would match the text `${aws:username}` instead, so
  /// a `Deny` written with one would never apply. Refused, as whatever else cannot be enforced.
  /// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
  static func refusePolicyVariables(_ text: String) throws(StoreError) {
    guard let start = text.range(of: "${") else { return }
    let variable = text[start.lowerBound...].prefix { $0 != "}" } + "}"
    throw malformed(
      "Policy variables such as \(variable) are not supported by cinch serve: write out the "
        + "names they stand for.")
  }

  static func malformed(_ message: String) -> StoreError {
    StoreError(code: "MalformedPolicyDocument", message: message)
  }
}

/// `*` and `?` wildcards as IAM matches them in actions and resources.
enum WildcardPattern {
  static func matches(_ pattern: String, _ subject: String) -> Bool {
    if !pattern.contains("*") && !pattern.contains("?") { return pattern == subject }
    let p = Array(pattern.utf8)
    let s = Array(subject.utf8)
    var pi = 0
    var si = 0
    var star = -1
    var mark = 0
    while si < s.count {
      if pi < p.count && (p[pi] == UInt8(ascii: "?") || p[pi] == s[si]) {
        // `?` stands for one character: skip a whole UTF-8 sequence.
        if p[pi] == UInt8(ascii: "?") { si += utf8Length(s[si]) } else { si += 1 }
        pi += 1
      } else if pi < p.count && p[pi] == UInt8(ascii: "*") {
        star = pi
        mark = si
        pi += 1
      } else if star >= 0 {
        pi = star + 1
        mark += 1
        si = mark
      } else {
        return false
      }
    }
    while pi < p.count && p[pi] == UInt8(ascii: "*") { pi += 1 }
    return pi == p.count
  }

  private static func utf8Length(_ lead: UInt8) -> Int {
    switch lead {
    case 0xf0...: 4
    case 0xe0...: 3
    case 0xc0...: 2
    default: 1
    }
  }
}
