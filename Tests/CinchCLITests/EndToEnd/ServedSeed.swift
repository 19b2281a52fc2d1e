import Foundation
import _CinchTestSupport

/// A project seeded by `Samples/seed/seed.sh` (what `make run` seeds) and served by one
/// `cinch serve` for a whole suite (the `.servedSeed` trait starts and stops it): the suite's
/// tests share it, each with IAM users of its own. The store is the account and region `serve`
/// answers as (123456789012, us-east-1).
struct ServedSeed: Sendable {
  /// The seed of the running suite, set by `ServedSeedTrait`.
  @TaskLocal static var current: ServedSeed?

  static let accountID = "123456789012"
  static let region = "us-east-1"

  /// An access key the store issued to a user.
  struct Key: Sendable {
    var id: String
    var secret: String
  }

  /// A parameter of the seed, as `describe-parameters` lists it (no value).
  struct Parameter: Sendable {
    var name: String
    var type: String
    var keyID: String?
  }

  /// The project: the store (`.cinch/store.db`, its key beside it) and one folder per test.
  let directory: URL
  /// Where `cinch serve` listens (`http://127.0.0.1:PORT`).
  let endpoint: String
  /// Every parameter and secret the seed made, AWS's public parameters included.
  let parameters: [Parameter]
  let secrets: [String]

  var store: URL { directory.appendingPathComponent(".cinch/store.db") }

  /// Makes a store in the empty folder `directory` and seeds it; `serve` is started on it by
  /// the caller.
  static func seed(_ directory: URL) async throws {
    let initialized = try await CinchProcess.run(["init"], in: directory)
    guard initialized.status == 0 else { throw Failure("cinch init: \(initialized.stderr)") }
    let seed = Process()
    seed.executableURL = URL(fileURLWithPath: "/bin/bash")
    seed.arguments = [
      Fixtures.packageRoot.appendingPathComponent("Samples/seed/seed.sh").path,
      CinchProcess.executable.path,
    ]
    seed.currentDirectoryURL = directory
    seed.environment = ["PATH": "/usr/bin:/bin", "NO_COLOR": "1", "HOME": NSTemporaryDirectory()]
    try await seed.runUntilExit()
    guard seed.terminationStatus == 0 else { throw Failure("Samples/seed/seed.sh failed") }
    // `serve` starts only when some key could sign a request: the account root's.
    let root = try await CinchProcess.run(["iam", "create-access-key"], in: directory)
    guard root.status == 0 else { throw Failure("create-access-key: \(root.stderr)") }
  }

  /// What the seed holds, read from the embedded store once `serve` is up.
  init(directory: URL, endpoint: String) async throws {
    self.directory = directory
    self.endpoint = endpoint
    let parameters = try await Self.json(
      ["ssm", "describe-parameters", "--query", "Parameters[].[Name, Type, KeyId]"], in: directory)
    self.parameters = try (parameters as? [[Any]] ?? []).map { row in
      guard let name = row.first as? String, let type = row.dropFirst().first as? String else {
        throw Failure("describe-parameters listed \(row)")
      }
      return Parameter(name: name, type: type, keyID: row.last as? String)
    }
    let secrets = try await Self.json(
      ["secretsmanager", "list-secrets", "--query", "SecretList[].Name"], in: directory)
    self.secrets = secrets as? [String] ?? []
  }

  private static func json(_ arguments: [String], in directory: URL) async throws -> Any {
    let result = try await CinchProcess.run(arguments, in: directory)
    guard result.status == 0 else { throw Failure("cinch \(arguments[0]): \(result.stderr)") }
    return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
  }

  /// A folder of its own for a test, holding a copy of `templates/NAME`.
  func workspace(_ name: String, template: String) throws -> URL {
    let folder = directory.appendingPathComponent("work-\(name)")
    let templates = folder.appendingPathComponent("templates")
    try FileManager.default.createDirectory(at: templates, withIntermediateDirectories: true)
    try FileManager.default.copyItem(
      at: Fixtures.packageRoot.appendingPathComponent("templates/\(template)"),
      to: templates.appendingPathComponent(template))
    return folder
  }

  /// `cinch ARGUMENTS` in `folder` on the embedded store, as the account root.
  func local(_ arguments: [String], in folder: URL) async throws -> CinchProcess.Result {
    try await CinchProcess.run(
      arguments, in: folder, environment: ["CINCH_STORE": store.path, "AWS_REGION": Self.region])
  }

  /// `cinch ARGUMENTS` in `folder` against `serve` (`aws://us-east-1` at its endpoint), signed
  /// with `key`, with no AWS configuration but that.
  func remote(_ arguments: [String], as key: Key, in folder: URL) async throws
    -> CinchProcess.Result
  {
    try await CinchProcess.run(
      arguments, in: folder,
      environment: [
        "CINCH_STORE": "aws://\(Self.region)", "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": key.id, "AWS_SECRET_ACCESS_KEY": key.secret,
        "AWS_REGION": Self.region,
        "AWS_CONFIG_FILE": directory.appendingPathComponent("no-aws-config").path,
        "AWS_SHARED_CREDENTIALS_FILE": directory.appendingPathComponent("no-aws-credentials").path,
      ])
  }

  /// A new access key for `user`.
  func key(for user: String) async throws -> Key {
    let result = try await local(
      ["iam", "create-access-key", "--user-name", user], in: directory)
    let document = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    guard result.status == 0,
      let key = (document as? [String: Any])?["AccessKey"] as? [String: Any],
      let id = key["AccessKeyId"] as? String, let secret = key["SecretAccessKey"] as? String
    else { throw Failure("create-access-key --user-name \(user): \(result.stderr)") }
    return Key(id: id, secret: secret)
  }

  /// Sets `user`'s one inline policy to `document`, or deletes it for nil (`serve` applies
  /// either from the next request).
  func setPolicy(_ document: String?, user: String) async throws {
    let arguments =
      document.map {
        [
          "iam", "put-user-policy", "--user-name", user, "--policy-name", "generated",
          "--policy-document", $0,
        ]
      } ?? ["iam", "delete-user-policy", "--user-name", user, "--policy-name", "generated"]
    let result = try await local(arguments, in: directory)
    guard result.status == 0 else { throw Failure("\(arguments[1]) \(user): \(result.stderr)") }
  }

  struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
  }
}
