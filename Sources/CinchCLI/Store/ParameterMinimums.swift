import CinchAWS
import CinchJSON

/// botocore's client-side check of a request against the service model's minimums, before the
/// call: a string or list shorter than its shape's `min`, or a number below it, is refused with
/// `Parameter validation failed:` and exit 252, the service never asked. botocore checks no
/// maximum (the service does, `ValidationException`, exit 254), and neither does this.
///
/// The minimums are those of botocore's models (`ssm/2014-11-06`, `secretsmanager/2017-10-17`)
/// for the members cinch's commands send, in each input shape's member order, which is the
/// order botocore reports them in.
enum ParameterMinimums {
  enum Limit {
    /// A string's or a list's length (a string in Unicode scalars, as Python counts).
    case length(Int)
    /// Each string of a list.
    case itemLength(Int)
    /// A number's value.
    case value(Int)
  }

  static let byOperation: [String: [(member: String, limits: [Limit])]] = [
    // Systems Manager
    "PutParameter": [
      ("Name", [.length(1)]), ("KeyId", [.length(1)]), ("Tags[].Key", [.length(1)]),
      ("Policies", [.length(1)]),
    ],
    "GetParameter": [("Name", [.length(1)])],
    "GetParameters": [("Names", [.length(1), .itemLength(1)])],
    "GetParametersByPath": [
      ("Path", [.length(1)]), ("ParameterFilters[].Key", [.length(1)]),
      ("ParameterFilters[].Option", [.length(1)]),
      ("ParameterFilters[].Values", [.length(1), .itemLength(1)]), ("MaxResults", [.value(1)]),
    ],
    "GetParameterHistory": [("Name", [.length(1)]), ("MaxResults", [.value(1)])],
    "DeleteParameter": [("Name", [.length(1)])],
    "DeleteParameters": [("Names", [.length(1), .itemLength(1)])],
    "DescribeParameters": [
      ("Filters[].Values", [.length(1), .itemLength(1)]), ("ParameterFilters[].Key", [.length(1)]),
      ("ParameterFilters[].Option", [.length(1)]),
      ("ParameterFilters[].Values", [.length(1), .itemLength(1)]), ("MaxResults", [.value(1)]),
    ],
    "LabelParameterVersion": [("Name", [.length(1)]), ("Labels", [.length(1), .itemLength(1)])],
    "UnlabelParameterVersion": [("Name", [.length(1)]), ("Labels", [.length(1), .itemLength(1)])],
    "AddTagsToResource": [("Tags[].Key", [.length(1)])],
    "RemoveTagsFromResource": [("TagKeys", [.itemLength(1)])],
    // KMS (botocore's kms/2014-11-01: KeyIdType, AliasNameType)
    "DescribeKey": [("KeyId", [.length(1)])],
    "CreateAlias": [("AliasName", [.length(1)]), ("TargetKeyId", [.length(1)])],
    "ListAliases": [("KeyId", [.length(1)])],
    // IAM (iam/2010-05-08: userNameType, policyNameType, accessKeyIdType)
    "CreateAccessKey": [("UserName", [.length(1)])],
    "ListAccessKeys": [("UserName", [.length(1)])],
    "DeleteAccessKey": [("UserName", [.length(1)]), ("AccessKeyId", [.length(16)])],
    "PutUserPolicy": [("UserName", [.length(1)]), ("PolicyName", [.length(1)])],
    "GetUserPolicy": [("UserName", [.length(1)]), ("PolicyName", [.length(1)])],
    "ListUserPolicies": [("UserName", [.length(1)])],
    "DeleteUserPolicy": [("UserName", [.length(1)]), ("PolicyName", [.length(1)])],
    // Secrets Manager
    "CreateSecret": [
      ("Name", [.length(1)]), ("ClientRequestToken", [.length(32)]),
      ("SecretBinary", [.length(1)]), ("SecretString", [.length(1)]), ("Tags[].Key", [.length(1)]),
      ("AddReplicaRegions", [.length(1)]), ("AddReplicaRegions[].Region", [.length(1)]),
    ],
    "GetSecretValue": [
      ("SecretId", [.length(1)]), ("VersionId", [.length(32)]), ("VersionStage", [.length(1)]),
    ],
    "PutSecretValue": [
      ("SecretId", [.length(1)]), ("ClientRequestToken", [.length(32)]),
      ("SecretBinary", [.length(1)]), ("SecretString", [.length(1)]),
      ("VersionStages", [.length(1), .itemLength(1)]), ("RotationToken", [.length(36)]),
    ],
    "UpdateSecret": [
      ("SecretId", [.length(1)]), ("ClientRequestToken", [.length(32)]),
      ("SecretBinary", [.length(1)]), ("SecretString", [.length(1)]),
    ],
    "DescribeSecret": [("SecretId", [.length(1)])],
    "ListSecrets": [
      ("MaxResults", [.value(1)]), ("NextToken", [.length(1)]), ("Filters[].Values", [.length(1)]),
    ],
    "ListSecretVersionIds": [
      ("SecretId", [.length(1)]), ("MaxResults", [.value(1)]), ("NextToken", [.length(1)]),
    ],
    "UpdateSecretVersionStage": [
      ("SecretId", [.length(1)]), ("VersionStage", [.length(1)]),
      ("RemoveFromVersionId", [.length(32)]), ("MoveToVersionId", [.length(32)]),
    ],
    "DeleteSecret": [("SecretId", [.length(1)])],
    "RestoreSecret": [("SecretId", [.length(1)])],
    "TagResource": [("SecretId", [.length(1)]), ("Tags[].Key", [.length(1)])],
    "UntagResource": [("SecretId", [.length(1)]), ("TagKeys", [.itemLength(1)])],
    "GetRandomPassword": [("PasswordLength", [.value(1)])],
    "BatchGetSecretValue": [
      ("SecretIdList", [.length(1), .itemLength(1)]), ("Filters[].Values", [.length(1)]),
      ("MaxResults", [.value(1)]), ("NextToken", [.length(1)]),
    ],
    "RotateSecret": [
      ("SecretId", [.length(1)]), ("ClientRequestToken", [.length(32)]),
      ("RotationRules.AutomaticallyAfterDays", [.value(1)]),
      ("RotationRules.Duration", [.length(2)]), ("RotationRules.ScheduleExpression", [.length(1)]),
    ],
    "CancelRotateSecret": [("SecretId", [.length(1)])],
  ]

