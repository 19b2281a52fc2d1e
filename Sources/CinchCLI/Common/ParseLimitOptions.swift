import ArgumentParser
import CinchTemplate

/// The hostile-input budgets, raisable per run (`ParseLimits` holds the defaults).
struct ParseLimitOptions: ParsableArguments {
  @Option(help: ArgumentHelp("Largest file read, in bytes.", valueName: "bytes"))
  var maxFileSize: Int = ParseLimits.default.maxFileSize

  @Option(help: ArgumentHelp("Deepest nesting of collections (at most 1000).", valueName: "levels"))
  var maxDepth: Int = ParseLimits.default.maxDepth

  /// The evaluator and the graph recurse once or twice per level: past a few thousand levels
  /// the stack overflows, so the budget stops well short of that.
  static let deepestAllowed = 1000

  @Option(
    help: ArgumentHelp("Most nodes in one document, alias expansions included.", valueName: "count")
  )
  var maxNodes: Int = ParseLimits.default.maxNodes

  @Option(help: ArgumentHelp("Most nodes created by expanding YAML aliases.", valueName: "count"))
  var maxAliasNodes: Int = ParseLimits.default.maxAliasNodes

  @Option(help: ArgumentHelp("Longest scalar, in bytes.", valueName: "bytes"))
  var maxScalarLength: Int = ParseLimits.default.maxScalarLength

  var limits: ParseLimits {
    ParseLimits(
      maxFileSize: maxFileSize, maxDepth: maxDepth, maxNodes: maxNodes,
      maxAliasNodes: maxAliasNodes, maxScalarLength: maxScalarLength)
  }

  func validate() throws {
    for (name, value) in [
      ("--max-file-size", maxFileSize), ("--max-depth", maxDepth), ("--max-nodes", maxNodes),
      ("--max-alias-nodes", maxAliasNodes), ("--max-scalar-length", maxScalarLength),
    ] where value < 1 {
      throw ValidationError("\(name) must be at least 1")
    }
    guard maxDepth <= Self.deepestAllowed else {
      throw ValidationError(
        "--max-depth must be at most \(Self.deepestAllowed): deeper nesting would overflow the stack"
      )
    }
  }
}
