import CinchTemplate
import Testing
import _CinchTestSupport

extension SARIFRequirements {
  /// The requirements for a log rendered from `diagnostics`.
  static func check(
    _ sarif: String, diagnostics: [Diagnostic], sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    try check(
      sarif, codes: Set(diagnostics.map(\.code.id)),
      located: diagnostics.filter { $0.file != nil && $0.code != .checkNotRun }.count,
      unlocated: diagnostics.filter { $0.file == nil || $0.code == .checkNotRun }.count,
      sourceLocation: sourceLocation)
  }
}
