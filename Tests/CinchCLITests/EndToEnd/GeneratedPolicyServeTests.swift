import Foundation
import Testing
import _CinchTestSupport

/// What `cinch policy` writes, put to work: `cinch serve` holds a user's access key to the
/// user's inline policies with an IAM evaluator of its own (Docs/Serve.md, "Policies"), so on
/// the store `make run` seeds, for templates of `templates/`:
///
/// - the `validate` policy lets `cinch check` pass against the served store, and reads no value;
/// - the `deploy` policy lets every read CloudFormation makes for the template succeed (the
///   calls Docs/Policy.md grants: `ssm:GetParameters` with decryption, `GetSecretValue` at the
///   reference's stage or version id), and reads no other parameter, secret or version;
/// - neither has a part no call needs: without any one statement, resource or action, one of
///   those calls goes otherwise (Docs/Policy.md: "no step widens what is allowed").
///
/// One server for the suite (`.servedSeed`); each test has its own IAM users and changes their
/// policy while it runs, which `serve` applies from the next request.
@Suite(.servedSeed) struct GeneratedPolicyServeTests {
  /// Reads at deploy through a customer-managed key, at a pinned version, at a stage and at
  /// none (`app-stack`); through typed parameters, AWS's public parameters, a SecureString
  /// under `aws/ssm` and names built by `!Sub` (`multi-env`); at run time only (`ecs-service`,
  /// which gives the deploy identity nothing to read).
  static let templates = ["app-stack.json", "multi-env.yaml", "ecs-service.yaml"]

  static let servedStore = ["--store", "aws://\(ServedSeed.region)"]
  static let target = [
    "--account-id", ServedSeed.accountID, "--region", ServedSeed.region,
  ]

  @Test(arguments: templates)
  func theValidatePolicyLetsCheckPassAndReadsNoValue(_ template: String) async throws {
    let seed = try #require(ServedSeed.current)
    let (user, folder, path, policy) = try await Self.generate("validate", template, seed: seed)
    try #require(!policy.stdout.isEmpty, "\(policy.stderr)")
    let key = try await seed.key(for: user)
    try await seed.setPolicy(policy.stdout, user: user)

    // A pull request's job checks with or without a committed lock (made here from the
    // embedded store, as the account root); with one, pins are compared with the store too.
    let lock = try await seed.local(["lock", path, "--lock", "pr.lock"], in: folder)
    try #require(lock.status == 0, "\(lock.stderr)")
    var probes = [
      Probe(["check", path] + Self.servedStore),
      Probe(["check", path, "--lock", "pr.lock", "--frozen"] + Self.servedStore),
    ]
    for parameter in seed.parameters {
      probes.append(
        Probe(
          refused: [
            "ssm", "get-parameter", "--name", parameter.name, "--with-decryption", "--query",
            "Parameter.Name",
          ]))
      // What the Deny of kms:Decrypt is for: history is allowed, and would hold the value.
      if parameter.type == "SecureString" {
        probes.append(
          Probe(
            refused: [
              "ssm", "get-parameter-history", "--name", parameter.name, "--with-decryption",
              "--query", "Parameters[].Version",
            ]))
      }
    }
    for secret in seed.secrets {
      probes.append(
        Probe(refused: [
          "secretsmanager", "get-secret-value", "--secret-id", secret, "--query", "Name",
        ]))
    }
    for probe in probes {
      if let deviation = try await deviation(probe, as: key, in: folder, seed: seed) {
        Issue.record("\(template), validate: \(deviation)")
      }
    }

    // The Deny keeps history to metadata where no Allow is needed to decrypt: a SecureString
    // under aws/ssm, whose key policy lets the account decrypt through Parameter Store
    // (Docs/Policy.md). Where the template reads none (a customer-managed key needs an Allow
    // this policy does not give), `serve` cannot tell the Deny from its absence: it stays as a
    // guard, and only its Allows are held to being needed.
    let references = try await Self.references(path, in: folder, seed: seed)
    let denyIsNeeded = references.contains { reference in
      seed.parameters.contains {
        $0.name == reference.name && $0.type == "SecureString" && $0.keyID == "alias/aws/ssm"
      }
    }
    try await expectEveryPartNeeded(
      policy.stdout, of: "\(template), validate", user: user, key: key, probes: probes,
      denyIsNeeded: denyIsNeeded, in: folder, seed: seed)
  }

  @Test(arguments: templates)
  func theDeployPolicyReadsWhatTheTemplateReadsAndNothingElse(_ template: String) async throws {
    let seed = try #require(ServedSeed.current)
    let (user, folder, path, policy) = try await Self.generate("deploy", template, seed: seed)
    let references = try await Self.references(path, in: folder, seed: seed)
    try await expectDeployPolicy(
      policy, for: references, of: "\(template), deploy", user: user, in: folder, seed: seed)
  }

