/// Budgets that keep hostile input from turning into a crash, a hang or a memory blow-up.
/// The defaults fit real templates with room to spare (CloudFormation's own template limit is
/// 1 MB); every one can be raised from the command line.
public struct ParseLimits: Sendable, Hashable {
  /// Largest file read, in bytes (`--max-file-size`); never more than
  /// `SourcePosition.maxOffset`, whatever is asked.
  public var maxFileSize: Int {
    get { storedMaxFileSize }
    set { storedMaxFileSize = min(newValue, SourcePosition.maxOffset) }
  }
  private var storedMaxFileSize: Int
  /// Deepest nesting of collections (`--max-depth`).
  public var maxDepth: Int
  /// Most nodes in one document, alias expansions included (`--max-nodes`).
  public var maxNodes: Int
  /// Most nodes created by expanding YAML aliases (`--max-alias-nodes`).
  public var maxAliasNodes: Int
  /// Longest scalar, in bytes (`--max-scalar-length`).
  public var maxScalarLength: Int

  public init(
    maxFileSize: Int = 16 << 20, maxDepth: Int = 256, maxNodes: Int = 4_000_000,
    maxAliasNodes: Int = 100_000, maxScalarLength: Int = 1 << 20
  ) {
    self.storedMaxFileSize = min(maxFileSize, SourcePosition.maxOffset)
    self.maxDepth = maxDepth
    self.maxNodes = maxNodes
    self.maxAliasNodes = maxAliasNodes
    self.maxScalarLength = maxScalarLength
  }

  public static let `default` = ParseLimits()

  /// "collections nest deeper than 256 levels" (or "1 level").
  public var tooDeep: String {
    "collections nest deeper than \(maxDepth) level" + (maxDepth == 1 ? "" : "s")
  }
}
