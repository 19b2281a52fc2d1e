import Foundation
import Testing
import _CinchTestSupport

/// `cinch secretsmanager …`, `cinch rotation …` and `cinch rotate --due` as a user runs them.
@Suite struct SecretsManagerCommandTests {
  typealias Project = StoreCommandTests.Project

  func json(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  @Test func theIssuesCommandsWork() async throws {
    let project = try await Project()
    let created = try await project.run([
      "secretsmanager", "create-secret", "--name", "prod/MyApp/DBSecret", "--description",
      "Production database credentials for MyApp", "--secret-string",
      #"{"username":"dbadmin","password":"MySecurePassword123!"}"#,
    ])
    #expect(created.status == 0, "\(created.stderr)")
    #expect(created.stderr == "")
    let response = try json(created.stdout)
    #expect(Set(response.keys) == ["ARN", "Name", "VersionId"])
    #expect(
      created.stdout.hasPrefix(
        "{\n    \"ARN\": \"arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/MyApp/DBSecret-"
      ))

    let get = try await project.run([
      "secretsmanager", "get-secret-value", "--secret-id", "prod/MyApp/DBSecret",
    ])
    #expect(get.status == 0)
    let value = try json(get.stdout)
    #expect(
      Set(value.keys) == [
        "ARN", "Name", "VersionId", "SecretString", "VersionStages", "CreatedDate",
      ])
    #expect(value["VersionStages"] as? [String] == ["AWSCURRENT"])

    let text = try await project.run([
      "secretsmanager", "get-secret-value", "--secret-id", "prod/MyApp/DBSecret", "--query",
      "SecretString", "--output", "text",
    ])
    #expect(text.stdout == #"{"username":"dbadmin","password":"MySecurePassword123!"}"# + "\n")

