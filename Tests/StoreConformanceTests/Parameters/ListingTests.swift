import CinchStore
import Foundation
import Testing

/// `GetParametersByPath`, `DescribeParameters`, their filters and pagination
/// (aws-store-semantics §1.8, §1.10).
@Suite struct ListingTests {
  static func seeded(_ backend: Backend) async throws -> any TestedStore {
    try await seed(backend.makeStore().store)
  }

  static func seed(_ store: any TestedStore) async throws -> any TestedStore {
    try await store.put("/app/prod/db/host", "db.prod", overwrite: false)
    try await store.put("/app/prod/db/password", "p@ss", type: .secureString, overwrite: false)
    try await store.put("/app/prod/api-url", "https://api", overwrite: false)
    try await store.put(
      "/app/prod/regions", "eu-west-1,us-east-1", type: .stringList, overwrite: false)
    try await store.put("/app/dev/api-url", "http://dev", overwrite: false)
    try await store.put("top", "t", overwrite: false)
    try await store.put("/slashed-top", "s", overwrite: false)
    return store
  }

  static func allByPath(
    _ store: any TestedStore, _ path: String, recursive: Bool = false,
    filters: [ParameterStringFilter]? = nil, pageSize: Int? = nil, decrypt: Bool = true
  ) async throws -> [Parameter] {
    var parameters: [Parameter] = []
    var token: String?
    repeat {
      let page = try await store.getParametersByPath(
        GetParametersByPathRequest(
          path: path, recursive: recursive, parameterFilters: filters, withDecryption: decrypt,
          maxResults: pageSize, nextToken: token))
      parameters += page.parameters
      token = page.nextToken
    } while token != nil
    return parameters
  }

