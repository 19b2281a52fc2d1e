import CinchTemplate

/// The rules `check` runs over each template alone: secrets in plain text
/// (`PlaintextSecretRules`) and the IAM roles' reads (`IAMCoverageRules`). Only E6007 needs the
/// dependency graph (which resource reads the store as which role); the rest runs `ahead`, from
/// the references alone, while the graph is finished (`Checker.prepare`).
enum TemplateRules {
  /// What the rules found in one template before its graph was finished.
  struct Ahead: Sendable {
    var plaintext = Diagnostics()
    /// The IAM policies the template writes; nil when it is not CloudFormation.
    var policies: IAMPolicies?
    /// W6008.
    var readsOnAny = Diagnostics()
  }

  static func ahead(
    _ template: Template, references: [EvaluatedReference], inputs: EvaluationInputs
  ) -> Ahead {
    var ahead = Ahead()
    PlaintextSecretRules.check(template, references: references, into: &ahead.plaintext)
    ahead.policies = IAMCoverageRules.readPolicies(
      template, inputs: inputs, into: &ahead.readsOnAny)
    return ahead
  }

  /// Every template's findings, in the order one pass over each template makes them.
  /// `ahead`: what `ahead` found in each of `analyses`; nil to run it here.
  static func check(
    _ analyses: [TemplateAnalysis], ahead: [Ahead]?, inputs: EvaluationInputs
  ) -> Diagnostics {
    var findings = Diagnostics()
    for (index, analysis) in analyses.enumerated() {
      let found =
        ahead?[index]
        ?? Self.ahead(analysis.template, references: analysis.references, inputs: inputs)
      findings.append(contentsOf: found.plaintext)
      if let policies = found.policies {
        IAMCoverageRules.checkCoverage(
          analysis, policies: policies, inputs: inputs, into: &findings)
      }
      findings.append(contentsOf: found.readsOnAny)
    }
    return findings
  }
}
