import Foundation
import Testing

@testable import CinchStore

/// `GetParameter`, `GetParameters`, selectors and decryption (aws-store-semantics §1.6, §1.7,
/// §1.12).
@Suite struct GetParameterTests {
  @Test func missingParametersAreNotFoundWithAWSsEmptyMessage() async throws {
    let store = try await StoreFixture.make().store
    await expectStoreError("ParameterNotFound", message: "") {
      _ = try await store.get("/nope")
    }
  }

  @Test func versionAndLabelSelectors() async throws {
    let store = try await StoreFixture.make().store
    try await store.put("MyParameter", "parameter version 1", overwrite: false)
    try await store.put("MyParameter", "parameter version 2")
    try await store.put("MyParameter", "parameter version 3")
    _ = try await store.labelParameterVersion(
      LabelParameterVersionRequest(name: "MyParameter", parameterVersion: 2, labels: ["Production"])
    )

    let latest = try await store.get("MyParameter")
    #expect(latest.version == 3)
    #expect(latest.selector == nil)

    let byVersion = try await store.get("MyParameter:2")
    #expect(byVersion.value == "parameter version 2")
    #expect(byVersion.version == 2)
    #expect(byVersion.selector == ":2")
    #expect(byVersion.name == "MyParameter")
    #expect(byVersion.arn == "arn:aws:ssm:us-east-1:123456789012:parameter/MyParameter")

    let byLabel = try await store.get("MyParameter:Production")
    #expect(byLabel.version == 2)
    #expect(byLabel.selector == ":Production")

    await expectStoreError(
      "ParameterVersionNotFound",
      message: "Systems Manager could not find version 99 of MyParameter. Verify the version and "
        + "try again."
    ) {
      _ = try await store.get("MyParameter:99")
    }
    await expectStoreError("ParameterNotFound") {
      _ = try await store.get("MyParameter:Staging")
    }
  }

  @Test func secureStringsAreSealedUnlessDecryptionIsAsked() async throws {
    let store = try await StoreFixture.make().store
    try await store.put("/db/password", "hunter2", type: .secureString, overwrite: false)
    let sealed = try await store.get("/db/password", decrypt: false)
    #expect(sealed.value != "hunter2")
    let envelope = try #require(Data(base64Encoded: sealed.value))
    #expect(envelope.count == "hunter2".utf8.count + 105)
    #expect(envelope.first == 1)
    #expect(!Array(envelope).contains(bytes: Array("hunter2".utf8)))
    #expect(try await store.get("/db/password", decrypt: true).value == "hunter2")
    // The flag is ignored for String and StringList.
    try await store.put("/db/host", "db.internal", overwrite: false)
    #expect(try await store.get("/db/host", decrypt: false).value == "db.internal")
  }

  @Test func getParametersReportsWhatItCannotFind() async throws {
    let store = try await StoreFixture.make().store
    try await store.put("/b", "2", overwrite: false)
    try await store.put("/a", "1", overwrite: false)
    let response = try await store.getParameters(
      GetParametersRequest(names: ["/b", "/a", "/missing", "/a:7", "/a:nolabel", "/b", "bad name"]))
    #expect(response.parameters.map(\.name) == ["/a", "/b"])
    #expect(response.invalidParameters == ["/missing", "/a:7", "/a:nolabel", "bad name"])
  }

  @Test func getParametersTakesOneToTenNames() async throws {
    let store = try await StoreFixture.make().store
    await expectStoreError("ValidationException") {
      _ = try await store.getParameters(GetParametersRequest(names: []))
    }
    await expectStoreError("ValidationException") {
      _ = try await store.getParameters(GetParametersRequest(names: (1...11).map { "/p\($0)" }))
    }
    let ten = try await store.getParameters(GetParametersRequest(names: (1...10).map { "/p\($0)" }))
    #expect(ten.invalidParameters.count == 10)
  }
}

