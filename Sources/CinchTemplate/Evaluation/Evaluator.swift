/// Partial evaluation of a template's intrinsic functions with CloudFormation's semantics:
/// whatever depends only on parameters, pseudo-parameters, mappings and conditions is folded;
/// whatever depends on a resource, an import or an unset parameter stays symbolic and says what
/// it waits on.
///
/// Reference: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference.html
public struct Evaluator: Sendable {
  public let template: Template
  public let inputs: EvaluationInputs
  private var parameterValues: [String: Value] = [:]
  private var conditionValues: [String: Bool?] = [:]
  private var conditionsInProgress: [String] = []
  private var reported: Set<String> = []
  /// Per resource (by position), whether an `Fn::If` sits anywhere in it, once asked: without
  /// one, every place in a deployed resource is live.
  private var resourceHasChoice: [Bool?] = []
  /// The live `Fn::FindInMap` lookups, found the first time a place in `Mappings` is asked
  /// about (most templates write no reference there).
  private var mappingSelections: MappingSelections?
  /// While one iteration of an `Fn::ForEach` loop's body is evaluated: the element each
  /// enclosing loop's identifier stands for, which `Ref` and `${…}` of the identifier give
  /// (the language extensions replace them before anything else reads the body). Empty
  /// otherwise: an identifier is then unknown, as what a loop makes is.
  /// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-foreach.html
  public var loopElements: [String: String] = [:]
  /// What the `Fn::ForEach` loops of `Conditions` make, once a name the template does not
  /// write is asked about (`Evaluator+ConditionLoops`), and whether that is under way.
  var conditionLoops: ConditionLoops?
  var expandingConditionLoops = false
  /// While an `Fn::ForEach` loop's body is evaluated outside an iteration (what every iteration
  /// reads alike): its loops' identifiers, whose `${…}` and `&{…}` then wait on the identifier
  /// wherever the body writes them (`Evaluator+LoopBody`).
  public var loopIdentifiers: Set<String> = []

  public init(template: Template, inputs: EvaluationInputs, into diagnostics: inout Diagnostics) {
    self.template = template
    self.inputs = inputs
    for parameter in template.parameters {
      parameterValues[parameter.name] = resolveParameter(parameter, into: &diagnostics)
    }
  }

  /// The value a parameter takes: its input, else its default, else unknown.
  public func parameterValue(_ name: String) -> Value? { parameterValues[name] }

  /// The name of the Parameter Store parameter an `AWS::SSM::Parameter::Value<…>` parameter
  /// points at (its input or default), or nil when unset.
  public func ssmParameterName(_ parameter: Template.Parameter) -> String? {
    inputs.parameters[parameter.name]?.value ?? parameter.defaultValue?.scalarAsRead
  }

  // MARK: Expressions

  public mutating func evaluate(_ node: Node, into diagnostics: inout Diagnostics) -> Value {
    switch node.value {
    case .scalar:
      let text = node.scalarAsRead ?? ""
      return loopText(text, dollar: true) ?? .string(text)
    case .sequence(let items):
      return .list(items.map { evaluate($0, into: &diagnostics) }.filter { $0 != .noValue })
    case .mapping(let entries):
      var fields: [Value.Field] = []
      for entry in entries {
        let value = evaluate(entry.value, into: &diagnostics)
        if value != .noValue { fields.append(Value.Field(entry.name, value)) }
      }
      return .map(fields)
    case .intrinsic(let intrinsic):
      return evaluate(intrinsic, node: node, into: &diagnostics)
    }
  }

