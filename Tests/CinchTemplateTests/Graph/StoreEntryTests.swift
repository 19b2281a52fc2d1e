import Testing
import _CinchTestSupport

@testable import CinchTemplate

@Suite struct StoreEntryTests {
  @Test func parsesParameterAndSecretARNs() throws {
    let parameter = try #require(StoreARN("arn:aws:ssm:us-east-1:123456789012:parameter/myapp/db"))
    #expect(parameter.kind == .parameter && parameter.name == "/myapp/db")
    #expect(parameter.region == "us-east-1" && parameter.account == "123456789012")
    #expect(StoreARN("arn:aws:ssm:us-east-1:123456789012:parameter/flat")?.name == "flat")
    let secret = try #require(
      StoreARN("arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:prod/db-AbCdEf"))
    #expect(
      secret.kind == .secret && secret.name == "prod/db-AbCdEf" && secret.partition == "aws-cn")
    #expect(StoreARN("arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db:key::") == nil)
    #expect(StoreARN("arn:aws:s3:::bucket") == nil)
    #expect(StoreARN("/myapp/db") == nil)
  }

  @Test func namesMeetTheirARNs() {
    let name = StoreEntry(kind: .secret, name: "prod/db")
    let complete = StoreEntry(
      kind: .secret, name: "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf")
    let partial = StoreEntry(
      kind: .secret, name: "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db")
    let elsewhere = StoreEntry(
      kind: .secret, name: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-AbCdEf")
    #expect(name.matches(complete) && complete.matches(name))
    #expect(name.matches(partial))
    #expect(!complete.matches(elsewhere))
    #expect(!name.matches(StoreEntry(kind: .secret, name: "prod/db-config-x")))
    #expect(!name.matches(StoreEntry(kind: .parameter, name: "prod/db")))
    // Two plain names never drop a suffix: `prod/db-config` is a secret of its own.
    #expect(!name.matches(StoreEntry(kind: .secret, name: "prod/db-config")))

    let parameter = StoreEntry(kind: .parameter, name: "/myapp/db")
    #expect(
      parameter.matches(
        StoreEntry(kind: .parameter, name: "arn:aws:ssm:us-east-1:123456789012:parameter/myapp/db"))
    )
    #expect(
      StoreEntry(kind: .parameter, name: "/db").matches(
        StoreEntry(kind: .parameter, name: "arn:aws:ssm:us-east-1:123456789012:parameter/db")))
    #expect(!parameter.matches(StoreEntry(kind: .parameter, name: "/myapp/db2")))
    // A one-level name with and without its `/` is one parameter, ARN or not.
    #expect(
      StoreEntry(kind: .parameter, name: "/db").matches(StoreEntry(kind: .parameter, name: "db")))
    #expect(!StoreEntry(kind: .secret, name: "/db").matches(StoreEntry(kind: .secret, name: "db")))
    let symbolic = StoreEntry(kind: .parameter, name: "/myapp/${Env}/db", isConcrete: false)
    #expect(symbolic.matches(symbolic) && !symbolic.matches(parameter))
  }

  @Test func idsAndCandidates() {
    #expect(StoreEntry(kind: .parameter, name: "/a/b").id == "store:ssm:/a/b")
    #expect(StoreEntry(kind: .secret, name: "prod/db").id == "store:secretsmanager:prod/db")
    #expect(
      TemplateGraph.candidates(for: "/a/b").map(\.description) == [
        "parameter '/a/b'", "secret '/a/b'", "parameter '/aws/reference/secretsmanager//a/b'",
      ])
    #expect(
      TemplateGraph.candidates(for: "/aws/reference/secretsmanager/prod/db:AWSPREVIOUS").map(
        \.description) == [
          "parameter '/aws/reference/secretsmanager/prod/db'", "secret 'prod/db'",
        ])
    #expect(
      TemplateGraph.candidates(for: "arn:aws:ssm:us-east-1:123456789012:parameter/a/b").map(\.kind)
        == [.parameter])
    #expect(
      TemplateGraph.candidates(for: "arn:aws:secretsmanager:us-east-1:123456789012:secret:x:key::")
        .map(\.kind) == [.secret])
  }

  @Test func locatesTheFormsPropertiesUse() {
    let inputs = EvaluationInputs(region: "us-east-1", accountID: "123456789012")
    func locate(_ text: String, _ format: StoreLocator.Format) -> StoreLocator.Location {
      StoreLocator.locate([.text(text)], format: format, inputs: inputs)
    }
    let arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf"
    let full = locate(arn + ":password:AWSPREVIOUS:", .valueFrom)
    #expect(full.kind == .secret && full.name == arn)
    #expect(
      full.jsonKey == "password" && full.versionStage == "AWSPREVIOUS" && full.versionID == nil)
    let sameAccount = locate("arn:aws:ssm:us-east-1:123456789012:parameter/app/db", .valueFrom)
    #expect(sameAccount.kind == .parameter && sameAccount.name == "/app/db")
    let otherAccount = locate("arn:aws:ssm:us-east-1:999999999999:parameter/app/db", .valueFrom)
    #expect(otherAccount.name == "arn:aws:ssm:us-east-1:999999999999:parameter/app/db")
    #expect(locate("/app/db", .valueFrom).kind == .parameter)
    let reference = locate("/aws/reference/secretsmanager/prod/db", .valueFrom)
    #expect(reference.kind == .secret && reference.name == "prod/db")
    #expect(reference.throughParameterStore && reference.versionStage == nil)
    let staged = locate("/aws/reference/secretsmanager/prod/db:AWSPREVIOUS", .valueFrom)
    #expect(staged.name == "prod/db" && staged.versionStage == "AWSPREVIOUS")
    let byID = locate(
      "/aws/reference/secretsmanager/prod/db:EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE", .valueFrom)
    #expect(byID.versionStage == "EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE" && byID.versionID == nil)
    let uuid = "a1b2c3d4-5678-90ab-cdef-1234567890ab"
    let versioned = locate("/aws/reference/secretsmanager/prod/db:" + uuid, .valueFrom)
    #expect(versioned.name == "prod/db" && versioned.versionID == uuid)
    #expect(!locate("/app/db", .valueFrom).throughParameterStore)
    #expect(locate("/aws/reference/secretsmanager/", .valueFrom).kind == .parameter)
    let codeBuild = locate("prod/db:::version-1", .secretIDWithOptions)
    #expect(
      codeBuild.name == "prod/db" && codeBuild.jsonKey == nil && codeBuild.versionID == "version-1")
    #expect(locate(arn + ":extra", .secretID).name == arn)

    // A hole keeps its place, colons in pseudo-parameter placeholders included.
    let holes: [Value.Segment] = [
      .text("arn:aws:ssm:us-east-1:"),
      .hole("${AWS::AccountId}", [.pseudoParameter("AWS::AccountId")]),
      .text(":parameter/app/"), .hole("${Env}", [.parameter("Env")]), .text("/db"),
    ]
    let partial = StoreLocator.locate(holes, format: .valueFrom, inputs: inputs)
    #expect(partial.kind == .parameter && !partial.isConcrete)
    #expect(partial.name == "arn:aws:ssm:us-east-1:${AWS::AccountId}:parameter/app/${Env}/db")
    #expect(partial.waitsOn == [.pseudoParameter("AWS::AccountId"), .parameter("Env")])
    let unknown = StoreLocator.locate(
      [.hole("${Arn}", [.parameter("Arn")])], format: .valueFrom, inputs: inputs)
    #expect(unknown.kind == nil)
  }
}
