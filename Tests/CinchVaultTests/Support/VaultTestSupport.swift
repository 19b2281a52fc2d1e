import CinchJSON
import CinchStore
import Foundation
import Testing

@testable import CinchVault

/// A fresh store in a temporary directory and the Vault API over it.
final class VaultFixture: Sendable {
  let directory: String
  let store: SQLiteStore
  let api: VaultAPI

  var storePath: String { directory + "/store.db" }

  init(clockOffset: TimeInterval = 0) async throws {
    directory =
      FileManager.default.temporaryDirectory.path + "/cinch-vault-tests-"
      + UUID().uuidString
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    store = try await SQLiteStore.create(
      at: directory + "/store.db", master: .newKeyFile(path: directory + "/master.key"))
    api = VaultAPI(store: store)
  }

  private init(directory: String, store: SQLiteStore) {
    self.directory = directory
    self.store = store
    self.api = VaultAPI(store: store)
  }

  /// The same store with its clock moved forward (the directory stays owned by `self`).
  func later(by seconds: TimeInterval) -> VaultAPI {
    VaultAPI(store: store.withClock(offset: seconds))
  }

  deinit {
    try? FileManager.default.removeItem(atPath: directory)
  }

  /// Sends a request as the command line does (root authority).
  @discardableResult
  func call(
    _ method: String, _ path: String, _ body: String? = nil, headers: [String: String] = [:],
    api: VaultAPI? = nil
  ) async -> Reply {
    var headers = headers
    if method == "PATCH", headers["Content-Type"] == nil {
      headers["Content-Type"] = "application/merge-patch+json"
    }
    let response = await (api ?? self.api).handleLocal(
      VaultHTTPRequest(
        method: method, target: "/v1/" + path, headers: headers,
        body: Array((body ?? "").utf8)))
    return Reply(response)
  }

  /// Sends a request over "HTTP" with a token.
  @discardableResult
  func http(
    _ method: String, _ path: String, _ body: String? = nil, token: String?,
    headers extra: [String: String] = [:], remoteAddress: String? = nil, api: VaultAPI? = nil
  ) async -> Reply {
    var headers = extra
    if let token { headers["X-Vault-Token"] = token }
    if method == "PATCH" { headers["Content-Type"] = "application/merge-patch+json" }
    return Reply(
      await (api ?? self.api).handle(
        VaultHTTPRequest(
          method: method, target: "/v1/" + path, headers: headers, body: Array((body ?? "").utf8),
          remoteAddress: remoteAddress)
      ))
  }
}

/// A reply with its body parsed.
struct Reply {
  let status: Int
  let text: String
  let json: JSONValue?
  let headers: [(String, String)]

  init(_ response: VaultHTTPResponse) {
    status = response.status
    text = response.bodyText
    json = text.isEmpty ? nil : try? JSONValueParser.parse(text)
    headers = response.headers
  }

  var data: JSONValue? { json?["data"] }
  var errors: [String]? { json?["errors"]?.arrayValue?.compactMap(\.stringValue) }

  func at(_ keys: String...) -> JSONValue? {
    var value = json
    for key in keys { value = value?[key] }
    return value
  }
}