  private mutating func evaluate(
    _ intrinsic: Intrinsic, node: Node, into diagnostics: inout Diagnostics
  ) -> Value {
    let argument = intrinsic.argument
    switch intrinsic.function {
    case .ref:
      // AWS::LanguageExtensions allows a function that gives the name.
      if argument.intrinsic != nil, template.transforms.contains("AWS::LanguageExtensions") {
        let name = evaluate(argument, into: &diagnostics)
        guard let text = name.string else { return unknown(name) }
        return ref(text, at: argument, into: &diagnostics)
      }
      guard let name = argument.scalar else {
        return malformed(node, IntrinsicShape.usage(.ref), into: &diagnostics)
      }
      if let named = loopText(name, dollar: true) {
        guard let text = named.string else { return unknown(named) }
        return ref(text, at: argument, into: &diagnostics)
      }
      return ref(name, at: argument, into: &diagnostics)

    case .sub:
      return sub(argument, node: node, into: &diagnostics)

    case .join:
      guard let items = argument.sequence, items.count == 2 else {
        return malformed(node, IntrinsicShape.usage(.join), into: &diagnostics)
      }
      let delimiter = evaluate(items[0], into: &diagnostics)
      let list = evaluate(items[1], into: &diagnostics)
      guard case .list(let values) = list else {
        if case .unknown = list { return list }
        return malformed(items[1], IntrinsicShape.needsList(.join), into: &diagnostics)
      }
      var parts: [Value] = []
      for (index, value) in values.enumerated() {
        if index > 0 { parts.append(delimiter) }
        parts.append(value)
      }
      return Value.concatenate(parts)

    case .select:
      guard let items = argument.sequence, items.count == 2 else {
        return malformed(node, IntrinsicShape.usage(.select), into: &diagnostics)
      }
      let index = evaluate(items[0], into: &diagnostics)
      let list = evaluate(items[1], into: &diagnostics)
      var values: [Value]?
      switch list {
      case .list(let elements): values = elements
      case .unknown: break
      default:
        _ = malformed(items[1], IntrinsicShape.needsList(.select), into: &diagnostics)
      }
      switch selection(items[0], index, count: values?.count, into: &diagnostics) {
      case .position(let position): return values?[position] ?? unknown(list)
      case .unknown: return unknown(index, list)
      case .malformed: return .unknown(Unknown(.invalid, "'Fn::Select' is malformed"))
      }

    case .split:
      guard let items = argument.sequence, items.count == 2 else {
        return malformed(node, IntrinsicShape.usage(.split), into: &diagnostics)
      }
      let delimiter = evaluate(items[0], into: &diagnostics)
      let source = evaluate(items[1], into: &diagnostics)
      guard let separator = delimiter.string, let text = source.string else {
        return unknown(delimiter, source)
      }
      guard !separator.isEmpty else {
        return malformed(items[0], "'Fn::Split' delimiter is empty", into: &diagnostics)
      }
      return .list(
        text.split(separator: separator, omittingEmptySubsequences: false).map {
          .string(String($0))
        })

    case .findInMap:
      return findInMap(argument, node: node, into: &diagnostics)

    case .if:
      guard let items = argument.sequence, items.count == 3, let name = items[0].scalar else {
        return malformed(
          node, IntrinsicShape.usage(.if), into: &diagnostics)
      }
      switch conditionValue(name, at: items[0], into: &diagnostics) {
      case true?: return evaluate(items[1], into: &diagnostics)
      case false?: return evaluate(items[2], into: &diagnostics)
      case nil:
        return .unknown(Unknown(.condition(name), "condition '\(name)' is not known"))
      }

    case .equals, .and, .or, .not, .condition:
      switch condition(node, into: &diagnostics) {
      case let flag?: return .bool(flag)
      case nil:
        return .unknown(
          Unknown(waitsOn: conditionDependencies(node), reason: "a condition is not known"))
      }

    case .base64:
      let value = evaluate(argument, into: &diagnostics)
      guard let text = value.string else { return unknown(value) }
      return .string(Base64.encode(Array(text.utf8)))

    case .cidr:
      return cidr(argument, node: node, into: &diagnostics)

    case .getAZs:
      return .unknown(Unknown(.availabilityZones, "'Fn::GetAZs' is known only at deploy"))

    case .importValue:
      let name = evaluate(argument, into: &diagnostics)
      return .unknown(
        Unknown(.importValue(name.string ?? "?"), "'Fn::ImportValue' is known only at deploy"))

    case .getStackOutput:
      // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-getstackoutput.html
      let stack = argument["StackName"].map { evaluate($0, into: &diagnostics).string ?? "?" }
      let output = argument["OutputName"].map { evaluate($0, into: &diagnostics).string ?? "?" }
      return .unknown(
        Unknown(
          .stackOutput(stack: stack ?? "?", output: output ?? "?"),
          "'Fn::GetStackOutput' is known only at deploy"))

    case .getAtt:
      guard let items = argument.sequence, items.count == 2 else {
        return malformed(node, IntrinsicShape.usage(.getAtt), into: &diagnostics)
      }
      let name: Value
      if let written = items[0].scalar {
        name = loopText(written, dollar: true) ?? .string(written)
      } else if items[0].intrinsic != nil,
        template.transforms.contains("AWS::LanguageExtensions")
      {
        // AWS::LanguageExtensions allows a function that gives "the Fn::GetAtt logical resource
        // name" (and the attribute name, evaluated below in any case).
        // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-getatt.html
        name = evaluate(items[0], into: &diagnostics)
      } else {
        return malformed(node, IntrinsicShape.usage(.getAtt), into: &diagnostics)
      }
      let attributeValue = evaluate(items[1], into: &diagnostics)
      guard let resource = name.string else { return unknown(name, attributeValue) }
      let attribute = attributeValue.string ?? "?"
      if !template.hasResource(resource), !template.mayDefineName(resource) {
        report(
          Diagnostic(
            .danglingReference, template.danglingResourceMessage(resource, in: "Fn::GetAtt"),
            file: template.path, range: items[0].range), into: &diagnostics)
        return .unknown(Unknown(.invalid, "'\(resource)' is not a resource"))
      }
      return .unknown(
        Unknown(
          .attribute(resource: resource, attribute: attribute),
          "'\(resource).\(attribute)' is known only after deploy"))

    case .transform:
      return .unknown(Unknown(.transform, "'Fn::Transform' runs at deploy"))

    case .length:
      let value = evaluate(argument, into: &diagnostics)
      guard case .list(let values) = value else {
        if case .unknown = value { return value }
        return malformed(node, IntrinsicShape.usage(.length), into: &diagnostics)
      }
      return .string(String(values.count))

    case .toJsonString:
      let value = evaluate(argument, into: &diagnostics)
      guard value.isKnown else { return unknown(value) }
      return .string(CompactJSON.render(value))

    case .contains, .eachMemberEquals, .eachMemberIn, .refAll, .valueOf, .valueOfAll:
      // Rule assertions run before deploy, in the Rules section; the graph reports one
      // written anywhere else.
      return .unknown(
        Unknown(.invalid, "'\(intrinsic.function.rawValue)' is evaluated only in Rules"))
    }
  }

