import CinchJSON

/// IAM policy JSON: `Version`, then statements with `Sid`, `Effect`, `Action`, `Resource` and
/// `Condition` in that order, every list an array (the shape never depends on the count).
/// Resources only the template can name (`!Ref` of a secret it creates without a name) are
/// left out, and a statement left with none is dropped.
public struct PolicyJSONRenderer: Sendable {
  public init() {}

  /// One document, as `aws iam create-policy --policy-document file://…` takes it; empty when
  /// nothing is left to grant.
  public func render(_ document: PolicyDocument) -> String {
    value(document).map { JSONValue.object($0).pretty() } ?? ""
  }

  /// Several documents in one object, keyed by document name (`deploy`,
  /// `consumers:ExecutionRole`).
  public func render(_ set: PolicySet) -> String {
    var object = JSONObject()
    for document in set.documents {
      if let value = value(document) { object[document.name] = .object(value) }
    }
    return JSONValue.object(object).pretty()
  }

  /// The document's length as IAM counts it against its size limits: characters, whitespace
  /// not counted (nil when nothing is left to grant).
  public func policySize(_ document: PolicyDocument) -> Int? {
    value(document).map { object in
      JSONValue.object(object).compact().unicodeScalars.count { !$0.properties.isWhitespace }
    }
  }

  func value(_ document: PolicyDocument) -> JSONObject? {
    let statements = document.statementsOutsideTheTemplate.compactMap(statement)
    guard !statements.isEmpty else { return nil }
    return JSONObject([("Version", .string("2012-10-17")), ("Statement", .array(statements))])
  }

  private func statement(_ statement: PolicyStatement) -> JSONValue? {
    // One ARN written in a template and made from a name is one resource here (the
    // CloudFormation output keeps both: only the second follows the stack).
    var seen = Set<String>()
    let resources = statement.resources.compactMap(\.arn).filter { seen.insert($0).inserted }
    guard !resources.isEmpty else { return nil }
    var object = JSONObject([
      ("Sid", .string(statement.sid)),
      ("Effect", .string(statement.purpose.effect)),
      ("Action", .array(statement.actions.map(JSONValue.string))),
      ("Resource", .array(resources.map(JSONValue.string))),
    ])
    guard let conditions = statement.writableConditions else { return nil }
    if !conditions.isEmpty {
      var tests = JSONObject()
      for condition in conditions {
        var keys = tests[condition.test]?.objectValue ?? JSONObject()
        // `Null` takes one boolean string; some linters reject a list there.
        keys[condition.key] =
          condition.test == "Null" && condition.values.count == 1
          ? .string(condition.values[0]) : .array(condition.values.map(JSONValue.string))
        tests[condition.test] = .object(keys)
      }
      object["Condition"] = .object(tests)
    }
    return .object(object)
  }
}
