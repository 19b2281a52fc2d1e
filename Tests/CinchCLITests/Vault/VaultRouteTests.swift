import CinchVault
import Foundation
import Testing
import _CinchTestSupport

@testable import CinchCLI

/// `cinch serve` mounts the Vault API with Vault's listener limit (`max_request_size`, 32 MiB
/// by default) and refuses a larger body as Vault does: 413 with a JSON `errors` body.
@Suite struct VaultRouteTests {
  @Test func theVaultAPITakesVaultsRequestSize() {
    let limit = VaultRoute.bodyLimit
    #expect(limit.bytes == 33_554_432)
    #expect(limit.refusal.status == 413)
    #expect(
      limit.refusal.headers.contains { $0.name == "Content-Type" && $0.value == "application/json" }
    )
    #expect(
      String(decoding: limit.refusal.body, as: UTF8.self)
        == #"{"errors":["http: request body too large"]}"# + "\n")
  }

  /// A token sent in the path (Vault's older `auth/token/lookup/TOKEN` form) never reaches the
  /// access log; other paths are logged as requested.
  @Test func theAccessLogNeverShowsATokenInAPath() {
    #expect(
      VaultAPI.loggablePath("/v1/auth/token/lookup/hvs.9NjQv5tDX7UavCYNd0OMNGU8")
        == "/v1/auth/token/lookup/<token>")
    #expect(
      VaultAPI.loggablePath("/v1/auth/token/revoke-orphan/s.abc/extra")
        == "/v1/auth/token/revoke-orphan/<token>")
    #expect(VaultAPI.loggablePath("/v1/auth/token/renew/x") == "/v1/auth/token/renew/<token>")
    #expect(VaultAPI.loggablePath("/v1/auth/token/lookup") == nil)
    #expect(VaultAPI.loggablePath("/v1/auth/token/lookup/") == nil)
    #expect(VaultAPI.loggablePath("/v1/auth/token/lookup-self") == nil)
    #expect(
      VaultAPI.loggablePath("/v1/auth/token/accessors/abc") == "/v1/auth/token/accessors/<token>")
    // Mistyped operations and tokens pasted elsewhere: 404, and still no token logged.
    #expect(
      VaultAPI.loggablePath("/v1/auth/token/lookup-self/hvs.X1")
        == "/v1/auth/token/lookup-self/<token>")
    #expect(VaultAPI.loggablePath("/v1/auth/token/Lookup/T") == "/v1/auth/token/Lookup/<token>")
    #expect(
      VaultAPI.loggablePath("/v1/secret/data/hvs.Q1/x") == "/v1/secret/data/<token>/x")
    #expect(VaultAPI.loggablePath("/v1/secret/data/app/x") == nil)
    #expect(VaultAPI.loggablePath("/v1/secret/data/auth/token/lookup/x") == nil)
    // Read as the route reads the path once cleaned (it redirects there).
    #expect(VaultAPI.loggablePath("/v1/auth/token//lookup/T1") == "/v1/auth/token/lookup/<token>")
    #expect(VaultAPI.loggablePath("/v1//auth/token/renew/T2") == "/v1/auth/token/renew/<token>")
    #expect(VaultAPI.loggablePath("//v1/auth/token/lookup/T3") == "/v1/auth/token/lookup/<token>")
  }
}

/// A running `cinch serve` answers a path with `.` or `..` segments, sent as it is on a raw
/// socket (URL clients resolve the dots first), with a 301 to its clean form, as Vault's Go
/// mux does, rather than serving the path the dots resolve to.
@Suite struct VaultDotSegmentTests {
  /// One request on a new connection, read to the end (`Connection: close`), off the pool.
  static func exchange(_ request: String, port: Int) async -> String {
    await withCheckedContinuation { continuation in
      Thread {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(
          descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) {
          $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
          }
        }
        guard connected == 0 else { return continuation.resume(returning: "") }
        let bytes = Array(request.utf8)
        _ = bytes.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, 0) }
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
          let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
          guard count > 0 else { break }
          received += chunk[0..<count]
        }
        continuation.resume(returning: String(decoding: received, as: UTF8.self))
      }.start()
    }
  }

  @Test func dotSegmentsAreRedirectedToTheCleanPath() async throws {
    let directory = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    #expect(try await CinchProcess.run(["init"], in: directory).status == 0)
    let token = try await CinchProcess.run(["token", "root"], in: directory).stdout
      .trimmingCharacters(in: .whitespacesAndNewlines)
    let server = try VaultServeProcess(directory: directory)
    defer { server.stop() }
    let port = try #require(server.address.split(separator: ":").last.flatMap { Int($0) })
    for (target, location) in [
      ("/v1/secret/data/zz/../k", "/v1/secret/data/k"),
      ("/v1/secret/data/./k", "/v1/secret/data/k"),
      ("/v1/secret/data/zz/../k?version=1", "/v1/secret/data/k?version=1"),
      ("/v1/secret/data/a/%2e%2e/k", "/v1/secret/data/k"),
      ("/v1//secret/data/k", "/v1/secret/data/k"),
      ("/x/../v1/secret/data/k", "/v1/secret/data/k"),
      // A path, not `//authority/path`; Vault's route answers it.
      ("//v1/secret/data/k", "/v1/secret/data/k"),
    ] {
      let reply = await Self.exchange(
        "GET \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Vault-Token: \(token)\r\n"
          + "Connection: close\r\n\r\n", port: port)
      #expect(reply.hasPrefix("HTTP/1.1 301 "), "\(target): \(reply)")
      #expect(reply.contains("\r\nLocation: \(location)\r\n"), "\(target): \(reply)")
    }
    // The clean path itself is served.
    let clean = await Self.exchange(
      "GET /v1/secret/data/k HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Vault-Token: \(token)\r\n"
        + "Connection: close\r\n\r\n", port: port)
    #expect(clean.hasPrefix("HTTP/1.1 404 "), "\(clean)")
    #expect(clean.hasSuffix("{\"errors\":[]}\n"), "\(clean)")
  }
}