  private enum Selection { case position(Int), unknown, malformed }

  /// The element an `Fn::Select` index picks from a list of `count` elements (nil: the list is
  /// not known yet). An index that is not a non-negative integer, or past the list's end, is
  /// reported at `indexNode`.
  private mutating func selection(
    _ indexNode: Node, _ index: Value, count: Int?, into diagnostics: inout Diagnostics
  ) -> Selection {
    guard let text = index.string else { return .unknown }
    guard let position = Int(text), position >= 0 else {
      _ = malformed(
        indexNode, "'Fn::Select' index '\(text)' is not a non-negative integer",
        into: &diagnostics)
      return .malformed
    }
    guard let count else { return .unknown }
    guard position < count else {
      _ = malformed(
        indexNode, "'Fn::Select' index \(position) is out of range for a list of \(count)",
        into: &diagnostics)
      return .malformed
    }
    return .position(position)
  }

  // MARK: Ref and Fn::Sub

  private mutating func ref(_ name: String, at node: Node, into diagnostics: inout Diagnostics)
    -> Value
  {
    if let element = loopElements[name] { return .string(element) }
    if let value = parameterValues[name] { return value }
    if let value = inputs.pseudoParameter(name) { return value }
    if template.hasResource(name) || template.mayDefineName(name) {
      return .unknown(Unknown(.resource(name), "'\(name)' is a resource, known only after deploy"))
    }
    if template.isLoopIdentifier(name, at: node.range) { return loopIdentifier(name) }
    if ReferenceScanner.holdsReference(name) {
      return .unknown(Unknown(.invalid, "'\(name)' is not defined"))
    }
    report(
      Diagnostic(
        .danglingReference, template.danglingRefMessage(name),
        file: template.path, range: node.range), into: &diagnostics)
    return .unknown(Unknown(.invalid, "'\(name)' is not defined"))
  }

  /// The identifier of a loop around the place evaluated, with no element given
  /// (`loopElements`): a different value in each iteration, which waits on it as on a
  /// resource's name (`ReferenceEvaluator.readLoopVariables` says which loop's).
  func loopIdentifier(_ name: String) -> Value {
    .unknown(Unknown(.resource(name), "'\(name)' is a loop's identifier, an element per iteration"))
  }

  private mutating func sub(_ argument: Node, node: Node, into diagnostics: inout Diagnostics)
    -> Value
  {
    let templateNode: Node
    if let items = argument.sequence {
      guard items.count == 2, items[0].scalar != nil, items[1].mapping != nil else {
        return malformed(
          node, IntrinsicShape.usage(.sub), into: &diagnostics)
      }
      templateNode = items[0]
    } else {
      templateNode = argument
    }
    guard var text = templateNode.scalar else {
      return malformed(
        node, IntrinsicShape.usage(.sub), into: &diagnostics)
    }
    // In an iteration of a loop, its identifiers are replaced first (`${Topic${N}.Arn}` is
    // `${Topica.Arn}`); a finding about that text is then said of the whole `Fn::Sub`, whose
    // string's offsets it no longer has.
    var anchor = templateNode
    if !loopElements.isEmpty {
      let replaced = LoopPlaceholders.substitute(text, loopElements)
      if replaced != text { (text, anchor) = (replaced, node) }
    }
    // Outside an iteration, a `&{…}` stays a hole in the text (`substitute`) and a `${…}` of an
    // identifier a variable that waits on it; one inside a `${…}` leaves the whole string
    // waiting.
    if let waiting = loopNamedVariable(in: text) { return waiting }
    return substitute(
      SubTemplate(text), variables: SubTemplate.variables(ofArgument: argument), at: anchor,
      into: &diagnostics)
  }

  /// Folds a Sub string: `${Var}` from the variable map first, then parameters,
  /// pseudo-parameters and resources; `${Res.Attr}` is a resource attribute.
  public mutating func substitute(
    _ subTemplate: SubTemplate, variables: [String: Node], at node: Node,
    into diagnostics: inout Diagnostics
  ) -> Value {
    var parts: [Value] = []
    for part in subTemplate.parts {
      switch part {
      case .text(let text):
        parts.append(loopText(text, dollar: false) ?? .string(text))
      case .variable(let name, let span):
        let value = subVariable(
          name, variables: variables, at: node, span: span, into: &diagnostics)
        switch value {
        case .list, .map:
          // CloudFormation substitutes strings only: a list parameter needs `Fn::Join`.
          parts.append(
            malformed(
              node, "'${\(name)}' is a list: 'Fn::Sub' substitutes strings (join it first)",
              at: template.range(of: span, in: node), into: &diagnostics))
        case .noValue:
          // CloudFormation refuses it: "every value of the context object of every Fn::Sub
          // object must be a string or a function that returns a string".
          parts.append(
            malformed(
              node,
              "'${\(name)}' is AWS::NoValue: 'Fn::Sub' substitutes strings, and CloudFormation "
                + "rejects the template",
              at: template.range(of: span, in: node), into: &diagnostics))
        default:
          parts.append(value)
        }
      }
    }
    return Value.concatenate(parts)
  }

