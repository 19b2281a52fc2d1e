import Foundation
import Testing
import _CinchTestSupport

/// `cinch serve` driven by real AWS clients: boto3 and the aws CLI, through the operations of
/// both services, the error bodies, the signature checks, policies and the SIGTERM drain
/// (`Clients/serve_clients.py`). Then what the server left behind: the audit rows by access key
/// id, and logs without a value or a secret.
@Suite(.serialized) struct ServeClientsTests {
  static var script: URL {
    Fixtures.packageRoot.appendingPathComponent("Tests/CinchServerTests/Clients/serve_clients.py")
  }

  @Test func realClientsAgainstARealServer() async throws {
    let probe = try await offThePool {
      try CinchProcess.runTool("python3", ["-c", "import boto3"])
    }
    try #require(
      probe.status == 0,
      "boto3 is not installed: run Scripts/deps.sh (it installs moto[server], which brings boto3)")
    let server = try await ServeProcess()
    defer { server.stop() }
    let canary = "canary-\(UUID().uuidString.prefix(8))"
    // A server that holds decrypted values writes no core file (a crash, `kill -ABRT`).
    let limits = try String(
      contentsOfFile: "/proc/\(server.process.processIdentifier)/limits", encoding: .utf8)
    let core = limits.split(separator: "\n").first { $0.hasPrefix("Max core file size") }
    #expect(core?.split(separator: " ").dropFirst(4).prefix(2) == ["0", "0"], "\(limits)")

    var environment = ProcessInfo.processInfo.environment.filter {
      !$0.key.hasPrefix("AWS_") && !$0.key.hasPrefix("CINCH_")
    }
    for (name, value) in server.environment { environment[name] = value }
    environment["CINCH"] = CinchProcess.executable.path
    environment["SERVE_ENDPOINT"] = server.endpoint
    environment["SERVE_ROOT_KEY"] = server.root.id
    environment["SERVE_ROOT_SECRET"] = server.root.secret
    environment["SERVE_CI_KEY"] = server.ci.id
    environment["SERVE_CI_SECRET"] = server.ci.secret
    environment["SERVE_READER_KEY"] = server.reader.id
    environment["SERVE_READER_SECRET"] = server.reader.secret
    environment["SERVE_PR_KEY"] = server.pr.id
    environment["SERVE_PR_SECRET"] = server.pr.secret
    environment["SERVE_CANARY"] = canary
    environment["SERVE_PID"] = String(server.process.processIdentifier)
    let clients = environment
    let run = try await offThePool {
      try CinchProcess.runTool("python3", [Self.script.path], environment: clients)
    }
    #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
    #expect(run.stdout.contains("all passed"), "\(run.stdout)")

    // The drain check sent SIGTERM: the server answered the request in flight, then exited 0.
    let status = server.waitForExit(seconds: 60)
    #expect(status == 0, "cinch serve exited \(String(describing: status)): \(server.stderrText)")
    // Stopped, it leaves the store one file: its WAL checkpointed and removed, so a copy of
    // store.db alone holds every write it took (GRDB closes its read-only readers last).
    let walPath = server.directory.path + "/store.db-wal"
    #expect(!FileManager.default.fileExists(atPath: walPath), "the WAL is left after serve stops")

    let log = server.stderrText
    #expect(log.contains("AmazonSSM.GetParameter \(server.root.id)"), "\(log)")
    #expect(log.contains("SIGTERM"), "\(log)")
    for secret in [
      canary, server.root.secret, server.ci.secret, server.reader.secret, server.pr.secret,
    ] {
      #expect(!log.contains(secret), "the server's log holds a value or a secret")
    }

    // Every request is audited under the key that signed it; refusals too.
    let audit = try await CinchProcess.run(
      ["audit", "list", "--format", "json"], environment: server.environment)
    #expect(audit.status == 0, "\(audit.stderr)")
    let rows =
      (try JSONSerialization.jsonObject(with: Data(audit.stdout.utf8)) as? [[String: Any]]) ?? []
    func count(_ operation: String, caller: String, result: String) -> Int {
      rows.filter {
        $0["operation"] as? String == operation && $0["caller"] as? String == caller
          && $0["result"] as? String == result
      }.count
    }
    #expect(count("GetParameter", caller: server.root.id, result: "ok") > 0)
    #expect(count("DescribeParameters", caller: server.ci.id, result: "ok") > 0)
    #expect(count("GetParameter", caller: server.ci.id, result: "AccessDeniedException") > 0)
    #expect(
      count("GetParameterHistory", caller: server.pr.id, result: "AccessDeniedException") > 0)
    #expect(count("GetSecretValue", caller: server.reader.id, result: "AccessDeniedException") > 0)
    #expect(!audit.stdout.contains(canary))
    let verify = try await CinchProcess.run(["audit", "verify"], environment: server.environment)
    #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
  }

  @Test func refusesNonLoopbackWithoutTheFlag() async throws {
    let result = try await CinchProcess.run(["serve", "--listen", "0.0.0.0:0"])
    #expect(result.status == 2)
    #expect(result.stderr.contains("--allow-non-loopback"), "\(result.stderr)")
  }
}

struct ToolResult {
  var stdout: String
  var stderr: String
  var status: Int32
}

extension CinchProcess {
  /// Runs another program (python3) with exactly `environment` when given.
  static func runTool(_ tool: String, _ arguments: [String], environment: [String: String]? = nil)
    throws -> ToolResult
  {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [tool] + arguments
    if let environment { process.environment = environment }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let group = DispatchGroup()
    nonisolated(unsafe) var outData = Data()
    group.enter()
    DispatchQueue.global().async {
      outData = out.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return ToolResult(
      stdout: String(decoding: outData, as: UTF8.self),
      stderr: String(decoding: errData, as: UTF8.self), status: process.terminationStatus)
  }
}
