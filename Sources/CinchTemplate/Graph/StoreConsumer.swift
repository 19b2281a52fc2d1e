/// A resource or output that reads a store entry, at deploy or when it runs: an answer of
/// `TemplateGraph.consumers(of:)`.
public struct StoreConsumer: Sendable, Hashable {
  public enum Timing: String, Sendable, Hashable {
    /// CloudFormation resolves a dynamic reference when it deploys the stack.
    case deploy
    /// The resource reads the entry when it runs (an ECS task's secrets, a CodeBuild variable).
    case runtime
  }

  public var file: String
  /// The reading node's id: `resource:Db`, `output:DbUrl`.
  public var node: String
  public var kind: GraphNode.Kind
  /// The logical name.
  public var name: String
  public var timing: Timing
  /// The entry as this template names it (a name or an ARN).
  public var entry: StoreEntry
  /// The property that reads.
  public var path: TemplatePath
  public var range: SourceRange?
  /// False inside the untaken branch of an `Fn::If` or a resource whose condition is false.
  public var isActive: Bool
  /// The parameter the value arrives through, when an `AWS::SSM::Parameter::Value<…>`
  /// parameter (or a reference in a parameter's default) reads the entry and the node uses it.
  public var via: String?
  /// For a run-time read, the role it happens as.
  public var role: RoleReference?

  public init(
    file: String, node: String, kind: GraphNode.Kind, name: String, timing: Timing,
    entry: StoreEntry, path: TemplatePath, range: SourceRange?, isActive: Bool,
    via: String? = nil, role: RoleReference? = nil
  ) {
    self.file = file
    self.node = node
    self.kind = kind
    self.name = name
    self.timing = timing
    self.entry = entry
    self.path = path
    self.range = range
    self.isActive = isActive
    self.via = via
    self.role = role
  }
}