  /// `span`: where `${name}` is in the Sub string's text, so that a finding points at it.
  public mutating func subVariable(
    _ name: String, variables: [String: Node], at node: Node, span: Range<Int>? = nil,
    into diagnostics: inout Diagnostics
  ) -> Value {
    if let variable = variables[name] { return evaluate(variable, into: &diagnostics) }
    if let element = loopElements[name] { return .string(element) }
    if parameterValues[name] != nil || inputs.pseudoParameter(name) != nil
      || template.hasResource(name)
    {
      return ref(name, at: node, into: &diagnostics)
    }
    if let dot = name.firstIndex(of: "."),
      template.hasResource(String(name[..<dot]))
        || template.mayDefineName(String(name[..<dot]))
    {
      let resource = String(name[..<dot])
      let attribute = String(name[name.index(after: dot)...])
      return .unknown(
        Unknown(
          .attribute(resource: resource, attribute: attribute),
          "'\(name)' is known only after deploy"))
    }
    if template.mayDefineName(name) {
      return .unknown(Unknown(.resource(name), "'\(name)' is a resource, known only after deploy"))
    }
    if template.isLoopIdentifier(name, at: node.range) { return loopIdentifier(name) }
    report(
      Diagnostic(
        .danglingReference, template.danglingSubVariableMessage(name, variables: variables.keys),
        file: template.path, range: template.range(of: span, in: node)), into: &diagnostics)
    return .unknown(Unknown(.invalid, "'\(name)' is not defined"))
  }

  // MARK: Mappings

  /// Whether the entry `Fn::FindInMap`'s first three elements name is in its mapping; nil when
  /// a key is not known before deploy.
  private mutating func mappingEntryExists(_ items: [Node]) -> Bool? {
    guard items.count >= 3 else { return nil }
    var scratch = Diagnostics()
    let keys = items[0..<3].map { evaluate($0, into: &scratch) }
    guard let mapName = keys[0].string, let top = keys[1].string, let second = keys[2].string
    else { return nil }
    guard let mapping = template.mapping(mapName) else {
      return template.mayDefineMappings ? nil : false
    }
    return mapping.node[read: top]?[read: second] != nil
  }

  private mutating func findInMap(_ argument: Node, node: Node, into diagnostics: inout Diagnostics)
    -> Value
  {
    guard let items = argument.sequence, items.count == 3 || items.count == 4 else {
      return malformed(
        node, IntrinsicShape.usage(.findInMap), into: &diagnostics)
    }
    let keys = items[0..<3].map { evaluate($0, into: &diagnostics) }
    var defaultNode: Node?
    if items.count == 4 {
      // AWS::LanguageExtensions: a fourth element {DefaultValue: …}; without the transform
      // CloudFormation refuses it (https://docs.aws.amazon.com/AWSCloudFormation/latest/
      // TemplateReference/intrinsic-function-reference-findinmap-enhancements.html).
      guard template.transforms.contains("AWS::LanguageExtensions") else {
        return malformed(
          items[3],
          "'Fn::FindInMap' takes a DefaultValue only in a template with "
            + "'Transform: AWS::LanguageExtensions'", into: &diagnostics)
      }
      guard let value = items[3]["DefaultValue"] else {
        return malformed(
          items[3], "the fourth 'Fn::FindInMap' element must be {DefaultValue: …}",
          into: &diagnostics)
      }
      defaultNode = value
    }
    guard let mapName = keys[0].string, let top = keys[1].string, let second = keys[2].string else {
      return unknown(keys[0], keys[1], keys[2])
    }
    guard let mapping = template.mapping(mapName) else {
      if template.mayDefineMappings {
        return .unknown(Unknown(.transform, "mapping '\(mapName)' may be included at deploy"))
      }
      report(
        Diagnostic(
          .danglingReference, template.danglingMappingMessage(mapName),
          file: template.path, range: items[0].range), into: &diagnostics)
      return .unknown(Unknown(.invalid, "no mapping '\(mapName)'"))
    }
    if let value = mapping.node[read: top]?[read: second] {
      return evaluate(value, into: &diagnostics)
    }
    if let defaultNode { return evaluate(defaultNode, into: &diagnostics) }
    report(
      Diagnostic(
        .mappingKeyNotFound, "mapping '\(mapName)' has no entry '\(top)' / '\(second)'",
        file: template.path, range: node.range), into: &diagnostics)
    return .unknown(Unknown(.invalid, "no entry '\(top)' / '\(second)' in '\(mapName)'"))
  }

  // MARK: Conditions

  /// How deep conditions may refer to conditions (`!Condition`, `Fn::And` of conditions, …).
  static let maxConditionDepth = 100