  /// `cinch policy --lock` is for the rendered templates, which read each secret at the version
  /// id the lock pins: those reads, and not the secret's current version by stage.
  @Test func theDeployPolicyOfALockReadsThePinnedVersionsOnly() async throws {
    let seed = try #require(ServedSeed.current)
    let user = "deploy-locked"
    let template = "app-stack.json"
    let folder = try seed.workspace(user, template: template)
    for arguments in [["lock", "templates/" + template], ["render", "--frozen", "-o", "out"]] {
      let result = try await seed.local(arguments, in: folder)
      try #require(result.status == 0, "cinch \(arguments[0]): \(result.stderr)")
    }
    let policy = try await seed.local(
      ["policy", "--lock", "cinch.lock", "--profile", "deploy"] + Self.target, in: folder)
    try #require(policy.status == 0, "\(policy.stderr)")
    let references = try await Self.references(
      "out/templates/" + template, in: folder, seed: seed)
    try #require(references.contains { $0.versionID != nil }, "\(references)")
    try await expectDeployPolicy(
      policy, for: references, of: "\(template), deploy from the lock", user: user, in: folder,
      seed: seed)
  }

  // MARK: The deploy identity

  /// Puts `policy` (what `cinch policy --profile deploy` printed) to `user`, and holds it to
  /// the reads of `references`, as CloudFormation makes them, and to no other.
  private func expectDeployPolicy(
    _ policy: CinchProcess.Result, for references: [Reference], of label: String, user: String,
    in folder: URL, seed: ServedSeed
  ) async throws {
    let key = try await seed.key(for: user)
    if policy.stdout.isEmpty {
      #expect(references.isEmpty, "\(label): no policy for \(references)")
      #expect(
        policy.stderr.contains("the templates read nothing the deploy identity needs"),
        "\(policy.stderr)")
    } else {
      try await seed.setPolicy(policy.stdout, user: user)
    }
    let probes = Self.deployProbes(references, seed: seed)
    for probe in probes {
      if let deviation = try await deviation(probe, as: key, in: folder, seed: seed) {
        Issue.record("\(label): \(deviation)")
      }
    }
    guard !policy.stdout.isEmpty else { return }
    // A deploy policy has no Deny; one would have to refuse some read to be there.
    try await expectEveryPartNeeded(
      policy.stdout, of: label, user: user, key: key, probes: probes, denyIsNeeded: true,
      in: folder, seed: seed)
  }

  /// The reads CloudFormation makes to resolve `references` (dynamic references and typed
  /// parameters; the calls Docs/Policy.md's deploy profile grants), then reads it must not be
  /// able to make: every parameter and secret of the seed the template does not name, and a
  /// version of a secret it names that it does not read.
  static func deployProbes(_ references: [Reference], seed: ServedSeed) -> [Probe] {
    var allowed: [Probe] = []
    var refused: [[String]] = []
    func parameters(_ name: String) -> [String] {
      [
        "ssm", "get-parameters", "--names", name, "--with-decryption", "--query",
        "length(Parameters)", "--output", "text",
      ]
    }
    func secretValue(_ id: String, _ selector: [String]) -> [String] {
      ["secretsmanager", "get-secret-value", "--secret-id", id] + selector + [
        "--query", "VersionId", "--output", "text",
      ]
    }
    for reference in references {
      switch reference.kind {
      case "ssm", "ssm-secure":
        let selector = reference.version.map { ":\($0)" } ?? ""
        // One name asked, one parameter answered: none is among `InvalidParameters`.
        allowed.append(Probe(parameters(reference.name + selector), output: "1"))
      default:
        if let versionID = reference.versionID {
          allowed.append(Probe(secretValue(reference.name, ["--version-id", versionID])))
          refused.append(secretValue(reference.name, []))
        } else if let stage = reference.versionStage {
          allowed.append(Probe(secretValue(reference.name, ["--version-stage", stage])))
          refused.append(secretValue(reference.name, ["--version-stage", "AWSPREVIOUS"]))
        } else {
          // No stage reads AWSCURRENT, whether the request names it or not.
          allowed.append(Probe(secretValue(reference.name, [])))
          allowed.append(Probe(secretValue(reference.name, ["--version-stage", "AWSCURRENT"])))
          refused.append(secretValue(reference.name, ["--version-stage", "AWSPREVIOUS"]))
        }
      }
    }
    // The templates here name secrets by name, not by ARN.
    let parameterNames = Set(references.filter { $0.kind != "secretsmanager" }.map(\.name))
    let secretNames = Set(references.filter { $0.kind == "secretsmanager" }.map(\.name))
    refused += seed.parameters.map(\.name).filter { !parameterNames.contains($0) }.map {
      parameters($0)
    }
    refused += seed.secrets.filter { !secretNames.contains($0) }.map { secretValue($0, []) }
    let allowedArguments = Set(allowed.map(\.arguments))
    return unique(allowed)
      + unique(refused.filter { !allowedArguments.contains($0) }.map { Probe(refused: $0) })
  }

  private static func unique(_ probes: [Probe]) -> [Probe] {
    var seen = Set<[String]>()
    return probes.filter { seen.insert($0.arguments).inserted }
  }

  // MARK: Calls and what the policy must make of them

  /// A call to `serve` and what the policy under test must make of it. Each prints names,
  /// versions or counts (`--query`), never a value, even when a policy lets it through.
  struct Probe: Sendable, CustomStringConvertible {
    var arguments: [String]
    var allowed: Bool
    /// What an allowed call must print, when that says more than its exit status.
    var output: String?

    init(_ arguments: [String], output: String? = nil) {
      self.arguments = arguments
      self.allowed = true
      self.output = output
    }

    init(refused arguments: [String]) {
      self.arguments = arguments
      self.allowed = false
    }

    var description: String { "cinch " + arguments.joined(separator: " ") }
  }

  /// Nil when `probe` went as it must, else what happened instead. An allowed call must succeed
  /// with no access denied anywhere in what it says (`check` reports a refused call as a
  /// finding); a refused one must be refused with `AccessDeniedException`, not fail otherwise.
  private func deviation(
    _ probe: Probe, as key: ServedSeed.Key, in folder: URL, seed: ServedSeed
  ) async throws -> String? {
    let result = try await seed.remote(probe.arguments, as: key, in: folder)
    let printed = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    if probe.allowed {
      if result.status == 0, !(result.stdout + result.stderr).contains("AccessDenied"),
        probe.output.map({ $0 == printed }) ?? true
      {
        return nil
      }
      return "\(probe) must succeed; exit \(result.status): \(printed.suffix(2000)) "
        + "\(result.stderr.suffix(2000))"
    }
    if result.status != 0, result.stderr.contains("AccessDeniedException") { return nil }
    return "\(probe) must be refused; exit \(result.status): \(result.stderr.suffix(2000))"
  }

  /// With any one part of `policy` left out, some probe goes otherwise: each part of an
  /// `Allow` is needed by an allowed call; each of a `Deny` (when `denyIsNeeded`) by a call it
  /// refuses. Leaving a part out narrows an `Allow`, so only allowed calls can change; widens
  /// what a `Deny` leaves, so only refused ones can.
  private func expectEveryPartNeeded(
    _ policy: String, of label: String, user: String, key: ServedSeed.Key, probes: [Probe],
    denyIsNeeded: Bool, in folder: URL, seed: ServedSeed
  ) async throws {
    for variant in try PolicyWithoutOnePart.all(of: policy) {
      let deny = variant.effect == "Deny"
      guard !deny || denyIsNeeded else { continue }
      try await seed.setPolicy(variant.document, user: user)
      var changed = false
      for probe in probes where probe.allowed != deny {
        if try await deviation(probe, as: key, in: folder, seed: seed) != nil {
          changed = true
          break
        }
      }
      #expect(changed, "\(label): without \(variant), every call still goes as with it")
    }
    try await seed.setPolicy(policy, user: user)
  }

  // MARK: References

  /// A reference as `cinch refs --format json` lists it.
  struct Reference: Sendable, CustomStringConvertible {
    var kind: String
    var name: String
    var version: Int?
    var versionStage: String?
    var versionID: String?

    var description: String { "\(kind):\(name)" }
  }

  /// What a deploy of `path` reads: its references whose name is known and that a deploy with
  /// the defaults reads (not those in a resource whose condition is false: Docs/Check.md).
  static func references(_ path: String, in folder: URL, seed: ServedSeed) async throws
    -> [Reference]
  {
    let result = try await seed.local(["refs", path, "--format", "json"], in: folder)
    try #require(result.status == 0, "\(result.stderr)")
    let listed = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    return try #require(listed as? [[String: Any]]).compactMap { entry in
      guard entry["state"] as? String == "concrete", let kind = entry["kind"] as? String,
        let name = entry["name"] as? String
      else { return nil }
      return Reference(
        kind: kind, name: name, version: entry["version"] as? Int,
        versionStage: entry["versionStage"] as? String, versionID: entry["versionId"] as? String)
    }
  }

  /// `cinch policy templates/TEMPLATE --profile PROFILE` in a workspace of its own, named
  /// after the IAM user the test gives the policy to (`validate-app-stack`).
  static func generate(_ profile: String, _ template: String, seed: ServedSeed) async throws -> (
    user: String, folder: URL, path: String, policy: CinchProcess.Result
  ) {
    let user = profile + "-" + template.prefix { $0 != "." }
    let folder = try seed.workspace(user, template: template)
    let path = "templates/" + template
    let policy = try await seed.local(
      ["policy", path, "--profile", profile] + target, in: folder)
    try #require(policy.status == 0, "\(policy.stderr)")
    return (user, folder, path, policy)
  }
}
