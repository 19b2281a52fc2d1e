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
}