    let missing = try await project.run([
      "secretsmanager", "get-secret-value", "--secret-id", "MyDatabaseSecret", "--query",
      "SecretString", "--output", "text",
    ])
    #expect(missing.status == 254)
    #expect(missing.stdout == "")
    #expect(
      missing.stderr
        == "An error occurred (ResourceNotFoundException) when calling the GetSecretValue operation: "
        + "Secrets Manager can't find the specified secret.\n")

    let rotated = try await project.run([
      "secretsmanager", "rotate-secret", "--secret-id", "prod/MyApp/DBSecret", "--rotator",
      "password", "--rotation-rules", "AutomaticallyAfterDays=30",
    ])
    #expect(rotated.status == 0, "\(rotated.stderr)")
    let newVersion = try #require(try json(rotated.stdout)["VersionId"] as? String)
    let described = try await project.run([
      "secretsmanager", "describe-secret", "--secret-id", "prod/MyApp/DBSecret", "--query",
      "[RotationEnabled, RotationLambdaARN, RotationRules.AutomaticallyAfterDays, VersionIdsToStages.\"\(newVersion)\"[0]]",
      "--output", "text",
    ])
    #expect(
      described.stdout
        == "True\tarn:aws:lambda:us-east-1:123456789012:function:password\t30\tAWSCURRENT\n")
    let rotatedValue = try await json(
      try project.run([
        "secretsmanager", "get-secret-value", "--secret-id", "prod/MyApp/DBSecret", "--query",
        "SecretString", "--output", "text",
      ]).stdout)
    #expect(rotatedValue["username"] as? String == "dbadmin")
    #expect((rotatedValue["password"] as? String)?.count == 32)
  }

  @Test func binaryValuesUsageErrorsAndTheDeletionWindow() async throws {
    let project = try await Project()
    let bytes = Data([0, 1, 2, 250, 255])
    let path = project.path("blob.bin")
    try bytes.write(to: URL(fileURLWithPath: path))
    await #expect(
      try project.run([
        "secretsmanager", "create-secret", "--name", "bin", "--secret-binary", "fileb://\(path)",
      ]).status == 0)
    let read = try await project.run([
      "secretsmanager", "get-secret-value", "--secret-id", "bin", "--query", "SecretBinary",
      "--output", "text",
    ])
    #expect(read.stdout == bytes.base64EncodedString() + "\n")
    // `base64 FILE` wraps its lines at 76 columns; the aws CLI drops what is not base64.
    let wrapped = Data(repeating: 7, count: 200).base64EncodedString(
      options: .lineLength76Characters)
    let fromWrapped = try await project.run([
      "secretsmanager", "create-secret", "--name", "wrapped", "--secret-binary", wrapped + "\n",
      "--query", "Name",
    ])
    #expect(fromWrapped.status == 0, "\(fromWrapped.stderr)")
    let readWrapped = try await project.run([
      "secretsmanager", "get-secret-value", "--secret-id", "wrapped", "--query", "SecretBinary",
      "--output", "text",
    ])
    #expect(readWrapped.stdout == Data(repeating: 7, count: 200).base64EncodedString() + "\n")
    #expect(
      try await project.run([
        "secretsmanager", "delete-secret", "--secret-id", "wrapped",
        "--force-delete-without-recovery",
      ]).status == 0)
    let put = try await project.run([
      "secretsmanager", "put-secret-value", "--secret-id", "bin", "--secret-binary", "AAEC",
    ])
    #expect(put.status == 0)

    let noID = try await project.run(["secretsmanager", "get-secret-value"])
    #expect(noID.status == 252)
    #expect(noID.stderr.contains("the following arguments are required: --secret-id"))
    let badBase64 = try await project.run([
      "secretsmanager", "put-secret-value", "--secret-id", "bin", "--secret-binary", "not base64!",
    ])
    #expect(badBase64.status == 252)
    #expect(!badBase64.stderr.contains("not base64!"))
    // The aws CLI v2's --cli-binary-format raw-in-base64-out: the text is the bytes.
    let raw = try await project.run([
      "secretsmanager", "put-secret-value", "--secret-id", "bin", "--secret-binary", "not base64!",
      "--cli-binary-format", "raw-in-base64-out",
    ])
    #expect(raw.status == 0, "\(raw.stderr)")
    let rawRead = try await project.run([
      "secretsmanager", "get-secret-value", "--secret-id", "bin", "--query", "SecretBinary",
      "--output", "text",
    ])
    #expect(rawRead.stdout == Data("not base64!".utf8).base64EncodedString() + "\n")
    let unknownFormat = try await project.run([
      "secretsmanager", "put-secret-value", "--secret-id", "bin", "--secret-binary", "AAEC",
      "--cli-binary-format", "raw",
    ])
    #expect(unknownFormat.status == 252)
    #expect(unknownFormat.stderr.contains("--cli-binary-format"), "\(unknownFormat.stderr)")
    let both = try await project.run([
      "secretsmanager", "create-secret", "--name", "both", "--secret-string", "x",
      "--secret-binary", "AAEC",
    ])
    #expect(both.status == 254)
    #expect(both.stderr.contains("(InvalidParameterException)"))

    let window = try await project.run([
      "secretsmanager", "delete-secret", "--secret-id", "bin", "--recovery-window-in-days", "3",
    ])
    #expect(
      window.stderr
        == "An error occurred (InvalidParameterException) when calling the DeleteSecret operation: "
        + "The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).\n")
    let deleted = try await project.run([
      "secretsmanager", "delete-secret", "--secret-id", "bin", "--recovery-window-in-days", "7",
    ])
    #expect(deleted.status == 0)
    #expect(Set(try json(deleted.stdout).keys) == ["ARN", "Name", "DeletionDate"])
    let refused = try await project.run([
      "secretsmanager", "get-secret-value", "--secret-id", "bin",
    ])
    #expect(refused.status == 254)
    #expect(
      refused.stderr.hasSuffix(
        "You can't perform this operation on the secret because it was marked for deletion.\n"))
    let listed = try await project.run([
      "secretsmanager", "list-secrets", "--include-planned-deletion", "--query",
      "SecretList[].[Name, DeletedDate != null]", "--output", "text",
    ])
    #expect(listed.stdout == "bin\tTrue\n")
    await #expect(
      try project.run(["secretsmanager", "restore-secret", "--secret-id", "bin"]).status == 0)
    await #expect(
      try project.run(["secretsmanager", "get-secret-value", "--secret-id", "bin"]).status == 0)
  }

  /// Terraform reads `GetResourcePolicy` on every refresh; the store keeps no policy.
  @Test func resourcePolicyCommandsAnswerWithoutAPolicy() async throws {
    let project = try await Project()
    try await project.run([
      "secretsmanager", "create-secret", "--name", "app/db", "--secret-string", "v",
    ])
    for command in ["get-resource-policy", "delete-resource-policy"] {
      let answer = try await project.run(["secretsmanager", command, "--secret-id", "app/db"])
      #expect(answer.status == 0)
      let body = try json(answer.stdout)
      #expect(Set(body.keys) == ["ARN", "Name"])
      #expect(body["Name"] as? String == "app/db")
    }
    let missing = try await project.run([
      "secretsmanager", "get-resource-policy", "--secret-id", "nope",
    ])
    #expect(missing.status == 254)
    #expect(
      missing.stderr
        == "An error occurred (ResourceNotFoundException) when calling the GetResourcePolicy "
        + "operation: Secrets Manager can't find the specified secret.\n")
    // Attaching or validating one is refused with the reason, as `cinch serve` refuses it, not
    // with a usage error for a command the aws CLI has.
    let policy = #"{"Version":"2012-10-17","Statement":[]}"#
    for (operation, arguments) in [
      ("PutResourcePolicy", ["put-resource-policy", "--secret-id", "app/db"]),
      ("ValidateResourcePolicy", ["validate-resource-policy"]),
    ] {
      let refused = try await project.run(
        ["secretsmanager"] + arguments + ["--resource-policy", policy])
      #expect(refused.status == 254)
      #expect(
        refused.stderr.hasPrefix(
          "An error occurred (InvalidRequestException) when calling the \(operation) operation: "
            + "Resource policies are not available in the cinch store"))
    }
  }

  @Test func labelsMoveAsTheGuideShows() async throws {
    let project = try await Project()
    let tokenA = "EXAMPLE1-90ab-cdef-fedc-ba987SECRET1"
    let tokenB = "EXAMPLE2-90ab-cdef-fedc-ba987SECRET2"
    try await project.run([
      "secretsmanager", "create-secret", "--name", "MyTestSecret", "--secret-string", "one",
      "--client-request-token", tokenA,
    ])
    try await project.run([
      "secretsmanager", "put-secret-value", "--secret-id", "MyTestSecret", "--secret-string",
      "two", "--client-request-token", tokenB,
    ])
    let needsRemoveFrom = try await project.run([
      "secretsmanager", "update-secret-version-stage", "--secret-id", "MyTestSecret",
      "--version-stage", "AWSCURRENT", "--move-to-version-id", tokenA,
    ])
    #expect(needsRemoveFrom.status == 254)
    #expect(needsRemoveFrom.stderr.contains("The parameter RemoveFromVersionId can't be empty."))
    let moved = try await project.run([
      "secretsmanager", "update-secret-version-stage", "--secret-id", "MyTestSecret",
      "--version-stage", "AWSCURRENT", "--move-to-version-id", tokenA,
      "--remove-from-version-id", tokenB,
    ])
    #expect(moved.status == 0, "\(moved.stderr)")
    let versions = try await project.run([
      "secretsmanager", "list-secret-version-ids", "--secret-id", "MyTestSecret", "--query",
      "Versions[].[VersionId, VersionStages[0]]", "--output", "text",
    ])
    #expect(versions.stdout == "\(tokenA)\tAWSCURRENT\n\(tokenB)\tAWSPREVIOUS\n")
    let replay = try await project.run([
      "secretsmanager", "put-secret-value", "--secret-id", "MyTestSecret", "--secret-string",
      "changed", "--client-request-token", tokenB,
    ])
    #expect(replay.status == 254)
    #expect(replay.stderr.contains("(ResourceExistsException)"))
    let password = try await project.run([
      "secretsmanager", "get-random-password", "--password-length", "20", "--exclude-punctuation",
      "--query", "RandomPassword", "--output", "text",
    ])
    #expect(password.status == 0)
    #expect(password.stdout.count == 21)
  }

  /// `cinch audit list` names a secret's version by the `VersionId` Secrets Manager shows,
  /// beside the store's own number for it, in the table and in JSON.
  @Test func theAuditLogNamesSecretVersionsByVersionId() async throws {
    let project = try await Project()
    let token = "3f0c6a2e-5b1d-4c8e-9a7f-000000000001"
    try await project.run([
      "secretsmanager", "create-secret", "--name", "app/db", "--secret-string", "v",
      "--client-request-token", token,
    ])
    let table = try await project.run(["audit", "list", "--name", "app/db"])
    let lines = table.stdout.split(separator: "\n")
    #expect(lines.first?.contains("VERSION  VERSION ID") == true, "\(table.stdout)")
    #expect(
      lines.last?.contains("app/db  1        \(token)  ok") == true, "\(table.stdout)")
    let listed = try await project.run(["audit", "list", "--name", "app/db", "--format", "json"])
    let rows = try #require(
      try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
    #expect(rows.last?["versionId"] as? String == token)
    #expect(rows.last?["version"] as? Int == 1)
  }

  /// `--password-policy` and `--rotation-rules` given as JSON are type-checked member by member
  /// as `--cli-input-json` is (botocore's check: `"12"` is no integer), by the same reading;
  /// shorthand's text is typed first, as the aws CLI's shorthand parser types it.
  @Test func structureMembersAreTypeCheckedAsTheInputJSONIs() async throws {
    let project = try await Project()
    try await project.run(["secretsmanager", "create-secret", "--name", "app/db"])
    func invalid(_ member: String, _ type: String, _ valid: String) -> String {
      "Invalid type for parameter \(member), value: <redacted>, type: <class '\(type)'>, "
        + "valid types: <class '\(valid)'>"
    }
    let rotate = [
      "secretsmanager", "rotate-secret", "--secret-id", "app/db", "--rotator", "password",
    ]
    for (arguments, message) in [
      (
        rotate + ["--password-policy", #"{"PasswordLength":"12","ExcludeNumbers":"true"}"#],
        invalid("CinchPasswordPolicy.PasswordLength", "str", "int")
      ),
      (
        rotate + ["--password-policy", #"{"ExcludeNumbers":"true"}"#],
        invalid("CinchPasswordPolicy.ExcludeNumbers", "str", "bool")
      ),
      (
        rotate + ["--password-policy", "PasswordLength=twelve"],
        invalid("CinchPasswordPolicy.PasswordLength", "str", "int")
      ),
      (
        rotate + ["--rotation-rules", #"{"AutomaticallyAfterDays":"30"}"#],
        invalid("RotationRules.AutomaticallyAfterDays", "str", "int")
      ),
      (
        ["secretsmanager", "get-random-password", "--cli-input-json", #"{"PasswordLength":"24"}"#],
        invalid("PasswordLength", "str", "int")
      ),
    ] {
      let refused = try await project.run(arguments)
      #expect(refused.status == 252, "\(arguments)")
      #expect(refused.stderr.contains(message), "\(arguments): \(refused.stderr)")
    }
    // Nothing was rotated.
    let stages = try await project.run([
      "secretsmanager", "list-secret-version-ids", "--secret-id", "app/db", "--query",
      "length(Versions)",
    ])
    #expect(stages.stdout == "0\n", "\(stages.stderr)")

    let rotated = try await project.run(
      rotate + ["--password-policy", "PasswordLength=12,ExcludeNumbers=TRUE"])
    #expect(rotated.status == 0, "\(rotated.stderr)")
    let value = try await project.run([
      "secretsmanager", "get-secret-value", "--secret-id", "app/db", "--query", "SecretString",
      "--output", "text",
    ])
    let password = value.stdout.dropLast()
    #expect(password.count == 12)
    #expect(!password.contains { $0.isNumber })
    // A flag still wins over the input JSON's member.
    let generated = try await project.run([
      "secretsmanager", "get-random-password", "--password-length", "10", "--cli-input-json",
      #"{"PasswordLength": 24, "ExcludeNumbers": true}"#, "--query", "RandomPassword",
      "--output", "text",
    ])
    #expect(generated.stdout.count == 11, "\(generated.stderr)")
    #expect(!generated.stdout.contains { $0.isNumber })
  }

  @Test func aFailingCommandRotatorNamesTheStepAndRotateDueReportsIt() async throws {
    let project = try await Project()
    let script = try project.write(
      """
      #!/bin/sh
      # Does createSecret like the Lambda template, then fails at setSecret.
      event=$(cat)
      token=$(printf '%s' "$event" | sed 's/.*"ClientRequestToken":"\\([^"]*\\)".*/\\1/')
      arn=$(printf '%s' "$event" | sed 's/.*"SecretId":"\\([^"]*\\)".*/\\1/')
      case "$CINCH_ROTATION_STEP" in
        createSecret)
          printf 'new-value-from-rotator' | cinch secretsmanager put-secret-value --secret-id "$arn" \\
            --client-request-token "$token" --secret-string file:///dev/stdin \\
            --version-stages AWSPENDING >/dev/null ;;
        setSecret)
          echo "the database refused new-value-from-rotator (old: original-value)" >&2
          exit 1 ;;
      esac
      """, to: "rotator.sh")
    chmod(script, 0o755)
    try await project.run([
      "secretsmanager", "create-secret", "--name", "app/db", "--secret-string", "original-value",
    ])
    let registered = try await project.run(["rotation", "register", "flaky", "--", script])
    #expect(registered.stdout == "registered rotator 'flaky': \(script)\n")
    // A name taken is refused, naming the flag that replaces it, which does.
    let again = try await project.run(["rotation", "register", "flaky", "--", script])
    #expect(again.status == 2)
    #expect(
      again.stderr
        == "cinch: A rotator named 'flaky' is already registered; deregister it first, or pass "
        + "--replace.\n")
    let replaced = try await project.run([
      "rotation", "register", "flaky", "--replace", "--", script,
    ])
    #expect(replaced.stdout == "registered rotator 'flaky': \(script)\n")
    let list = try await project.run(["rotation", "list"])
    #expect(list.stdout.contains("flaky     \(script)\n"))

    let failed = try await project.run([
      "secretsmanager", "rotate-secret", "--secret-id", "app/db", "--rotation-lambda-arn",
      "arn:aws:lambda:us-east-1:123456789012:function:flaky", "--rotation-rules",
      "{\"ScheduleExpression\": \"cron(0 16 1,15 * ? *)\", \"Duration\": \"2h\"}",
    ])
    #expect(failed.status == 254)
    #expect(
      failed.stderr
        == "the rotator's standard error (the secret's values redacted):\n"
        + "  the database refused <redacted> (old: <redacted>)\n"
        + "An error occurred (RotationFailedException) when calling the RotateSecret operation: "
        + "rotation step 'setSecret' of rotator 'flaky' failed: the command exited with status 1\n")
    await #expect(
      try project.run([
        "secretsmanager", "get-secret-value", "--secret-id", "app/db", "--query", "SecretString",
        "--output", "text",
      ]).stdout == "original-value\n")
    let rules = try await project.run([
      "secretsmanager", "describe-secret", "--secret-id", "app/db", "--query",
      "[RotationRules.ScheduleExpression, CinchRotation.LastFailure.Step]", "--output", "text",
    ])
    #expect(rules.stdout == "cron(0 16 1,15 * ? *)\tsetSecret\n")

    // The window (the next 1st or 15th at 16:00 UTC) has not opened, but the failed attempt
    // is due now: the next run resumes it, as the docs and the error ("That rotation will be
    // reattempted") say. It was listed only once its window opened.
    let dryNow = try await project.run(["rotate", "--due", "--dry-run"])
    #expect(dryNow.status == 0)
    #expect(
      dryNow.stdout.hasPrefix(
        "due      app/db  rotator flaky, last attempt failed at setSecret on "))
    #expect(dryNow.stdout.hasSuffix(": the command exited with status 1 (resumed)\n"))
    let now = try await project.run(["rotate", "--due"])
    #expect(now.status == 1)
    #expect(
      now.stdout
        == "failed   app/db  RotationFailedException: rotation step 'setSecret' of rotator "
        + "'flaky' failed: the command exited with status 1\n")
    let dry = try await project.run(["rotate", "--due", "--dry-run", "--at", "2099-01-02"])
    #expect(dry.stdout.hasPrefix("due      app/db  rotator flaky, window opened "))
    #expect(dry.stdout.contains(", last attempt failed at setSecret on "))
    let due = try await project.run(["rotate", "--due", "--at", "2099-01-02"])
    #expect(due.status == 1)
    #expect(
      due.stdout
        == "failed   app/db  RotationFailedException: rotation step 'setSecret' of rotator "
        + "'flaky' failed: the command exited with status 1\n")
    #expect(
      due.stderr
        == "the rotator's standard error (the secret's values redacted):\n"
        + "  the database refused <redacted> (old: <redacted>)\n")

    // With the built-in rotator instead, the unfinished rotation is resumed and completes.
    let resumed = try await project.run([
      "secretsmanager", "rotate-secret", "--secret-id", "app/db", "--rotator", "password",
    ])
    #expect(resumed.status == 0, "\(resumed.stderr)")
    await #expect(
      try project.run([
        "secretsmanager", "get-secret-value", "--secret-id", "app/db", "--query", "SecretString",
        "--output", "text",
      ]).stdout == "new-value-from-rotator\n")
    await #expect(try project.run(["rotation", "deregister", "flaky"]).status == 0)
    let gone = try await project.run(["rotation", "deregister", "flaky"])
    #expect(gone.status == 2)
    #expect(gone.stderr == "cinch: No rotator named 'flaky' is registered.\n")
  }
}
