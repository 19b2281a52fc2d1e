import Foundation
import GRDB
import Testing

@testable import CinchStore

/// Several writers on one name, each through its own connection pool as separate processes
/// would be: no version is lost or handed out twice. (The CLI's tests repeat this with real
/// processes.)
@Suite struct ConcurrencyTests {
  @Test func fourWritersOnOneNameNeverLoseOrDuplicateAVersion() async throws {
    let fixture = try await StoreFixture.make()
    try await fixture.store.put("/shared/counter", "seed", overwrite: false)
    var writers: [SQLiteStore] = []
    for _ in 0..<4 { writers.append(try await fixture.reopen()) }
    let perWriter = 100
    let versions = try await withThrowingTaskGroup(of: [Int].self) { group in
      for (index, writer) in writers.enumerated() {
        group.addTask {
          var mine: [Int] = []
          for step in 0..<perWriter {
            mine.append(try await writer.put("/shared/counter", "w\(index)-\(step)").version)
          }
          return mine
        }
      }
      var all: [Int] = []
      for try await batch in group { all += batch }
      return all
    }
    #expect(versions.sorted() == Array(2...(1 + 4 * perWriter)))
    let latest = try await fixture.store.get("/shared/counter")
    #expect(latest.version == 1 + 4 * perWriter)
    let history = try await fixture.store.parameterVersions("/shared/counter")
    #expect(
      history.versions.map(\.version) == Array((2 + 4 * perWriter - 100)...(1 + 4 * perWriter)))
    #expect(try await fixture.store.verifyAuditLog().isIntact)
  }
}

extension ConcurrencyTests {
  @Test func aWriterThatCannotGetTheLockGivesUpWithTooManyUpdates() async throws {
    let fixture = try await StoreFixture.make()
    var configuration = Configuration()
    configuration.allowsUnsafeTransactions = true
    let holder = try DatabaseQueue(path: fixture.storePath, configuration: configuration)
    try await holder.writeWithoutTransaction { db in try db.execute(sql: "BEGIN IMMEDIATE") }
    let impatient = try await fixture.reopen(
      configuration: StoreConfiguration(busyTimeoutSeconds: 0.1))
    await expectStoreError(
      "TooManyUpdates",
      message: "There are concurrent updates for a resource that supports one update at a time. "
        + "(store '\(fixture.storePath)' is held by another writer; try again)"
    ) {
      try await impatient.put("/x", "v", overwrite: false)
    }
    // The other services have no `TooManyUpdates`: their callers get the common
    // `ThrottlingException` (IAM: `Throttling`), which SDKs retry.
    do {
      _ = try await impatient.put("/x", "v", overwrite: false)
      Issue.record("the write went through a held lock")
    } catch let error as StoreError {
      #expect(error.inService(.ssm).code == "TooManyUpdates")
      #expect(error.inService(.secretsManager).code == "ThrottlingException")
      #expect(error.inService(.kms).code == "ThrottlingException")
      #expect(error.inService(.iam).code == "Throttling")
      #expect(error.inService(.kms).message == error.message)
    }
    try await holder.writeWithoutTransaction { db in try db.execute(sql: "ROLLBACK") }
    #expect(try await impatient.put("/x", "v", overwrite: false).version == 1)
  }

  /// The busy error under each service's name. Parameter Store's `TooManyUpdates` is only in
  /// the model of the writes that list it (PutParameter, the label and tag operations:
  /// `AWSErrorShapesTests` holds the list to botocore's model); for the others, reads whose
  /// audit row needs the write lock above all, it is the common `ThrottlingException`, which
  /// SDKs retry (botocore did not retry `TooManyUpdates` on a `GetParameter`, whose model does
  /// not name it).
  @Test func theBusyErrorIsNamedAsEachOperationsModelNamesIt() {
    let busy = StoreError.tooManyUpdates(store: "/tmp/s.db")
    #expect(busy.inService(.ssm, operation: "PutParameter").code == "TooManyUpdates")
    #expect(busy.inService(.ssm, operation: "LabelParameterVersion").code == "TooManyUpdates")
    #expect(busy.inService(.ssm, operation: "GetParameter").code == "ThrottlingException")
    #expect(busy.inService(.ssm, operation: "DeleteParameter").code == "ThrottlingException")
    #expect(busy.inService(.ssm).code == "TooManyUpdates")
    #expect(
      busy.inService(.secretsManager, operation: "PutSecretValue").code == "ThrottlingException")
    #expect(busy.inService(.ssm, operation: "GetParameter").httpStatus == 400)
    #expect(busy.inService(.ssm, operation: "GetParameter").message == busy.message)
  }

  /// A store at rest has no WAL, so opening it writes the WAL's first frame, which needs the
  /// write lock: another process holding it makes the open wait once, up to the busy timeout,
  /// and fail as a write would, not with "database is locked" after waiting twice. (How often
  /// it waits is `aBusyWriteIsTriedAgainOnlyBeforeTheTimeoutHasPassed`'s to prove, not a time
  /// limit's: under the full suite's load this test waited over a minute for a thread.)
  @Test
  func anOpenBehindAHeldWriteLockGivesUpWithTooManyUpdates() async throws {
    let fixture = try await StoreFixture.make()
    try await fixture.store.put("/x", "v", overwrite: false)
    try fixture.store.close()
    var configuration = Configuration()
    configuration.allowsUnsafeTransactions = true
    let holder = try DatabaseQueue(path: fixture.storePath, configuration: configuration)
    try await holder.writeWithoutTransaction { db in try db.execute(sql: "BEGIN IMMEDIATE") }
    let impatient = StoreConfiguration(busyTimeoutSeconds: 0.5)
    await expectStoreError("TooManyUpdates") {
      _ = try await fixture.reopen(configuration: impatient)
    }
    try await holder.writeWithoutTransaction { db in try db.execute(sql: "ROLLBACK") }
    let reopened = try await fixture.reopen(configuration: impatient)
    #expect(try await reopened.get("/x").value == "v")
  }

  /// SQLite's busy handler has waited up to the timeout when an attempt fails busy; only a
  /// failure that came sooner is tried again, so a held lock costs one timeout, not four.
  @Test func aBusyWriteIsTriedAgainOnlyBeforeTheTimeoutHasPassed() {
    #expect(SQLiteStore.retriesBusy(attempts: 1, waited: .milliseconds(3), timeoutSeconds: 30))
    #expect(SQLiteStore.retriesBusy(attempts: 3, waited: .seconds(29), timeoutSeconds: 30))
    #expect(!SQLiteStore.retriesBusy(attempts: 1, waited: .seconds(30), timeoutSeconds: 30))
    #expect(!SQLiteStore.retriesBusy(attempts: 1, waited: .milliseconds(600), timeoutSeconds: 0.5))
    #expect(!SQLiteStore.retriesBusy(attempts: 4, waited: .zero, timeoutSeconds: 30))
  }

  @Test func theBusyHandlerPollsQuicklyAndStopsAtItsTimeout() {
    var slept = 0
    for tries in 0..<400 {
      #expect(StoreDatabase.waited(afterTries: tries) == slept)
      slept += StoreDatabase.delay(afterTries: tries)
    }
    let handler = StoreDatabase.busyHandler(timeoutSeconds: 0)
    #expect(handler(0) == false)
  }
}

