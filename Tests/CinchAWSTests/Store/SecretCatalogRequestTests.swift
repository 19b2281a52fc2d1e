import CinchStore
import Foundation
import Synchronization
import Testing
import _CinchTestSupport

@testable import CinchAWS

/// What the Secrets Manager catalog and resolver send to a real server (moto): the catalog
/// reads metadata only, the resolver batches AWSCURRENT reads twenty at a time.
@Suite struct SecretCatalogRequestTests {
  /// The real transport, noting each request's `X-Amz-Target` and body.
  final class RecordingTransport: HTTPTransport {
    let inner = CurlTransport()
    private let log = Mutex<[(target: String, body: String)]>([])

    var targets: [String] { log.withLock { $0.map(\.target) } }
    var bodies: [String] { log.withLock { $0.map(\.body) } }
    func reset() { log.withLock { $0.removeAll() } }

    func send(_ request: HTTPRequest) async throws(HTTPTransportError) -> HTTPResponse {
      log.withLock {
        $0.append(
          (
            request.headers.first { $0.name.lowercased() == "x-amz-target" }?.value ?? "",
            String(decoding: request.body, as: UTF8.self)
          ))
      }
      return try await inner.send(request)
    }
  }

  static func store(_ transport: RecordingTransport, batchSize: String? = nil) async throws
    -> AWSStore
  {
    let endpoint = try await MotoServer.shared.start()
    let account = await MotoServer.shared.freshAccount()
    return try AWSStore.connect(
      AWSStoreOptions(
        storeRegion: "us-east-1", endpointURL: endpoint.absoluteString,
        environment: batchSize.map { ["CINCH_AWS_BATCH_SIZE": $0] } ?? [:],
        homeDirectory: "/nonexistent", transport: transport,
        extraHeaders: [("x-moto-account-id", account)],
        credentialProvider: StaticCredentials(
          AWSCredentials(
            accessKeyID: "testing", secretAccessKey: SecretBytes(utf8: "testing"),
            source: "tests"))))
  }

