import CinchStore
import Foundation
import Testing

@testable import CinchAWS

/// The resolver's calls: `GetParameters` ten names at a time, never two references to one
/// parameter in a call, and `GetParameter` only for what a batch could not answer.
@Suite struct ResolverBatchingTests {
  /// A fake Parameter Store that knows `/p0` … `/p99` at version 1.
  static func transport() -> FakeTransport {
    FakeTransport(fallback: { request in
      let target = request.header("X-Amz-Target") ?? ""
      let body = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any]
      func parameter(_ name: String) -> String {
        #"{"Name":"\#(name)","Type":"String","Value":"v-\#(name)","Version":1,"LastModifiedDate":1.5,"ARN":"arn:aws:ssm:us-east-1:1:parameter\#(name)","DataType":"text"}"#
      }
      func known(_ name: String) -> Bool {
        name.hasPrefix("/p") && Int(name.dropFirst(2)).map { (0..<100).contains($0) } == true
      }
      switch target {
      case "AmazonSSM.GetParameters":
        let names = body?["Names"] as? [String] ?? []
        let found = names.filter(known).map(parameter)
        let invalid = names.filter { !known($0) }.map { "\"\($0)\"" }
        return FakeTransport.json(
          200,
          #"{"Parameters":[\#(found.joined(separator: ","))],"InvalidParameters":[\#(invalid.joined(separator: ","))]}"#
        )
      case "AmazonSSM.GetParameter":
        return FakeTransport.json(400, #"{"__type":"ParameterNotFound","message":""}"#)
      default:
        return FakeTransport.json(400, #"{"__type":"UnknownOperationException"}"#)
      }
    })
  }

  static func store(_ transport: FakeTransport) throws -> AWSStore {
    try AWSStore.connect(
      AWSStoreOptions(
        storeRegion: "us-east-1", environment: [:], homeDirectory: "/nonexistent",
        transport: transport,
        credentialProvider: StaticCredentials(
          AWSCredentials(accessKeyID: "K", secretAccessKey: SecretBytes(utf8: "s"), source: "tests")
        )))
  }

  @Test func batchesByTenAndAsksAloneOnlyForFailures() async throws {
    let transport = Self.transport()
    let references = (0..<25).map { "/p\($0)" } + ["/missing"]
    let results = try await Self.store(transport).resolveParameters(references)
    let targets = transport.sent.compactMap { $0.header("X-Amz-Target") }
    #expect(targets.filter { $0 == "AmazonSSM.GetParameters" }.count == 3)
    #expect(targets.filter { $0 == "AmazonSSM.GetParameter" }.count == 1)
    for request in transport.sent where request.header("X-Amz-Target") == "AmazonSSM.GetParameters"
    {
      #expect(request.bodyText.contains(#""WithDecryption":true"#))
    }
    #expect(results.count == 26)
    if case .failed(let reference, let error) = results.last {
      #expect(reference == "/missing")
      #expect(error.code == "ParameterNotFound")
    } else {
      Issue.record("'/missing' resolved")
    }
  }

  /// A SecureString's KMS key (which GetParameters does not report) comes from
  /// DescribeParameters; a role refused that call (it is authorized on "*" only) gets it from
  /// the parameter's history, and a refusal of that names the call.
  @Test func aSecureStringsKeyComesFromItsHistoryWhenDescribeIsRefused() async throws {
    let denied = #"{"__type":"AccessDeniedException","message":"not authorized"}"#
    let secure =
      #"{"Name":"/s","Type":"SecureString","Value":"x","Version":2,"LastModifiedDate":1.5,"#
      + #""ARN":"arn:aws:ssm:us-east-1:1:parameter/s","DataType":"text"}"#
    func transport(history: Bool) -> FakeTransport {
      FakeTransport(fallback: { request in
        switch request.header("X-Amz-Target") ?? "" {
        case "AmazonSSM.GetParameters":
          return FakeTransport.json(200, #"{"Parameters":[\#(secure)],"InvalidParameters":[]}"#)
        case "AmazonSSM.GetParameterHistory" where history:
          return FakeTransport.json(
            200,
            #"{"Parameters":[{"Name":"/s","Type":"SecureString","KeyId":"alias/app","#
              + #""Value":"x","Version":2,"LastModifiedDate":1.5}]}"#)
        default:
          return FakeTransport.json(400, denied)
        }
      })
    }
    let results = try await Self.store(transport(history: true)).resolveParameters(["/s"])
    guard case .resolved(let parameter)? = results.first else {
      Issue.record("'/s' did not resolve: \(results)")
      return
    }
    #expect(parameter.keyID == "alias/app")
    do {
      _ = try await Self.store(transport(history: false)).resolveParameters(["/s"])
      Issue.record("the refused history went unsaid")
    } catch let error as StoreError {
      #expect(error.code == "AccessDeniedException")
      #expect(
        error.message
          == "when calling GetParameterHistory of '/s', to learn the KMS key of the SecureString "
          + "parameters read: not authorized")
    }
  }

  @Test func referencesToOneParameterGoToDifferentBatches() {
    let batches = AWSStore.batches(
      ["/a", "/a:1", "a", "/b", "/a:prod"] + (0..<12).map { "/c\($0)" })
    #expect(batches.allSatisfy { $0.count <= 10 })
    for batch in batches {
      let keys = batch.map { ParameterReference($0).key }
      #expect(Set(keys).count == keys.count)
    }
    #expect(batches.flatMap { $0 }.count == 17)
    #expect(ParameterReference("arn:aws:ssm:us-east-1:1:parameter/a/b:3").key == "a/b")
    #expect(ParameterReference("arn:aws:ssm:us-east-1:1:parameter/a/b:3").selector == "3")
    #expect(ParameterReference("/a/b:prod").base == "/a/b")
  }
}

/// A sync whose target stops answering stops there, and says what it did until then: the
/// entry it was copying is failed and said maybe partly written, the rest is not tried.
@Suite struct SyncStopTests {
  @Test func aTargetThatStopsAnsweringStopsTheSyncWithItsReport() async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "cinch-sync-stop-" + UUID().uuidString)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let source = try await SQLiteStore.create(
      at: directory.path + "/store.db", master: .newKeyFile(path: directory.path + "/master.key"))
    for name in ["/a/one", "/a/two"] {
      _ = try await source.putParameter(PutParameterRequest(name: name, value: "v", type: .string))
    }
    let down = FakeTransport(fallback: { _ in .failure(HTTPTransportError(reason: "refused")) })
    let store = try AWSStore.connect(
      AWSStoreOptions(
        storeRegion: "us-east-1", environment: [:], homeDirectory: "/nonexistent",
        transport: down,
        credentialProvider: StaticCredentials(
          AWSCredentials(accessKeyID: "K", secretAccessKey: SecretBytes(utf8: "s"), source: "tests")
        ),
        retry: AWSRetryPolicy(maxAttempts: 1)))
    let report = try await StoreSync(options: .init()).syncParameters(from: source, to: store)
    #expect(report.stoppedBy != nil)
    #expect(report.entries.map(\.name) == ["/a/one"])
    guard case .failed(let error, _)? = report.entries.first?.outcome else {
      Issue.record("the entry being copied is not failed: \(report.entries)")
      return
    }
    #expect(error.code == "SyncStopped")
    #expect(error.message.contains("run the same sync again to finish it"))
    // A dry run wrote nothing: no advice to overwrite what it did not write.
    let dry = try await StoreSync(options: .init(dryRun: true)).syncParameters(
      from: source, to: store)
    guard case .failed(let planned, _)? = dry.entries.first?.outcome else {
      Issue.record("the entry being planned is not failed: \(dry.entries)")
      return
    }
    #expect(planned.message.hasSuffix("nothing was written"), "\(planned.message)")
  }
}
