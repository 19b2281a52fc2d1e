/// A template's logical names by kind, for lookups in constant time: the graph stages ask
/// "is this a resource?" for every reference of templates with hundreds of resources.
struct TemplateIndex: Sendable {
  /// Resources are found through the template's own index (the first of each logical ID).
  private let template: Template
  let parameters: Set<String>
  let conditions: Set<String>
  let mappings: Set<String>

  /// The loops of `Fn::ForEach` in `Resources`, each with the names its body's keys make.
  private let loops: [(logicalID: String, names: Template.LoopNames)]
  /// The same for the loops of `Conditions`.
  private let conditionLoops: [(name: String, names: Template.LoopNames)]

  init(_ template: Template) {
    self.template = template
    parameters = Set(template.parameters.map(\.name))
    conditions = Set(template.conditions.map(\.name))
    mappings = Set(template.mappings.map(\.name))
    loops = Self.loops(template.resources.lazy.map { ($0.logicalID, $0.node) })
    conditionLoops = Self.loops(template.conditions.lazy.map { ($0.name, $0.node) })
  }

  private static func loops(_ entries: some Sequence<(String, Node)>) -> [(
    String, Template.LoopNames
  )] {
    entries.compactMap { name, node in
      guard Template.isLoop(name) else { return nil }
      var names = Template.LoopNames()
      return names.collect(node, keysName: true) ? (name, names) : nil
    }
  }

  /// Whether `name` is a condition whose value can be asked for: one the template writes, or
  /// one a loop of `Conditions` makes for an element known before deploy (in an iteration of
  /// a loop, `Is${N}` with its element).
  func definesCondition(_ name: String, _ evaluator: inout Evaluator) -> Bool {
    conditions.contains(name) || (!conditionLoops.isEmpty && evaluator.definesCondition(name))
  }

  /// The loop of `Conditions` whose body makes names shaped as `pattern` (`Is${Env}`, written in
  /// a loop's body with that loop's identifier).
  func conditionLoopNodeID(making pattern: String) -> String? {
    conditionLoops.first { $0.names.makes(shape: pattern) }.map {
      GraphNode.id(.condition, $0.name)
    }
  }

  func resource(_ logicalID: String) -> Template.Resource? { template.resource(logicalID) }
  func isResource(_ name: String) -> Bool { template.hasResource(name) }

  /// The graph node a `Ref`, `Fn::GetAtt`, `${…}` or `DependsOn` of `name` reaches: the
  /// resource, or the loop of `Fn::ForEach` whose body makes it (`TopicOrders` of a loop
  /// making `Topic${Name}` over `[Orders, Payments]`), which stands for what it makes.
  func resourceNodeID(_ name: String) -> String? {
    if isResource(name) { return GraphNode.id(.resource, name) }
    guard !loops.isEmpty, let loop = loops.first(where: { $0.names.makes(name) }) else {
      return nil
    }
    return GraphNode.id(.resource, loop.logicalID)
  }

  /// The loop whose body makes names shaped as `pattern` (`Subnet${Id}`, written in a loop's
  /// body with that loop's identifier).
  func loopNodeID(making pattern: String) -> String? {
    loops.first { $0.names.makes(shape: pattern) }.map { GraphNode.id(.resource, $0.logicalID) }
  }

  /// The type of the resource with this logical ID, read in place.
  private func type(of name: String) -> String? {
    template.resourcePosition(name).flatMap { template.resources[$0].type }
  }

  /// The secret or parameter of this template a value stands for, when it is one: `Ref` of an
  /// `AWS::SecretsManager::Secret` (its ARN) or an `AWS::SSM::Parameter` (its name), a secret's
  /// `Id`, or a secret a resource manages for itself (`Db.MasterUserSecret.SecretArn`,
  /// a Redshift cluster's `MasterPasswordSecretArn`).
  func storeResource(for dependency: Dependency) -> (kind: StoreEntry.Kind, logicalID: String)? {
    switch dependency {
    case .resource(let name):
      switch type(of: name) {
      case "AWS::SecretsManager::Secret", "AWS::SecretsManager::SecretTargetAttachment":
        return (.secret, name)
      case "AWS::SSM::Parameter":
        return (.parameter, name)
      default:
        return nil
      }
    case .attribute(let name, let attribute):
      guard let type = type(of: name) else { return nil }
      if type == "AWS::SecretsManager::Secret" && attribute == "Id"
        || attribute.hasPrefix("MasterUserSecret.") || attribute == "MasterPasswordSecretArn"
      {
        return (.secret, name)
      }
      return nil
    default:
      return nil
    }
  }

  /// The same for a name that starts with a `${…}` placeholder (`${DbSecret}`, from a
  /// reference whose secret id is `!Sub '{{resolve:secretsmanager:${DbSecret}}}'`).
  func storeResource(named name: String) -> (kind: StoreEntry.Kind, logicalID: String)? {
    guard name.hasPrefix("${"), let close = name.firstIndex(of: "}") else { return nil }
    let inner = name[name.index(name.startIndex, offsetBy: 2)..<close]
    if let dot = inner.firstIndex(of: ".") {
      return storeResource(
        for: .attribute(
          resource: String(inner[..<dot]), attribute: String(inner[inner.index(after: dot)...])))
    }
    return storeResource(for: .resource(String(inner)))
  }
}
