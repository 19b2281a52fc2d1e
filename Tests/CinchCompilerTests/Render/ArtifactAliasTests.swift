import CinchTemplate
import Foundation
import Testing

@testable import CinchCompiler

/// A reference that YAML aliases repeat is written once, at its anchor, which every alias
/// repeats; several references at one place of one path (a composed `Fn::Join`) still are not.
@Suite struct ArtifactAliasTests {
  static func build(_ text: String) async throws -> (String, Diagnostics) {
    let (output, _, diagnostics) = try await buildWithLock(text)
    return (output, diagnostics)
  }

  static func buildWithLock(_ text: String) async throws -> (String, Lockfile, Diagnostics) {
    let fixture = try await CompilerFixture()
    try await fixture.put("/app/y", "value-y")
    try await fixture.put("/app/z", "value-z")
    return try await fixture.lockAndRender(text)
  }

  @Test func anAliasedReferenceIsPinnedAtItsAnchor() async throws {
    let (output, diagnostics) = try await Self.build(
      """
      Resources:
        A:
          Type: AWS::SSM::Parameter
          Properties: &props
            Type: String
            Value: &v '{{resolve:ssm:/app/y}}'
        B: {Type: AWS::SSM::Parameter, Properties: {Type: String, Value: *v}}
        C: {Type: AWS::SSM::Parameter, Properties: *props}
      """)
    #expect(diagnostics.items.filter { $0.severity == .error }.isEmpty)
    #expect(output.contains("Value: &v '{{resolve:ssm:/app/y:1}}'"))
    #expect(output.contains("Properties: {Type: String, Value: *v}"))
  }

  @Test func aMergeKeyPinsTheMergedReferenceAtItsAnchorAndListsThePlaceOnce() async throws {
    let (output, lock, diagnostics) = try await Self.buildWithLock(
      """
      Metadata:
        Common: &props
          Type: String
          Value: '{{resolve:ssm:/app/y}}'
      Resources:
        A:
          Type: AWS::SSM::Parameter
          Properties:
            <<: *props
        B:
          Type: AWS::SSM::Parameter
          Properties:
            <<: *props
            Value: own
      """)
    #expect(diagnostics.items.filter { $0.severity == .error }.isEmpty)
    #expect(output.contains("Value: '{{resolve:ssm:/app/y:1}}'"))
    #expect(output.contains("<<: *props\n      Value: own"))
    #expect(lock.entries.map(\.sites) == [["t.yaml:4:13"]])
  }

  @Test func aComposedJoinIsStillRefused() async throws {
    let (_, diagnostics) = try await Self.build(
      """
      Resources:
        A:
          Type: AWS::SSM::Parameter
          Properties:
            Type: String
            Value: !Join ['', ['{{resolve:ssm:/app/', 'y}}-{{resolve:ssm:/app/', 'z}}']]
      """)
    #expect(diagnostics.items.map(\.code).contains(.notRendered))
    #expect(diagnostics.items.contains { $0.message.hasPrefix("this Fn::Join composes 2") })
  }

