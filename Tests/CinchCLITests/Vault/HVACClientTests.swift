import Foundation
import Testing
import _CinchTestSupport

/// HashiCorp's own Python client, hvac, against a real `cinch serve`: KV v2, transit, mounts,
/// tokens and audit devices answer as Vault answers (Tests/Fixtures/vault-hvac/checks.py).
@Suite struct HVACClientTests {
  static var hvacAvailable: Bool {
    (try? Shell.runBlocking("python3 -c 'import hvac'", environment: [:]).status == 0) ?? false
  }

  @Test(.enabled(if: hvacAvailable, "hvac is not installed (Scripts/deps.sh installs it)"))
  func hvacDrivesKVTransitTokensAndAudit() async throws {
    let directory = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    #expect(try await CinchProcess.run(["init"], in: directory).status == 0)
    let token = try await CinchProcess.run(["token", "root"], in: directory).stdout
      .trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(token.hasPrefix("hvs."))

    let server = try VaultServeProcess(directory: directory)
    defer { server.stop() }
    let canary = "canary-hvac-\(UUID().uuidString.prefix(8))"
    let auditLog = directory.appendingPathComponent("audit.log").path
    let script = Fixtures.packageRoot.appendingPathComponent("Tests/Fixtures/vault-hvac/checks.py")
    let run = try await Shell.run(
      "python3 '\(script.path)'",
      environment: [
        "VAULT_ADDR": server.address, "VAULT_TOKEN": token, "AUDIT_LOG": auditLog,
        "CANARY": canary,
      ])
    #expect(run.status == 0, "\(run.stdout)\(run.stderr)")
    #expect(run.stdout.hasSuffix("checks passed\n"), "\(run.stdout)")
    server.stop()
    // The canary went through KV and transit: it is in no file the server wrote.
    let audit = (try? String(contentsOfFile: auditLog, encoding: .utf8)) ?? ""
    #expect(!audit.isEmpty)
    #expect(!audit.contains(canary))
    for name in ["store.db", "store.db-wal"] {
      let path = directory.appendingPathComponent(".cinch/" + name).path
      if let bytes = FileManager.default.contents(atPath: path) {
        #expect(bytes.range(of: Data(canary.utf8)) == nil)
      }
    }
    #expect(!server.output().contains(canary))
  }
}

/// `cinch serve --listen 127.0.0.1:0` in a directory with a store, its address read from the
/// line it prints; stopped with SIGTERM by its process id.
final class VaultServeProcess {
  let process = Process()
  let out = Pipe()
  let err = Pipe()
  private(set) var address = ""

  init(directory: URL) throws {
    process.executableURL = CinchProcess.executable
    process.arguments = ["serve", "--listen", "127.0.0.1:0"]
    process.currentDirectoryURL = directory
    process.environment = [
      "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
      "HOME": NSTemporaryDirectory(),
    ]
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let text = ServerProcess.firstLine(of: out.fileHandleForReading, within: 60)
    guard let range = text.range(of: #"http://127\.0\.0\.1:\d+"#, options: .regularExpression)
    else {
      stop()
      throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "serve: \(text)"])
    }
    address = String(text[range])
  }

  func stop() { ServerProcess.stop(process) }

  /// What the server wrote on stderr (after it stopped).
  func output() -> String {
    String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
  }
}

/// `/bin/sh -c COMMAND` with extra environment, output captured.
enum Shell {
  static func run(_ command: String, environment: [String: String] = [:]) async throws
    -> (status: Int32, stdout: String, stderr: String)
  {
    try await offThePool { try runBlocking(command, environment: environment) }
  }

  static func runBlocking(_ command: String, environment: [String: String]) throws
    -> (status: Int32, stdout: String, stderr: String)
  {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command]
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Both pipes are read to the end before waiting, so a large output cannot block the child.
    let group = DispatchGroup()
    nonisolated(unsafe) var errors = Data()
    group.enter()
    DispatchQueue.global().async {
      errors = err.fileHandleForReading.readDataToEndOfFile()
      group.leave()
    }
    let output = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return (
      process.terminationStatus, String(decoding: output, as: UTF8.self),
      String(decoding: errors, as: UTF8.self)
    )
  }
}
