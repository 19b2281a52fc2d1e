import CinchTemplate

/// Reads the identity policies a template writes, and which of its roles each is attached to:
/// a role's inline `Policies`; `AWS::IAM::Policy` and `AWS::IAM::ManagedPolicy` through their
/// `Roles`; `AWS::IAM::RolePolicy` through its `RoleName`; a role's `ManagedPolicyArns` that
/// are `!Ref` to a managed policy of the template, or the ARN of an AWS managed policy whose
/// statements `AWSManagedPolicies` holds. Values are evaluated with the deploy's
/// inputs; an `Fn::If` whose condition is not known gives both branches, neither certain.
/// Users' and groups' inline policies count among the statements, attached to no role.
enum IAMPolicyReader {
  static func read(_ template: Template, inputs: EvaluationInputs) -> IAMPolicies {
    var reader = Reader(template: template, inputs: inputs)
    return reader.run()
  }

  private struct Reader {
    /// A value where a list or document is read, with where it is and whether it is in force.
    struct Item {
      var node: Node
      var path: TemplatePath
      var certain: Bool
    }

    let template: Template
    var evaluator: Evaluator
    /// The evaluator's findings: the front end has reported them already.
    var scratch = Diagnostics()
    var policies = IAMPolicies()
    /// Each role's name, when the template fixes it (a literal `Roles:` entry names it so).
    var roleNames: [String: String] = [:]
    /// Statements of managed policies, for roles that list them in `ManagedPolicyArns`.
    var managed: [String: (statements: [IAMStatement], readable: Bool)] = [:]

    init(template: Template, inputs: EvaluationInputs) {
      self.template = template
      var scratch = Diagnostics()
      evaluator = Evaluator(template: template, inputs: inputs, into: &scratch)
    }

    mutating func run() -> IAMPolicies {
      let types: Set<String> = [
        "AWS::IAM::Role", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::RolePolicy",
        "AWS::IAM::User", "AWS::IAM::Group",
      ]
      for resource in template.resources where resource.type == "AWS::IAM::Role" {
        policies.roles[resource.logicalID] = IAMPolicies.Role()
        if let name = resource.properties?["RoleName"],
          let text = evaluator.evaluate(name, into: &scratch).string
        {
          roleNames[resource.logicalID] = text
        }
      }
      policies.hasSecretResourcePolicy = template.resources.contains {
        $0.type == "AWS::SecretsManager::ResourcePolicy" && deployed($0) != false
      }
      for resource in template.resources {
        guard let type = resource.type, types.contains(type) else { continue }
        // A resource whose condition is false is not deployed: its statements grant nothing.
        switch deployed(resource) {
        case true?: read(resource, type: type, certain: true)
        case nil: read(resource, type: type, certain: false)
        case false?: break
        }
      }
      // Managed policies listed by roles, now that every one is read.
      for resource in template.resources where resource.type == "AWS::IAM::Role" {
        guard deployed(resource) != false, let list = resource.properties?["ManagedPolicyArns"]
        else { continue }
        let base: TemplatePath = [
          "Resources", resource.logicalID, "Properties", "ManagedPolicyArns",
        ]
        for item in items(list, path: base, certain: true) {
          let value = evaluator.evaluate(item.node, into: &scratch)
          if value == .noValue { continue }
          if let arn = value.string, let policy = AWSManagedPolicies.policy(arn: arn) {
            policies.roles[resource.logicalID]?.awsManagedPolicies.append(policy.name)
            let statements = policy.statements.map { statement($0, of: item) }
            policies.roles[resource.logicalID]?.statements += statements
            continue
          }
          guard case .unknown(let unknown) = value, unknown.waitsOn.count == 1,
            case .resource(let name) = unknown.waitsOn[0], let policy = managed[name]
          else {
            // An ARN of the account's managed policies or of AWS's others, which are not in
            // the template, or one that cannot be told.
            policies.roles[resource.logicalID]?.isComplete = false
            continue
          }
          if !policy.readable { policies.roles[resource.logicalID]?.isComplete = false }
          policies.roles[resource.logicalID]?.statements += policy.statements.map {
            var statement = $0
            statement.certain = statement.certain && item.certain
            return statement
          }
        }
      }
      return policies
    }

    /// A statement of an AWS managed policy, placed at the `ManagedPolicyArns` entry that
    /// attaches it: in force as surely as the entry is.
    private func statement(_ known: AWSManagedPolicies.Statement, of item: Item) -> IAMStatement {
      func values(_ texts: [String], isAction: Bool) -> IAMStatement.Values {
        IAMStatement.Values(
          negated: false,
          elements: texts.map {
            IAMStatement.Element(
              pattern: isAction ? .action($0) : .resource($0), expression: nil,
              range: item.node.range, path: item.path, certain: true)
          }, range: item.node.range, path: item.path)
      }
      return IAMStatement(
        effect: .allow, actions: values(known.actions, isAction: true),
        resources: values(known.resources, isAction: false), hasCondition: false,
        conditionKeys: [], certain: item.certain, file: template.path, range: item.node.range,
        path: item.path, effectRange: nil)
    }

