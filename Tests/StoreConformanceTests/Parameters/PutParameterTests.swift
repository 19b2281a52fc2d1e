import CinchStore
import Foundation
import Testing

/// `PutParameter`: creation, overwrite, types, values, tiers, patterns, data types.
@Suite struct PutParameterTests {
  @Test(arguments: Backend.allCases) func createThenOverwriteCountsVersions(_ backend: Backend)
    async throws
  {
    let store = try await backend.makeStore().store
    let first = try await store.put("/app/db/host", "db1", overwrite: false)
    #expect(first == PutParameterResponse(version: 1, tier: .standard))
    await expectStoreError(
      "ParameterAlreadyExists",
      message: "The parameter already exists. To overwrite this value, set the overwrite option "
        + "in the request to true."
    ) {
      try await store.put("/app/db/host", "db2", overwrite: false)
    }
    #expect(try await store.put("/app/db/host", "db2").version == 2)
    // The same value again is still a new version.
    #expect(try await store.put("/app/db/host", "db2").version == 3)
    #expect(try await store.get("/app/db/host").value == "db2")
  }

  @Test(arguments: Backend.allCases) func aTypeIsRequiredOnCreateOnly(_ backend: Backend)
    async throws
  {
    let store = try await backend.makeStore().store
    await expectStoreError(
      "ValidationException", message: "A parameter type is required when you create a parameter."
    ) {
      _ = try await store.putParameter(PutParameterRequest(name: "/x", value: "v"))
    }
    try await store.put("/x", "v", type: .secureString, overwrite: false)
    _ = try await store.putParameter(PutParameterRequest(name: "/x", value: "w", overwrite: true))
    let parameter = try await store.get("/x")
    #expect(parameter.type == .secureString)
    #expect(parameter.value == "w")
  }

  @Test(arguments: Backend.allCases) func unknownTypesAndTiersFailValidation(_ backend: Backend)
    async throws
  {
    let store = try await backend.makeStore().store
    await expectStoreError(
      "ValidationException",
      message: "1 validation error detected: Value 'Str' at 'type' failed to satisfy constraint: "
        + "Member must satisfy enum value set: [SecureString, StringList, String]"
    ) {
      try await store.put("/x", "v", type: "Str", overwrite: false)
    }
    await conforming(.requestConstraintsNotEnforced, on: backend) {
      await expectStoreError("ValidationException") {
        try await store.put("/x", "v", overwrite: false, tier: "Premium")
      }
    }
  }

  @Test(arguments: Backend.allCases) func emptyAndNestedValuesAreRejected(_ backend: Backend)
    async throws
  {
    let store = try await backend.makeStore().store
    await expectStoreError(
      "ValidationException",
      message: "1 validation error detected: Value '' at 'value' failed to satisfy constraint: "
        + "Member must have length greater than or equal to 1."
    ) {
      try await store.put("/x", "", overwrite: false)
    }
    await conforming(.nestedReferencesAccepted, on: backend) {
      await expectStoreError("ValidationException") {
        try await store.put("/x", "{{ssm:other}}", overwrite: false)
      }
    }
  }

  @Test(arguments: Backend.allCases) func tagsAndOverwriteCannotBeCombined(_ backend: Backend)
    async throws
  {
    let store = try await backend.makeStore().store
    await expectStoreError(
      "ValidationException",
      message: "Invalid request: tags and overwrite can't be used together. To create a parameter "
        + "with tags, please remove overwrite flag. To update tags for an existing parameter, "
        + "please use AddTagsToResource or RemoveTagsFromResource."
    ) {
      _ = try await store.putParameter(
        PutParameterRequest(
          name: "/x", value: "v", type: .string, overwrite: true, tags: [Tag(key: "a", value: "b")])
      )
    }
  }