  /// The problems botocore would report for `request` (encoded with the AWS member names), in
  /// its words; empty when there are none. Lengths and numbers only: never a value.
  /// botocore walks the request depth first: a list's items one by one, each item's members
  /// before the next item's (`ParameterFilters[0].Key`, `ParameterFilters[0].Values`, then
  /// `ParameterFilters[1].Key`), so the members under one list are checked together, per item.
  static func problems(_ request: JSONValue, operation: String) -> [String] {
    guard let limits = byOperation[operation], request.objectValue != nil else { return [] }
    var problems: [String] = []
    var listsDone: Set<String> = []
    for (path, memberLimits) in limits {
      guard let marker = path.range(of: "[].") else {
        for (member, value) in values(at: path, in: request) {
          problems += self.problems(member, value, memberLimits)
        }
        continue
      }
      // The first member under a list: every member under it, item by item.
      let list = String(path[..<marker.lowerBound])
      guard listsDone.insert(list).inserted else { continue }
      let members = limits.filter { $0.member.hasPrefix(list + "[].") }.map { entry in
        (rest: String(entry.member.dropFirst(list.count + 3)), limits: entry.limits)
      }
      for (name, item) in values(at: list + "[]", in: request) {
        for (rest, limits) in members {
          for (member, value) in values(at: rest, in: item) {
            problems += self.problems("\(name).\(member)", value, limits)
          }
        }
      }
    }
    return problems
  }

  /// The values a member path names in `request`, each with the name botocore reports it by:
  /// `RotationRules.AutomaticallyAfterDays`, `Tags[].Key` → `Tags[0].Key`, `Tags[1].Key`, …
  private static func values(at path: String, in request: JSONValue) -> [(String, JSONValue)] {
    var found: [(String, JSONValue)] = [("", request)]
    for segment in path.split(separator: ".") {
      let each = segment.hasSuffix("[]")
      let key = String(each ? segment.dropLast(2) : segment)
      found = found.flatMap { name, value -> [(String, JSONValue)] in
        guard let member = value.objectValue?[key], member != .null else { return [] }
        let named = name.isEmpty ? key : "\(name).\(key)"
        guard each else { return [(named, member)] }
        return (member.arrayValue ?? []).enumerated().map { ("\(named)[\($0)]", $1) }
      }
    }
    return found
  }

  private static func problems(_ member: String, _ value: JSONValue, _ memberLimits: [Limit])
    -> [String]
  {
    var problems: [String] = []
    for limit in memberLimits {
      switch (limit, value) {
      case (.length(let minimum), .string(let text)) where text.unicodeScalars.count < minimum:
        problems.append(length(member, text.unicodeScalars.count, minimum))
      case (.length(let minimum), .array(let items)) where items.count < minimum:
        problems.append(length(member, items.count, minimum))
      case (.itemLength(let minimum), .array(let items)):
        for (index, item) in items.enumerated() {
          guard case .string(let text) = item, text.unicodeScalars.count < minimum else {
            continue
          }
          problems.append(length("\(member)[\(index)]", text.unicodeScalars.count, minimum))
        }
      case (.value(let minimum), .integer(let number)) where number < minimum:
        problems.append(
          "Invalid value for parameter \(member), value: \(number), valid min value: \(minimum)")
      default:
        continue
      }
    }
    return problems
  }

  private static func length(_ member: String, _ length: Int, _ minimum: Int) -> String {
    "Invalid length for parameter \(member), value: \(length), valid min length: \(minimum)"
  }
}

extension ParameterMinimums {
  /// Throws the usage error (exit 252) for the problems of `request`, if any.
  static func check(_ request: JSONValue, operation: String) throws(AWSUsageError) {
    let problems = problems(request, operation: operation)
    if !problems.isEmpty { throw .parameterValidation(problems) }
  }

  /// `check` of a request given by its string members (nil: not sent), for a command that
  /// checks before it has a request, or whose request type costs more to encode than the
  /// command's own work (`checked(for:)`).
  static func check(_ operation: String, strings: KeyValuePairs<String, String?>)
    throws(AWSUsageError)
  {
    var members = JSONObject()
    for (member, value) in strings { if let value { members[member] = .string(value) } }
    try check(.object(members), operation: operation)
  }
}

extension Encodable {
  /// The request, after botocore's client-side check of `operation`'s minimums
  /// (`ParameterMinimums`): a request below one is a usage error, exit 252. The two reads that
  /// `FastCommandLine` serves check their few members directly: encoding a request type for the
  /// first time costs ~0.6 M instructions of runtime look-ups, ~4% of a `get-parameter`.
  func checked(for operation: String) throws -> Self {
    try ParameterMinimums.check(
      JSONValueEncoder(dates: .epochSeconds).encode(self), operation: operation)
    return self
  }
}