  /// A named condition's value: true, false, or nil when it depends on something unknown.
  public mutating func conditionValue(
    _ name: String, at node: Node? = nil, into diagnostics: inout Diagnostics
  ) -> Bool? {
    // In an iteration of a loop, `Is${N}` is the element's condition.
    let name = loopElements.isEmpty ? name : LoopPlaceholders.substitute(name, loopElements)
    if let cached = conditionValues[name] { return cached }
    let definition:
      (node: Node, keyRange: SourceRange, path: TemplatePath, elements: [String: String])
    if let written = template.condition(name) {
      definition = (written.node, written.keyRange, ["Conditions", name], [:])
    } else if let made = madeCondition(name) {
      definition = (made.node, made.keyRange, ["Conditions", made.loop], made.elements)
    } else {
      // A name built from a loop's identifier, read without its element, is any of the
      // loop's: not known, and not reported (the graph says whether each one is made).
      if conditionOrigin(name) == .undefined, !ReferenceScanner.holdsReference(name),
        !name.contains("${"), !name.contains("&{")
      {
        report(
          Diagnostic(
            .danglingReference, template.danglingConditionMessage(name), file: template.path,
            range: node?.range), into: &diagnostics)
      }
      return nil
    }
    if let start = conditionsInProgress.firstIndex(of: name) {
      let cycle = conditionsInProgress[start...] + [name]
      report(
        Diagnostic(
          .cycle, "conditions form a cycle: \(cycle.joined(separator: " → "))", file: template.path,
          range: definition.keyRange, path: definition.path), into: &diagnostics)
      return nil
    }
    // Each level is a few stack frames: a chain this deep (no real template comes near it)
    // would overflow the stack before it ended.
    guard conditionsInProgress.count < Self.maxConditionDepth else {
      report(
        Diagnostic(
          .malformedIntrinsic,
          "conditions refer to conditions more than \(Self.maxConditionDepth) deep; '\(name)' "
            + "is not evaluated", file: template.path, range: definition.keyRange,
          path: definition.path), into: &diagnostics)
      return nil
    }
    conditionsInProgress.append(name)
    // A condition a loop makes reads its identifiers as the element; a written one has none.
    let outside = loopElements
    loopElements = definition.elements
    let value = condition(definition.node, into: &diagnostics)
    loopElements = outside
    conditionsInProgress.removeLast()
    conditionValues[name] = .some(value)
    return value
  }

  /// A condition expression with three-valued logic: `Fn::And` is false as soon as one operand
  /// is false, even when another is unknown.
  public mutating func condition(_ node: Node, into diagnostics: inout Diagnostics) -> Bool? {
    // {Condition: Name} is a condition reference only here, in a condition context.
    if let entries = node.mapping, entries.count == 1, entries[0].name == "Condition",
      let name = entries[0].value.scalar
    {
      return conditionValue(name, at: entries[0].value, into: &diagnostics)
    }
    guard let intrinsic = node.intrinsic else {
      if let text = node.scalar, text == "true" || text == "false" { return text == "true" }
      malformedCondition(node, into: &diagnostics)
      return nil
    }
    let argument = intrinsic.argument
    switch intrinsic.function {
    case .condition:
      guard let name = argument.scalar else {
        malformedCondition(node, into: &diagnostics)
        return nil
      }
      return conditionValue(name, at: argument, into: &diagnostics)
    case .equals:
      guard let items = argument.sequence, items.count == 2 else {
        _ = malformed(node, IntrinsicShape.usage(.equals), into: &diagnostics)
        return nil
      }
      let left = evaluate(items[0], into: &diagnostics)
      let right = evaluate(items[1], into: &diagnostics)
      guard left.isKnown, right.isKnown else { return nil }
      return left == right
    case .and, .or:
      guard let items = argument.sequence, (2...10).contains(items.count) else {
        _ = malformed(
          node, IntrinsicShape.usage(intrinsic.function), into: &diagnostics)
        return nil
      }
      let values = items.map { condition($0, into: &diagnostics) }
      if intrinsic.function == .and {
        if values.contains(false) { return false }
        return values.allSatisfy { $0 == true } ? true : nil
      }
      if values.contains(true) { return true }
      return values.allSatisfy { $0 == false } ? false : nil
    case .not:
      guard let items = argument.sequence, items.count == 1 else {
        _ = malformed(node, IntrinsicShape.usage(.not), into: &diagnostics)
        return nil
      }
      return condition(items[0], into: &diagnostics).map { !$0 }
    case .if:
      let value = evaluate(node, into: &diagnostics)
      if case .bool(let flag) = value { return flag }
      if let text = value.string { return text == "true" }
      return nil
    default:
      malformedCondition(node, into: &diagnostics)
      return nil
    }
  }

  private func conditionDependencies(_ node: Node) -> [Dependency] {
    var names: [Dependency] = []
    func visit(_ node: Node) {
      switch node.value {
      case .intrinsic(let intrinsic):
        if intrinsic.function == .condition, let name = intrinsic.argument.scalar {
          names.append(.condition(name))
        } else if intrinsic.function == .ref, let name = intrinsic.argument.scalar {
          names.append(.parameter(name))
        }
        visit(intrinsic.argument)
      case .sequence(let items): items.forEach(visit)
      case .mapping(let entries): entries.forEach { visit($0.value) }
      case .scalar: break
      }
    }
    visit(node)
    return names
  }

  private mutating func malformedCondition(_ node: Node, into diagnostics: inout Diagnostics) {
    _ = malformed(
      node, "a condition must be Fn::Equals, Fn::And, Fn::Or, Fn::Not or a Condition reference",
      into: &diagnostics)
  }