/// Versions: numbering, the 100-version history and the labelled-oldest rule
/// (aws-store-semantics §1.4).
@Suite struct VersionTests {
  @Test func historyKeepsTheLast100Versions() async throws {
    let store = try await StoreFixture.make().store
    for index in 1...105 { try await store.put("/v", "value \(index)", overwrite: index > 1) }
    var versions: [Int] = []
    var token: String?
    var pages = 0
    repeat {
      let page = try await store.getParameterHistory(
        GetParameterHistoryRequest(name: "/v", withDecryption: true, nextToken: token))
      versions += page.parameters.map(\.version)
      #expect(page.parameters.allSatisfy { $0.value == "value \($0.version)" })
      token = page.nextToken
      pages += 1
    } while token != nil
    #expect(pages == 2)
    #expect(versions == Array(6...105))
    await expectStoreError("ParameterVersionNotFound") { _ = try await store.get("/v:5") }
    #expect(try await store.get("/v:6").value == "value 6")
  }

  @Test func aLabelledOldestVersionBlocksTheNextWrite() async throws {
    let store = try await StoreFixture.make().store
    for index in 1...100 { try await store.put("/v", "\(index)", overwrite: index > 1) }
    _ = try await store.labelParameterVersion(
      LabelParameterVersionRequest(name: "/v", parameterVersion: 1, labels: ["keep"]))
    await expectStoreError(
      "ParameterMaxVersionLimitExceeded",
      message: "You attempted to create a new version of /v by calling the PutParameter API with "
        + "the overwrite flag. Version 1, the oldest version, can't be deleted because it has a "
        + "label associated with it. Move the label to another version of the parameter, and try "
        + "again."
    ) {
      try await store.put("/v", "101")
    }
    // Nothing changed.
    #expect(try await store.get("/v").version == 100)
    // Moving the label frees the oldest version.
    _ = try await store.labelParameterVersion(
      LabelParameterVersionRequest(name: "/v", parameterVersion: 50, labels: ["keep"]))
    #expect(try await store.put("/v", "101").version == 101)
    #expect(try await store.get("/v:keep").version == 50)
  }

  @Test func deletingStartsVersionsAgain() async throws {
    let store = try await StoreFixture.make().store
    try await store.put("/d", "1", overwrite: false)
    try await store.put("/d", "2")
    _ = try await store.deleteParameter(DeleteParameterRequest(name: "/d"))
    await expectStoreError("ParameterNotFound") { _ = try await store.get("/d") }
    await expectStoreError("ParameterNotFound") {
      _ = try await store.deleteParameter(DeleteParameterRequest(name: "/d"))
    }
    #expect(try await store.put("/d", "again", overwrite: false).version == 1)
  }

  @Test func historyValidatesItsPageSize() async throws {
    let store = try await StoreFixture.make().store
    try await store.put("/h", "1", overwrite: false)
    await expectStoreError(
      "ValidationException",
      message: "1 validation error detected: Value '51' at 'maxResults' failed to satisfy "
        + "constraint: Member must have value less than or equal to 50"
    ) {
      _ = try await store.getParameterHistory(
        GetParameterHistoryRequest(name: "/h", maxResults: 51))
    }
    await expectStoreError("ParameterNotFound") {
      _ = try await store.getParameterHistory(GetParameterHistoryRequest(name: "/nope"))
    }
    await expectStoreError("InvalidNextToken") {
      _ = try await store.getParameterHistory(
        GetParameterHistoryRequest(name: "/h", nextToken: "garbage"))
    }
  }

  @Test func historyShowsEachVersionsMetadata() async throws {
    let store = try await StoreFixture.make(configuration: StoreConfiguration(caller: "alice"))
      .store
    _ = try await store.putParameter(
      PutParameterRequest(name: "/m", description: "first", value: "s1", type: .secureString))
    _ = try await store.putParameter(
      PutParameterRequest(
        name: "/m", description: "second", value: "2", type: .string, overwrite: true))
    let history = try await store.getParameterHistory(GetParameterHistoryRequest(name: "/m"))
      .parameters
    #expect(history.map(\.type) == [.secureString, .string])
    #expect(history.map(\.keyID) == ["alias/aws/ssm", nil])
    #expect(history.map(\.description) == ["first", "second"])
    #expect(history[0].value != "s1")
    #expect(history[1].value == "2")
    #expect(history[0].lastModifiedUser == "arn:aws:iam::123456789012:user/alice")
  }
}

