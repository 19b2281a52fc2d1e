import Foundation
import Testing
import _CinchTestSupport

@testable import CinchCLI

/// `cinch ssm|secretsmanager|kms …` open the store their environment names while the command
/// line is parsed (`StoreOpenedAhead`). What they read and report must not change: a flag naming
/// another store wins, a wrong key is reported as before, and a store opened for a command that
/// then stops at a usage error is closed, leaving no WAL beside it.
@Suite struct StoreOpenedAheadTests {
  @Test func onlyStoreCommandsWithoutStoreFlagsOrHelpOpenAhead() {
    func ahead(_ line: String) -> Bool {
      StoreOpenedAhead.opensDefaultStore(["cinch"] + line.split(separator: " ").map(String.init))
    }
    #expect(ahead("ssm get-parameter --name /a"))
    #expect(ahead("secretsmanager get-secret-value --secret-id s"))
    #expect(ahead("kms list-keys"))
    #expect(!ahead("ssm get-parameter --name /a --store other.db"))
    #expect(!ahead("ssm get-parameter --name /a --store=other.db"))
    #expect(!ahead("ssm get-parameter --name /a --key-file k"))
    #expect(!ahead("ssm get-parameter --name /a --key-file=k"))
    #expect(!ahead("ssm get-parameter --help"))
    #expect(!ahead("ssm help"))
    #expect(!ahead("check t.yaml"))
    #expect(!ahead("init"))
    #expect(!ahead(""))
  }

  /// Two stores, each with `/a` set to its own name.
  static func stores() async throws -> (directory: URL, first: String, second: String) {
    let directory = try CinchProcess.temporaryDirectory()
    var paths: [String] = []
    for name in ["first", "second"] {
      let path = directory.appendingPathComponent("\(name)/store.db").path
      #expect(try await CinchProcess.run(["init", "--store", path]).status == 0)
      let put = try await CinchProcess.run(
        ["ssm", "put-parameter", "--name", "/a", "--value", name, "--type", "SecureString"],
        environment: ["CINCH_STORE": path])
      #expect(put.status == 0, "\(put.stderr)")
      paths.append(path)
    }
    return (directory, paths[0], paths[1])
  }

  static func value(_ extra: [String], environment: [String: String]) async throws
    -> CinchProcess.Result
  {
    try await CinchProcess.run(
      [
        "ssm", "get-parameter", "--name", "/a", "--with-decryption", "--query", "Parameter.Value",
        "--output", "text",
      ] + extra, environment: environment)
  }

  @Test func theStoreAFlagNamesWinsOverTheOneOpenedAhead() async throws {
    let (directory, first, second) = try await Self.stores()
    defer { try? FileManager.default.removeItem(at: directory) }
    let environment = ["CINCH_STORE": first]
    await #expect(try Self.value([], environment: environment).stdout == "first\n")
    await #expect(
      try Self.value(["--store", second], environment: environment).stdout == "second\n")
    await #expect(
      try Self.value(["--store=\(second)"], environment: environment).stdout == "second\n")
    let secondKey = (second as NSString).deletingLastPathComponent + "/master.key"
    let wrongKey = try await Self.value(["--key-file", secondKey], environment: environment)
    #expect(wrongKey.status == 253)
    #expect(wrongKey.stderr.contains("wrong master key"), "\(wrongKey.stderr)")
  }

  @Test func aWrongKeyIsReportedAsBeforeAndAUsageErrorLeavesNoWAL() async throws {
    let (directory, first, _) = try await Self.stores()
    defer { try? FileManager.default.removeItem(at: directory) }
    let folder = (first as NSString).deletingLastPathComponent
    let wrong = Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
    let refused = try await Self.value(
      [], environment: ["CINCH_STORE": first, "CINCH_MASTER_KEY": wrong])
    #expect(refused.status == 253)
    #expect(
      refused.stderr.contains("the key in CINCH_MASTER_KEY does not unlock store"),
      "\(refused.stderr)")
    for line in [["ssm", "get-parameter", "--nme", "/a"], ["ssm", "no-such-command"]] {
      let usage = try await CinchProcess.run(line, environment: ["CINCH_STORE": first])
      #expect(usage.status == 252, "\(usage.stderr)")
      let left = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
      #expect(left == ["master.key", "store.db"], "\(line)")
    }
    await #expect(try Self.value([], environment: ["CINCH_STORE": first]).stdout == "first\n")
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: folder).sorted() == [
        "master.key", "store.db",
      ])
  }
}