    /// Whether a resource is deployed: its `Condition`, when it has one.
    mutating func deployed(_ resource: Template.Resource) -> Bool? {
      guard let condition = resource.condition else { return true }
      return evaluator.conditionValue(condition, into: &scratch)
    }

    private mutating func read(_ resource: Template.Resource, type: String, certain: Bool) {
      guard let properties = resource.properties else { return }
      let base: TemplatePath = ["Resources", resource.logicalID, "Properties"]
      switch type {
      case "AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group":
        let role = type == "AWS::IAM::Role" ? resource.logicalID : nil
        guard let list = properties["Policies"] else { return }
        for item in items(list, path: base.appending("Policies"), certain: certain) {
          guard let document = item.node["PolicyDocument"] else {
            if let role { policies.roles[role]?.isComplete = false }
            continue
          }
          let read = statements(
            document, path: item.path.appending("PolicyDocument"), certain: item.certain)
          policies.statements += read.statements
          if let role {
            policies.roles[role]?.statements += read.statements
            if !read.readable { policies.roles[role]?.isComplete = false }
          }
        }
      case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy", "AWS::IAM::RolePolicy":
        guard let document = properties["PolicyDocument"] else { return }
        let read = statements(document, path: base.appending("PolicyDocument"), certain: certain)
        policies.statements += read.statements
        if type == "AWS::IAM::ManagedPolicy" {
          managed[resource.logicalID] = read
        }
        var targets: [(node: Node, certain: Bool)] = []
        if type == "AWS::IAM::RolePolicy" {
          targets = properties["RoleName"].map { [($0, certain)] } ?? []
        } else if let roles = properties["Roles"] {
          targets = items(roles, path: base.appending("Roles"), certain: certain).map {
            ($0.node, $0.certain)
          }
        }
        for target in targets {
          attach(read, to: target.node, certain: target.certain)
        }
      default:
        break
      }
    }

    /// Attaches a policy to the role a `Roles` entry names: `!Ref Role`, or the role's name.
    /// An entry that cannot be told may name any role: its statements go to each, uncertain.
    private mutating func attach(
      _ read: (statements: [IAMStatement], readable: Bool), to node: Node, certain: Bool
    ) {
      var roles: [String] = []
      var sure = certain
      let value = evaluator.evaluate(node, into: &scratch)
      if value == .noValue { return }
      if case .unknown(let unknown) = value, unknown.waitsOn.count == 1,
        case .resource(let name) = unknown.waitsOn[0], policies.roles[name] != nil
      {
        roles = [name]
      } else if let text = value.string {
        // A role outside the template when none of the template's has the name.
        roles = roleNames.filter { $0.value == text }.map(\.key)
      } else {
        roles = Array(policies.roles.keys)
        sure = false
      }
      for role in roles {
        if sure && !read.readable { policies.roles[role]?.isComplete = false }
        policies.roles[role]?.statements += read.statements.map {
          var statement = $0
          statement.certain = statement.certain && sure
          return statement
        }
      }
    }

    // MARK: Documents

    /// A policy document's statements; `readable` is false when some part of it could not be
    /// read (a JSON string, an expression that is not known), so it may allow more.
    private mutating func statements(_ document: Node, path: TemplatePath, certain: Bool) -> (
      statements: [IAMStatement], readable: Bool
    ) {
      var statements: [IAMStatement] = []
      var readable = true
      for documentItem in branches(document, path: path, certain: certain) {
        guard documentItem.node.mapping != nil, let list = documentItem.node["Statement"] else {
          readable = false
          continue
        }
        let listPath = documentItem.path.appending("Statement")
        // `Statement` is a list of statements, or one.
        let entries =
          list.mapping != nil
          ? [Item(node: list, path: listPath, certain: documentItem.certain)]
          : items(list, path: listPath, certain: documentItem.certain)
        for entry in entries {
          guard entry.node.mapping != nil else {
            readable = false
            continue
          }
          statements.append(statement(entry.node, path: entry.path, certain: entry.certain))
        }
      }
      return (statements, readable)
    }

