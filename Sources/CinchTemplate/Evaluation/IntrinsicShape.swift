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
        ? Problem(message: "'Ref' takes a logical name", node: node) : nil
    case .join:
      if let problem = arity(2...2, "'Fn::Join' takes [delimiter, [values]]") { return problem }
      if let items, isCollection(items[0]) {
        return Problem(message: "'Fn::Join' takes a string as its delimiter", node: items[0])
      }
      if let items, isLiteralNonList(items[1]) {
        return Problem(message: "'Fn::Join' needs a list of values", node: items[1])
      }
      return nil
    case .select:
      if let problem = arity(2...2, "'Fn::Select' takes [index, [values]]") { return problem }
      if let items, isLiteralNonList(items[1]) {
        return Problem(message: "'Fn::Select' needs a list of values", node: items[1])
      }
      return nil
    case .split:
      return arity(2...2, "'Fn::Split' takes [delimiter, string]")
    case .findInMap:
      return arity(3...4, "'Fn::FindInMap' takes [MapName, TopLevelKey, SecondLevelKey]")
    case .if:
      if let problem = arity(3...3, "'Fn::If' takes [condition, value if true, value if false]") {
        return problem
      }
      return items?[0].scalar == nil
        ? Problem(message: "'Fn::If' takes [condition, value if true, value if false]", node: node)
        : nil
    case .getAtt:
      return argument.scalar != nil
        ? nil
        : arity(2...2, "'Fn::GetAtt' takes [LogicalId, AttributeName]")
    case .sub:
      if argument.scalar != nil || isCall(argument) { return nil }
      guard let items, items.count == 2, items[0].scalar != nil, items[1].mapping != nil else {
        return Problem(message: "'Fn::Sub' takes a string or [string, {variables}]", node: node)
      }
      return nil
    case .cidr:
      return arity(3...3, "'Fn::Cidr' takes [ipBlock, count, cidrBits]")
    case .getStackOutput:
      guard argument["StackName"] != nil, argument["OutputName"] != nil else {
        return Problem(
          message: "'Fn::GetStackOutput' takes {StackName, OutputName, Region, RoleArn}",
          node: node)
      }
      return nil
    case .equals:
      return arity(2...2, "'Fn::Equals' takes [value, value]")
    case .and, .or:
      return arity(2...10, "'\(intrinsic.function.rawValue)' takes 2 to 10 conditions")
    case .not:
      return arity(1...1, "'Fn::Not' takes [condition]")
    case .base64, .getAZs, .importValue, .condition, .transform, .length, .toJsonString,
      .contains, .eachMemberEquals, .eachMemberIn, .refAll, .valueOf, .valueOfAll:
      return nil
    }
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
