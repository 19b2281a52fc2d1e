import CinchStore
import Foundation
import Testing

/// `GetParameter`, `GetParameters`, selectors and decryption (aws-store-semantics §1.6, §1.7,
/// §1.12).
@Suite struct GetParameterTests {
  @Test(arguments: Backend.allCases) func missingParametersAreNotFoundWithAWSsEmptyMessage(
    _ backend: Backend
  ) async throws {
    let store = try await backend.makeStore().store
    await conforming(.parameterNotFoundHasAMessage, on: backend) {
      await expectStoreError("ParameterNotFound", message: "") {
        _ = try await store.get("/nope")
      }
    }
  }

  @Test(arguments: Backend.allCases) func versionAndLabelSelectors(_ backend: Backend) async throws
  {
    let subject = try await backend.makeStore()
    let store = subject.store
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
    await conforming(.noSelectorField, on: backend) {
      #expect(byVersion.selector == ":2")
    }
    #expect(byVersion.name == "MyParameter")
    #expect(byVersion.arn == subject.arn("MyParameter"))

    let byLabel = try await store.get("MyParameter:Production")
    #expect(byLabel.version == 2)
    await conforming(.noSelectorField, on: backend) {
      #expect(byLabel.selector == ":Production")
    }

    await expectStoreError(
      "ParameterVersionNotFound",
      message: "Systems Manager could not find version 99 of MyParameter. Verify the version and "
        + "try again."
    ) {
      _ = try await store.get("MyParameter:99")
    }
    if backend == .embedded {
      // Too large for a version: named as typed (the number was once shown as Int.max).
      await expectStoreError(
        "ParameterVersionNotFound",
        message: "Systems Manager could not find version 99999999999999999999 of MyParameter. "
          + "Verify the version and try again."
      ) {
        _ = try await store.get("MyParameter:99999999999999999999")
      }
    }
    await expectStoreError("ParameterNotFound") {
      _ = try await store.get("MyParameter:Staging")
    }
  }

  @Test(arguments: Backend.allCases) func secureStringsAreSealedUnlessDecryptionIsAsked(
    _ backend: Backend
  ) async throws {
    let store = try await backend.makeStore().store
    try await store.put("/db/password", "hunter2", type: .secureString, overwrite: false)
    let sealed = try await store.get("/db/password", decrypt: false)
    #expect(sealed.value != "hunter2")
    await conforming(.secureStringCiphertextShowsTheValue, on: backend) {
      #expect(!sealed.value.contains("hunter2"))
    }
    #expect(try await store.get("/db/password", decrypt: true).value == "hunter2")
    // The flag is ignored for String and StringList.
    try await store.put("/db/host", "db.internal", overwrite: false)
    #expect(try await store.get("/db/host", decrypt: false).value == "db.internal")
  }

  @Test(arguments: Backend.allCases) func getParametersReportsWhatItCannotFind(_ backend: Backend)
    async throws
  {
    let store = try await backend.makeStore().store
    try await store.put("/b", "2", overwrite: false)
    try await store.put("/a", "1", overwrite: false)
    let response = try await store.getParameters(
      GetParametersRequest(names: ["/b", "/a", "/missing", "/a:7", "/a:nolabel", "/b", "bad name"]))
    await conforming(.getParametersNotSorted, on: backend) {
      #expect(response.parameters.map(\.name) == ["/a", "/b"])
    }
    #expect(response.invalidParameters == ["/missing", "/a:7", "/a:nolabel", "bad name"])
  }