/// Labels (aws-store-semantics §1.5).
@Suite struct LabelTests {
  @Test func labelsAttachToTheLatestVersionAndMove() async throws {
    let store = try await StoreFixture.make().store
    try await store.put("/l", "1", overwrite: false)
    try await store.put("/l", "2")
    let first = try await store.labelParameterVersion(
      LabelParameterVersionRequest(name: "/l", labels: ["Production"]))
    #expect(first == LabelParameterVersionResponse(invalidLabels: [], parameterVersion: 2))
    _ = try await store.labelParameterVersion(
      LabelParameterVersionRequest(name: "/l", parameterVersion: 1, labels: ["Production"]))
    let history = try await store.getParameterHistory(GetParameterHistoryRequest(name: "/l"))
      .parameters
    #expect(history.map(\.labels) == [["Production"], []])
  }

  @Test func invalidLabelsAreReturnedNotThrown() async throws {
    let store = try await StoreFixture.make().store
    try await store.put("/l", "1", overwrite: false)
    let response = try await store.labelParameterVersion(
      LabelParameterVersionRequest(
        name: "/l", labels: ["good", "1st", "awsLabel", "SSMx", "has space", "x@y", "ok.v-2_z"]))
    #expect(response.invalidLabels == ["1st", "awsLabel", "SSMx", "has space", "x@y"])
    let history = try await store.getParameterHistory(GetParameterHistoryRequest(name: "/l"))
      .parameters
    #expect(history.first?.labels == ["good", "ok.v-2_z"])
  }

  @Test func lengthAndCountLimits() async throws {
    let store = try await StoreFixture.make().store
    try await store.put("/l", "1", overwrite: false)
    await expectStoreError("ValidationException") {
      _ = try await store.labelParameterVersion(
        LabelParameterVersionRequest(name: "/l", labels: [String(repeating: "a", count: 101)]))
    }
    await expectStoreError("ValidationException") {
      _ = try await store.labelParameterVersion(
        LabelParameterVersionRequest(name: "/l", labels: (1...11).map { "l\($0)" }))
    }
    _ = try await store.labelParameterVersion(
      LabelParameterVersionRequest(name: "/l", labels: (1...10).map { "l\($0)" }))
    await expectStoreError(
      "ParameterVersionLabelLimitExceeded",
      message: "A parameter version can have a maximum of ten labels."
    ) {
      _ = try await store.labelParameterVersion(
        LabelParameterVersionRequest(name: "/l", labels: ["eleventh"]))
    }
    // Re-attaching labels it already has does not count twice.
    _ = try await store.labelParameterVersion(
      LabelParameterVersionRequest(name: "/l", labels: ["l1", "l2"]))
  }

  @Test func missingNamesAndVersions() async throws {
    let store = try await StoreFixture.make().store
    await expectStoreError("ParameterNotFound") {
      _ = try await store.labelParameterVersion(
        LabelParameterVersionRequest(name: "/none", labels: ["a"]))
    }
    try await store.put("/l", "1", overwrite: false)
    await expectStoreError(
      "ParameterVersionNotFound",
      message: "Systems Manager could not find version 3 of /l. Verify the version and try again."
    ) {
      _ = try await store.labelParameterVersion(
        LabelParameterVersionRequest(name: "/l", parameterVersion: 3, labels: ["a"]))
    }
  }

  @Test func unlabelRemovesOnlyWhatIsThere() async throws {
    let store = try await StoreFixture.make().store
    try await store.put("/l", "1", overwrite: false)
    try await store.put("/l", "2")
    _ = try await store.labelParameterVersion(
      LabelParameterVersionRequest(name: "/l", parameterVersion: 1, labels: ["a", "b"]))
    let response = try await store.unlabelParameterVersion(
      UnlabelParameterVersionRequest(name: "/l", parameterVersion: 1, labels: ["a", "zz"]))
    #expect(
      response == UnlabelParameterVersionResponse(removedLabels: ["a"], invalidLabels: ["zz"]))
    await expectStoreError("ParameterVersionNotFound") {
      _ = try await store.unlabelParameterVersion(
        UnlabelParameterVersionRequest(name: "/l", parameterVersion: 9, labels: ["b"]))
    }
    await expectStoreError("ParameterNotFound") { _ = try await store.get("/l:a") }
    #expect(try await store.get("/l:b").version == 1)
  }
}
