public import CinchTemplate

/// Secrets written in plain text, the rules `check` adds to the front end's: a `NoEcho`
/// parameter with a `Default` (E2033), and text shaped like a credential anywhere in a file,
/// comments included (E2034). A literal in a password-like property (E2032) is found by the
/// placement rules, which every command runs. Each finding is located and marked sensitive:
/// no message quotes the text, and the human format masks it in the line it shows.
public enum PlaintextSecretRules {
  /// `references`: the template's evaluated references (`TemplateAnalysis.references`).
  public static func check(
    _ template: Template, references: [EvaluatedReference], into diagnostics: inout Diagnostics
  ) {
    if template.isCloudFormation {
      checkNoEchoDefaults(template, references: references, into: &diagnostics)
    }
    CredentialScanner.scan(template.document, into: &diagnostics)
  }

  /// E2033: the value a `NoEcho` parameter hides is in the template when it has a `Default`. A
  /// default that names a Parameter Store parameter (`AWS::SSM::Parameter::Value<…>`) or holds a
  /// reference is no secret; an empty default, or a placeholder (`'<>'`), hides nothing.
  static func checkNoEchoDefaults(
    _ template: Template, references: [EvaluatedReference], into diagnostics: inout Diagnostics
  ) {
    for parameter in template.parameters where parameter.noEcho && !parameter.isSSMValueType {
      guard let value = parameter.defaultValue, let text = value.scalar, !text.isEmpty,
        !value.isNull, !PlacementRules.isPlaceholderSecret(text)
      else { continue }
      let holdsReference = references.contains {
        $0.isWritten && value.range.start.offset <= $0.site.range.start.offset
          && $0.site.range.end.offset <= value.range.end.offset
      }
      if holdsReference { continue }
      diagnostics.report(
        Diagnostic(
          .noEchoDefault,
          "parameter '\(parameter.name)' is 'NoEcho' but its 'Default' is written in the "
            + "template, where anyone who reads it sees it; drop the default and pass the "
            + "value at deploy, or read it with an 'ssm-secure' or 'secretsmanager' reference",
          file: template.path, range: value.range,
          path: ["Parameters", parameter.name, "Default"], sensitive: true))
    }
  }
}
