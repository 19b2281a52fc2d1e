/// A CloudFormation intrinsic function call, whichever way it was written.
public struct Intrinsic: Sendable {
  public var function: IntrinsicFunction
  /// The argument as written, except that `!GetAtt A.B` becomes the sequence `[A, B]` (with
  /// each part located inside the original scalar), as its long form would be.
  public var argument: Node
  public var form: Form

  public enum Form: Sendable, Hashable {
    /// `!Ref X`: a YAML short-form tag.
    case shortTag
    /// `{"Ref": "X"}` or `Ref: X`: a one-key mapping; `key` is the key's span.
    case longForm(key: SourceRange)
  }

  public init(function: IntrinsicFunction, argument: Node, form: Form) {
    self.function = function
    self.argument = argument
    self.form = form
  }
}

/// Every intrinsic CloudFormation defines, by its long-form name.
public enum IntrinsicFunction: String, Sendable, CaseIterable, Hashable {
  case ref = "Ref"
  case sub = "Fn::Sub"
  case getAtt = "Fn::GetAtt"
  case `if` = "Fn::If"
  case equals = "Fn::Equals"
  case and = "Fn::And"
  case or = "Fn::Or"
  case not = "Fn::Not"
  case join = "Fn::Join"
  case select = "Fn::Select"
  case split = "Fn::Split"
  case findInMap = "Fn::FindInMap"
  case base64 = "Fn::Base64"
  case cidr = "Fn::Cidr"
  case getAZs = "Fn::GetAZs"
  case importValue = "Fn::ImportValue"
  case getStackOutput = "Fn::GetStackOutput"
  case condition = "Condition"
  case transform = "Fn::Transform"
  case length = "Fn::Length"
  case toJsonString = "Fn::ToJsonString"
  // The functions of a `Rules` section's assertions (https://docs.aws.amazon.com/
  // AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-rules.html).
  case contains = "Fn::Contains"
  case eachMemberEquals = "Fn::EachMemberEquals"
  case eachMemberIn = "Fn::EachMemberIn"
  case refAll = "Fn::RefAll"
  case valueOf = "Fn::ValueOf"
  case valueOfAll = "Fn::ValueOfAll"

  /// Whether CloudFormation accepts the function only in the `Rules` section.
  public var isRuleFunction: Bool {
    switch self {
    case .contains, .eachMemberEquals, .eachMemberIn, .refAll, .valueOf, .valueOfAll: true
    default: false
    }
  }

  /// Whether the function picks one of its operands (`Fn::If` by a condition, `Fn::Select` by an
  /// index, `Fn::FindInMap` between the entry and its `DefaultValue`): the others are written
  /// in the template but not read on deploy.
  public var isChoice: Bool { self == .if || self == .select || self == .findInMap }

  /// The YAML short-form tag, `!Ref`, `!GetAtt`, …
  public var shortTag: String {
    switch self {
    case .ref: "!Ref"
    case .condition: "!Condition"
    default: "!" + rawValue.dropFirst(4)
    }
  }

  /// Looks up a short-form tag as libyaml reports it (`!Ref`).
  public init?(shortTag: String) {
    guard let function = Self.byShortTag[shortTag] else { return nil }
    self = function
  }

  /// Looks up a long-form key. `Condition` is not one: as a mapping key it is also a resource
  /// attribute, so the evaluator reads `{"Condition": X}` only where a condition belongs.
  public init?(longFormKey key: String) {
    guard key == "Ref" || key.hasPrefix("Fn::"), let function = Self(rawValue: key) else {
      return nil
    }
    self = function
  }

  private static let byShortTag: [String: IntrinsicFunction] = {
    var table: [String: IntrinsicFunction] = [:]
    for function in allCases { table[function.shortTag] = function }
    return table
  }()
}

extension Node {
  /// The string of an `Fn::Sub` (`!Sub 'text'` or `!Sub ['text', {…}]`) as its node, with the
  /// syntax path from this node down to it (`Fn::Sub`, or `Fn::Sub/0`); nil for any other node.
  public var subString: (node: Node, syntax: [String])? {
    guard case .intrinsic(let intrinsic) = value, intrinsic.function == .sub else { return nil }
    let argument = intrinsic.argument
    switch argument.value {
    case .scalar: return (argument, [IntrinsicFunction.sub.rawValue])
    case .sequence(let items) where items.first?.scalar != nil:
      return (items[0], [IntrinsicFunction.sub.rawValue, "0"])
    default: return nil
    }
  }
}
