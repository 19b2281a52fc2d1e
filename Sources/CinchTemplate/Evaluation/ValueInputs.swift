/// Which parameters (and pseudo-parameters) can show in an expression's value: the names its
/// `Ref`s and `Fn::Sub` variables read, followed through the functions that carry text into
/// their result. A name that only chooses (a condition, an `Fn::Select` index, an
/// `Fn::FindInMap` key) or is only counted (`Fn::Length`) does not show in the value.
enum ValueInputs {
  static func collect(_ node: Node, into names: inout [String]) {
    switch node.value {
    case .scalar:
      break
    case .sequence(let items):
      for item in items { collect(item, into: &names) }
    case .mapping(let entries):
      for entry in entries { collect(entry.value, into: &names) }
    case .intrinsic(let intrinsic):
      let argument = intrinsic.argument
      let items = argument.sequence ?? []
      switch intrinsic.function {
      case .ref:
        if let name = argument.scalar { names.append(name) }
      case .sub:
        collectSub(argument, into: &names)
      case .select:
        if items.count == 2 { collect(items[1], into: &names) }
      case .if:
        for branch in items.dropFirst() { collect(branch, into: &names) }
      case .findInMap:
        if items.count == 4 { collect(items[3], into: &names) }
      case .join, .split, .base64, .cidr, .toJsonString:
        collect(argument, into: &names)
      case .getAtt, .getAZs, .importValue, .getStackOutput, .transform, .length, .equals, .and, .or,
        .not,
        .condition, .contains, .eachMemberEquals, .eachMemberIn, .refAll, .valueOf, .valueOfAll:
        break
      }
    }
  }

  private static func collectSub(_ argument: Node, into names: inout [String]) {
    let text = argument.sequence.map { $0.first?.scalar } ?? argument.scalar
    guard let text else { return }
    collect(SubTemplate(text), variables: SubTemplate.variables(ofArgument: argument), into: &names)
  }

  /// The names a Sub string's variables read: each variable's map entry, else the name itself.
  static func collect(
    _ sub: SubTemplate, variables: [String: Node], into names: inout [String]
  ) {
    for case .variable(let name, _) in sub.parts {
      if let node = variables[name] { collect(node, into: &names) } else { names.append(name) }
    }
  }
}
