import CinchTemplate
import Foundation
import Testing

@testable import CinchCompiler

/// A `Fn::Sub` variable or an `Fn::Join` piece may carry ':' into a reference, so the text as
/// written has fewer segments than the reference it evaluates to. The pin goes where the
/// evaluated reference leaves it room (after all of its segments), a reference an input
/// already pins stays as written, and one whose version stage an input gives is not rendered:
/// a pinned output must evaluate to exactly one well-formed reference.
@Suite struct ComposedSegmentsTests {
  struct Built {
    var output: String
    var lock: Lockfile
    var diagnostics: Diagnostics
    var secretVersion: String
  }

  static func build(_ template: String) async throws -> Built {
    try await build { _ in template }
  }

  /// `template` is given the id of the secret's version.
  static func build(_ template: (String) -> String) async throws -> Built {
    let fixture = try await CompilerFixture()
    try await fixture.put("/app/plain", "value-1")
    try await fixture.put("/app/plain", "value-2")
    try await fixture.put("/app/us-east-1/plain", "value")
    let secretVersion = try await fixture.createSecret(
      "app/db", #"{"username":"admin","password":"\#(CompilerFixture.canary)"}"#)
    let (output, lock, diagnostics) = try await fixture.lockAndRender(template(secretVersion))
    return Built(output: output, lock: lock, diagnostics: diagnostics, secretVersion: secretVersion)
  }

  /// The references the rendered text evaluates to, and whatever the analysis says of it.
  static func reanalyze(_ output: String) -> ([Reference], Diagnostics) {
    var diagnostics = Diagnostics()
    let analysis = TemplateAnalyzer.analyze(
      TemplateParser.parse(SourceFile(path: "out.yaml", text: output), into: &diagnostics),
      inputs: EvaluationInputs(), into: &diagnostics)
    return (analysis.references.compactMap(\.concrete), diagnostics)
  }

  static func template(_ parameters: String, _ tags: String) -> String {
    """
    Parameters:
    \(parameters)
    Resources:
      P:
        Type: AWS::SSM::Parameter
        Properties:
          Type: String
          Value: x
          Tags:
    \(tags)
    """
  }

  @Test func aJoinedSecretWhoseParameterGivesTheKeyIsPinnedAfterTheKey() async throws {
    let built = try await Self.build(
      Self.template(
        "  Sec: {Type: String, Default: 'app/db::password'}",
        "        j: !Join ['', ['{{resolve:secretsmanager:', !Ref Sec, '}}']]"))
    #expect(!built.diagnostics.hasErrors, "\(built.diagnostics.items)")
    #expect(built.output.contains("!Ref Sec, '::\(built.secretVersion)}}'"))
    let (references, diagnostics) = Self.reanalyze(built.output)
    #expect(!diagnostics.hasErrors, "\(diagnostics.items)")
    #expect(references.map(\.jsonKey) == ["password"])
    #expect(references.map(\.versionId) == [built.secretVersion])
  }

  @Test func aSubSecretWhoseVariableGivesTwoSegmentsIsPinnedAfterThem() async throws {
    let built = try await Self.build(
      Self.template(
        "  Unused: {Type: String, Default: x}",
        "        l: !Sub ['{{resolve:secretsmanager:${S}}}', {S: 'app/db:SecretString:username'}]"
      ))
    #expect(!built.diagnostics.hasErrors, "\(built.diagnostics.items)")
    #expect(built.output.contains("'{{resolve:secretsmanager:${S}::\(built.secretVersion)}}'"))
    let (references, diagnostics) = Self.reanalyze(built.output)
    #expect(!diagnostics.hasErrors, "\(diagnostics.items)")
    #expect(references.map(\.jsonKey) == ["username"])
    #expect(references.map(\.versionId) == [built.secretVersion])
  }

  @Test func aVersionAParameterGivesIsLeftAsWritten() async throws {
    let built = try await Self.build(
      Self.template(
        "  Name: {Type: String, Default: '/app/plain:1'}",
        "        k: !Sub '{{resolve:ssm:${Name}}}'"))
    #expect(!built.diagnostics.hasErrors, "\(built.diagnostics.items)")
    #expect(built.lock.entries.map(\.pin.version) == [1])
    #expect(built.output.contains("k: !Sub '{{resolve:ssm:${Name}}}'"))
    #expect(built.diagnostics.items.filter { $0.code == .notRendered }.isEmpty)
  }

  @Test func aVersionIdAParameterGivesIsLeftAsWritten() async throws {
    let built = try await Self.build { id in
      Self.template(
        "  Sec: {Type: String, Default: 'app/db:SecretString:password::\(id)'}",
        "        j: !Join ['', ['{{resolve:secretsmanager:', !Ref Sec, '}}']]")
    }
    #expect(!built.diagnostics.hasErrors, "\(built.diagnostics.items)")
    #expect(built.lock.entries.map(\.pin.versionId) == [built.secretVersion])
    #expect(built.output.contains("j: !Join ['', ['{{resolve:secretsmanager:', !Ref Sec, '}}']]"))
    #expect(built.diagnostics.items.filter { $0.code == .notRendered }.isEmpty)
  }

  @Test func aStageAParameterGivesIsNotRendered() async throws {
    let built = try await Self.build(
      Self.template(
        "  Sec: {Type: String, Default: 'app/db:SecretString:password:AWSCURRENT'}",
        "        j: !Join ['', ['{{resolve:secretsmanager:', !Ref Sec, '}}']]"))
    let notRendered = built.diagnostics.items.filter { $0.code == .notRendered }
    #expect(notRendered.count == 1)
    #expect(notRendered.first?.message.contains("version stage") == true)
    #expect(notRendered.first?.message.contains(CompilerFixture.canary) == false)
    #expect(built.output.contains("j: !Join ['', ['{{resolve:secretsmanager:', !Ref Sec, '}}']]"))
  }

  /// `j` and `k`: a reference whose closer parameter `Name`, of default `value`, writes.
  static func closedByParameter(_ value: String) async throws -> Built {
    try await build(
      template(
        "  Name: {Type: String, Default: '\(value)'}",
        "        j: !Join ['', ['{{resolve:ssm:', !Ref Name]]\n"
          + "        k: !Sub '{{resolve:ssm:${Name}'"))
  }

  /// A parameter that writes the reference's closer (`Name=/app/plain}}`): the version would
  /// go into its value, so the site is not rendered (E5002), as where a `Fn::Join` piece known
  /// only after evaluation would take it; unless the value names the pinned version already.
  @Test(arguments: [("/app/plain}}", 2), ("/app/plain:1}}", 1)])
  func aReferenceAParameterClosesIsLeftAsWritten(_ value: String, _ version: Int) async throws {
    let built = try await Self.closedByParameter(value)
    #expect(built.lock.entries.map(\.pin.version) == [version])
    let reason =
      "reference '{{resolve:ssm:${Name}' is closed by an input ('}}' is not written), so its "
      + "version would go into a value known only after evaluation; pin it where the input is "
      + "given, or in the lock only"
    #expect(
      built.diagnostics.items.filter { $0.severity == .error }.map(\.message)
        == (value.hasSuffix(":1}}") ? [] : [reason, reason]))
    #expect(built.output.contains("j: !Join ['', ['{{resolve:ssm:', !Ref Name]]"))
    #expect(built.output.contains("k: !Sub '{{resolve:ssm:${Name}'"))
  }

  @Test func aVariableInsideOneSegmentStillPinsAsBefore() async throws {
    let built = try await Self.build(
      Self.template(
        "  Key: {Type: String, Default: password}",
        "        s: !Sub '{{resolve:secretsmanager:app/db:SecretString:${Key}}}'\n"
          + "        r: !Sub '{{resolve:ssm:/app/${AWS::Region}/plain}}'"))
    #expect(
      built.output.contains(
        "s: !Sub '{{resolve:secretsmanager:app/db:SecretString:${Key}::\(built.secretVersion)}}'"))
    #expect(built.output.contains("r: !Sub '{{resolve:ssm:/app/${AWS::Region}/plain:1}}'"))
  }
}
