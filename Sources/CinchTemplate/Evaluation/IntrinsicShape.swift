/// The shape CloudFormation requires of each intrinsic function's argument, checked where the
/// function is written, whether or not anything evaluates it (a malformed `Fn::Select` around
/// literal references is never evaluated: only its chosen element is read). An argument that is
/// itself a function call is accepted wherever a list or a string is (`!Join ['', !Split …]`).
/// The messages are the evaluator's, so a finding reported by both is reported once.
///
/// Reference: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html
enum IntrinsicShape {
  struct Problem {
    var message: String
    /// The node at fault: the function, or the argument that is not what it must be.
    var node: Node
  }

  static func problem(_ intrinsic: Intrinsic, at node: Node) -> Problem? {
    let argument = intrinsic.argument
    // A call may give the whole argument (AWS::LanguageExtensions allows functions inside
    // `Ref` and `Fn::GetAtt`): what it gives is known only when evaluated.
    if isCall(argument) { return nil }
    let items = argument.sequence
    func arity(_ counts: ClosedRange<Int>, _ message: String) -> Problem? {
      guard let items, counts.contains(items.count) else {
        return Problem(message: message, node: node)
      }
      return nil
    }
    switch intrinsic.function {
    case .ref:
      return argument.scalar == nil
        ? Problem(message: usage(.ref), node: node) : nil
    case .join:
      if let problem = arity(2...2, usage(.join)) { return problem }
      if let items, isCollection(items[0]) {
        return Problem(message: "'Fn::Join' takes a string as its delimiter", node: items[0])
      }
      // "For the Fn::Join delimiter, you can't use any functions" (Fn::Join's reference).
      if let items, isCall(items[0]) {
        return Problem(
          message: "'Fn::Join' takes a string as its delimiter, not a function", node: items[0])
      }
      if let items, isLiteralNonList(items[1]) {
        return Problem(message: needsList(.join), node: items[1])
      }
      return nil
    case .select:
      if let problem = arity(2...2, usage(.select)) { return problem }
      if let items, isLiteralNonList(items[1]) {
        return Problem(message: needsList(.select), node: items[1])
      }
      return nil
    case .split:
      return arity(2...2, usage(.split))
    case .findInMap:
      return arity(3...4, usage(.findInMap))
    case .if:
      if let problem = arity(3...3, usage(.if)) {
        return problem
      }
      return items?[0].scalar == nil
        ? Problem(message: usage(.if), node: node)
        : nil
    case .getAtt:
      return argument.scalar != nil
        ? nil
        : arity(2...2, usage(.getAtt))
    case .sub:
      if argument.scalar != nil || isCall(argument) { return nil }
      guard let items, items.count == 2, items[0].scalar != nil, items[1].mapping != nil else {
        return Problem(message: usage(.sub), node: node)
      }
      return nil
    case .cidr:
      return arity(3...3, usage(.cidr))
    case .getStackOutput:
      guard argument["StackName"] != nil, argument["OutputName"] != nil else {
        return Problem(message: usage(.getStackOutput), node: node)
      }
      return nil
    case .equals:
      return arity(2...2, usage(.equals))
    case .and, .or:
      return arity(2...10, usage(intrinsic.function))
    case .not:
      return arity(1...1, usage(.not))
    case .base64, .getAZs, .importValue, .condition, .transform, .length, .toJsonString,
      .contains, .eachMemberEquals, .eachMemberIn, .refAll, .valueOf, .valueOfAll:
      return nil
    }
  }

  /// What the function takes, as the message says it, for the checks here and the evaluator's.
  static func usage(_ function: IntrinsicFunction) -> String {
    switch function {
    case .ref: "'Ref' takes a logical name"
    case .join: "'Fn::Join' takes [delimiter, [values]]"
    case .select: "'Fn::Select' takes [index, [values]]"
    case .split: "'Fn::Split' takes [delimiter, string]"
    case .findInMap: "'Fn::FindInMap' takes [MapName, TopLevelKey, SecondLevelKey]"
    case .if: "'Fn::If' takes [condition, value if true, value if false]"
    case .getAtt: "'Fn::GetAtt' takes [LogicalId, AttributeName]"
    case .sub: "'Fn::Sub' takes a string or [string, {variables}]"
    case .cidr: "'Fn::Cidr' takes [ipBlock, count, cidrBits]"
    case .equals: "'Fn::Equals' takes [value, value]"
    case .and, .or: "'\(function.rawValue)' takes 2 to 10 conditions"
    case .not: "'Fn::Not' takes [condition]"
    case .getStackOutput: "'Fn::GetStackOutput' takes {StackName, OutputName, Region, RoleArn}"
    case .length: "'Fn::Length' takes a list"
    default: "'\(function.rawValue)' is malformed"
    }
  }

  /// The message for a list argument that is not one (`Fn::Join`'s values, `Fn::Select`'s).
  static func needsList(_ function: IntrinsicFunction) -> String {
    "'\(function.rawValue)' needs a list of values"
  }

  private static func isCall(_ node: Node) -> Bool { node.intrinsic != nil }

  private static func isCollection(_ node: Node) -> Bool {
    node.sequence != nil || node.mapping != nil
  }

  /// A string or a mapping written where a list belongs (a function call may give a list).
  private static func isLiteralNonList(_ node: Node) -> Bool {
    !isCall(node) && (node.scalar != nil || node.mapping != nil)
  }
}
