import CinchStore
import Foundation
import Testing
import _CinchTestSupport

@testable import CinchServer

#if canImport(Glibc)
  import Glibc
#endif

/// `cinch serve` stopping while another process holds the store's write lock: a request
/// waiting for it, and the lease sweep, hold the exit no longer than the drain timeout; the
/// request gets the busy answer (retryable, no path in it), never a 500 from a store closed
/// under it.
@Suite(.serialized) struct ServeShutdownTests {
  /// Before 2026-12-08 the request was answered after ~33 s (its own busy timeout, then the
  /// closed store), 500 `store '…/store.db': database error: out of memory`, and the server
  /// exited only then, whatever `--drain-timeout` said; with no request in flight, a lease
  /// sweep waiting for the lock held the exit ~29 s the same way.
  @Test(arguments: [true, false])
  func aStopUnderAHeldLockEndsWithinTheDrainTimeout(requestInFlight: Bool) async throws {
    let server = try await ServeProcess(arguments: [
      "--drain-timeout", "2", "--lease-interval", "0.2",
    ])
    defer { server.stop() }
    let storePath = server.directory.path + "/store.db"
    let holder = try await offThePool { try WriteLockHolder(storePath: storePath) }
    defer { holder.release() }
    // The sweep meets the held lock within its interval, and waits.
    try await Task.sleep(for: .milliseconds(500))

    var client: CinchHTTPServerTests.Client?
    if requestInFlight {
      let port = try #require(UInt16(server.endpoint.split(separator: ":").last ?? ""))
      let key = AccessKey(
        userName: nil, accessKeyID: server.root.id, status: .active,
        secretAccessKey: server.root.secret, createDate: Date())
      let request = ServerRequest.signed(
        "AmazonSSM.PutParameter", #"{"Name":"/app/drain","Value":"v","Type":"String"}"#,
        key: key)
      var wire = "POST / HTTP/1.1\r\n"
      for (name, value) in request.headers { wire += "\(name): \(value)\r\n" }
      wire += "Content-Length: \(request.body.count)\r\n\r\n"
      wire += String(decoding: request.body, as: UTF8.self)
      let connection = try CinchHTTPServerTests.Client(port: port)
      connection.send(wire)
      client = connection
      try await Task.sleep(for: .milliseconds(500))
    }
    kill(server.process.processIdentifier, SIGTERM)
    if let client {
      let answer = try #require(await client.response(), "no answer: \(server.stderrText)")
      #expect(answer.status == 400, "\(answer)")
      #expect(answer.headers["x-amzn-errortype"] == "TooManyUpdates", "\(answer)")
      #expect(answer.body.contains(StoreError.busyMessage), "\(answer.body)")
      #expect(!answer.body.contains(server.directory.path), "\(answer.body)")
      #expect(answer.headers["connection"] == "close")
    }
    // The drain timeout (2 s), the answers' second, and room for a loaded machine: the busy
    // timeout is 30 s. (A bound from when the wait starts, not from the signal: the test's task
    // may resume late on a loaded machine, which only makes the bound looser.)
    let status = try await offThePool { server.waitForExit(seconds: 15) }
    #expect(status == 0, "\(server.stderrText)")
    let log = server.stderrText
    for failure in ["out of memory", "Connection is closed", "InternalServerError", "cannot be"] {
      #expect(!log.contains(failure), "\(log)")
    }
    #expect(log.contains("stopped"), "\(log)")
  }
}
