/// An edge: `from` uses `to` (refers to it, depends on it, reads it, runs as it).
public struct GraphEdge: Sendable, Hashable {
  public enum Kind: String, Sendable, Hashable, CaseIterable {
    /// `Ref`
    case ref
    /// `Fn::GetAtt`
    case getAtt
    /// A `${…}` variable in an `Fn::Sub` string.
    case sub
    /// `DependsOn`
    case dependsOn
    /// A `Condition` attribute, an `Fn::If`, or a condition used in another condition.
    case condition
    /// `Fn::FindInMap`
    case findInMap
    /// A dynamic reference CloudFormation resolves when it deploys.
    case readsAtDeploy
    /// A property that makes the resource read the store when it runs.
    case readsAtRuntime
    /// From a resource that reads the store at run time to the role it reads as.
    case runsAs

    /// Whether the edge orders a deploy (run-time edges do not: CloudFormation never sees them).
    public var ordersDeploy: Bool { self != .readsAtRuntime && self != .runsAs }
    /// Whether the edge is a read of the store.
    public var readsStore: Bool { self == .readsAtDeploy || self == .readsAtRuntime }
  }

  /// One place in the template that makes the edge.
  public struct Site: Sendable, Hashable {
    public var file: String
    public var range: SourceRange?
    /// The path of the value that makes the edge, intrinsic functions left out.
    public var path: TemplatePath
    /// False inside the untaken branch of an `Fn::If` or a resource whose condition is false.
    public var isActive: Bool

    public init(file: String, range: SourceRange?, path: TemplatePath, isActive: Bool) {
      self.file = file
      self.range = range
      self.path = path
      self.isActive = isActive
    }
  }

  public var from: String
  public var to: String
  public var kind: Kind
  /// Every place that makes this edge, in template order.
  public var sites: [Site]

  public init(from: String, to: String, kind: Kind, sites: [Site]) {
    self.from = from
    self.to = to
    self.kind = kind
    self.sites = sites
  }

  /// Whether any site of the edge is active; inactive edges are kept, marked.
  public var isActive: Bool { sites.contains(where: \.isActive) }
}
