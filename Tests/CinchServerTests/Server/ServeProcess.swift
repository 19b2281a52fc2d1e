import Foundation
import _CinchTestSupport

/// A `cinch serve` process on a free loopback port, over a fresh store with four access keys:
/// `root` (unrestricted), `ci` (may only describe parameters), `reader` (may read `prod/*`
/// secrets at AWSCURRENT) and `pr` (parameter history, with the `validate` profile's `Deny` of
/// `kms:Decrypt`). Its stdout and stderr are collected for the checks on what it logs.
final class ServeProcess: @unchecked Sendable {
  struct Key {
    var id: String
    var secret: String
  }

  let directory: URL
  let process = Process()
  private(set) var endpoint = ""
  let root: Key
  let ci: Key
  let reader: Key
  let pr: Key
  private let errors = Pipe()
  private let lock = NSLock()
  private var collectedErrors = Data()

  var environment: [String: String] {
    ["CINCH_STORE": directory.path + "/store.db", "AWS_REGION": "us-east-1"]
  }

  static let ciPolicy = """
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "ssm:DescribeParameters", "Resource": "*"}]}
    """

  static let readerPolicy = """
    {"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
       "Resource": "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/*",
       "Condition": {"StringEqualsIfExists": {"secretsmanager:VersionStage": "AWSCURRENT"},
                     "Null": {"secretsmanager:VersionId": "true"}}},
      {"Effect": "Allow", "Action": "secretsmanager:BatchGetSecretValue", "Resource": "*"}]}
    """

  /// What `cinch policy --profile validate` writes for a parameter (Docs/Policy.md).
  static let prPolicy = """
    {"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": "ssm:GetParameterHistory",
       "Resource": "arn:aws:ssm:us-east-1:123456789012:parameter/app/*"},
      {"Effect": "Deny", "Action": "kms:Decrypt",
       "Resource": "arn:aws:kms:us-east-1:123456789012:key/*"}]}
    """

  init(arguments: [String] = []) async throws {
    directory = try CinchProcess.temporaryDirectory()
    let environment = ["CINCH_STORE": directory.path + "/store.db", "AWS_REGION": "us-east-1"]
    func cinch(_ arguments: [String]) async throws -> String {
      let result = try await CinchProcess.run(arguments, environment: environment)
      guard result.status == 0 else {
        throw Failure(
          description: "cinch \(arguments.prefix(3)) exited \(result.status): \(result.stderr)")
      }
      return result.stdout
    }
    func key(_ user: String?) async throws -> Key {
      let output = try await cinch(
        ["iam", "create-access-key"] + (user.map { ["--user-name", $0] } ?? []))
      let document = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any]
      guard let key = document?["AccessKey"] as? [String: Any],
        let id = key["AccessKeyId"] as? String,
        let secret = key["SecretAccessKey"] as? String
      else { throw Failure(description: "create-access-key printed no key") }
      return Key(id: id, secret: secret)
    }
    _ = try await cinch(["init"])
    root = try await key(nil)
    ci = try await key("ci")
    reader = try await key("reader")
    pr = try await key("pr")
    _ = try await cinch([
      "iam", "put-user-policy", "--user-name", "ci", "--policy-name", "describe",
      "--policy-document", Self.ciPolicy,
    ])
    _ = try await cinch([
      "iam", "put-user-policy", "--user-name", "reader", "--policy-name", "read-current",
      "--policy-document", Self.readerPolicy,
    ])
    _ = try await cinch([
      "iam", "put-user-policy", "--user-name", "pr", "--policy-name", "validate",
      "--policy-document", Self.prPolicy,
    ])

    process.executableURL = CinchProcess.executable
    process.arguments = ["serve", "--listen", "127.0.0.1:0", "--access-log"] + arguments
    var base = ProcessInfo.processInfo.environment.filter {
      !$0.key.hasPrefix("AWS_") && !$0.key.hasPrefix("CINCH_")
    }
    for (name, value) in environment { base[name] = value }
    process.environment = base
    let output = Pipe()
    process.standardOutput = output
    process.standardError = errors
    process.standardInput = FileHandle.nullDevice
    try process.run()
    errors.fileHandleForReading.readabilityHandler = { [weak self] handle in
      let data = handle.availableData
      // At the end of the stream the handler would be called again and again.
      if data.isEmpty { handle.readabilityHandler = nil }
      guard let self else { return }
      self.lock.withLock { self.collectedErrors.append(data) }
    }
    // The first line on stdout says where it listens.
    let reading = output.fileHandleForReading
    let line = try await offThePool { ServerProcess.firstLine(of: reading, within: 60) }
    let text = line
    guard let range = text.range(of: #"http://127\.0\.0\.1:[0-9]+"#, options: .regularExpression)
    else {
      ServerProcess.stop(process, within: 5)
      throw Failure(
        description: "cinch serve did not say where it listens: '\(text)' \(stderrText)")
    }
    endpoint = String(text[range])
  }

  /// What the server wrote on stderr so far.
  var stderrText: String { lock.withLock { String(decoding: collectedErrors, as: UTF8.self) } }

  /// Waits up to `seconds` for the process to end; its exit status, or nil if it still runs.
  func waitForExit(seconds: Double) -> Int32? {
    ServerProcess.waitForExit(process, seconds: seconds) ? process.terminationStatus : nil
  }

  func stop() {
    ServerProcess.stop(process)
    try? FileManager.default.removeItem(at: directory)
  }

  struct Failure: Error, CustomStringConvertible {
    var description: String
  }
}
