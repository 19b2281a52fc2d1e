import CinchCompiler
import CinchStore
import CinchTemplate
import Testing

/// `recordedKeys(for:)` asks the catalog once for all of a generation's entries; its answers
/// must be the per-query answers, in order, for every case a query can be in.
@Suite struct BatchedKeySourceTests {
  @Test func parameterAnswersMatchOneAtATime() async throws {
    let fixture = try await CompilerFixture()
    _ = try await fixture.put("/myapp/prod/db-host", "db.example.com")
    _ = try await fixture.put("/myapp/prod/dbpassword", "one", type: .secureString)
    _ = try await fixture.put("/myapp/prod/dbpassword", "two", type: .secureString)
    _ = try await fixture.put("docker_username", "me", type: .stringList)
    let source = ParameterKeySource(catalog: fixture.store, store: fixture.store)
    func query(_ name: String, _ version: Int? = nil) -> EncryptionKeyQuery {
      EncryptionKeyQuery(entry: StoreEntry(kind: .parameter, name: name), version: version)
    }
    let queries = [
      query("/myapp/prod/dbpassword"), query("/myapp/prod/db-host"),
      query("/myapp/prod/dbpassword", 1), query("/myapp/prod/dbpassword", 9),
      query("/missing/parameter"), query("docker_username"), query("/myapp/prod/dbpassword", 2),
      query("/missing/parameter", 3),
    ]
    var single: [RecordedKey] = []
    for query in queries { single.append(try await source.recordedKey(for: query)) }
    let batched = try await source.recordedKeys(for: queries)
    #expect(batched == single)
    #expect(single.contains(.notFound) && single.contains(.unencrypted))
    #expect(single.contains(.keyID("alias/aws/ssm")))
  }

  @Test func secretAnswersMatchOneAtATime() async throws {
    let fixture = try await CompilerFixture()
    let key = try await fixture.store.createKey(CreateKeyRequest(description: "db")).keyMetadata
    let first = try await fixture.createSecret("MyDatabaseSecret", "pw", kmsKeyID: key.keyID)
    _ = try await fixture.putSecret("MyDatabaseSecret", "pw2")
    _ = try await fixture.createSecret("prod/MyApp/DBSecret", #"{"password":"pw"}"#)
    let source = SecretKeySource(catalog: fixture.store)
    func query(_ name: String, stage: String? = nil, id: String? = nil) -> EncryptionKeyQuery {
      EncryptionKeyQuery(
        entry: StoreEntry(kind: .secret, name: name), versionStage: stage, versionID: id)
    }
    let queries = [
      query("MyDatabaseSecret"), query("MyDatabaseSecret", stage: "AWSPREVIOUS"),
      query("prod/MyApp/DBSecret", stage: "AWSPREVIOUS"), query("MyDatabaseSecret", id: first),
      query("MyDatabaseSecret", id: "EXAMPLE1-90ab-cdef-fedc-ba987EXAMPLE"),
      query("docker_username"), query("prod/MyApp/DBSecret"),
    ]
    var single: [RecordedKey] = []
    for query in queries { single.append(try await source.recordedKey(for: query)) }
    let batched = try await source.recordedKeys(for: queries)
    #expect(batched == single)
    #expect(single.contains(.notFound) && single.contains(.keyID(key.keyID)))
    #expect(single.contains(.keyID("alias/aws/secretsmanager")))
  }
}