  @Test(arguments: Backend.allCases) func omittedFieldsCarryOverOnOverwrite(_ backend: Backend)
    async throws
  {
    let store = try await backend.makeStore().store
    _ = try await store.putParameter(
      PutParameterRequest(
        name: "/x", description: "the host", value: "1", type: .string, allowedPattern: "^\\d+$"))
    _ = try await store.putParameter(PutParameterRequest(name: "/x", value: "2", overwrite: true))
    let metadata = try await store.describeParameters(DescribeParametersRequest()).parameters
    #expect(metadata.count == 1)
    #expect(metadata.first?.description == "the host")
    #expect(metadata.first?.allowedPattern == "^\\d+$")
    #expect(metadata.first?.version == 2)
    // The carried-over pattern still applies.
    await conforming(.allowedPatternIgnored, on: backend) {
      await expectStoreError(
        "ParameterPatternMismatchException",
        message: "Parameter value, cannot be validated against allowedPattern: ^\\d+$"
      ) {
        _ = try await store.putParameter(
          PutParameterRequest(name: "/x", value: "abc", overwrite: true))
      }
    }
  }

  @Test(arguments: Backend.allCases) func allowedPatternMustBeARegex(_ backend: Backend)
    async throws
  {
    let store = try await backend.makeStore().store
    await conforming(.allowedPatternIgnored, on: backend) {
      await expectStoreError("InvalidAllowedPatternException") {
        _ = try await store.putParameter(
          PutParameterRequest(name: "/x", value: "v", type: .string, allowedPattern: "(unclosed"))
      }
    }
  }

  /// The model's minimum length is 0 and Terraform sends an empty pattern on every write of a
  /// parameter without `allowed_pattern`: it is no pattern, and clears one set before.
  @Test(arguments: Backend.allCases) func anEmptyAllowedPatternIsNoPattern(_ backend: Backend)
    async throws
  {
    let store = try await backend.makeStore().store
    _ = try await store.putParameter(
      PutParameterRequest(name: "/p", value: "v", type: .string, allowedPattern: ""))
    _ = try await store.putParameter(
      PutParameterRequest(name: "/p", value: "12", overwrite: true, allowedPattern: "^[0-9]+$"))
    _ = try await store.putParameter(
      PutParameterRequest(name: "/p", value: "letters", overwrite: true, allowedPattern: ""))
    #expect(try await store.get("/p").value == "letters")
  }

  /// SSM's tag keys and values: 1–128 and 0–256 characters of letters, separators, numbers and
  /// `_.:/=+-@` (the model's pattern), each violation named by its place in the list.
  @Test(arguments: Backend.allCases) func tagsFollowTheModelsPattern(_ backend: Backend)
    async throws
  {
    let store = try await backend.makeStore().store
    let fine = Tag(key: "Team Name_ü.:/=+-@1", value: "")
    _ = try await store.putParameter(
      PutParameterRequest(name: "/t", value: "v", type: .string, tags: [fine]))
    await conforming(.requestConstraintsNotEnforced, on: backend) {
      await expectStoreError(
        "ValidationException",
        message: "1 validation error detected: Value 'bad#key' at 'tags.2.member.key' failed to "
          + #"satisfy constraint: Member must satisfy regular expression pattern: ^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$"#
      ) {
        _ = try await store.putParameter(
          PutParameterRequest(
            name: "/t2", value: "v", type: .string, tags: [fine, Tag(key: "bad#key", value: "v")]))
      }
      await expectStoreError(
        "ValidationException",
        message: "1 validation error detected: Value '' at 'tags.1.member.key' failed to satisfy "
          + "constraint: Member must have length greater than or equal to 1"
      ) {
        _ = try await store.putParameter(
          PutParameterRequest(
            name: "/t3", value: "v", type: .string, tags: [Tag(key: "", value: "v")]))
      }
      await expectStoreError("ValidationException") {
        _ = try await store.addTagsToResource(
          AddTagsToResourceRequest(
            resourceType: "Parameter", resourceID: "/t", tags: [Tag(key: "k", value: "a$b")]))
      }
    }
  }

