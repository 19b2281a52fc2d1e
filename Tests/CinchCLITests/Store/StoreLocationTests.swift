import CinchStore
import Testing

@testable import CinchCLI

@Suite struct StoreLocationTests {
  @Test func awsURLsAndFiles() throws {
    #expect(try StoreLocation.parse("aws://us-east-1") == .aws(region: "us-east-1"))
    #expect(try StoreLocation.parse("AWS://eu-west-1/") == .aws(region: "eu-west-1"))
    #expect(try StoreLocation.parse("aws://") == .aws(region: nil))
    #expect(try StoreLocation.parse(".cinch/store.db") == .file(".cinch/store.db"))
    #expect(try StoreLocation.parse("/tmp/aws/store.db") == .file("/tmp/aws/store.db"))
    #expect(throws: StoreLocationError.self) { try StoreLocation.parse("aws://us east 1") }
    #expect(throws: StoreLocationError.self) { try StoreLocation.parse("aws://us-east-1/x") }
  }

  @Test func syncReportsEachParameterAndTheTotals() {
    var report = StoreSync.Report()
    report.entries = [
      StoreSync.Entry(
        kind: "parameter", name: "/a",
        outcome: .copied(
          versions: 100, from: 6, to: 105, labels: ["prod"], refusedLabels: ["SSMx"]),
        planned: false),
      StoreSync.Entry(kind: "parameter", name: "/b", outcome: .skipped, planned: false),
      StoreSync.Entry(
        kind: "parameter", name: "/c",
        outcome: .failed(StoreError(code: "InvalidKeyId", message: "bad key"), copiedVersions: 2),
        planned: false),
      StoreSync.Entry(kind: "parameter", name: "/d", outcome: .unchanged, planned: false),
      StoreSync.Entry(
        kind: "parameter", name: "/e",
        outcome: .resumed(versions: 2, held: 1, labels: ["prod"], refusedLabels: []),
        planned: false),
      StoreSync.Entry(
        kind: "parameter", name: "/f",
        outcome: .resumed(versions: 0, held: 3, labels: ["prod", "live"], refusedLabels: ["SSMx"]),
        planned: false),
    ]
    #expect(
      SyncCommand.render(report, dryRun: false) == """
        copied parameter '/a': 100 versions (source versions 6-105 become 1-100), labels prod; \
        the target refused labels SSMx
        skipped parameter '/b': exists in the target with a history of its own (use \
        --overwrite to write the latest value over it; the earlier versions cannot be carried)
        failed parameter '/c': InvalidKeyId: bad key (its first 2 versions are in the target: \
        the next sync adds the rest)
        unchanged parameter '/d': the target has the same latest value
        resumed parameter '/e': 2 versions added after the 1 the target held, labels prod
        resumed parameter '/f': every version was there; labels set as the source has them: \
        prod, live; the target refused labels SSMx
        sync: 1 copied, 2 resumed, 1 unchanged, 1 skipped, 1 failed

        """)
    #expect(
      SyncCommand.render(StoreSync.Report(), dryRun: true)
        == "sync: nothing to copy (dry run: nothing written)\n")
  }

  @Test func syncReportsSecretsWithTheirLabels() {
    let report = StoreSync.Report(entries: [
      StoreSync.Entry(
        kind: "secret", name: "app/db",
        outcome: .copiedSecret(
          versions: 2, labels: ["AWSCURRENT", "AWSPREVIOUS"], refusedLabels: [],
          emptyLabels: ["AWSPENDING"]),
        planned: false),
      StoreSync.Entry(
        kind: "secret", name: "app/key",
        outcome: .updated(labels: ["AWSCURRENT"], refusedLabels: []), planned: false),
    ])
    #expect(
      SyncCommand.render(report, dryRun: false) == """
        copied secret 'app/db': 2 versions, labels AWSCURRENT, AWSPREVIOUS; not copied: labels \
        AWSPENDING on a version without a value
        updated secret 'app/key': latest value written as a new version, labels AWSCURRENT; \
        the target's history is its own, so the earlier versions are not carried
        sync: 1 copied, 1 updated

        """)
  }
}
