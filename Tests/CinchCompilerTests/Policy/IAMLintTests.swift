import Foundation
import Testing
import _CinchTestSupport

/// Every golden policy (the IAM JSON of every policy fixture, and of the CLI cases) passes
/// parliament, an IAM policy linter, with no finding above INFO. `Scripts/deps.sh` installs
/// parliament; without it the test is skipped, with the reason.
@Suite struct IAMLintTests {
  static let script = Fixtures.packageRoot.appendingPathComponent("Scripts/iam-lint.py")

  static let parliamentAvailable: Bool = {
    guard let result = try? run(["python3", "-c", "import parliament"]) else { return false }
    return result.status == 0
  }()

  @Test(
    .enabled(
      if: parliamentAvailable,
      "parliament is not installed (Scripts/deps.sh installs it with pip); the IAM lint is skipped")
  )
  func everyGoldenPolicyPassesParliament() throws {
    var files = Fixtures.cases("policy").map {
      Fixtures.directory("policy", $0).appendingPathComponent("expected/policies.json").path
    }
    for name in Fixtures.cases("cli") where name.hasPrefix("policy") {
      let stdout = Fixtures.directory("cli", name).appendingPathComponent("expected/stdout.txt")
      if let text = try? String(contentsOf: stdout, encoding: .utf8), text.hasPrefix("{") {
        files.append(stdout.path)
      }
    }
    for name in Fixtures.cases("policy-store") {
      let expected = Fixtures.directory("policy-store", name).appendingPathComponent("expected")
      for file in (try? FileManager.default.contentsOfDirectory(atPath: expected.path)) ?? []
      where file.hasSuffix(".json") {
        files.append(expected.appendingPathComponent(file).path)
      }
    }
    #expect(files.count > 10, "too few golden policies found: \(files.count)")
    let result = try Self.run(["python3", Self.script.path] + files)
    #expect(result.status == 0, "parliament findings:\n\(result.output)")
  }

  @Test(.enabled(if: parliamentAvailable, "parliament is not installed"))
  func theLintFailsOnAFinding() throws {
    // A statement that could be scoped but is not: the lint must notice.
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("cinch-lint-" + UUID().uuidString)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("policy.json")
    try
      #"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["ssm:GetParameters"], "Resource": ["*"]}]}"#
      .write(to: file, atomically: true, encoding: .utf8)
    let result = try Self.run(["python3", Self.script.path, file.path])
    #expect(result.status == 1)
    #expect(result.output.contains("RESOURCE_STAR"))
  }

  static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
  }
}
