import CinchCompiler
import CinchStore
import CinchTemplate
import Testing

/// A secret's KMS key from the store's metadata (`SecretCatalog`): the key the policy
/// generator classifies as customer-managed (`kms:Decrypt` needed) or AWS-managed.
@Suite struct SecretKeySourceTests {
  private func query(_ name: String, stage: String? = nil, id: String? = nil) -> EncryptionKeyQuery
  {
    EncryptionKeyQuery(
      entry: StoreEntry(kind: .secret, name: name), versionStage: stage, versionID: id)
  }

  @Test func theSecretsKeyForEachVersionItExists() async throws {
    let fixture = try await CompilerFixture()
    let key = try await fixture.store.createKey(CreateKeyRequest(description: "db")).keyMetadata
    _ = try await fixture.store.createAlias(
      CreateAliasRequest(aliasName: "alias/database", targetKeyID: key.keyID))
    let first = try await fixture.createSecret("MyDatabaseSecret", "pw", kmsKeyID: "alias/database")
    try await fixture.createSecret("prod/MyApp/DBSecret", #"{"password":"pw"}"#)
    let source = SecretKeySource(catalog: fixture.store)

    #expect(
      try await source.recordedKey(for: query("MyDatabaseSecret")) == .keyID("alias/database"))
    #expect(
      try await source.recordedKey(for: query("MyDatabaseSecret", id: first))
        == .keyID("alias/database"))
    #expect(
      try await source.recordedKey(for: query("prod/MyApp/DBSecret"))
        == .keyID("alias/aws/secretsmanager"))
    #expect(try await source.recordedKey(for: query("docker_username")) == .notFound)
    #expect(
      try await source.recordedKey(
        for: query("MyDatabaseSecret", id: "EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE"))
        == .versionNotFound)
    #expect(
      try await source.recordedKey(for: query("MyDatabaseSecret", stage: "AWSPREVIOUS"))
        == .versionNotFound)
    try await fixture.putSecret("MyDatabaseSecret", "pw2")
    #expect(
      try await source.recordedKey(for: query("MyDatabaseSecret", stage: "AWSPREVIOUS"))
        == .keyID("alias/database"))

    let target = PolicyTarget(region: "us-east-1", accountID: "123456789012")
    let keys = try await EncryptionKeyResolver(
      sources: [source], keys: fixture.store, target: target
    )
    .resolve(
      EncryptionKeyQueries(entries: [query("MyDatabaseSecret"), query("prod/MyApp/DBSecret")]))
    guard case .key(let customer) = keys.state(of: query("MyDatabaseSecret")),
      case .key(let managed) = keys.state(of: query("prod/MyApp/DBSecret"))
    else {
      Issue.record("expected both keys: \(keys.entries)")
      return
    }
    #expect(customer.isCustomerManaged)
    #expect(customer.arn == "arn:aws:kms:us-east-1:123456789012:key/\(key.keyID)")
    #expect(!managed.isCustomerManaged)
  }

  /// `UpdateSecret` with a new `KmsKeyId` re-encrypts only the labelled versions; an older
  /// version keeps the key it was written under, and reading it needs that key
  /// (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_UpdateSecret.html).
  @Test func aVersionKeepsTheKeyItWasWrittenUnder() async throws {
    let fixture = try await CompilerFixture()
    for alias in ["alias/old", "alias/new"] {
      let key = try await fixture.store.createKey(CreateKeyRequest()).keyMetadata
      _ = try await fixture.store.createAlias(
        CreateAliasRequest(aliasName: alias, targetKeyID: key.keyID))
    }
    let first = try await fixture.createSecret("app/db", "v1", kmsKeyID: "alias/old")
    _ = try await fixture.putSecret("app/db", "v2")
    let third = try await fixture.putSecret("app/db", "v3")
    // `first` has no label now: it stays under alias/old.
    _ = try await fixture.store.updateSecret(
      UpdateSecretRequest(secretID: "app/db", kmsKeyID: "alias/new"))
    let source = SecretKeySource(catalog: fixture.store)
    #expect(try await source.recordedKey(for: query("app/db", id: first)) == .keyID("alias/old"))
    #expect(try await source.recordedKey(for: query("app/db", id: third)) == .keyID("alias/new"))
    #expect(try await source.recordedKey(for: query("app/db")) == .keyID("alias/new"))

    // The lock records the pinned version's own key.
    let (index, _) = fixture.analyze(
      """
      Resources:
        Db:
          Type: AWS::RDS::DBInstance
          Properties:
            MasterUserPassword: '{{resolve:secretsmanager:app/db:SecretString:::\(first)}}'
      """)
    var diagnostics = Diagnostics()
    let outcome = try await Locker(resolver: fixture.resolver, paths: fixture.paths).lock(
      index, previous: nil, update: .none, into: &diagnostics)
    #expect(outcome.lock.entries.map(\.pin.keyID) == ["alias/old"])
  }
}
