import CinchTemplate
import PropertyBased
import Testing
import _CinchTestSupport

@testable import CinchCompiler

/// Resolution keys order by name, kind, JSON key, then the selector's text.
@Suite struct ResolutionKeyOrderTests {
  static let keys = zip(
    Gen<Int>.value(in: 0...3), Gen<Int>.value(in: 0...2), Gen<Int>.value(in: 0...2),
    Gen<Int>.value(in: 0...6)
  ).map { name, kind, jsonKey, selector -> ResolutionKey in
    let kinds: [Reference.Kind] = [.ssm, .ssmSecure, .secretsManager]
    let selectors: [ResolutionKey.Selector] = [
      .latest, .version(3), .version(12), .stage("AWSCURRENT"), .stage("AWSPENDING"),
      .versionId("EXAMPLE1-90ab"), .versionId("a"),
    ]
    return ResolutionKey(
      kind: kinds[kind], name: ["/a/b", "/a/b/c", "MyDatabaseSecret", "ü"][name],
      selector: selectors[selector], jsonKey: [nil, "password", ""][jsonKey])
  }

  @Test func fieldByFieldIsTheTupleOrder() {
    seededCheck(zip(Self.keys, Self.keys), count: 3_000) { lhs, rhs in
      let tuple =
        (lhs.name, lhs.kind.rawValue, lhs.jsonKey ?? "", lhs.selector.description)
        < (rhs.name, rhs.kind.rawValue, rhs.jsonKey ?? "", rhs.selector.description)
      #expect((lhs < rhs) == tuple)
    }
  }
}

/// `cinch lock --update` takes what the user has at hand: a name, the key, or (by the lock's
/// `arn`) an ARN; a template that writes a secret's ARN is named by the secret's name too.
@Suite struct ResolutionKeyNamingTests {
  static func key(_ kind: Reference.Kind, _ name: String) -> ResolutionKey {
    ResolutionKey(kind: kind, name: name, selector: .latest, jsonKey: nil)
  }

  @Test func keysAreNamedByNameOrKey() {
    let key = Self.key(.ssmSecure, "/myapp/prod/dbpassword")
    #expect(key.isNamed(by: "/myapp/prod/dbpassword"))
    #expect(key.isNamed(by: "ssm-secure:/myapp/prod/dbpassword"))
    // An ARN is matched against the lock's records, not parsed here.
    #expect(!key.isNamed(by: "arn:aws:ssm:us-east-1:123456789012:parameter/myapp/prod/dbpassword"))
  }

  @Test func aTemplatesSecretARNIsNamedByTheSecretsName() {
    let byARN = Self.key(
      .secretsManager, "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-a1B2c3")
    #expect(byARN.isNamed(by: "prod/db"))
    #expect(
      byARN.isNamed(by: "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-a1B2c3"))
    #expect(!byARN.isNamed(by: "prod"))
  }

  @Test func aPinRecordsItsARNAndASecretsPartialARN() {
    func pin(_ arn: String) -> Pin {
      Pin(
        arn: arn, version: nil, versionId: "v", stage: nil, type: "SecretString", keyID: nil,
        fingerprint: "hmac-sha256:00")
    }
    let secret = pin("arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-kAzAxq")
    #expect(
      secret.recordsARN("arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-kAzAxq"))
    #expect(secret.recordsARN("arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db"))
    for other in [
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-kAzAxq",
      "arn:aws:secretsmanager:eu-west-1:999999999999:secret:prod/db",
      "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-XXXXXX",
      "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/d",
    ] {
      #expect(!secret.recordsARN(other), "\(other)")
    }
    let parameter = pin("arn:aws:ssm:eu-west-1:123456789012:parameter/myapp/prod/dbpassword")
    #expect(
      parameter.recordsARN("arn:aws:ssm:eu-west-1:123456789012:parameter/myapp/prod/dbpassword"))
    #expect(
      !parameter.recordsARN("arn:aws:ssm:eu-west-1:123456789012:parameter//myapp/prod/dbpassword"))
    #expect(
      !parameter.recordsARN(
        "arn:aws-cn:ssm:cn-north-1:123456789012:parameter/myapp/prod/dbpassword"))
  }
}