  @Test(arguments: Backend.allCases) func oneLevelAndRecursive(_ backend: Backend) async throws {
    let store = try await Self.seeded(backend)
    #expect(
      try await Self.allByPath(store, "/app/prod").map(\.name)
        == ["/app/prod/api-url", "/app/prod/regions"])
    await conforming(.byPathEdgeCases, on: backend) {
      let trailingSlash = try await Self.allByPath(store, "/app/prod/", recursive: true)
      #expect(
        trailingSlash.map(\.name)
          == [
            "/app/prod/api-url", "/app/prod/db/host", "/app/prod/db/password", "/app/prod/regions",
          ])
      let root = try await Self.allByPath(store, "/")
      #expect(root.map(\.name) == ["/slashed-top", "top"])
    }
    #expect(try await Self.allByPath(store, "/", recursive: true).count == 7)
    #expect(try await Self.allByPath(store, "/nothing/here").isEmpty)
  }

  @Test(arguments: Backend.allCases) func pagesFollowNextToken(_ backend: Backend) async throws {
    let store = try await Self.seeded(backend)
    let first = try await store.getParametersByPath(
      GetParametersByPathRequest(path: "/app", recursive: true, maxResults: 2))
    #expect(first.parameters.count == 2)
    #expect(first.nextToken != nil)
    let all = try await Self.allByPath(store, "/app", recursive: true, pageSize: 2)
    #expect(all.count == 5)
    #expect(Set(all.map(\.name)).count == 5)
    // The last page carries no token.
    let exact = try await store.getParametersByPath(
      GetParametersByPathRequest(path: "/app/prod", maxResults: 2))
    if backend == .embedded {
      // AWS pages on a best-effort basis and may end with an empty page; the embedded store
      // sends no token after the last item.
      #expect(exact.nextToken == nil)
    }
  }

  @Test(arguments: Backend.allCases) func decryptionAppliesToSecureStringsInThePage(
    _ backend: Backend
  ) async throws {
    let store = try await Self.seeded(backend)
    let sealed = try await Self.allByPath(store, "/app/prod/db", decrypt: false)
    #expect(sealed.first { $0.name == "/app/prod/db/password" }?.value != "p@ss")
    #expect(sealed.first { $0.name == "/app/prod/db/host" }?.value == "db.prod")
    let plain = try await Self.allByPath(store, "/app/prod/db", decrypt: true)
    #expect(plain.first { $0.name == "/app/prod/db/password" }?.value == "p@ss")
  }

  @Test(arguments: Backend.allCases) func byPathValidation(_ backend: Backend) async throws {
    let store = try await Self.seeded(backend)
    await conforming(.requestConstraintsNotEnforced, on: backend) {
      await expectStoreError("ValidationException") {
        _ = try await store.getParametersByPath(GetParametersByPathRequest(path: "app/prod"))
      }
    }
    await expectStoreError("ValidationException") {
      _ = try await store.getParametersByPath(
        GetParametersByPathRequest(path: "/app", maxResults: 11))
    }
    await conforming(.requestConstraintsNotEnforced, on: backend) {
      await expectStoreError("ValidationException") {
        _ = try await store.getParametersByPath(
          GetParametersByPathRequest(path: "/app", maxResults: 0))
      }
    }
    await conforming(.invalidNextTokenIsAServerError, on: backend) {
      await expectStoreError("InvalidNextToken") {
        _ = try await store.getParametersByPath(
          GetParametersByPathRequest(path: "/app", nextToken: "bm90IGEgdG9rZW4="))
      }
    }
    await conforming(.byPathLabelFilter, on: backend) {
      await expectStoreError(
        "InvalidFilterKey",
        message: "The following filter key is not valid: Name. Valid filter keys include: "
          + "[Type, KeyId, Label]."
      ) {
        _ = try await store.getParametersByPath(
          GetParametersByPathRequest(
            path: "/app", parameterFilters: [ParameterStringFilter(key: "Name", values: ["/x"])]))
      }
    }
    await conforming(.byPathLabelFilter, on: backend) {
      await expectStoreError("InvalidFilterOption") {
        _ = try await store.getParametersByPath(
          GetParametersByPathRequest(
            path: "/app",
            parameterFilters: [
              ParameterStringFilter(key: "Label", option: "BeginsWith", values: ["x"])
            ]))
      }
    }
  }

  @Test(arguments: Backend.allCases) func byPathFilters(_ backend: Backend) async throws {
    let store = try await Self.seeded(backend)
    let secure = try await Self.allByPath(
      store, "/app", recursive: true,
      filters: [ParameterStringFilter(key: "Type", values: ["SecureString"])])
    #expect(secure.map(\.name) == ["/app/prod/db/password"])
    let byKey = try await Self.allByPath(
      store, "/app", recursive: true,
      filters: [ParameterStringFilter(key: "KeyId", option: "BeginsWith", values: ["alias/aws/"])])
    #expect(byKey.map(\.name) == ["/app/prod/db/password"])

    try await store.put("/app/prod/api-url", "https://api/v2")
    _ = try await store.labelParameterVersion(
      LabelParameterVersionRequest(
        name: "/app/prod/api-url", parameterVersion: 1, labels: ["stable"]))
    let labelled = try await Self.allByPath(
      store, "/app", recursive: true,
      filters: [ParameterStringFilter(key: "Label", values: ["stable"])])
    await conforming(.byPathLabelFilter, on: backend) {
      #expect(labelled.map(\.name) == ["/app/prod/api-url"])
      #expect(labelled.first?.version == 1)
      #expect(labelled.first?.value == "https://api")
    }
  }

  static func describeAll(
    _ store: any TestedStore, filters: [ParameterStringFilter]? = nil,
    legacy: [ParametersFilter]? = nil,
    pageSize: Int? = nil
  ) async throws -> [ParameterMetadata] {
    var parameters: [ParameterMetadata] = []
    var token: String?
    repeat {
      let page = try await store.describeParameters(
        DescribeParametersRequest(
          filters: legacy, parameterFilters: filters, maxResults: pageSize, nextToken: token))
      parameters += page.parameters
      token = page.nextToken
    } while token != nil
    return parameters
  }

  @Test(arguments: Backend.allCases) func describeFilters(_ backend: Backend) async throws {
    let store = try await Self.seeded(backend)
    // AWS documents no order for DescribeParameters: compare sorted.
    func names(_ filters: [ParameterStringFilter]) async throws -> [String] {
      try await Self.describeAll(store, filters: filters).map(\.name).sorted()
    }
    #expect(try await names([]).count == 7)
    #expect(
      try await names([ParameterStringFilter(key: "Name", values: ["/app/dev/api-url"])]) == [
        "/app/dev/api-url"
      ])
    #expect(try await names([ParameterStringFilter(key: "Name", values: ["/top"])]) == ["top"])
    #expect(
      try await names([
        ParameterStringFilter(key: "Name", option: "BeginsWith", values: ["/app/prod/db"])
      ])
        == ["/app/prod/db/host", "/app/prod/db/password"])
    #expect(
      try await names([ParameterStringFilter(key: "Name", option: "Contains", values: ["api"])])
        == ["/app/dev/api-url", "/app/prod/api-url"])
    #expect(
      try await names([ParameterStringFilter(key: "Path", values: ["/app/prod"])])
        == ["/app/prod/api-url", "/app/prod/regions"])
    #expect(
      try await names([
        ParameterStringFilter(key: "Path", option: "Recursive", values: ["/app/prod"])
      ]).count
        == 4)
    #expect(
      try await names([ParameterStringFilter(key: "Type", values: ["StringList"])])
        == ["/app/prod/regions"])
    #expect(
      try await names([ParameterStringFilter(key: "KeyId", values: ["alias/aws/ssm"])])
        == ["/app/prod/db/password"])
    #expect(try await names([ParameterStringFilter(key: "Tier", values: ["Advanced"])]).isEmpty)
    await conforming(.describeFilterGaps, on: backend) {
      let text = try await names([ParameterStringFilter(key: "DataType", values: ["text"])])
      #expect(text.count == 7)
    }
    // Filters combine with AND.
    #expect(
      try await names([
        ParameterStringFilter(key: "Path", option: "Recursive", values: ["/app"]),
        ParameterStringFilter(key: "Type", values: ["String"]),
      ]) == ["/app/dev/api-url", "/app/prod/api-url", "/app/prod/db/host"])
  }

  @Test(arguments: Backend.allCases) func describeTagFilters(_ backend: Backend) async throws {
    let store = try await Self.seeded(backend)
    _ = try await store.addTagsToResource(
      AddTagsToResourceRequest(
        resourceType: "Parameter", resourceID: "/app/prod/api-url",
        tags: [Tag(key: "Env", value: "prod")]))
    let tagged = try await Self.describeAll(
      store, filters: [ParameterStringFilter(key: "tag:Env", values: ["prod"])])
    #expect(tagged.map(\.name) == ["/app/prod/api-url"])
    let present = try await Self.describeAll(
      store, filters: [ParameterStringFilter(key: "tag:Env")])
    #expect(present.map(\.name) == ["/app/prod/api-url"])
    #expect(
      try await Self.describeAll(
        store, filters: [ParameterStringFilter(key: "tag:Env", values: ["dev"])]
      ).isEmpty)
  }

  @Test(arguments: Backend.allCases) func describeValidation(_ backend: Backend) async throws {
    let store = try await Self.seeded(backend)
    await expectStoreError(
      "ValidationException",
      message: "You can use either Filters or ParameterFilters in a single request."
    ) {
      _ = try await store.describeParameters(
        DescribeParametersRequest(
          filters: [ParametersFilter(key: "Name", values: ["/a"])],
          parameterFilters: [ParameterStringFilter(key: "Type", values: ["String"])]))
    }
    await expectStoreError("InvalidFilterKey") {
      _ = try await store.describeParameters(
        DescribeParametersRequest(parameterFilters: [
          ParameterStringFilter(key: "Label", values: ["x"])
        ]))
    }
    await expectStoreError("InvalidFilterOption") {
      _ = try await store.describeParameters(
        DescribeParametersRequest(
          parameterFilters: [
            ParameterStringFilter(key: "Type", option: "Contains", values: ["String"])
          ]))
    }
    await expectStoreError("InvalidFilterOption") {
      _ = try await store.describeParameters(
        DescribeParametersRequest(
          parameterFilters: [ParameterStringFilter(key: "Path", option: "Equals", values: ["/a"])]))
    }
    await conforming(.describeFilterGaps, on: backend) {
      await expectStoreError("InvalidFilterValue") {
        _ = try await store.describeParameters(
          DescribeParametersRequest(parameterFilters: [
            ParameterStringFilter(key: "Type", values: ["Secure"])
          ]))
      }
    }
    await expectStoreError("InvalidFilterValue") {
      _ = try await store.describeParameters(
        DescribeParametersRequest(parameterFilters: [ParameterStringFilter(key: "Name")]))
    }
    await expectStoreError("InvalidFilterKey") {
      _ = try await store.describeParameters(
        DescribeParametersRequest(parameterFilters: [
          ParameterStringFilter(key: "Type", values: ["String"]),
          ParameterStringFilter(key: "Type", values: ["SecureString"]),
        ]))
    }
    await expectStoreError("ValidationException") {
      _ = try await store.describeParameters(
        DescribeParametersRequest(parameterFilters: [
          ParameterStringFilter(key: "Color", values: ["x"])
        ]))
    }
    await expectStoreError("ValidationException") {
      _ = try await store.describeParameters(
        DescribeParametersRequest(parameterFilters: [
          ParameterStringFilter(key: "Path", values: ["/aws/x"])
        ]))
    }
    await conforming(.requestConstraintsNotEnforced, on: backend) {
      await expectStoreError("ValidationException") {
        _ = try await store.describeParameters(DescribeParametersRequest(maxResults: 51))
      }
    }
    await conforming(.invalidNextTokenIsAServerError, on: backend) {
      await expectStoreError("InvalidNextToken") {
        _ = try await store.describeParameters(DescribeParametersRequest(nextToken: "%%%"))
      }
    }
  }

  @Test(arguments: Backend.allCases) func describePagesAndLegacyFilters(_ backend: Backend)
    async throws
  {
    let store = try await Self.seeded(backend)
    let paged = try await Self.describeAll(store, pageSize: 3)
    #expect(paged.count == 7)
    #expect(Set(paged.map(\.name)).count == 7)
    let legacy = try await Self.describeAll(
      store, legacy: [ParametersFilter(key: "Name", values: ["/app/prod/db"])])
    #expect(legacy.map(\.name) == ["/app/prod/db/host", "/app/prod/db/password"])
    let shared = try await store.describeParameters(DescribeParametersRequest(shared: true))
    await conforming(.sharedListsOwnParameters, on: backend) {
      #expect(shared.parameters.isEmpty)
    }
  }

  @Test(arguments: Backend.allCases) func describeReportsMetadataOnly(_ backend: Backend)
    async throws
  {
    let subject = try await backend.makeStore()
    let store = try await Self.seed(subject.store)
    let secret = try #require(
      try await Self.describeAll(store).first { $0.name == "/app/prod/db/password" })
    #expect(secret.type == .secureString)
    #expect(secret.keyID == "alias/aws/ssm")
    #expect(secret.version == 1)
    #expect(secret.tier == .standard)
    #expect(secret.dataType == .text)
    await conforming(.describeParametersOmitsTheARN, on: backend) {
      #expect(secret.arn == subject.arn("/app/prod/db/password"))
    }
    if backend == .embedded {
      #expect(secret.lastModifiedUser == "arn:aws:iam::\(subject.accountID):root")
    }
    let encoded = String(decoding: try JSONEncoder().encode(secret), as: UTF8.self)
    #expect(!encoded.contains("\"Value\""))
    #expect(encoded.contains("\"KeyId\":\"alias\\/aws\\/ssm\""))
  }
}

