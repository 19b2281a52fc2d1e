import CinchJSON
import CinchStore
import Foundation
import Testing

/// Parameter Store's view of Secrets Manager: `GetParameter(s)` of
/// `/aws/reference/secretsmanager/SECRET-ID[:VERSION-ID|:STAGE]`
/// (https://docs.aws.amazon.com/systems-manager/latest/userguide/integration-ps-secretsmanager.html;
/// `reference: aws-store-semantics §1.13`).
@Suite struct SecretReferenceTests {
  static let prefix = "/aws/reference/secretsmanager/"

  @Test(arguments: Backend.allCases) func aReferenceReadsTheCurrentValue(_ backend: Backend)
    async throws
  {
    let store = try await backend.makeStore().store
    let created = try await store.create("prod/db", "first", token: tokenA)
    try await store.putValue("prod/db", "second", token: tokenB)
    let read = try await store.getSecretValue(GetSecretValueRequest(secretID: "prod/db"))

    let parameter = try await store.get(Self.prefix + "prod/db")
    #expect(parameter.type == .secureString)
    #expect(parameter.value == "second")
    #expect(parameter.version == 0)
    #expect(parameter.selector == nil)
    await conforming(.secretReferenceShape, on: backend) {
      #expect(parameter.name == Self.prefix + "prod/db")
      #expect(parameter.arn == created.arn)
    }
    #expect(
      abs(parameter.lastModifiedDate.timeIntervalSince(read.createdDate)) < 1)
    let source = try #require(parameter.sourceResult)
    await conforming(.secretReferenceShape, on: backend) {
      // What AWS sends: GetSecretValue's result as its Java SDK serialises it.
      guard case .object(let fields) = try JSONValueParser.parse(source) else {
        Issue.record("SourceResult is not a JSON object")
        return
      }
      #expect(fields.keys.first == "ARN")
      #expect(fields.keys.contains("createdDate"))
      #expect(fields["ARN"]?.stringValue == created.arn)
      #expect(fields["name"]?.stringValue == "prod/db")
      #expect(fields["versionId"]?.stringValue == tokenB)
      #expect(fields["secretString"]?.stringValue == "second")
      #expect(fields["versionStages"] == .array([.string("AWSCURRENT")]))
    }
  }

  @Test(arguments: Backend.allCases) func aVersionIdOrAStageSelectsTheVersion(_ backend: Backend)
    async throws
  {
    let store = try await backend.makeStore().store
    try await store.create("prod/db", "first", token: tokenA)
    try await store.putValue("prod/db", "second", token: tokenB)
    let byID = try await store.get(Self.prefix + "prod/db:" + tokenA)
    #expect(byID.value == "first")
    let byStage = try await store.get(Self.prefix + "prod/db:AWSPREVIOUS")
    #expect(byStage.value == "first")
    await conforming(.secretReferenceShape, on: backend) {
      #expect(byID.selector == ":" + tokenA)
      #expect(byID.name == Self.prefix + "prod/db")
      #expect(byStage.selector == ":AWSPREVIOUS")
    }
    #expect(try await store.get(Self.prefix + "prod/db:AWSCURRENT").value == "second")
    await expectStoreError("ParameterNotFound") {
      _ = try await store.get(Self.prefix + "prod/db:NOSUCHSTAGE")
    }
  }

  @Test(arguments: Backend.allCases) func decryptionIsRequiredAndAMissingSecretIsNotFound(
    _ backend: Backend
  ) async throws {
    let store = try await backend.makeStore().store
    try await store.create("prod/db", "first")
    for name in [Self.prefix + "prod/db", Self.prefix + "absent"] {
      await expectStoreError(
        "ValidationException",
        message: "WithDecryption flag must be True for retrieving a Secret Manager secret."
      ) { _ = try await store.get(name, decrypt: false) }
    }
    await expectStoreError("ParameterNotFound") {
      _ = try await store.get(Self.prefix + "absent")
    }
    await conforming(.secretReferenceShape, on: backend) {
      await expectStoreError(
        "ParameterNotFound",
        message: "An error occurred (ParameterNotFound) when referencing Secrets Manager: Secret "
          + "aws/reference/secretsmanager/absentnull not found."
      ) { _ = try await store.get(Self.prefix + "absent") }
    }
  }

  @Test(arguments: Backend.allCases) func getParametersListsWhatItCannotAnswer(
    _ backend: Backend
  ) async throws {
    let store = try await backend.makeStore().store
    try await store.create("prod/db", "first")
    try await store.put("/plain", "p")
    await conforming(.secretReferenceShape, on: backend) {
      let answer = try await store.getParameters(
        GetParametersRequest(
          names: [Self.prefix + "prod/db", Self.prefix + "absent", "/plain"],
          withDecryption: true))
      #expect(Set(answer.parameters.map(\.value)) == ["first", "p"])
      #expect(answer.invalidParameters == [Self.prefix + "absent"])
    }
  }

  /// A secret scheduled for deletion, a malformed selector, and the binary value (no `Value`),
  /// as AWS answered them when measured (floci-io/floci's integration test, eu-west-1).
  @Test func theEmbeddedStoreAnswersAWSsEdgeCases() async throws {
    let store = try await Backend.embedded.makeStore().store
    try await store.create("gone", "v")
    _ = try await store.deleteSecret(DeleteSecretRequest(secretID: "gone"))
    await expectStoreError("ValidationException", message: "Invalid Request to Secrets Manager") {
      _ = try await store.get(Self.prefix + "gone")
    }
    try await store.create("db", "v")
    for name in ["db:AWSCURRENT:extra", "db:"] {
      await expectStoreError(
        "ValidationException",
        message: "Invalid parameter name. Please use correct syntax for referencing a "
          + "version/label  <name>:<version/label>"
      ) { _ = try await store.get(Self.prefix + name, decrypt: false) }
    }
    _ = try await store.createSecret(CreateSecretRequest(name: "bin", secretBinary: Data([1, 2])))
    let binary = try await store.get(Self.prefix + "bin")
    #expect(binary.value == "")
    let encoded = try JSONEncoder().encode(binary)
    let text = String(decoding: encoded, as: UTF8.self)
    #expect(!text.contains("\"Value\"") && !text.contains("\"DataType\""))
  }
}
