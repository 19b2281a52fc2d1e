import Foundation
import Testing

@testable import CinchStore

/// Parameter Store's naming rules, each with the error AWS returns (aws-store-semantics §1.1).
@Suite struct ParameterNameTests {
  static let invalidName =
    "Parameter name: can't be prefixed with \"ssm\" (case-insensitive). If formed as a path, it "
    + "can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of "
    + "letters, numbers and the following 3 symbols .-_"

  @Test(arguments: ["awsTestParameter", "SSM-testparameter", "AWSthing", "/ssmthing", "sSm"])
  func reservedPrefixesAreRejected(name: String) async throws {
    let fixture = try await StoreFixture.make()
    await expectStoreError(
      "ValidationException",
      message: "Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive)."
    ) {
      try await fixture.store.put(name, "v", overwrite: false)
    }
  }

  @Test func reservedPathsAreRejected() async throws {
    let fixture = try await StoreFixture.make()
    await expectStoreError(
      "AccessDeniedException", message: "No access to reserved parameter name: /aws/testparam1."
    ) {
      try await fixture.store.put("/aws/testparam1", "v", overwrite: false)
    }
    await expectStoreError("ValidationException", message: Self.invalidName) {
      try await fixture.store.put("/ssm/x/y", "v", overwrite: false)
    }
  }

  /// A copy of one of AWS's public parameters is AWS's: tagging it is refused as every other
  /// write to it is; its tags can still be listed.
  @Test func publicParametersTakeNoTags() async throws {
    let fixture = try await StoreFixture.make()
    let name = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64"
    _ = try await fixture.store.putPublicParameter(
      PutParameterRequest(name: name, value: "ami-0123456789abcdef0", type: .string))
    let denied = "No access to reserved parameter name: \(name)."
    await expectStoreError("AccessDeniedException", message: denied) {
      _ = try await fixture.store.addTagsToResource(
        AddTagsToResourceRequest(
          resourceType: "Parameter", resourceID: name, tags: [Tag(key: "a", value: "b")]))
    }
    await expectStoreError("AccessDeniedException", message: denied) {
      _ = try await fixture.store.removeTagsFromResource(
        RemoveTagsFromResourceRequest(resourceType: "Parameter", resourceID: name, tagKeys: ["a"]))
    }
    let listed = try await fixture.store.listTagsForResource(
      ListTagsForResourceRequest(resourceType: "Parameter", resourceID: name))
    #expect(listed.tagList.isEmpty)
  }

  @Test(arguments: [
    "Dev MySQL DB", "/myPrefix/xmpt/support@gmail.com", "/a//b", "/a/b/", "a:b:c", "/é",
  ])
  func invalidCharactersAndEmptyLevelsAreRejected(name: String) async throws {
    let fixture = try await StoreFixture.make()
    await expectStoreError("ValidationException", message: Self.invalidName) {
      try await fixture.store.put(name, "v", overwrite: false)
    }
  }

  @Test func namesWithAPathMustBeFullyQualified() async throws {
    let fixture = try await StoreFixture.make()
    await expectStoreError(
      "ValidationException", message: "Parameter name must be a fully qualified name."
    ) {
      try await fixture.store.put("MyParameter3/L1", "v", overwrite: false)
    }
  }

  @Test func surroundingSpacesAreRemoved() async throws {
    let fixture = try await StoreFixture.make()
    try await fixture.store.put("  /a/b  ", "v", overwrite: false)
    #expect(try await fixture.store.get("/a/b").name == "/a/b")
  }

  @Test func fifteenLevelsAreAllowedAndSixteenAreNot() async throws {
    let fixture = try await StoreFixture.make()
    let fifteen = "/Level-1" + (2...14).map { "/L\($0)" }.joined() + "/parameter-name"
    try await fixture.store.put(fifteen, "v", overwrite: false)
    let sixteen = "/Level-1" + (2...15).map { "/L\($0)" }.joined() + "/parameter-name"
    await expectStoreError(
      "HierarchyLevelLimitExceededException",
      message: "A hierarchy can have a maximum of 15 levels. For more information, see "
        + "Requirements and constraints for parameter names in the Amazon Web Services Systems "
        + "Manager User Guide."
    ) {
      try await fixture.store.put(sixteen, "v", overwrite: false)
    }
  }