/// Deletes and tags (aws-store-semantics §1.11).
@Suite struct DeleteAndTagTests {
  @Test(arguments: Backend.allCases) func deleteParametersReportsEachName(_ backend: Backend)
    async throws
  {
    let store = try await backend.makeStore().store
    try await store.put("/a", "1", overwrite: false)
    try await store.put("/b", "2", overwrite: false)
    let response = try await store.deleteParameters(
      DeleteParametersRequest(names: ["/a", "/missing", "b", "bad name"]))
    #expect(response.deletedParameters == ["/a", "b"])
    #expect(response.invalidParameters == ["/missing", "bad name"])
    #expect(try await store.describeParameters(DescribeParametersRequest()).parameters.isEmpty)
    await conforming(.requestConstraintsNotEnforced, on: backend) {
      await expectStoreError("ValidationException") {
        _ = try await store.deleteParameters(
          DeleteParametersRequest(names: (0...10).map { "/n\($0)" }))
      }
    }
  }

  @Test(arguments: Backend.allCases) func tagsAreAddedListedAndRemoved(_ backend: Backend)
    async throws
  {
    let store = try await backend.makeStore().store
    _ = try await store.putParameter(
      PutParameterRequest(
        name: "/t", value: "v", type: .string, tags: [Tag(key: "Owner", value: "ops")]))
    _ = try await store.addTagsToResource(
      AddTagsToResourceRequest(
        resourceType: "Parameter", resourceID: "/t",
        tags: [Tag(key: "Env", value: "prod"), Tag(key: "Owner", value: "platform")]))
    let listed = try await store.listTagsForResource(
      ListTagsForResourceRequest(resourceType: "Parameter", resourceID: "/t"))
    #expect(
      listed.tagList.sorted { $0.key < $1.key }
        == [Tag(key: "Env", value: "prod"), Tag(key: "Owner", value: "platform")])
    _ = try await store.removeTagsFromResource(
      RemoveTagsFromResourceRequest(resourceType: "Parameter", resourceID: "/t", tagKeys: ["Env"]))
    #expect(
      try await store.listTagsForResource(
        ListTagsForResourceRequest(resourceType: "Parameter", resourceID: "/t")
      ).tagList
        == [Tag(key: "Owner", value: "platform")])
    // Deleting the parameter takes its tags; a re-created one starts bare.
    _ = try await store.deleteParameter(DeleteParameterRequest(name: "/t"))
    try await store.put("/t", "v", overwrite: false)
    await conforming(.tagsSurviveDelete, on: backend) {
      let tags = try await store.listTagsForResource(
        ListTagsForResourceRequest(resourceType: "Parameter", resourceID: "/t"))
      #expect(tags.tagList.isEmpty)
    }
  }

  @Test(arguments: Backend.allCases) func tagErrors(_ backend: Backend) async throws {
    let store = try await backend.makeStore().store
    try await store.put("/t", "v", overwrite: false)
    await expectStoreError("InvalidResourceType") {
      _ = try await store.listTagsForResource(
        ListTagsForResourceRequest(resourceType: "Bucket", resourceID: "/t"))
    }
    await expectStoreError("InvalidResourceId") {
      _ = try await store.listTagsForResource(
        ListTagsForResourceRequest(resourceType: "Document", resourceID: "/t"))
    }
    await expectStoreError("InvalidResourceId") {
      _ = try await store.listTagsForResource(
        ListTagsForResourceRequest(resourceType: "Parameter", resourceID: "/none"))
    }
    await conforming(.requestConstraintsNotEnforced, on: backend) {
      await expectStoreError("TooManyTagsError") {
        _ = try await store.addTagsToResource(
          AddTagsToResourceRequest(
            resourceType: "Parameter", resourceID: "/t",
            tags: (1...51).map { Tag(key: "k\($0)", value: "v") }))
      }
    }
    await conforming(.requestConstraintsNotEnforced, on: backend) {
      await expectStoreError("ValidationException") {
        _ = try await store.addTagsToResource(
          AddTagsToResourceRequest(
            resourceType: "Parameter", resourceID: "/t", tags: [Tag(key: "aws:x", value: "v")]))
      }
    }
  }
}
