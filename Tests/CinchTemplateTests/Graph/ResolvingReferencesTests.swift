import Testing

@testable import CinchTemplate

/// `Value.resolvingReferences`: a dynamic reference where a name belongs is one hole, its value,
/// known only at deploy; the text around it stays text.
@Suite struct ResolvingReferencesTests {
  @Test func eachReferenceBecomesOneHole() {
    let segments = Value.resolvingReferences(in: [
      .text("{{resolve:ssm:/a}}/x/{{resolve:secretsmanager:b:SecretString:k}}")
    ])
    #expect(
      segments == [
        .hole("${ssm:/a}", [.referenceValue("{{resolve:ssm:/a}}")]),
        .text("/x/"),
        .hole(
          "${secretsmanager:b:SecretString:k}",
          [.referenceValue("{{resolve:secretsmanager:b:SecretString:k}}")]),
      ])
  }

  @Test func aHoleInsideAReferenceJoinsItsHole() {
    let env = Dependency.parameter("Env")
    let segments = Value.resolvingReferences(in: [
      .text("/p/{{resolve:ssm:/a/"), .hole("${Env}", [env]), .text("}}/q"),
      .hole("${Region}", [.parameter("Region")]),
    ])
    #expect(
      segments == [
        .text("/p/"),
        .hole("${ssm:/a/${Env}}", [.referenceValue("{{resolve:ssm:/a/${Env}}}"), env]),
        .text("/q"),
        .hole("${Region}", [.parameter("Region")]),
      ])
  }

  @Test func textWithoutAWellFormedReferenceStaysAsItIs() {
    for text in ["/plain/name", "{{resolve:ssm:/a", "resolve:ssm:/a", "{{resolve:nope:/a}}", ""] {
      #expect(Value.resolvingReferences(in: [.text(text)]) == [.text(text)])
    }
  }
}