/// The resolver's batch read, the checker's metadata read, and fingerprints.
@Suite struct ResolverTests {
  @Test func resolvesManyReferencesInOneTransaction() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    try await store.put("/app/db/password", "pw1", type: .secureString, overwrite: false)
    try await store.put("/app/db/password", "pw2", type: .secureString)
    try await store.put("/app/db/host", "db", overwrite: false)
    let results = try await store.resolveParameters([
      "/app/db/password", "/app/db/password:1", "/app/db/host", "/app/none", "/app/db/host:9",
    ])
    #expect(results.count == 5)
    guard case .resolved(let latest) = results[0], case .resolved(let first) = results[1],
      case .resolved(let host) = results[2], case .failed(_, let missing) = results[3],
      case .failed(_, let badVersion) = results[4]
    else {
      Issue.record("unexpected results")
      return
    }
    #expect(latest.value.utf8String() == "pw2")
    #expect(latest.version == 2)
    #expect(latest.type == .secureString)
    #expect(first.value.utf8String() == "pw1")
    #expect(first.selector == ":1")
    #expect(host.value.utf8String() == "db")
    #expect(host.arn == "arn:aws:ssm:us-east-1:123456789012:parameter/app/db/host")
    #expect(missing.code == "ParameterNotFound")
    #expect(badVersion.code == "ParameterVersionNotFound")
    #expect("\(latest.value)" == "<redacted>")
    let audit = try await store.auditRecords(name: nil, limit: 5)
    #expect(audit.allSatisfy { $0.operation == "ResolveParameters" })
  }

  @Test func catalogListsVersionsWithoutValues() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    try await store.put("/c", "1", type: .secureString, overwrite: false)
    try await store.put("/c", "2", type: .secureString)
    _ = try await store.labelParameterVersion(
      LabelParameterVersionRequest(name: "/c", parameterVersion: 1, labels: ["old"]))
    let list = try await store.parameterVersions("/c")
    #expect(list.versions.map(\.version) == [1, 2])
    #expect(list.version(labelled: "old")?.version == 1)
    #expect(list.latest?.keyID == "alias/aws/ssm")
    await expectStoreError("ParameterNotFound") { _ = try await store.parameterVersions("/none") }
  }

  @Test func fingerprintsAreKeyedAndStable() async throws {
    let fixture = try await StoreFixture.make()
    let a = fixture.store.fingerprint(of: SecretBytes(utf8: "same"), entry: "ssm:/a")
    #expect(a.hasPrefix("hmac-sha256:"))
    #expect(a.count == "hmac-sha256:".count + 64)
    #expect(a == fixture.store.fingerprint(of: SecretBytes(utf8: "same"), entry: "ssm:/a"))
    #expect(a != fixture.store.fingerprint(of: SecretBytes(utf8: "other"), entry: "ssm:/a"))
    // Bound to the entry: the same value read from another is not recognisable as the same.
    #expect(a != fixture.store.fingerprint(of: SecretBytes(utf8: "same"), entry: "ssm:/b"))
    #expect(
      a != fixture.store.fingerprint(of: SecretBytes(utf8: "/asame"), entry: "ssm:"))
    // Not a plain hash of the value, and different in another store.
    #expect(
      !a.contains(Crypto.sha256(Array("same".utf8)).map { String(format: "%02x", $0) }.joined()))
    let other = try await StoreFixture.make()
    #expect(a != other.store.fingerprint(of: SecretBytes(utf8: "same"), entry: "ssm:/a"))
    // A rekey keeps fingerprints (lockfiles stay valid).
    try await fixture.store.rekey(to: .newKeyFile(path: fixture.directory.file("k2")))
    let reopened = try await SQLiteStore.open(
      at: fixture.storePath, master: .keyFile(path: fixture.directory.file("k2")))
    #expect(reopened.fingerprint(of: SecretBytes(utf8: "same"), entry: "ssm:/a") == a)
  }
}