  // MARK: Fn::Cidr

  private mutating func cidr(_ argument: Node, node: Node, into diagnostics: inout Diagnostics)
    -> Value
  {
    guard let items = argument.sequence, items.count == 3 else {
      return malformed(node, IntrinsicShape.usage(.cidr), into: &diagnostics)
    }
    let values = items.map { evaluate($0, into: &diagnostics) }
    guard let block = values[0].string, let countText = values[1].string,
      let bitsText = values[2].string
    else { return unknown(values[0], values[1], values[2]) }
    guard let count = Int(countText), (1...256).contains(count), let bits = Int(bitsText),
      let subnets = CIDR.subnets(of: block, count: count, hostBits: bits)
    else {
      if block.contains(":") {
        return .unknown(Unknown(.invalid, "IPv6 'Fn::Cidr' is not folded"))
      }
      return malformed(
        node,
        "'Fn::Cidr' cannot split '\(block)' into \(countText) subnets of /\(32 - (Int(bitsText) ?? 0))",
        into: &diagnostics)
    }
    return .list(subnets.map(Value.string))
  }

  // MARK: Liveness

  /// Whether a location is read on deploy: false when it sits in a resource or output whose
  /// condition is false, in the branch of an `Fn::If` whose condition goes the other way, in
  /// an element of an `Fn::Select` list other than the one its index picks, or in a mapping
  /// entry no live `Fn::FindInMap` picks. Unknown conditions, indexes and keys count as live:
  /// the location may be read.
  /// Whether `path` ends as the string of `!Select [I, !Split [D, 'TEXT']]` does.
  static func mayBeSplitString(_ path: TemplatePath) -> Bool {
    let syntax = path.components
    let count = syntax.count
    return count >= 4 && syntax[count - 2] == "Fn::Split" && syntax[count - 4] == "Fn::Select"
  }

  /// Whether the reference at `site`, the `ordinal`-th (from 0) of the references in its
  /// scalar, is in a piece of `!Select [I, !Split [D, 'TEXT']]` that the index does not pick:
  /// CloudFormation splits the text before it resolves references, so that reference's text
  /// is not in the result. False when the index, delimiter or text is not known.
  public mutating func isUnpickedSplitPiece(
    _ site: ReferenceSite, ordinal: Int, into diagnostics: inout Diagnostics
  ) -> Bool {
    let syntax = site.syntaxPath.components
    let count = syntax.count
    guard Self.mayBeSplitString(site.syntaxPath), syntax[count - 1] == "1",
      syntax[count - 3] == "1"
    else { return false }
    let chain = template.nodes(along: site.syntaxPath)
    guard chain.count > count, let select = chain[count - 4].intrinsic,
      let split = chain[count - 2].intrinsic,
      let indexNode = select.argument.sequence?.first,
      let splitArguments = split.argument.sequence, splitArguments.count == 2,
      let delimiter = splitArguments[0].scalar, !delimiter.isEmpty,
      let text = splitArguments[1].scalar
    else { return false }
    let pieces = text.split(separator: delimiter, omittingEmptySubsequences: false)
    // The piece holding the reference: counted by references, in order (a reference cut by
    // the delimiter is E2039's, and not read whichever piece is picked).
    var seen = 0
    var holding: Int?
    for (position, piece) in pieces.enumerated() {
      seen += piece.ranges(of: "{{resolve:").count
      if seen > ordinal {
        holding = position
        break
      }
    }
    guard let holding,
      case .position(let picked) = selection(
        indexNode, evaluate(indexNode, into: &diagnostics), count: pieces.count,
        into: &diagnostics)
    else { return false }
    return picked != holding
  }

  public mutating func isLive(_ path: TemplatePath, into diagnostics: inout Diagnostics) -> Bool {
    let components = path.components
    guard let section = components.first, components.count >= 2 else { return true }
    // A mapping's value is read only where a lookup puts it.
    if section == "Mappings" { return !mappingLookups(reading: path).isEmpty }
    let resource = section == "Resources" ? template.resourcePosition(components[1]) : nil
    if let resource, let name = template.resources[resource].condition,
      conditionValue(name, at: template.resources[resource].node["Condition"], into: &diagnostics)
        == false
    {
      return false
    }
    if section == "Outputs",
      let output = template.outputs.first(where: { $0.name == components[1] }),
      let name = output.condition,
      conditionValue(name, at: output.node["Condition"], into: &diagnostics) == false
    {
      return false
    }
    // Only an `Fn::If`, `Fn::Select` or `Fn::FindInMap` (its `DefaultValue`) on the way can make
    // the place not live.
    guard template.document.mayContainChoice, var node = template.document.root else { return true }
    var index = 0
    // A resource's node by its index, not by walking the `Resources` mapping: this runs for
    // every reference and graph edge, and a walk made large templates quadratic.
    if let resource {
      node = template.resources[resource].node
      index = 2
      if !hasChoice(resource: resource) { return true }
    }
    /// The function whose argument list is the next step, and the `Fn::Select` index that
    /// picks among the elements of the list that is the next step.
    var choice: IntrinsicFunction?
    var selectIndex: Node?
    while index < components.count {
      let component = components[index]
      if case .intrinsic(let intrinsic) = node.value {
        if component == intrinsic.function.rawValue || component == intrinsic.function.shortTag {
          index += 1
        }
        choice = intrinsic.function.isChoice ? intrinsic.function : nil
        selectIndex = nil
        node = intrinsic.argument
        continue
      }
      switch node.value {
      case .mapping:
        guard let child = node[component] else { return true }
        node = child
        choice = nil
        selectIndex = nil
      case .sequence(let items):
        guard let position = Int(component), items.indices.contains(position) else { return true }
        if let picked = selectIndex,
          case .position(let chosen) = selection(
            picked, evaluate(picked, into: &diagnostics), count: items.count, into: &diagnostics),
          chosen != position
        {
          return false
        }
        selectIndex = nil
        switch choice {
        case .if?:
          if position > 0, let name = items.first?.scalar,
            let value = conditionValue(name, at: items.first, into: &diagnostics),
            value != (position == 1)
          {
            return false
          }
        case .select?:
          // `[index, list]`: the list's elements are chosen among by the index.
          if position == 1 { selectIndex = items.first }
        case .findInMap?:
          // `[map, top, second, {DefaultValue: …}]`: the default is read only when the entry
          // is not there (the language extensions put the entry's value in the call's place).
          if position == 3, mappingEntryExists(items) == true { return false }
        default:
          break
        }
        choice = nil
        node = items[position]
      default:
        return true
      }
      index += 1
    }
    return true
  }