  @Test(arguments: Backend.allCases) func keyIDIsForSecureStringsOnly(_ backend: Backend)
    async throws
  {
    let store = try await backend.makeStore().store
    await conforming(.keyIDNotChecked, on: backend) {
      await expectStoreError("ValidationException") {
        try await store.put("/x", "v", type: .string, overwrite: false, keyID: "alias/aws/ssm")
      }
    }
    await conforming(.keyIDNotChecked, on: backend) {
      await expectStoreError("InvalidKeyId") {
        try await store.put(
          "/x", "v", type: .secureString, overwrite: false, keyID: "alias/missing")
      }
    }
    await conforming(.keyIDNotChecked, on: backend) {
      await expectStoreError("InvalidKeyId") {
        try await store.put("/x", "v", type: .secureString, overwrite: false, keyID: "not-a-key")
      }
    }
  }

  @Test(arguments: Backend.allCases) func dataTypes(_ backend: Backend) async throws {
    let store = try await backend.makeStore().store
    _ = try await store.putParameter(
      PutParameterRequest(
        name: "/ami", value: "ami-0abcdef1234567890", type: .string, dataType: .ec2Image))
    #expect(try await store.get("/ami").dataType == .ec2Image)
    #expect(
      try await store.put("/t", "v", overwrite: false)
        == PutParameterResponse(version: 1, tier: .standard))
    #expect(try await store.get("/t").dataType == .text)
    await conforming(.dataTypeNotChecked, on: backend) {
      await expectStoreError("ValidationException") {
        _ = try await store.putParameter(
          PutParameterRequest(
            name: "/ami2", value: "not-an-ami", type: .string, dataType: .ec2Image))
      }
    }
    // "You can't change a parameter to or from either of these data types" (aws:ec2:image,
    // aws:ssm:integration; parameter-store-data-types.html).
    await conforming(.dataTypeNotChecked, on: backend) {
      await expectStoreError("ValidationException") {
        _ = try await store.putParameter(
          PutParameterRequest(
            name: "/ami", value: "ami-0abcdef1234567890", type: .string, overwrite: true,
            dataType: .text))
      }
      await expectStoreError("ValidationException") {
        _ = try await store.putParameter(
          PutParameterRequest(
            name: "/t", value: "ami-0abcdef1234567890", type: .string, overwrite: true,
            dataType: .ec2Image))
      }
      #expect((try? await store.get("/ami").dataType) == .ec2Image)
    }
    await expectStoreError(
      "ValidationException",
      message: "The following data type is not supported: Text (Data type names are all lowercase.)"
    ) {
      _ = try await store.putParameter(
        PutParameterRequest(name: "/y", value: "v", type: .string, dataType: "Text"))
    }
  }

  /// AWS applies parameter policies; the embedded store, which cannot expire or notify, refuses
  /// them rather than store a promise it would not keep.
  @Test(arguments: [Backend.embedded]) func parameterPoliciesAreRefusedNotIgnored(
    _ backend: Backend
  ) async throws {
    let store = try await backend.makeStore().store
    await expectStoreError("ValidationException") {
      _ = try await store.putParameter(
        PutParameterRequest(
          name: "/x", value: "v", type: .string, tier: .advanced,
          policies:
            "[{\"Type\":\"Expiration\",\"Version\":\"1.0\",\"Attributes\":{\"Timestamp\":\"2030-01-01T00:00:00.000Z\"}}]"
        ))
    }
  }

  @Test(arguments: Backend.allCases) func stringListsKeepTheirCommaSeparatedForm(_ backend: Backend)
    async throws
  {
    let store = try await backend.makeStore().store
    try await store.put("/list", "Monday,Wednesday,Friday", type: .stringList, overwrite: false)
    let parameter = try await store.get("/list", decrypt: false)
    #expect(parameter.type == .stringList)
    #expect(parameter.value == "Monday,Wednesday,Friday")
  }
}

