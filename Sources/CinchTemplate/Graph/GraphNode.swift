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

  public init(
    id: String, kind: Kind, name: String, type: String? = nil, entry: StoreEntry? = nil,
    isActive: Bool = true, file: String, range: SourceRange?
  ) {
    self.id = id
    self.kind = kind
    self.name = name
    self.type = type
    self.entry = entry
    self.isActive = isActive
    self.file = file
    self.range = range
  }

  /// The id of a template element's node: `resource:Db`.
  public static func id(_ kind: Kind, _ name: String) -> String { "\(kind.rawValue):\(name)" }
}
