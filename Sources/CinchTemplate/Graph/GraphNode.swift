/// A node of a template's dependency graph: a parameter, condition, mapping, resource or
/// output of the template, or a store entry it reads.
public struct GraphNode: Sendable, Hashable, Identifiable {
  public enum Kind: String, Sendable, Hashable, CaseIterable {
    case parameter
    case condition
    case mapping
    case resource
    case output
    case store
  }

  /// `parameter:Env`, `resource:Db`, `store:ssm:/myapp/prod/dbpassword`: stable across runs.
  public var id: String
  public var kind: Kind
  /// The logical name, or the store entry's name or ARN.
  public var name: String
  /// The resource type (`AWS::RDS::DBInstance`), the parameter type (`String`); nil for others.
  public var type: String?
  /// The store entry, for `.store` nodes.
  public var entry: StoreEntry?
  /// False for a resource or output whose condition is false (it is not deployed), and for a
  /// store entry read only in untaken `Fn::If` branches or undeployed resources.
  public var isActive: Bool
  public var file: String
  /// The logical name's key; for a store entry, its first read.
  public var range: SourceRange?
  /// For a resource that creates a secret or a parameter: what it creates.
  public var creates: CreatedEntry?

  /// The store entry a resource creates (`AWS::SecretsManager::Secret`, `AWS::SSM::Parameter`):
  /// its kind, and its name when the template gives one that evaluates (`Name`); without one,
  /// CloudFormation makes the name up at deploy.
  public struct CreatedEntry: Sendable, Hashable {
    public var kind: StoreEntry.Kind
    public var name: String?

    public init(kind: StoreEntry.Kind, name: String?) {
      self.kind = kind
      self.name = name
    }
  }

  public init(
    id: String, kind: Kind, name: String, type: String? = nil, entry: StoreEntry? = nil,
    isActive: Bool = true, file: String, range: SourceRange?, creates: CreatedEntry? = nil
  ) {
    self.id = id
    self.kind = kind
    self.name = name
    self.type = type
    self.entry = entry
    self.isActive = isActive
    self.file = file
    self.range = range
    self.creates = creates
  }

  /// Whether `entry`, as a user names it (`cinch consumers NAME`), is what this node reads or
  /// creates: a store entry the template reads, or a secret or parameter the template creates,
  /// named by the name it creates or by its logical ID.
  public func standsFor(_ entry: StoreEntry) -> Bool {
    if let own = self.entry { return entry.matches(own) }
    guard let creates, creates.kind == entry.kind else { return false }
    if entry.name == name { return true }
    return creates.name.map { entry.matches(StoreEntry(kind: creates.kind, name: $0)) } ?? false
  }

  /// The id of a template element's node: `resource:Db`.
  public static func id(_ kind: Kind, _ name: String) -> String { "\(kind.rawValue):\(name)" }
}
