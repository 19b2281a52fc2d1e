/// A store entry a template reads at deploy (a dynamic reference), where it reads it: the
/// graph's input from the reference scanner.
public struct DeployRead: Sendable, Hashable {
  public var entry: StoreEntry
  public var file: String
  /// The reference's bytes (for a composed reference, the expression that composes it).
  public var range: SourceRange
  /// Where the value holding the reference sits, intrinsic functions left out:
  /// `Resources/Db/Properties/MasterUserPassword`. Its first two components name the node
  /// that reads (a resource, an output, a parameter).
  public var path: TemplatePath
  /// The full path, intrinsic functions and argument indexes included
  /// (`Resources/Db/Properties/MasterUserPassword/Fn::If/1`), which says whether the read is live.
  public var syntaxPath: TemplatePath
  /// Whether the read is live, when the evaluator has already said (nil: the graph asks it).
  public var isLive: Bool?
  /// The resource of this template that creates the entry read, when the name written is that
  /// of a secret the template creates (`{{resolve:secretsmanager:prod/app/db}}` beside a
  /// secret named `prod/app/db`): the read is of that resource, not of the store.
  public var createdBy: String?

  public init(
    entry: StoreEntry, file: String, range: SourceRange, path: TemplatePath,
    syntaxPath: TemplatePath? = nil, isLive: Bool? = nil, createdBy: String? = nil
  ) {
    self.entry = entry
    self.file = file
    self.range = range
    self.path = path
    self.syntaxPath = syntaxPath ?? path
    self.isLive = isLive
    self.createdBy = createdBy
  }
}