  /// One `!Sub` text that an alias repeats with another variable map reads two names: it is
  /// refused, and the message says why (there is no join).
  @Test func anAliasThatEvaluatesToAnotherNameIsRefusedByName() async throws {
    let (_, diagnostics) = try await Self.build(
      """
      Resources:
        A: {Type: AWS::SSM::Parameter, Properties: {Type: String, Value: !Sub [&s '{{resolve:ssm:/app/${X}}}', {X: y}]}}
        B: {Type: AWS::SSM::Parameter, Properties: {Type: String, Value: !Sub [*s, {X: z}]}}
      """)
    let refused = diagnostics.items.filter { $0.code == .notRendered }.map(\.message)
    #expect(
      refused == [
        "this text is read as 2 different references (an alias repeats it where it evaluates "
          + "otherwise); write it out at each place to render it"
      ])
  }

  // MARK: Inline values in `Fn::Sub` strings

  /// Locks and renders `text` inline with `/app/v` holding `value`.
  static func inline(_ text: String, value: String) async throws -> (String, Diagnostics) {
    let fixture = try await CompilerFixture()
    try await fixture.put("/app/v", value)
    let (output, _, diagnostics) = try await fixture.lockAndRender(
      text, mode: .inline, values: ["/app/v": value])
    return (output, diagnostics)
  }

  static let aliasedIntoSub = """
    A: &s "{{resolve:ssm:/app/v}}"
    B: !Sub [*s, {}]
    """

  static let aliasedOutOfSub = """
    A: !Sub [&s "{{resolve:ssm:/app/v}}", {}]
    B: *s
    """

  /// After the alias is expanded, `Fn::Sub` reads `${Env}` in the value as a variable, where
  /// the anchor's own use needs it as written: no one text serves both, so it is refused,
  /// whichever of the two the anchor is, and every use is left as written.
  @Test(arguments: [aliasedIntoSub, aliasedOutOfSub])
  func aValueWithAVariableAliasedInAndOutOfASubIsRefused(_ text: String) async throws {
    let (output, diagnostics) = try await Self.inline(text, value: "a ${Env} b")
    let refused = diagnostics.items.filter { $0.code == .notRendered }
    // Once, at the use the anchor's text cannot serve, which is the second met.
    #expect(refused.map(\.path) == [["B"]])
    #expect(
      refused.map(\.message) == [
        "an alias repeats '{{resolve:ssm:/app/v}}' both inside and outside an 'Fn::Sub' "
          + "string, and its value holds '${', which only 'Fn::Sub' reads as a variable; write "
          + "the text out at each place to render it"
      ])
    #expect(output == text)
    for item in diagnostics.items { #expect(!item.message.contains("${Env}")) }
  }

  /// Every use of the anchor is an `Fn::Sub` string: the value is written once, escaped.
  @Test func aValueWithAVariableAliasedOnlyIntoSubsIsEscapedOnce() async throws {
    let (output, diagnostics) = try await Self.inline(
      """
      A: !Sub [&s "{{resolve:ssm:/app/v}}", {}]
      B: !Sub [*s, {}]
      """, value: "a ${Env} b")
    #expect(diagnostics.items.filter { $0.severity == .error }.isEmpty)
    #expect(output == "A: !Sub [&s \"a ${!Env} b\", {}]\nB: !Sub [*s, {}]")
  }

  /// Without `${` the value reads the same in and out of `Fn::Sub`: nothing to refuse.
  @Test(arguments: [aliasedIntoSub, aliasedOutOfSub])
  func aValueWithoutAVariableIsWrittenForEveryUse(_ text: String) async throws {
    let (output, diagnostics) = try await Self.inline(text, value: "a $Env {b} $ c")
    #expect(diagnostics.items.filter { $0.severity == .error }.isEmpty)
    #expect(output.contains("&s \"a $Env {b} $ c\""))
  }

  /// Every use of a whole `Fn::Join` an alias repeats asks for the same change: made once.
  @Test func anAliasedJoinIsInlinedOnce() async throws {
    let (output, diagnostics) = try await Self.inline(
      """
      Parameters: {P: {Type: String, Default: v}}
      Resources:
        A: {Type: AWS::SSM::Parameter, Properties: {Type: String, Value: &j !Join ["", ["{{resolve:ssm:/app/", !Ref P, "}}"]]}}
        B: {Type: AWS::SSM::Parameter, Properties: {Type: String, Value: *j}}
      """, value: "a ${Env} b")
    #expect(diagnostics.items.filter { $0.severity == .error }.isEmpty)
    #expect(output.contains("Value: &j !Join [\"\", [\"a ${Env} b\"]]}}"))
    #expect(output.contains("Value: *j}}"))
  }

  /// A pin never brings a `${` in, so the uses agree however they read it.
  @Test(arguments: [aliasedIntoSub, aliasedOutOfSub])
  func aPinServesUsesInAndOutOfASub(_ text: String) async throws {
    let fixture = try await CompilerFixture()
    try await fixture.put("/app/v", "a ${Env} b")
    let (output, _, diagnostics) = try await fixture.lockAndRender(text)
    #expect(diagnostics.items.filter { $0.severity == .error }.isEmpty)
    #expect(output.contains("&s \"{{resolve:ssm:/app/v:1}}\""))
  }

  // MARK: Fn::Join pieces an alias repeats

  /// `text` (whose join reads `/p/x`) locked and rendered in `mode`: the output, and what
  /// render refused.
  static func renderRefusingAPiece(_ text: String, _ mode: ArtifactBuilder.Mode) async throws
    -> (String, [Diagnostic])
  {
    let fixture = try await CompilerFixture()
    try await fixture.put("/p/x", "value-x")
    let (output, _, diagnostics) = try await fixture.lockAndRender(
      text, mode: mode, values: ["/p/x": "value-x"])
    return (output, diagnostics.items.filter { $0.code == .notRendered })
  }

  static let anchoredCloser = """
    Parameters: {P: {Type: String, Default: x}}
    Resources:
      R:
        Type: AWS::SSM::Parameter
        Properties:
          Type: String
          Value: !Join ["", ["{{resolve:ssm:/p/", !Ref P, &e "}}"]]
          Name: *e
    """

  /// `aws cloudformation package` and SAM expand `*e` to what the anchor's piece holds: a pin
  /// or a value written there would reach `Name` too ('}}' becoming ':1}}'), and an inlined
  /// join would drop the anchor. Refused, naming where the alias reads it, and left as written.
  @Test(arguments: ArtifactBuilder.Mode.allCases)
  func aJoinPieceThatAnAliasRepeatsOutsideTheReferenceIsRefused(_ mode: ArtifactBuilder.Mode)
    async throws
  {
    let (output, refused) = try await Self.renderRefusingAPiece(Self.anchoredCloser, mode)
    #expect(refused.map(\.path) == [["Resources", "R", "Properties", "Value"]])
    let change = mode == .pin ? "its pin" : "its value"
    #expect(
      refused.map(\.message) == [
        "reference '{{resolve:ssm:/p/${P}}}' is assembled by 'Fn::Join' from a piece that an "
          + "alias repeats at 'Resources/R/Properties/Name', outside this reference, where "
          + "\(change) would change the piece too; write the piece out at each place to render it"
      ])
    #expect(output == Self.anchoredCloser)
  }

  static let anchoredCloserAsKey = """
    Parameters: {P: {Type: String, Default: x}}
    Resources:
      R:
        Type: AWS::SSM::Parameter
        Properties:
          Type: String
          Value: !Join ["", ["{{resolve:ssm:/p/", !Ref P, &e "}}"]]
        Metadata:
          *e : closes the reference
    """

  /// A mapping key an alias makes of the piece is a place that reads it as well: refused,
  /// naming the key's place, and left as written.
  @Test(arguments: ArtifactBuilder.Mode.allCases)
  func aJoinPieceThatAnAliasRepeatsAsAMappingKeyIsRefused(_ mode: ArtifactBuilder.Mode)
    async throws
  {
    let (output, refused) = try await Self.renderRefusingAPiece(Self.anchoredCloserAsKey, mode)
    #expect(refused.map(\.path) == [["Resources", "R", "Properties", "Value"]])
    #expect(refused.first?.message.contains("alias repeats at 'Resources/R/Metadata/") == true)
    #expect(output == Self.anchoredCloserAsKey)
  }

  static let sharedCloser = """
    Parameters: {P: {Type: String, Default: x}}
    Resources:
      A:
        Type: AWS::SSM::Parameter
        Properties: {Type: String, Value: !Join ["", ["{{resolve:ssm:/p/", !Ref P, &e "}}"]]}
      B:
        Type: AWS::SSM::Parameter
        Properties: {Type: String, Value: !Join ["", ["{{resolve:ssm:/q/", !Ref P, *e]]}
    """

  /// Every use of the shared piece closes a reference that takes the same pin: written once.
  @Test func aJoinPieceSharedByReferencesWithOnePinIsPinnedOnce() async throws {
    let fixture = try await CompilerFixture()
    try await fixture.put("/p/x", "value-p")
    try await fixture.put("/q/x", "value-q")
    let (output, _, diagnostics) = try await fixture.lockAndRender(Self.sharedCloser)
    #expect(diagnostics.items.filter { $0.severity == .error }.isEmpty)
    #expect(output.contains(#"["{{resolve:ssm:/p/", !Ref P, &e ":1}}"]"#))
    #expect(output.contains(#"["{{resolve:ssm:/q/", !Ref P, *e]"#))
  }

  /// Two pins for one piece: neither reference is pinned, so neither reads the other's version.
  @Test func aJoinPieceSharedByReferencesWithTwoPinsIsRefused() async throws {
    let fixture = try await CompilerFixture()
    try await fixture.put("/p/x", "value-p")
    try await fixture.put("/q/x", "value-q")
    try await fixture.put("/q/x", "value-q2")
    let (output, _, diagnostics) = try await fixture.lockAndRender(Self.sharedCloser)
    let refused = diagnostics.items.filter { $0.code == .notRendered }
    #expect(refused.compactMap { $0.path?.components[1] } == ["A", "B"])
    #expect(output == Self.sharedCloser)
  }
}
