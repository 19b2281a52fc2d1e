import Foundation
import Testing
import _CinchTestSupport

/// `rotation list --format json` and `audit list --format json` list what their tables do,
/// written as cinch's other JSON output is (`"key": value`, `[]` for nothing).
@Suite struct ListJSONTests {
  @Test func rotationListHasTheBuiltInRotatorAsItsTableDoes() async throws {
    let directory = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    #expect(try await CinchProcess.run(["init"], in: directory).status == 0)
    let fresh = try await CinchProcess.run(["rotation", "list", "--format", "json"], in: directory)
    #expect(fresh.status == 0, "\(fresh.stderr)")
    #expect(
      fresh.stdout == """
        [
          {
            "name": "password",
            "builtIn": true,
            "command": null,
            "timeoutSeconds": null,
            "createdDate": null
          }
        ]

        """)

    let registered = try await CinchProcess.run(
      ["rotation", "register", "rot", "--timeout", "30", "--", "/bin/true"], in: directory)
    #expect(registered.status == 0, "\(registered.stderr)")
    let listed = try await CinchProcess.run(
      ["rotation", "list", "--format", "json"], in: directory)
    let rows = try #require(
      try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
    #expect(rows.map { $0["name"] as? String } == ["password", "rot"])
    #expect(rows.last?["command"] as? [String] == ["/bin/true"])
    #expect(rows.last?["timeoutSeconds"] as? Int == 30)
    #expect(rows.last?["builtIn"] as? Bool == false)
    #expect((rows.last?["createdDate"] as? String)?.hasSuffix("Z") == true)
  }

  @Test func auditListIsWrittenAsTheOtherJSONIs() async throws {
    let directory = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    #expect(try await CinchProcess.run(["init"], in: directory).status == 0)
    let listed = try await CinchProcess.run(
      ["audit", "list", "--format", "json"], in: directory)
    #expect(listed.status == 0, "\(listed.stderr)")
    // The time of the run and the system's name for the user running it.
    let time = try #require(listed.stdout.firstMatch(of: #/"time": "([^"]+)"/#)?.1)
    let caller = try #require(listed.stdout.firstMatch(of: #/"caller": "([^"]+)"/#)?.1)
    #expect(
      listed.stdout == """
        [
          {
            "seq": 1,
            "time": "\(time)",
            "operation": "Init",
            "kind": null,
            "name": null,
            "version": null,
            "versionId": null,
            "result": "ok",
            "caller": "\(caller)"
          }
        ]

        """)
    let none = try await CinchProcess.run(
      ["audit", "list", "--name", "nothing", "--format", "json"], in: directory)
    #expect(none.stdout == "[]\n")
  }
}
