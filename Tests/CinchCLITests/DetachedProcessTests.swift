import Foundation
import Testing
import _CinchTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// The servers tests start (moto_server's launcher, PostgreSQL) are stopped with SIGTERM: a
/// child started from a Swift concurrency thread, which blocks most signals, must not inherit
/// that mask, or stopping it waits for ever.
@Suite struct DetachedProcessTests {
  @Test func aChildStartedFromATaskStopsOnSIGTERM() async throws {
    let pid = try DetachedProcess.spawn("/bin/sleep", ["300"], environment: [])
    // bash closes the inherited descriptors, then execs sleep: give it that moment.
    try await Task.sleep(nanoseconds: 200_000_000)
    kill(pid, SIGTERM)
    let status = await Task.detached { DetachedProcess.wait(pid) }.value
    #expect(status == 128 + SIGTERM)
  }
}