/// Tiers and their value limits (aws-store-semantics §1.3).
@Suite struct TierTests {
  /// The limits count characters as Parameter Store, a Java service, does: UTF-16 code units
  /// (`String.length()`), not UTF-8 bytes, so 4096 × `é` (8,192 bytes) is a standard value and
  /// one more is not.
  @Test(arguments: Backend.allCases, ["a", "é"]) func standardHolds4096AndAdvanced8192(
    _ backend: Backend, _ character: String
  ) async throws {
    func value(_ count: Int) -> String { String(repeating: character, count: count) }
    let store = try await backend.makeStore().store
    try await store.put("/s", value(4096), overwrite: false)
    #expect(try await store.get("/s").value == value(4096))
    await conforming(.tiersNotEnforced, on: backend) {
      await expectStoreError(
        "ValidationException",
        message:
          "Standard tier parameters support a maximum parameter value of 4096 characters. To "
          + "create a larger parameter value, upgrade the parameter to use the advanced-parameter "
          + "tier. For more information, see "
          + "https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html"
      ) {
        try await store.put("/s2", value(4097), overwrite: false)
      }
    }
    #expect(
      try await store.put("/a", value(8192), overwrite: false, tier: .advanced).tier == .advanced)
    await conforming(.tiersNotEnforced, on: backend) {
      await expectStoreError(
        "ValidationException",
        message: "Advanced tier parameters support a maximum parameter value of 8192 characters."
      ) {
        try await store.put("/a2", value(8193), overwrite: false, tier: .advanced)
      }
    }
    // Intelligent-Tiering moves a value past 4096 of them to Advanced.
    await conforming(.tiersNotEnforced, on: backend) {
      let fits = try await store.put(
        "/i", value(4096), overwrite: false, tier: .intelligentTiering)
      #expect(fits.tier == .standard)
      let over = try await store.put(
        "/i2", value(4097), overwrite: false, tier: .intelligentTiering)
      #expect(over.tier == .advanced)
    }
  }

  /// A character outside the BMP is two UTF-16 code units, as Java's `String.length()` counts
  /// it: 2048 emoji fill a standard value. Moto counts Python characters, and enforces nothing.
  @Test func aCharacterOutsideTheBMPCountsTwo() async throws {
    let store = try await Backend.embedded.makeStore().store
    try await store.put("/emoji", String(repeating: "😀", count: 2048), overwrite: false)
    await expectStoreError("ValidationException") {
      try await store.put("/emoji2", String(repeating: "😀", count: 2049), overwrite: false)
    }
  }

  @Test(arguments: Backend.allCases) func intelligentTieringPicksAdvancedOnlyWhenNeeded(
    _ backend: Backend
  ) async throws {
    let store = try await backend.makeStore().store
    await conforming(.tiersNotEnforced, on: backend) {
      let small = try await store.put("/small", "v", overwrite: false, tier: .intelligentTiering)
      #expect(small.tier == .standard)
    }
    await conforming(.tiersNotEnforced, on: backend) {
      let big = try await store.put(
        "/big", String(repeating: "b", count: 5000), overwrite: false, tier: .intelligentTiering)
      #expect(big.tier == .advanced)
    }
    // Once advanced, intelligent tiering keeps it advanced.
    await conforming(.tiersNotEnforced, on: backend) {
      let again = try await store.put("/big", "v", tier: .intelligentTiering)
      #expect(again.tier == .advanced)
    }
  }

  @Test(arguments: Backend.allCases) func advancedParametersCannotGoBackToStandard(
    _ backend: Backend
  ) async throws {
    let store = try await backend.makeStore().store
    try await store.put("/p", "v", overwrite: false, tier: .advanced)
    // Without a tier the existing tier is kept.
    #expect(try await store.put("/p", "w").tier == .advanced)
    await conforming(.tiersNotEnforced, on: backend) {
      await expectStoreError("ValidationException") {
        try await store.put("/p", "x", tier: .standard)
      }
    }
    await conforming(.tiersNotEnforced, on: backend) {
      let written = try await store.put("/p", "y", tier: .advanced)
      #expect(written.version == 3)
    }
  }
}