  @Test func lengthCountsTheARNPrefix() async throws {
    let fixture = try await StoreFixture.make()
    // arn:aws:ssm:us-east-1:123456789012:parameter/ is 45 characters: 966 are left.
    #expect(fixture.store.configuration.parameterARNPrefix.count == 45)
    let longest = "/" + String(repeating: "a", count: 966)
    try await fixture.store.put(longest, "v", overwrite: false)
    await expectStoreError("ValidationException") {
      try await fixture.store.put("/" + String(repeating: "b", count: 967), "v", overwrite: false)
    }
    // A longer region name leaves fewer characters.
    let other = try await fixture.reopen(
      configuration: StoreConfiguration(region: "ap-southeast-2"))
    await expectStoreError("ValidationException") {
      try await other.put("/" + String(repeating: "c", count: 966), "v", overwrite: false)
    }
  }

  @Test func oneLevelNamesAreTheSameWithOrWithoutTheirSlash() async throws {
    let fixture = try await StoreFixture.make()
    try await fixture.store.put("/TestParam1", "one", overwrite: false)
    await expectStoreError("ParameterAlreadyExists") {
      try await fixture.store.put("TestParam1", "two", overwrite: false)
    }
    let parameter = try await fixture.store.get("TestParam1")
    #expect(parameter.name == "/TestParam1")
    #expect(parameter.value == "one")
    #expect(parameter.arn == "arn:aws:ssm:us-east-1:123456789012:parameter/TestParam1")
    // A multi-level name is not the same as a one-level one.
    try await fixture.store.put("/Test/TestParam1", "three", overwrite: false)
    #expect(try await fixture.store.get("/TestParam1").value == "one")
  }

  @Test func readsAcceptARNsAndSelectorsOnThem() async throws {
    let fixture = try await StoreFixture.make(
      configuration: StoreConfiguration(region: "eu-west-1", accountID: "111122223333"))
    try await fixture.store.put("/a/b", "one", overwrite: false)
    try await fixture.store.put("/a/b", "two")
    try await fixture.store.put("flat", "f", overwrite: false)
    let arn = "arn:aws:ssm:eu-west-1:111122223333:parameter/a/b"
    #expect(try await fixture.store.get(arn).value == "two")
    let selected = try await fixture.store.get(arn + ":1")
    #expect(selected.value == "one")
    #expect(selected.selector == ":1")
    #expect(selected.arn == arn)
    #expect(
      try await fixture.store.get("arn:aws:ssm:eu-west-1:111122223333:parameter/flat").value == "f")
    // Another account's ARN names nothing here.
    await expectStoreError("ParameterNotFound") {
      _ = try await fixture.store.get("arn:aws:ssm:eu-west-1:999999999999:parameter/a/b")
    }
    // Writes take names, not ARNs.
    await expectStoreError("ValidationException") {
      try await fixture.store.put(arn, "x")
    }
  }

  @Test func theReferenceParserSplitsSelectors() throws {
    let configuration = StoreConfiguration()
    let (name, version) = try ParameterNameRules.parseReference(
      "/a/b:12", configuration: configuration)
    #expect(name.key == "/a/b")
    #expect(version == .version(12))
    let (_, label) = try ParameterNameRules.parseReference("x:prod", configuration: configuration)
    #expect(label == .label("prod"))
    #expect(throws: StoreError.self) {
      try ParameterNameRules.parseReference("/a:b:c", configuration: configuration)
    }
    #expect(throws: StoreError.self) {
      try ParameterNameRules.parseReference("/a:", configuration: configuration)
    }
  }
}
