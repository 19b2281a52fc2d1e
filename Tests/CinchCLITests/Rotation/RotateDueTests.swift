import Foundation
import Testing
import _CinchTestSupport

/// `cinch rotate --due` as cron runs it: a failed rotation is resumed on the next run, and runs
/// that overlap leave each other's rotations alone.
@Suite struct RotateDueTests {
  typealias Project = StoreCommandTests.Project

  /// The QA repro: a rotation that fails is due on the next run (its window has not opened,
  /// or there is no schedule at all), listed with its failure, and resumed.
  @Test func aFailedRotationIsDueOnTheNextRun() async throws {
    let project = try await Project()
    #expect(
      try await project.run(["rotation", "register", "failing", "--", "/bin/false"]).status == 0)
    for name in ["weekly", "unscheduled"] {
      let created = try await project.run([
        "secretsmanager", "create-secret", "--name", name, "--secret-string", #"{"password":"x"}"#,
      ])
      #expect(created.status == 0, "\(created.stderr)")
    }
    let weekly = try await project.run([
      "secretsmanager", "rotate-secret", "--secret-id", "weekly", "--rotator", "failing",
      "--rotation-rules", "AutomaticallyAfterDays=7",
    ])
    #expect(weekly.status == 254)
    let unscheduled = try await project.run([
      "secretsmanager", "rotate-secret", "--secret-id", "unscheduled", "--rotator", "failing",
    ])
    #expect(unscheduled.status == 254)

    let dry = try await project.run(["rotate", "--due", "--dry-run"])
    #expect(dry.status == 0, "\(dry.stderr)")
    let lines = dry.stdout.split(separator: "\n")
    #expect(lines.count == 2, "\(dry.stdout)")
    for (line, name) in zip(lines, ["weekly     ", "unscheduled"]) {
      #expect(
        line.hasPrefix("due      \(name)  rotator failing, last attempt failed at createSecret on ")
      )
      #expect(line.hasSuffix(": the command exited with status 1 (resumed)"))
    }
    // Resumed: the same pending version, which fails again, and stays due.
    let pending = try await project.run([
      "secretsmanager", "describe-secret", "--secret-id", "weekly", "--query",
      "CinchRotation.LastFailure.VersionId", "--output", "text",
    ])
    let run = try await project.run(["rotate", "--due"])
    #expect(run.status == 1)
    #expect(
      run.stdout.contains(
        "failed   weekly       RotationFailedException: rotation step 'createSecret'"))
    #expect(
      run.stdout.contains(
        "failed   unscheduled  RotationFailedException: rotation step 'createSecret'"))
    let again = try await project.run([
      "secretsmanager", "describe-secret", "--secret-id", "weekly", "--query",
      "CinchRotation.LastFailure.VersionId", "--output", "text",
    ])
    #expect(again.stdout == pending.stdout)

    // Cancelled (rotation turned off), it is no longer due.
    #expect(
      try await project.run(["secretsmanager", "cancel-rotate-secret", "--secret-id", "weekly"])
        .status == 0)
    let after = try await project.run(["rotate", "--due", "--dry-run"])
    #expect(after.stdout.split(separator: "\n").count == 1)
    #expect(after.stdout.hasPrefix("due      unscheduled  "))
  }

  /// Two runs at once: the second finds the first rotating the secret and says it skipped it,
  /// with exit status 0, rather than reporting the first's rotation as its own failure.
  @Test func anOverlappingRunSkipsTheRotationInProgress() async throws {
    let project = try await Project()
    let started = project.path("started")
    let release = project.path("release")
    let script = try project.write(
      """
      #!/bin/sh
      # Waits at createSecret until the test releases it, then rotates like the Lambda template.
      cat >/dev/null
      arn=$CINCH_ROTATION_SECRET_ID
      token=$CINCH_ROTATION_TOKEN
      case "$CINCH_ROTATION_STEP" in
        createSecret)
          touch "\(started)"
          while [ ! -e "\(release)" ]; do sleep 0.05; done
          printf 'rotated-value' | "$CINCH" secretsmanager put-secret-value --secret-id "$arn" \\
            --client-request-token "$token" --secret-string file:///dev/stdin \\
            --version-stages AWSPENDING >/dev/null ;;
        finishSecret)
          current=$("$CINCH" secretsmanager list-secret-version-ids --secret-id "$arn" \\
            --query "Versions[?contains(VersionStages, 'AWSCURRENT')].VersionId | [0]" --output text)
          "$CINCH" secretsmanager update-secret-version-stage --secret-id "$arn" \\
            --version-stage AWSCURRENT --move-to-version-id "$token" \\
            --remove-from-version-id "$current" >/dev/null ;;
      esac
      """, to: "slow.sh")
    chmod(script, 0o755)
    #expect(try await project.run(["rotation", "register", "slow", "--", script]).status == 0)
    try await project.run([
      "secretsmanager", "create-secret", "--name", "app/db", "--secret-string", "original-value",
    ])
    // Configured without rotating (testSecret only), due in two days.
    let configured = try await project.run([
      "secretsmanager", "rotate-secret", "--secret-id", "app/db", "--rotator", "slow",
      "--rotation-rules", "AutomaticallyAfterDays=1", "--no-rotate-immediately",
    ])
    #expect(configured.status == 0, "\(configured.stderr)")
    let first = Task { try await project.run(["rotate", "--due", "--at", "2099-01-02"]) }
    while !FileManager.default.fileExists(atPath: started) {
      try await Task.sleep(for: .milliseconds(20))
    }
    let second = try await project.run(["rotate", "--due", "--at", "2099-01-02"])
    #expect(second.status == 0, "\(second.stdout)\(second.stderr)")
    #expect(second.stdout == "skipped  app/db  in progress (another run is rotating it)\n")
    _ = FileManager.default.createFile(atPath: release, contents: nil)
    let done = try await first.value
    #expect(done.status == 0, "\(done.stdout)\(done.stderr)")
    #expect(done.stdout.hasPrefix("rotated  app/db  version "))
    await #expect(
      try project.run([
        "secretsmanager", "get-secret-value", "--secret-id", "app/db", "--query", "SecretString",
        "--output", "text",
      ]).stdout == "rotated-value\n")
  }
}
