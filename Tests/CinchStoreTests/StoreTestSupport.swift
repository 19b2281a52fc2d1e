import Foundation
import GRDB
import Testing

@testable import CinchStore

/// A temporary directory removed when the test ends.
final class TemporaryDirectory: Sendable {
  let path: String

  init() throws {
    let base = FileManager.default.temporaryDirectory.path
    path = base + "/cinch-store-tests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  deinit {
    try? FileManager.default.removeItem(atPath: path)
  }

  func file(_ name: String) -> String { path + "/" + name }
}

/// A cheap scrypt cost so passphrase tests take milliseconds; production uses `.interactive`.
let testScryptCost = Crypto.ScryptCost(n: 1 << 10, r: 8, p: 1)

/// A fresh store with a key file in a temporary directory.
struct StoreFixture {
  let directory: TemporaryDirectory
  let store: SQLiteStore
  var storePath: String { directory.file("store.db") }
  var keyPath: String { directory.file("master.key") }

  static func make(configuration: StoreConfiguration = .init()) async throws -> StoreFixture {
    let directory = try TemporaryDirectory()
    let store = try await SQLiteStore.create(
      at: directory.file("store.db"), master: .newKeyFile(path: directory.file("master.key")),
      configuration: configuration)
    return StoreFixture(directory: directory, store: store)
  }

  /// Another connection to the same file, as a second process would open it.
  func reopen(configuration: StoreConfiguration = .init()) async throws -> SQLiteStore {
    try await SQLiteStore.open(
      at: storePath, master: .keyFile(path: keyPath), configuration: configuration)
  }
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

extension SQLiteStore {
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

extension StoreFixture {
  /// A direct connection to the store file, for tests that play the attacker.
  func rawDatabase() throws -> DatabaseQueue {
    try DatabaseQueue(path: storePath)
  }
}

/// All bytes of the store's files (database, WAL, shared memory).
func storeFileBytes(_ path: String) -> [UInt8] {
  ["", "-wal", "-shm"].flatMap { suffix in
    (FileManager.default.contents(atPath: path + suffix)).map(Array.init) ?? []
  }
}

extension Array where Element == UInt8 {
  func contains(bytes needle: [UInt8]) -> Bool {
    guard !needle.isEmpty, needle.count <= count else { return false }
    let first = needle[0]
    var index = 0
    while index <= count - needle.count {
      if self[index] == first && Array(self[index..<(index + needle.count)]) == needle {
        return true
      }
      index += 1
    }
    return false
  }
}
