import Foundation
import Testing

@testable import CinchStore

/// KMS-style keys: the AWS-managed ones from `init`, customer keys, aliases, and every way KMS
/// lets a key be named.
@Suite struct KMSKeyTests {
  @Test func initCreatesTheAWSManagedKeys() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    let aliases = try await store.listAliases(ListAliasesRequest()).aliases
    #expect(aliases.map(\.aliasName) == ["alias/aws/secretsmanager", "alias/aws/ssm"])
    #expect(
      aliases.allSatisfy { $0.aliasARN == "arn:aws:kms:us-east-1:123456789012:" + $0.aliasName })
    let ssm = try await store.describeKey(DescribeKeyRequest(keyID: "alias/aws/ssm")).keyMetadata
    #expect(ssm.keyManager == "AWS")
    #expect(ssm.keyState == "Enabled")
    #expect(ssm.enabled)
    #expect(ssm.keySpec == "SYMMETRIC_DEFAULT")
    #expect(ssm.keyUsage == "ENCRYPT_DECRYPT")
    #expect(ssm.arn == "arn:aws:kms:us-east-1:123456789012:key/" + ssm.keyID)
    #expect(KMSKeyRecord.isKeyID(Substring(ssm.keyID)))
    let keys = try await store.listKeys(ListKeysRequest()).keys
    #expect(keys.count == 2)
    #expect(Set(keys.map(\.keyID)).contains(ssm.keyID))
  }

  @Test func customerKeysAreFoundByIdARNAliasAndAliasARN() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    let created = try await store.createKey(CreateKeyRequest(description: "app secrets"))
      .keyMetadata
    #expect(created.keyManager == "CUSTOMER")
    #expect(created.description == "app secrets")
    _ = try await store.createAlias(
      CreateAliasRequest(aliasName: "alias/app", targetKeyID: created.keyID))
    let names = [
      created.keyID, created.keyID.uppercased(), created.arn, "alias/app",
      "arn:aws:kms:us-east-1:123456789012:alias/app",
    ]
    for name in names {
      #expect(
        try await store.describeKey(DescribeKeyRequest(keyID: name)).keyMetadata.keyID
          == created.keyID)
    }
    let forKey = try await store.listAliases(ListAliasesRequest(keyID: created.arn)).aliases
    #expect(forKey.map(\.aliasName) == ["alias/app"])
    #expect(forKey.first?.targetKeyID == created.keyID)
  }

  @Test func secureStringsUnderACustomerKey() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    let key = try await store.createKey(CreateKeyRequest()).keyMetadata
    _ = try await store.createAlias(
      CreateAliasRequest(aliasName: "alias/app", targetKeyID: key.keyID))
    for (index, keyID) in [
      key.keyID, key.arn, "alias/app", "arn:aws:kms:us-east-1:123456789012:alias/app",
    ].enumerated() {
      try await store.put(
        "/s\(index)", "secret \(index)", type: .secureString, overwrite: false, keyID: keyID)
    }
    let described = try await store.describeParameters(DescribeParametersRequest()).parameters
    #expect(
      described.map(\.keyID) == [
        key.keyID, key.arn, "alias/app", "arn:aws:kms:us-east-1:123456789012:alias/app",
      ])
    // The key id sits in each envelope's header.
    let sealed = try await store.get("/s2", decrypt: false)
    let envelope = try #require(Data(base64Encoded: sealed.value))
    let record = try await store.pool.read { db in try KMSKeyRecord.fetch(db, keyID: key.keyID) }
    #expect(Array(envelope[1...16]) == record?.keyIDBytes)
    // A new process (no cached key material) reads them.
    let reopened = try await fixture.reopen()
    for index in 0..<4 { #expect(try await reopened.get("/s\(index)").value == "secret \(index)") }
    // Overwriting without KeyId keeps the key.
    try await reopened.put("/s2", "rotated", type: .secureString)
    #expect(
      try await reopened.describeParameters(
        DescribeParametersRequest(parameterFilters: [
          ParameterStringFilter(key: "Name", values: ["/s2"])
        ])
      ).parameters.first?.keyID == "alias/app")
  }

  @Test func kmsErrors() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    let key = try await store.createKey(CreateKeyRequest()).keyMetadata
    // `aws:` tag keys are AWS's own, in any case.
    for reserved in ["aws:x", "AWS:Owner"] {
      await expectStoreError(
        "TagException",
        message: "Tag keys starting with 'aws:' are reserved for AWS use: '\(reserved)'."
      ) {
        _ = try await store.createKey(
          CreateKeyRequest(tags: [KMSTag(tagKey: reserved, tagValue: "1")]))
      }
    }
    await expectStoreError("NotFoundException", message: "Invalid keyId nope") {
      _ = try await store.describeKey(DescribeKeyRequest(keyID: "nope"))
    }
    await expectStoreError(
      "NotFoundException",
      message:
        "Key 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555' does not exist"
    ) {
      _ = try await store.describeKey(
        DescribeKeyRequest(keyID: "11111111-2222-3333-4444-555555555555"))
    }
    await expectStoreError(
      "NotFoundException",
      message: "Alias arn:aws:kms:us-east-1:123456789012:alias/none is not found."
    ) {
      _ = try await store.describeKey(DescribeKeyRequest(keyID: "alias/none"))
    }
    _ = try await store.createAlias(
      CreateAliasRequest(aliasName: "alias/app", targetKeyID: key.keyID))
    await expectStoreError(
      "AlreadyExistsException",
      message: "An alias with the name arn:aws:kms:us-east-1:123456789012:alias/app already exists"
    ) {
      _ = try await store.createAlias(
        CreateAliasRequest(aliasName: "alias/app", targetKeyID: key.keyID))
    }
    await expectStoreError("NotAuthorizedException") {
      _ = try await store.createAlias(
        CreateAliasRequest(aliasName: "alias/aws/mine", targetKeyID: key.keyID))
    }
    await expectStoreError("NotAuthorizedException") {
      _ = try await store.createAlias(
        CreateAliasRequest(
          aliasName: "alias/ssm-too",
          targetKeyID: "alias/aws/ssm".replacingOccurrences(
            of: "alias/aws/ssm",
            with: try await store.describeKey(DescribeKeyRequest(keyID: "alias/aws/ssm"))
              .keyMetadata.keyID)))
    }
    await expectStoreError(
      "ValidationException", message: "Aliases must refer to keys. Not aliases"
    ) {
      _ = try await store.createAlias(
        CreateAliasRequest(aliasName: "alias/other", targetKeyID: "alias/app"))
    }
    await expectStoreError("ValidationException", message: "Invalid identifier") {
      _ = try await store.createAlias(CreateAliasRequest(aliasName: "app", targetKeyID: key.keyID))
    }
    await expectStoreError("UnsupportedOperationException") {
      _ = try await store.createKey(CreateKeyRequest(keySpec: "RSA_2048"))
    }
  }

  /// A key policy the store would keep but never enforce would look like protection it is not
  /// (an explicit Deny of `kms:Decrypt` that denies nothing), so `CreateKey` refuses any
  /// `Policy`, and `BypassPolicyLockoutSafetyCheck` when true (false asks for nothing). A
  /// custom key store or an external key would put the key material where the store never
  /// does: refused too. Nothing is created.
  @Test func createKeyRefusesWhatTheStoreWouldNotHonour() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    let deny = """
      {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", \
      "Action": "kms:Decrypt", "Resource": "*"}]}
      """
    let policyRefusal =
      "Key policies are not available in the cinch store: it does not keep or enforce them, and "
      + "a policy stored but never enforced would look like protection it is not. Grant access "
      + "with identity-based policies instead (cinch iam put-user-policy)."
    for policy in [deny, "", "{}"] {
      await expectStoreError("UnsupportedOperationException", message: policyRefusal) {
        _ = try await store.createKey(CreateKeyRequest(policy: policy))
      }
    }
    await expectStoreError(
      "UnsupportedOperationException",
      message: "BypassPolicyLockoutSafetyCheck is not available in the cinch store: it keeps no "
        + "key policies, so there is no lockout check to bypass."
    ) {
      _ = try await store.createKey(CreateKeyRequest(bypassPolicyLockoutSafetyCheck: true))
    }
    let keyStoreRefusal =
      "Custom key stores are not available in the cinch store: it generates and keeps the "
      + "material of every key itself."
    for request in [
      CreateKeyRequest(customKeyStoreID: "cks-1234567890abcdef0"),
      CreateKeyRequest(xksKeyID: "external-key-1"),
    ] {
      await expectStoreError("UnsupportedOperationException", message: keyStoreRefusal) {
        _ = try await store.createKey(request)
      }
    }
    #expect(try await store.listKeys(ListKeysRequest()).keys.count == 2)
    let plain = try await store.createKey(CreateKeyRequest(bypassPolicyLockoutSafetyCheck: false))
    #expect(plain.keyMetadata.keyManager == "CUSTOMER")
  }

  /// A value outside AWS's enum is the model's `ValidationException`, every such member in one
  /// message as AWS lists them; a value AWS has but the store does not implement stays
  /// `UnsupportedOperationException`.
  @Test func createKeyChecksEnumsAsTheModelDoes() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    let usages = "[SIGN_VERIFY, ENCRYPT_DECRYPT, GENERATE_VERIFY_MAC, KEY_AGREEMENT]"
    await expectStoreError(
      "ValidationException",
      message: "1 validation error detected: Value 'BOGUS' at 'keyUsage' failed to satisfy "
        + "constraint: Member must satisfy enum value set: \(usages)"
    ) {
      _ = try await store.createKey(CreateKeyRequest(keyUsage: "BOGUS"))
    }
    let specs =
      "[RSA_2048, RSA_3072, RSA_4096, ECC_NIST_P256, ECC_NIST_P384, ECC_NIST_P521, "
      + "ECC_SECG_P256K1, SYMMETRIC_DEFAULT, HMAC_224, HMAC_256, HMAC_384, HMAC_512, SM2"
    await expectStoreError(
      "ValidationException",
      message: "2 validation errors detected: Value 'BOGUS' at 'keySpec' failed to satisfy "
        + "constraint: Member must satisfy enum value set: \(specs), ML_DSA_44, ML_DSA_65, "
        + "ML_DSA_87, ECC_NIST_EDWARDS25519]; Value 'bogus' at 'origin' failed to satisfy "
        + "constraint: Member must satisfy enum value set: [AWS_KMS, EXTERNAL, AWS_CLOUDHSM, "
        + "EXTERNAL_KEY_STORE]"
    ) {
      _ = try await store.createKey(CreateKeyRequest(keySpec: "BOGUS", origin: "bogus"))
    }
    await expectStoreError(
      "ValidationException",
      message: "1 validation error detected: Value 'BOGUS' at 'customerMasterKeySpec' failed "
        + "to satisfy constraint: Member must satisfy enum value set: \(specs)]"
    ) {
      _ = try await store.createKey(CreateKeyRequest(customerMasterKeySpec: "BOGUS"))
    }
    // Case matters: AWS's enums are exact.
    await expectStoreError("ValidationException") {
      _ = try await store.createKey(CreateKeyRequest(keyUsage: "encrypt_decrypt"))
    }
    for request in [
      CreateKeyRequest(keyUsage: "SIGN_VERIFY"), CreateKeyRequest(keySpec: "RSA_2048"),
      CreateKeyRequest(customerMasterKeySpec: "HMAC_256"), CreateKeyRequest(origin: "EXTERNAL"),
    ] {
      await expectStoreError("UnsupportedOperationException") {
        _ = try await store.createKey(request)
      }
    }
  }

  @Test func listKeysAndAliasesPage() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    for index in 0..<3 {
      let key = try await store.createKey(CreateKeyRequest()).keyMetadata
      _ = try await store.createAlias(
        CreateAliasRequest(aliasName: "alias/k\(index)", targetKeyID: key.keyID))
    }
    var keys: [String] = []
    var marker: String?
    repeat {
      let page = try await store.listKeys(ListKeysRequest(limit: 2, marker: marker))
      #expect(page.truncated == (page.nextMarker != nil))
      keys += page.keys.map(\.keyID)
      marker = page.nextMarker
    } while marker != nil
    #expect(keys.count == 5)
    #expect(keys == keys.sorted())
    let firstAliases = try await store.listAliases(ListAliasesRequest(limit: 3))
    #expect(firstAliases.truncated)
    let rest = try await store.listAliases(ListAliasesRequest(marker: firstAliases.nextMarker))
    #expect((firstAliases.aliases + rest.aliases).count == 5)
    await expectStoreError("InvalidMarkerException") {
      _ = try await store.listKeys(ListKeysRequest(marker: "bogus"))
    }
    await expectStoreError("ValidationException") {
      _ = try await store.listKeys(ListKeysRequest(limit: 0))
    }
  }
}
