public import CinchTemplate

/// What the user asked `check` to leave out or to take harder: `--ignore CODE…`, the templates'
/// own `Metadata` suppressions, and `--warnings-as-errors`. Applied last, to every finding of
/// every rule alike.
public struct FindingFilter: Sendable {
  public var ignored: Set<DiagnosticCode>
  public var suppressions: Suppressions?
  public var warningsAsErrors: Bool

  public init(
    ignored: Set<DiagnosticCode> = [], suppressions: Suppressions? = nil,
    warningsAsErrors: Bool = false
  ) {
    self.ignored = ignored
    self.suppressions = suppressions
    self.warningsAsErrors = warningsAsErrors
  }

  public struct Outcome: Sendable {
    public var kept: Diagnostics
    /// How many findings `--ignore` or a template's suppression removed.
    public var suppressed: Int
  }

  public func apply(_ diagnostics: Diagnostics) -> Outcome {
    var kept = Diagnostics()
    kept.keepHiddenSecrets(of: diagnostics)
    var suppressed = 0
    for diagnostic in diagnostics.items {
      // A file that cannot be read or parsed was not checked: never a finding to hide.
      if diagnostic.code.canBeSuppressed,
        ignored.contains(diagnostic.code) || suppressions?.suppresses(diagnostic) == true
      {
        suppressed += 1
        kept.leaveOut(diagnostic)
        continue
      }
      var diagnostic = diagnostic
      if warningsAsErrors, diagnostic.severity == .warning { diagnostic.severity = .error }
      kept.report(diagnostic)
    }
    return Outcome(kept: kept, suppressed: suppressed)
  }
}