  /// The live lookups that may put the value at `Mappings/map/top/second/…` somewhere read.
  mutating func mappingLookups(reading path: TemplatePath) -> [MappingSelections.Lookup] {
    if let mappingSelections { return mappingSelections.lookups(reading: path) }
    let selections = MappingSelections(template, evaluator: &self)
    mappingSelections = selections
    return selections.lookups(reading: path)
  }

  private mutating func hasChoice(resource position: Int) -> Bool {
    if resourceHasChoice.isEmpty {
      resourceHasChoice = Array(repeating: nil, count: template.resources.count)
    }
    if let known = resourceHasChoice[position] { return known }
    let found = Self.containsChoice(template.resources[position].node)
    resourceHasChoice[position] = found
    return found
  }

  /// By index, not by element: iterating would copy every child node (its text and tag
  /// retained and released), 2.5% of a 10,000-resource `lock`.
  static func containsChoice(_ node: borrowing Node) -> Bool {
    switch node.value {
    case .scalar:
      return false
    case .sequence(let items):
      for index in items.indices where containsChoice(items[index]) { return true }
      return false
    case .mapping(let entries):
      for index in entries.indices where containsChoice(entries[index].value) { return true }
      return false
    case .intrinsic(let intrinsic):
      return intrinsic.function.isChoice || containsChoice(intrinsic.argument)
    }
  }

  // MARK: Parameters

  private mutating func resolveParameter(
    _ parameter: Template.Parameter, into diagnostics: inout Diagnostics
  ) -> Value {
    let input = inputs.parameters[parameter.name]
    let text: String? = input?.value ?? parameter.defaultValue?.scalarAsRead
    guard let text else {
      if let defaultNode = parameter.defaultValue, defaultNode.sequence != nil {
        report(
          Diagnostic(
            .parameterConstraint, "default of parameter '\(parameter.name)' must be a string",
            file: template.path, range: defaultNode.range,
            path: ["Parameters", parameter.name, "Default"]),
          into: &diagnostics)
      }
      return .unknown(
        Unknown(.parameter(parameter.name), "parameter '\(parameter.name)' has no value"))
    }
    checkConstraints(parameter, value: text, input: input, into: &diagnostics)
    if parameter.isSSMValueType {
      return .unknown(
        Unknown(
          .storeValue(text), "the value of Parameter Store parameter '\(text)' is read at deploy"))
    }
    if parameter.isList {
      return .list(
        text.split(separator: ",", omittingEmptySubsequences: false).map {
          .string($0.trimmingSpaces())
        })
    }
    return .string(text)
  }