  @Test(arguments: Backend.allCases) func getParametersTakesOneToTenNames(_ backend: Backend)
    async throws
  {
    let store = try await backend.makeStore().store
    await conforming(.requestConstraintsNotEnforced, on: backend) {
      await expectStoreError("ValidationException") {
        _ = try await store.getParameters(GetParametersRequest(names: []))
      }
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
  @Test(arguments: Backend.allCases) func historyKeepsTheLast100Versions(_ backend: Backend)
    async throws
  {
    let store = try await backend.makeStore().store
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

  @Test(arguments: Backend.allCases) func aLabelledOldestVersionBlocksTheNextWrite(
    _ backend: Backend
  ) async throws {
    let store = try await backend.makeStore().store
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

  @Test(arguments: Backend.allCases) func deletingStartsVersionsAgain(_ backend: Backend)
    async throws
  {
    let store = try await backend.makeStore().store
    try await store.put("/d", "1", overwrite: false)
    try await store.put("/d", "2")
    _ = try await store.deleteParameter(DeleteParameterRequest(name: "/d"))
    await expectStoreError("ParameterNotFound") { _ = try await store.get("/d") }
    await expectStoreError("ParameterNotFound") {
      _ = try await store.deleteParameter(DeleteParameterRequest(name: "/d"))
    }
    #expect(try await store.put("/d", "again", overwrite: false).version == 1)
  }

  /// `PSParameterName` is 1–2048 characters: a longer member fails the whole `GetParameters`
  /// call rather than coming back among the invalid parameters.
  @Test(arguments: Backend.allCases) func getParametersRefusesANameTooLongForTheModel(
    _ backend: Backend
  ) async throws {
    let store = try await backend.makeStore().store
    await conforming(.requestConstraintsNotEnforced, on: backend) {
      await expectStoreError("ValidationException") {
        _ = try await store.getParameters(
          GetParametersRequest(names: ["/ok", "/" + String(repeating: "x", count: 2048)]))
      }
    }
  }

  @Test(arguments: Backend.allCases) func historyValidatesItsPageSize(_ backend: Backend)
    async throws
  {
    let store = try await backend.makeStore().store
    try await store.put("/h", "1", overwrite: false)
    await conforming(.messageWording, on: backend) {
      await expectStoreError(
        "ValidationException",
        message: "1 validation error detected: Value '51' at 'maxResults' failed to satisfy "
          + "constraint: Member must have value less than or equal to 50"
      ) {
        _ = try await store.getParameterHistory(
          GetParameterHistoryRequest(name: "/h", maxResults: 51))
      }
    }
    await expectStoreError("ParameterNotFound") {
      _ = try await store.getParameterHistory(GetParameterHistoryRequest(name: "/nope"))
    }
    await conforming(.invalidNextTokenIsAServerError, on: backend) {
      await expectStoreError("InvalidNextToken") {
        _ = try await store.getParameterHistory(
          GetParameterHistoryRequest(name: "/h", nextToken: "garbage"))
      }
    }
  }

  @Test(arguments: Backend.allCases) func historyShowsEachVersionsMetadata(_ backend: Backend)
    async throws
  {
    let subject = try await backend.makeStore(caller: "alice")
    let store = subject.store
    _ = try await store.putParameter(
      PutParameterRequest(name: "/m", description: "first", value: "s1", type: .secureString))
    _ = try await store.putParameter(
      PutParameterRequest(
        name: "/m", description: "second", value: "2", type: .string, overwrite: true))
    let history = try await store.getParameterHistory(GetParameterHistoryRequest(name: "/m"))
      .parameters
    #expect(history.map(\.type) == [.secureString, .string])
    await conforming(.historyKeepsKeyIDAfterTypeChange, on: backend) {
      #expect(history.map(\.keyID) == ["alias/aws/ssm", nil])
    }
    #expect(history.map(\.description) == ["first", "second"])
    #expect(history[0].value != "s1")
    #expect(history[1].value == "2")
    if backend == .embedded {
      // On AWS this is the caller's IAM ARN; the embedded store names the configured caller.
      #expect(history[0].lastModifiedUser == "arn:aws:iam::\(subject.accountID):user/alice")
    }
  }
}

/// Labels (aws-store-semantics §1.5).
@Suite struct LabelTests {
  @Test(arguments: Backend.allCases) func labelsAttachToTheLatestVersionAndMove(_ backend: Backend)
    async throws
  {
    let store = try await backend.makeStore().store
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

  @Test(arguments: Backend.allCases) func invalidLabelsAreReturnedNotThrown(_ backend: Backend)
    async throws
  {
    let store = try await backend.makeStore().store
    try await store.put("/l", "1", overwrite: false)
    let response = try await store.labelParameterVersion(
      LabelParameterVersionRequest(
        name: "/l", labels: ["good", "1st", "awsLabel", "SSMx", "has space", "x@y", "ok.v-2_z"]))
    await conforming(.labelPrefixCaseSensitive, on: backend) {
      #expect(response.invalidLabels == ["1st", "awsLabel", "SSMx", "has space", "x@y"])
    }
    let history = try await store.getParameterHistory(GetParameterHistoryRequest(name: "/l"))
      .parameters
    await conforming(.labelPrefixCaseSensitive, on: backend) {
      #expect(history.first?.labels == ["good", "ok.v-2_z"])
    }
  }

  @Test(arguments: Backend.allCases) func lengthAndCountLimits(_ backend: Backend) async throws {
    let store = try await backend.makeStore().store
    try await store.put("/l", "1", overwrite: false)
    await expectStoreError("ValidationException") {
      _ = try await store.labelParameterVersion(
        LabelParameterVersionRequest(name: "/l", labels: [String(repeating: "a", count: 101)]))
    }
    await conforming(.requestConstraintsNotEnforced, on: backend) {
      await expectStoreError("ValidationException") {
        _ = try await store.labelParameterVersion(
          LabelParameterVersionRequest(name: "/l", labels: (1...11).map { "l\($0)" }))
      }
    }
    _ = try await store.labelParameterVersion(
      LabelParameterVersionRequest(name: "/l", labels: (1...10).map { "l\($0)" }))
    await conforming(.messageWording, on: backend) {
      await expectStoreError(
        "ParameterVersionLabelLimitExceeded",
        message: "A parameter version can have a maximum of ten labels."
      ) {
        _ = try await store.labelParameterVersion(
          LabelParameterVersionRequest(name: "/l", labels: ["eleventh"]))
      }
    }
    // Re-attaching labels it already has does not count twice.
    _ = try await store.labelParameterVersion(
      LabelParameterVersionRequest(name: "/l", labels: ["l1", "l2"]))
  }

  @Test(arguments: Backend.allCases) func missingNamesAndVersions(_ backend: Backend) async throws {
    let store = try await backend.makeStore().store
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

  @Test(arguments: Backend.allCases) func unlabelRemovesOnlyWhatIsThere(_ backend: Backend)
    async throws
  {
    let store = try await backend.makeStore().store
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
