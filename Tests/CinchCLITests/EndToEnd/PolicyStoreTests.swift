import Foundation
import Testing
import _CinchTestSupport

/// `cinch policy --store`: key metadata from an embedded store made with cinch's own commands,
/// so `kms:Decrypt` appears for the customer-managed key and not for `aws/ssm`.
@Suite struct PolicyStoreTests {
  @Test func customerManagedKeyFromTheStore() throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("cinch-policy-store-" + UUID().uuidString)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let store = directory.appendingPathComponent("store.db").path
    let environment = [
      "CINCH_STORE": store, "AWS_REGION": "eu-west-1", "CINCH_ACCOUNT_ID": "123456789012",
    ]
    func cinch(_ arguments: String...) throws -> CinchProcess.Result {
      let result = try CinchProcess.run(arguments, in: directory, environment: environment)
      #expect(result.status == 0, "cinch \(arguments.joined(separator: " ")): \(result.stderr)")
      return result
    }
    _ = try cinch("init")
    let keyID = try cinch(
      "kms", "create-key", "--description", "myapp", "--query", "KeyMetadata.KeyId", "--output", "text"
    ).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    _ = try cinch("kms", "create-alias", "--alias-name", "alias/myapp", "--target-key-id", keyID)
    // rds-postgres.yaml pins version 3: versions 1 and 2 under aws/ssm, 3 under alias/myapp.
    for keyArguments in [[], ["--key-id", "alias/aws/ssm"], ["--key-id", "alias/myapp"]] {
      let result = try CinchProcess.run(
        [
          "ssm", "put-parameter", "--name", "/myapp/prod/dbpassword", "--value", "s3cr3t",
          "--type", "SecureString", "--overwrite",
        ] + keyArguments, in: directory, environment: environment)
      #expect(result.status == 0, "\(result.stderr)")
    }

    let template = Fixtures.packageRoot.appendingPathComponent("templates/rds-postgres.yaml").path
    let result = try CinchProcess.run(
      [
        "policy", template, "--account-id", "123456789012", "--region", "eu-west-1",
        "--profile", "deploy", "--store", store,
      ], in: directory)
    #expect(result.status == 0)
    #expect(result.stderr.isEmpty, "\(result.stderr)")
    #expect(!result.stdout.contains("s3cr3t"))
    let stdout = result.stdout.replacingOccurrences(of: keyID, with: "KEY-ID")
    Fixtures.assertMatches(stdout, stage: "policy-store", name: "customer-managed", expected: "deploy.json")

    // Pinned to a version under aws/ssm, the same template needs no kms:Decrypt.
    let pinned = directory.appendingPathComponent("pinned.yaml")
    try String(contentsOfFile: template, encoding: .utf8)
      .replacingOccurrences(of: "/myapp/prod/dbpassword:3", with: "/myapp/prod/dbpassword:2")
      .write(to: pinned, atomically: true, encoding: .utf8)
    let managed = try CinchProcess.run(
      [
        "policy", pinned.path, "--account-id", "123456789012", "--region", "eu-west-1",
        "--profile", "deploy", "--store", store,
      ], in: directory)
    #expect(managed.status == 0)
    #expect(!managed.stdout.contains("kms:Decrypt"))
    #expect(managed.stdout.contains("ssm:GetParameters"))
  }
}