  @Test func theCatalogNeverReadsAValue() async throws {
    let transport = RecordingTransport()
    let store = try await Self.store(transport)
    _ = try await store.createSecret(
      CreateSecretRequest(name: "cat/db", secretString: #"{"password":"canary-7f3a"}"#))
    _ = try await store.putSecretValue(
      PutSecretValueRequest(secretID: "cat/db", secretString: #"{"password":"canary-8b4c"}"#))
    transport.reset()
    let list = try await store.secretVersions("cat/db")
    #expect(list.versions.count == 2)
    #expect(list.version(staged: "AWSCURRENT") != nil)
    #expect(list.versions.allSatisfy { $0.valueType == nil && $0.jsonKeys == nil })
    #expect(
      transport.targets == [
        "secretsmanager.DescribeSecret", "secretsmanager.ListSecretVersionIds",
      ])
    #expect(!transport.targets.contains { $0.hasSuffix("GetSecretValue") })
  }

  @Test func theResolverBatchesCurrentValuesAndAsksAloneForTheRest() async throws {
    let transport = RecordingTransport()
    let store = try await Self.store(transport)
    for index in 0..<25 {
      _ = try await store.createSecret(
        CreateSecretRequest(name: "batch/\(index)", secretString: "v\(index)"))
    }
    transport.reset()
    let selectors =
      (0..<25).map { SecretSelector(secretID: "batch/\($0)") } + [
        SecretSelector(secretID: "batch/missing"),
        SecretSelector(secretID: "batch/0", versionStage: "AWSCURRENT"),
        SecretSelector(secretID: "batch/1", versionStage: "AWSPREVIOUS"),
      ]
    let results = try await store.resolveSecrets(selectors)
    let targets = transport.targets
    // 26 ids to read at AWSCURRENT: two batches; then the missing one and the AWSPREVIOUS
    // reference alone.
    #expect(targets.filter { $0 == "secretsmanager.BatchGetSecretValue" }.count == 2)
    #expect(targets.filter { $0 == "secretsmanager.GetSecretValue" }.count == 2)
    for (index, result) in results.prefix(25).enumerated() {
      guard case .resolved(let secret) = result else {
        Issue.record("batch/\(index) did not resolve")
        continue
      }
      #expect(secret.value.utf8String() == "v\(index)")
    }
    guard case .failed(_, let missing) = results[25] else {
      Issue.record("batch/missing resolved")
      return
    }
    #expect(missing.code == "ResourceNotFoundException")
    guard case .resolved(let staged) = results[26] else {
      Issue.record("batch/0 at AWSCURRENT did not resolve")
      return
    }
    #expect(staged.selector == selectors[26])
    #expect(staged.value.utf8String() == "v0")
    guard case .failed(_, let previous) = results[27] else {
      Issue.record("batch/1 has no AWSPREVIOUS, yet it resolved")
      return
    }
    #expect(previous.code == "ResourceNotFoundException")
  }

  /// `lock` reads each secret at the version id the metadata gave: the current ones come from
  /// the batch (their ids checked against what it returned), an older one alone.
  @Test func versionIDsOfCurrentVersionsAreReadInTheBatch() async throws {
    let transport = RecordingTransport()
    let store = try await Self.store(transport)
    var ids: [String] = []
    for index in 0..<3 {
      let created = try await store.createSecret(
        CreateSecretRequest(name: "pinned/\(index)", secretString: "v\(index)"))
      ids.append(try #require(created.versionID))
    }
    _ = try await store.putSecretValue(
      PutSecretValueRequest(secretID: "pinned/2", secretString: "v2-next"))
    transport.reset()
    let selectors = (0..<3).map { SecretSelector(secretID: "pinned/\($0)", versionID: ids[$0]) }
    let results = try await store.resolveSecrets(selectors)
    #expect(
      transport.targets == [
        "secretsmanager.BatchGetSecretValue", "secretsmanager.GetSecretValue",
      ])
    let values = results.map { result -> String? in
      guard case .resolved(let secret) = result else { return nil }
      return secret.value.utf8String()
    }
    #expect(values == ["v0", "v1", "v2"])
    for (result, selector) in zip(results, selectors) {
      guard case .resolved(let secret) = result else { continue }
      #expect(secret.selector == selector)
      #expect(secret.versionID == selector.versionID)
    }
  }

  @Test func aBatchSizeOfOneAsksForEachSecretAlone() async throws {
    let transport = RecordingTransport()
    let store = try await Self.store(transport, batchSize: "1")
    for index in 0..<3 {
      _ = try await store.createSecret(
        CreateSecretRequest(name: "one/\(index)", secretString: "v\(index)"))
    }
    transport.reset()
    _ = try await store.resolveSecrets((0..<3).map { SecretSelector(secretID: "one/\($0)") })
    #expect(transport.targets == Array(repeating: "secretsmanager.GetSecretValue", count: 3))
  }

  @Test func aValueCreatingCallWithoutATokenGetsAUUID() async throws {
    let transport = RecordingTransport()
    let store = try await Self.store(transport)
    let created = try await store.createSecret(CreateSecretRequest(name: "tok", secretString: "v"))
    #expect(created.versionID?.count == 36)
    #expect(transport.bodies.last?.contains(#""ClientRequestToken":""#) == true)
  }

  @Test func localRotatorsAreRefusedBeforeAnythingIsSent() async throws {
    let transport = RecordingTransport()
    let store = try await Self.store(transport)
    await #expect(throws: AWSClientError.self) {
      _ = try await store.rotateSecret(
        RotateSecretRequest(secretID: "x", passwordPolicy: PasswordPolicy(passwordLength: 20)))
    }
    #expect(transport.targets.isEmpty)
  }

  @Test func rotateSecretSendsAWSsMembersOnly() async throws {
    let transport = RecordingTransport()
    let store = try await Self.store(transport)
    _ = try await store.createSecret(CreateSecretRequest(name: "rot", secretString: "v"))
    transport.reset()
    // moto looks the function up and has none: the answer is an error, the request is what
    // matters here.
    _ = try? await store.rotateSecret(
      RotateSecretRequest(
        secretID: "rot", clientRequestToken: tokenD,
        rotationLambdaARN: "arn:aws:lambda:us-east-1:123456789012:function:rotator",
        rotationRules: RotationRules(scheduleExpression: "rate(10 days)"),
        rotateImmediately: false))
    #expect(transport.targets == ["secretsmanager.RotateSecret"])
    let body = try #require(transport.bodies.first)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
    #expect(
      Set(object.keys) == [
        "SecretId", "ClientRequestToken", "RotationLambdaARN", "RotationRules",
        "RotateImmediately",
      ])
    #expect(object["RotateImmediately"] as? Bool == false)
    #expect(
      (object["RotationRules"] as? [String: Any])?["ScheduleExpression"] as? String
        == "rate(10 days)")
  }
}

private let tokenD = "dddddddd-dddd-4ddd-8ddd-dddddddddddd"

/// The parameter catalog on a real server (moto): the ARNs of many parameters come from one
/// `DescribeParameters` per fifty names, not one call per reference.
@Suite struct ParameterCatalogRequestTests {
  @Test func manyParametersTakeOneDescribeCallPerFifty() async throws {
    let transport = SecretCatalogRequestTests.RecordingTransport()
    let store = try await SecretCatalogRequestTests.store(transport)
    var names: [String] = []
    for index in 0..<60 {
      let name = "/catalog/p\(index)"
      _ = try await store.putParameter(PutParameterRequest(name: name, value: "v", type: .string))
      names.append(name)
    }
    _ = try await store.putParameter(
      PutParameterRequest(name: "/catalog/p0", value: "w", overwrite: true))
    transport.reset()
    let answers = try await store.parameterVersions(of: names + ["/catalog/missing"])
    // Two calls of fifty names; moto answers ten a page whatever MaxResults says, so those
    // two are read in seven pages (one call per parameter was 61).
    #expect(transport.targets.filter { $0 == "AmazonSSM.DescribeParameters" }.count <= 8)
    #expect(transport.targets.filter { $0 == "AmazonSSM.GetParameterHistory" }.count == 61)
    #expect(answers.count == 61)
    let first = try answers[0].get()
    #expect(first.versions.map(\.version) == [1, 2])
    #expect(answers.dropFirst().dropLast().allSatisfy { (try? $0.get().versions.count) == 1 })
    guard case .failure(let error)? = answers.last else {
      Issue.record("the missing parameter was found")
      return
    }
    #expect(error.code == "ParameterNotFound")
  }
}
