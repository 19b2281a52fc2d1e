import CinchAWS
import CinchStore
import Foundation
import Testing
import _CinchTestSupport

/// The backends the suite runs against.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
  /// The embedded SQLite store.
  case embedded
  /// The AWS backend against `moto_server` on loopback.
  case moto

  var testDescription: String { rawValue }

  /// A fresh, empty store of this kind. On moto each store is a new account, so stores never
  /// see each other's data.
  func makeStore(caller: String? = nil) async throws -> StoreUnderTest {
    let account = await MotoServer.shared.freshAccount()
    switch self {
    case .embedded:
      let directory = try TemporaryDirectory()
      let store = try await SQLiteStore.create(
        at: directory.file("store.db"), master: .newKeyFile(path: directory.file("master.key")),
        configuration: StoreConfiguration(accountID: account, caller: caller))
      return StoreUnderTest(backend: self, store: store, accountID: account, keepAlive: directory)
    case .moto:
      let endpoint = try await MotoServer.shared.start()
      let credentials = AWSCredentials(
        accessKeyID: "testing", secretAccessKey: SecretBytes(utf8: "testing"), source: "tests")
      let store = try AWSStore.connect(
        AWSStoreOptions(
          storeRegion: "us-east-1", endpointURL: endpoint.absoluteString,
          environment: [:], homeDirectory: "/nonexistent", transport: CurlTransport(),
          extraHeaders: [("x-moto-account-id", account)],
          credentialProvider: StaticCredentials(credentials)))
      return StoreUnderTest(backend: self, store: store, accountID: account, keepAlive: nil)
    }
  }
}

typealias TestedStore = ParameterStore & ParameterCatalog & ParameterResolver & SecretStore
  & SecretCatalog & SecretResolver

/// A store of one backend, with the account its ARNs name.
struct StoreUnderTest: Sendable {
  let backend: Backend
  let store: any TestedStore
  let accountID: String
  /// Whatever must live as long as the store (its temporary directory).
  let keepAlive: (any Sendable)?

  /// The ARN of a secret without its random suffix (a partial ARN).
  func secretARNPrefix(_ name: String) -> String {
    "arn:aws:secretsmanager:us-east-1:\(accountID):secret:\(name)"
  }

  func arn(_ name: String) -> String {
    "arn:aws:ssm:us-east-1:\(accountID):parameter/"
      + (name.hasPrefix("/") ? String(name.dropFirst()) : name)
  }
}

/// A temporary directory removed when the last reference goes.
final class TemporaryDirectory: Sendable {
  let path: String

  init() throws {
    path = FileManager.default.temporaryDirectory.path + "/cinch-conformance-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }

  func file(_ name: String) -> String { path + "/" + name }
}

/// Expects `body` to throw a `StoreError` with `code` (and `message`, when given).
func expectStoreError(
  _ code: String, message: String? = nil, sourceLocation: SourceLocation = #_sourceLocation,
  _ body: () async throws -> Void
) async {
  do {
    try await body()
    Issue.record("expected \(code), nothing was thrown", sourceLocation: sourceLocation)
  } catch let error as StoreError {
    #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
    if let message {
      #expect(error.message == message, sourceLocation: sourceLocation)
    }
  } catch {
    Issue.record("expected \(code), got \(error)", sourceLocation: sourceLocation)
  }
}

extension ParameterStore {
  @discardableResult
  func put(
    _ name: String, _ value: String, type: ParameterType = .string, overwrite: Bool = true,
    tier: ParameterTier? = nil, keyID: String? = nil
  ) async throws -> PutParameterResponse {
    try await putParameter(
      PutParameterRequest(
        name: name, value: value, type: type, keyID: keyID, overwrite: overwrite, tier: tier))
  }

  func get(_ name: String, decrypt: Bool = true) async throws -> Parameter {
    try await getParameter(GetParameterRequest(name: name, withDecryption: decrypt)).parameter
  }
}
