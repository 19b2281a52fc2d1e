import Foundation
import Testing
import _CinchTestSupport

/// The aws CLI's connection options against a real endpoint: moto_server behind a TLS front
/// whose certificate no system authority signed (`Servers/tls_front.py`), and a server that
/// accepts and never answers.
/// https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-options.html
@Suite struct AWSConnectionOptionsTests {
  /// `tls_front.py DIR TARGET`, started, with the port it listens on.
  final class Front: @unchecked Sendable {
    let process = Process()
    let port: Int

    init(directory: URL, target: String) async throws {
      let script = Fixtures.packageRoot.appendingPathComponent(
        "Tests/CinchCLITests/Store/Servers/tls_front.py")
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments = ["python3", script.path, directory.path, target]
      let output = Pipe()
      process.standardOutput = output
      process.standardError = FileHandle.nullDevice
      try process.run()
      let reading = output.fileHandleForReading
      let line = try await offThePool { ServerProcess.firstLine(of: reading, within: 60) }
      guard let port = Int(line.trimmingCharacters(in: .whitespacesAndNewlines)) else {
        ServerProcess.stop(process, within: 5)
        throw Failure(description: "tls_front.py printed no port: '\(line)'")
      }
      self.port = port
    }

    func stop() { ServerProcess.stop(process, within: 5) }
  }

  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  static func environment(_ endpoint: String, _ extra: [String: String] = [:]) -> [String: String] {
    [
      "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
      "AWS_EC2_METADATA_DISABLED": "true", "AWS_ENDPOINT_URL": endpoint,
      // A region of moto's default account no other test uses.
      "CINCH_STORE": "aws://me-central-1", "AWS_MAX_ATTEMPTS": "1",
    ].merging(extra) { $1 }
  }

  @Test func anEndpointsCertificateIsVerifiedAgainstTheBundleGiven() async throws {
    let moto = try await MotoServer.shared.start()
    let directory = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let front = try await Front(directory: directory, target: String(moto.port ?? 0))
    defer { front.stop() }
    let bundle = directory.appendingPathComponent("ca.pem").path
    let environment = Self.environment("https://127.0.0.1:\(front.port)")
    func cinch(_ extra: [String], _ more: [String: String] = [:]) async throws
      -> CinchProcess.Result
    {
      try await CinchProcess.run(
        ["ssm", "describe-parameters", "--query", "length(Parameters)", "--output", "text"]
          + extra, environment: environment.merging(more) { $1 })
    }

    let unknown = try await cinch([])
    #expect(unknown.status == 255, "\(unknown.stderr)")
    #expect(unknown.stderr.contains("https://127.0.0.1:\(front.port)"), "\(unknown.stderr)")
    #expect(
      unknown.stderr.contains(
        "(TLS: the endpoint's certificate could not be verified: an authority not trusted here "
          + "signed it (name it with --ca-bundle or AWS_CA_BUNDLE), or it does not name the "
          + "endpoint's host)"),
      "\(unknown.stderr)")

    let flag = try await cinch(["--ca-bundle", bundle])
    #expect(flag.status == 0, "\(flag.stderr)")
    // `~/` is the home directory, as the aws CLI reads it.
    let home = try await cinch(["--ca-bundle", "~/ca.pem"], ["HOME": directory.path])
    #expect(home.status == 0, "\(home.stderr)")
    #expect(flag.stdout == "0\n", "\(flag.stderr)")
    let variable = try await cinch([], ["AWS_CA_BUNDLE": bundle])
    #expect(variable.status == 0, "\(variable.stderr)")
    // The flag wins over the variable, as in the aws CLI.
    let wrong = try await cinch(
      ["--ca-bundle", directory.appendingPathComponent("absent.pem").path],
      ["AWS_CA_BUNDLE": bundle])
    #expect(wrong.status == 255, "\(wrong.stderr)")
    #expect(wrong.stderr.contains("could not be read"), "\(wrong.stderr)")

    // `cinch sync` takes the same options.
    let local = directory.appendingPathComponent("local")
    try FileManager.default.createDirectory(at: local, withIntermediateDirectories: false)
    #expect(try await CinchProcess.run(["init"], in: local).status == 0)
    let put = try await CinchProcess.run(
      ["ssm", "put-parameter", "--name", "/tls/p", "--value", "v", "--type", "String"], in: local)
    #expect(put.status == 0, "\(put.stderr)")
    var syncEnvironment = environment
    syncEnvironment["CINCH_STORE"] = nil
    let sync = try await CinchProcess.run(
      [
        "sync", "--from", ".cinch/store.db", "--to", "aws://me-central-1", "--path", "/tls",
        "--ca-bundle", bundle, "--cli-read-timeout", "30",
      ], in: local, environment: syncEnvironment)
    #expect(sync.status == 0, "\(sync.stderr)")
    let synced = try await cinch(["--ca-bundle", bundle])
    #expect(synced.stdout == "1\n", "\(synced.stderr)")

    let unverified = try await cinch(["--no-verify-ssl"])
    #expect(unverified.status == 0, "\(unverified.stderr)")
    #expect(
      unverified.stderr
        == "cinch: warning: --no-verify-ssl: the endpoint's TLS certificate is not verified\n")
  }

  /// `--cli-read-timeout` bounds a request that gets no answer (60 s by default).
  @Test func aReadTimeoutEndsARequestWithNoAnswer() async throws {
    let directory = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let silent = try await Front(directory: directory, target: "silent")
    defer { silent.stop() }
    let read = try await CinchProcess.run(
      ["ssm", "get-parameter", "--name", "/a", "--cli-read-timeout", "1"],
      environment: Self.environment("http://127.0.0.1:\(silent.port)"), deadline: 50)
    #expect(read.status == 255, "\(read.stderr)")
    #expect(
      read.stderr == "\nRead timeout on endpoint URL: \"http://127.0.0.1:\(silent.port)\"\n",
      "\(read.stderr)")
    // Whole seconds, as the aws CLI's int option reads them; the same words from sync.
    let fraction = try await CinchProcess.run(
      ["ssm", "get-parameter", "--name", "/a", "--cli-read-timeout", "1.5"],
      environment: Self.environment("http://127.0.0.1:\(silent.port)"))
    #expect(fraction.status == 252)
    #expect(
      fraction.stderr.contains("error: argument --cli-read-timeout: invalid int value: '1.5'\n"),
      "\(fraction.stderr)")
    let sync = try await CinchProcess.run(
      ["sync", "--from", "a.db", "--to", "aws://me-central-1", "--cli-connect-timeout", "abc"],
      environment: Self.environment("http://127.0.0.1:\(silent.port)"))
    #expect(sync.status == 2)
    #expect(
      sync.stderr == "cinch: argument --cli-connect-timeout: invalid int value: 'abc'\n",
      "\(sync.stderr)")
  }
}