    private mutating func statement(_ node: Node, path: TemplatePath, certain: Bool)
      -> IAMStatement
    {
      var effect: IAMStatement.Effect?
      if let value = node["Effect"], let text = evaluator.evaluate(value, into: &scratch).string {
        effect = text == "Allow" ? .allow : text == "Deny" ? .deny : nil
      }
      var hasCondition = false
      var keys: Set<String>? = []
      if let condition = node["Condition"] {
        hasCondition = true
        if let operators = condition.mapping {
          for entry in operators {
            guard let tests = entry.value.mapping else {
              keys = nil
              break
            }
            keys?.formUnion(tests.map { $0.name.lowercased() })
          }
        } else {
          keys = nil
        }
      }
      return IAMStatement(
        effect: effect,
        actions: values(node, "Action", "NotAction", path: path, isAction: true),
        resources: values(node, "Resource", "NotResource", path: path, isAction: false),
        hasCondition: hasCondition, conditionKeys: keys, certain: certain,
        file: template.path, range: node.range, path: path, effectRange: node["Effect"]?.range)
    }

    private mutating func values(
      _ statement: Node, _ key: String, _ negatedKey: String, path: TemplatePath, isAction: Bool
    ) -> IAMStatement.Values? {
      let negated = statement[key] == nil
      guard let node = statement[negated ? negatedKey : key] else { return nil }
      let valuesPath = path.appending(negated ? negatedKey : key)
      var elements: [IAMStatement.Element] = []
      for item in items(node, path: valuesPath, certain: true) {
        elements += self.elements(
          item.node, path: item.path, certain: item.certain, isAction: isAction)
      }
      return IAMStatement.Values(
        negated: negated, elements: elements, range: node.range, path: valuesPath)
    }

    /// The patterns one value stands for: one, or a list's (`!Split`, a list parameter).
    private mutating func elements(
      _ node: Node, path: TemplatePath, certain: Bool, isAction: Bool
    ) -> [IAMStatement.Element] {
      let value = evaluator.evaluate(node, into: &scratch)
      func element(_ value: Value) -> IAMStatement.Element {
        IAMStatement.Element(
          pattern: pattern(value, isAction: isAction), expression: expression(node, value),
          range: node.range, path: path, certain: certain)
      }
      switch value {
      case .noValue: return []
      case .list(let values): return values.filter { $0 != .noValue }.map(element)
      default: return [element(value)]
      }
    }

    private func pattern(_ value: Value, isAction: Bool) -> IAMPattern {
      let display = value.placeholderText ?? "?"
      switch value {
      case .string(let text):
        return isAction ? .action(text) : .resource(text)
      case .partial(let pieces):
        let converted = pieces.map { piece -> IAMPattern.Piece in
          switch piece {
          case .text(let text): .text(text)
          case .hole: .hole
          }
        }
        return isAction
          ? .action(pieces: converted, display: display)
          : .resource(pieces: converted, display: display)
      default:
        return .unknown(display)
      }
    }

    /// `!Ref X` or `!GetAtt X.Y`, as written.
    private func expression(_ node: Node, _ value: Value) -> PolicyResource.Expression? {
      guard let intrinsic = node.intrinsic, case .unknown(let unknown) = value,
        unknown.waitsOn.count == 1
      else { return nil }
      switch (intrinsic.function, unknown.waitsOn[0]) {
      case (.ref, .resource(let name)): return .ref(name)
      case (.getAtt, .attribute(let resource, let attribute)):
        return .getAtt(resource: resource, attribute: attribute)
      default: return nil
      }
    }

    // MARK: Lists and branches

    /// The items of a list as written, an `Fn::If` (around the list or an item) followed the way
    /// its condition goes, both ways when it is not known. A list given by an expression
    /// (`!Split`, a list parameter) is one item standing for all of it, and a lone value where a
    /// list belongs is a list of one, as IAM and CloudFormation take it.
    private mutating func items(_ node: Node, path: TemplatePath, certain: Bool) -> [Item] {
      var result: [Item] = []
      for branch in branches(node, path: path, certain: certain) {
        guard let sequence = branch.node.sequence else {
          result.append(branch)
          continue
        }
        for (index, item) in sequence.enumerated() {
          result += branches(item, path: branch.path.appending(index), certain: branch.certain)
        }
      }
      return result
    }

    /// The branches an `Fn::If` may take (the node itself when it is no `Fn::If`).
    private mutating func branches(_ node: Node, path: TemplatePath, certain: Bool) -> [Item] {
      if isNoValue(node) { return [] }
      guard let intrinsic = node.intrinsic, intrinsic.function == .if,
        let items = intrinsic.argument.sequence, items.count == 3, let name = items[0].scalar
      else { return [Item(node: node, path: path, certain: certain)] }
      switch evaluator.conditionValue(name, into: &scratch) {
      case true?: return branches(items[1], path: path, certain: certain)
      case false?: return branches(items[2], path: path, certain: certain)
      case nil:
        return branches(items[1], path: path, certain: false)
          + branches(items[2], path: path, certain: false)
      }
    }

    private func isNoValue(_ node: Node) -> Bool {
      guard let intrinsic = node.intrinsic, intrinsic.function == .ref else { return false }
      return intrinsic.argument.scalar == "AWS::NoValue"
    }
  }
}