  private mutating func checkConstraints(
    _ parameter: Template.Parameter, value: String, input: EvaluationInputs.ParameterInput?,
    into diagnostics: inout Diagnostics
  ) {
    // A NoEcho value never appears in a message.
    let shown = parameter.noEcho ? "the value" : "'\(value)'"
    let origin = input.map { " (from \($0.origin))" } ?? " (its default)"
    var problems: [String] = []
    let elements =
      parameter.isList
      ? value.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingSpaces() }
      : [value]
    if let allowed = parameter.allowedValues {
      for element in elements where !allowed.contains(element) {
        let each = parameter.noEcho ? "the value" : "'\(element)'"
        problems.append(
          "\(each) is not one of the allowed values \(allowed.map { "'\($0)'" }.joined(separator: ", "))"
        )
      }
    }
    // AWS applies `AllowedPattern` to String and CommaDelimitedList parameters, and to a list
    // "the pattern must match each value in the list" (as `AllowedValues` must hold for each
    // value, above); `MinLength` and `MaxLength` are documented for String types only, so they
    // stay on the value as given. A `Number` has `MinValue` and `MaxValue` instead: none of the
    // three applies to it.
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/parameters-section-structure.html
    let isNumber = parameter.type == "Number" || parameter.type == "List<Number>"
    if let pattern = parameter.allowedPattern, !isNumber,
      !parameter.isList || parameter.type == "CommaDelimitedList"
    {
      switch Self.unmatched(pattern, elements) {
      case let unmatched?:
        for element in unmatched {
          let each = parameter.noEcho ? "the value" : "'\(element)'"
          problems.append("\(each) does not match the allowed pattern '\(pattern)'")
        }
      case nil:
        report(
          Diagnostic(
            .parameterConstraint,
            "allowed pattern of parameter '\(parameter.name)' is not a valid regular expression",
            file: template.path, range: parameter.node["AllowedPattern"]?.range,
            path: ["Parameters", parameter.name, "AllowedPattern"], severity: .warning),
          into: &diagnostics)
      }
    }
    let length = value.count
    if let minimum = parameter.minLength, length < minimum, !isNumber {
      problems.append("\(shown) is shorter than the minimum length \(minimum)")
    }
    if let maximum = parameter.maxLength, length > maximum, !isNumber {
      problems.append("\(shown) is longer than the maximum length \(maximum)")
    }
    if isNumber {
      for element in elements {
        // A decimal integer or float, as CloudFormation's Number takes ("An integer or
        // float"): Swift's `Double` also reads `NaN` (which every limit would let through),
        // `inf` and hex floats (`0x1p3`), none of them a number CloudFormation takes.
        // In a list, the element out of range, not the whole list.
        let each = parameter.noEcho ? "the value" : "'\(element)'"
        guard Self.isDecimalNumber(element), let number = Double(element) else {
          problems.append("\(each) is not a number")
          continue
        }
        if let minimum = parameter.minValue, number < minimum {
          problems.append("\(each) is less than the minimum value \(Self.format(minimum))")
        }
        if let maximum = parameter.maxValue, number > maximum {
          problems.append("\(each) is greater than the maximum value \(Self.format(maximum))")
        }
      }
    }
    for problem in problems {
      report(
        Diagnostic(
          .parameterConstraint, "parameter '\(parameter.name)'\(origin): \(problem)",
          file: input?.file ?? template.path,
          range: input.map { $0.range ?? parameter.keyRange } ?? parameter.defaultValue?.range
            ?? parameter.keyRange,
          path: input?.file == nil ? ["Parameters", parameter.name] : nil),
        into: &diagnostics)
    }
  }

  /// The values `pattern` does not match, in order; nil when the pattern does not compile.
  private static func unmatched(_ pattern: String, _ values: [String]) -> [String]? {
    var unmatched: [String] = []
    for value in values {
      guard let matches = AllowedPattern.matches(pattern, value) else { return nil }
      if !matches { unmatched.append(value) }
    }
    return unmatched
  }

  /// `[+-]digits[.digits][e[+-]digits]` (or `.digits`): a decimal integer or float.
  static func isDecimalNumber(_ text: String) -> Bool {
    var bytes = Substring(text).utf8[...]
    if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
      bytes = bytes.dropFirst()
    }
    func digits() -> Int {
      let count = bytes.prefix { $0 &- UInt8(ascii: "0") < 10 }.count
      bytes = bytes.dropFirst(count)
      return count
    }
    var mantissa = digits()
    if bytes.first == UInt8(ascii: ".") {
      bytes = bytes.dropFirst()
      mantissa += digits()
    }
    guard mantissa > 0 else { return false }
    if let exponent = bytes.first, exponent | 0x20 == UInt8(ascii: "e") {
      bytes = bytes.dropFirst()
      if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
        bytes = bytes.dropFirst()
      }
      guard digits() > 0 else { return false }
    }
    return bytes.isEmpty
  }

  private static func format(_ number: Double) -> String {
    number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
  }

  // MARK: Reporting

  /// `range`: where in the node the fault is, when more precise than the node.
  private mutating func malformed(
    _ node: Node, _ message: String, at range: SourceRange? = nil,
    into diagnostics: inout Diagnostics
  ) -> Value {
    report(
      Diagnostic(.malformedIntrinsic, message, file: template.path, range: range ?? node.range),
      into: &diagnostics)
    return .unknown(Unknown(.invalid, message))
  }

  /// Reports once per code and location: the evaluator may fold the same node many times.
  private mutating func report(_ diagnostic: Diagnostic, into diagnostics: inout Diagnostics) {
    let key =
      "\(diagnostic.code.id)|\(diagnostic.file ?? "")|\(diagnostic.range?.start.offset ?? -1)|\(diagnostic.message)"
    if reported.insert(key).inserted { diagnostics.report(diagnostic) }
  }

  private func unknown(_ values: Value...) -> Value {
    let dependencies = values.flatMap(\.waitsOn)
    if dependencies.isEmpty { return .unknown(Unknown(.invalid, "an input is malformed")) }
    return .unknown(
      Unknown(
        waitsOn: dependencies,
        reason: "waits on \(dependencies.map(\.description).joined(separator: ", "))"))
  }
}

extension Substring {
  func trimmingSpaces() -> String {
    var slice = self[...]
    while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
    while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
    return String(slice)
  }
}
