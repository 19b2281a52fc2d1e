import Foundation
import Testing
import _CinchTestSupport

/// The README's "Checking a pull request": `Samples/pull-request/pr-change.yaml` against a store
/// seeded by `Samples/seed/seed.sh` gives exactly the four findings it shows.
@Suite struct PullRequestSampleTests {
  @Test func theREADMEsFourFindings() async throws {
    let directory = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let environment = ["AWS_REGION": "eu-west-1"]
    #expect(
      try await CinchProcess.run(["init"], in: directory, environment: environment).status == 0)
    let seed = Process()
    seed.executableURL = Fixtures.packageRoot.appendingPathComponent("Samples/seed/seed.sh")
    seed.arguments = [CinchProcess.executable.path]
    seed.currentDirectoryURL = directory
    seed.environment = [
      "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
      "AWS_REGION": "eu-west-1", "CINCH_STORE": directory.path + "/.cinch/store.db",
    ]
    seed.standardOutput = FileHandle.nullDevice
    try await seed.runUntilExit()
    #expect(seed.terminationStatus == 0)

    let sample = Fixtures.packageRoot.appendingPathComponent("Samples/pull-request/pr-change.yaml")
    let result = try await CinchProcess.run(
      ["check", sample.path, "--format", "github"], in: directory, environment: environment)
    #expect(result.status == 1)
    let findings = result.stdout.split(separator: "\n").map { line in
      // `::error file=…,line=12,col=24,…,title=E4005 json-key-not-found::…` → `12:24 E4005`
      let fields = line.split(separator: ",")
      let value = { (name: String) in
        fields.first { $0.hasPrefix(name + "=") }.map { String($0.dropFirst(name.count + 1)) }
      }
      let title = value("title")?.split(separator: " ").first.map(String.init) ?? "?"
      return "\(value("line") ?? "?"):\(value("col") ?? "?") \(title)"
    }
    #expect(findings == ["12:24 E4005", "13:33 E4001", "23:23 E2020", "23:23 E4001"])
  }
}
