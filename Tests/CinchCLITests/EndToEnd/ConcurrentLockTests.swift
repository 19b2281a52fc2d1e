import Foundation
import Synchronization
import Testing
import _CinchTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// Two `cinch lock` runs on one lockfile: each reads the lock, resolves, and writes it whole,
/// so without a lock held from the read to the write the later writer drops what the other
/// added, and both say they succeeded. The second waits for the first, and says so.
@Suite(.serialized) struct ConcurrentLockTests {
  let directory: URL

  init() throws {
    directory = try CinchProcess.temporaryDirectory()
  }

  private func cinch(_ arguments: String...) async throws -> CinchProcess.Result {
    try await CinchProcess.run(arguments, in: directory)
  }

  private func seed(_ count: Int) async throws {
    #expect(try await cinch("init").status == 0)
    for index in 1...count {
      let put = try await cinch(
        "ssm", "put-parameter", "--name", "/w/n\(index)", "--value", "v\(index)", "--type",
        "String")
      #expect(put.status == 0, "\(put.stderr)")
      try
        "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: '{{resolve:ssm:/w/n\(index)}}'\n"
        .write(
          to: directory.appendingPathComponent("t\(index).yaml"), atomically: true,
          encoding: .utf8)
    }
  }

  private func lockedTemplates() throws -> [String] {
    let data = try Data(contentsOf: directory.appendingPathComponent("cinch.lock"))
    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    return try #require(object["templates"] as? [String])
  }

  /// Whether `/proc/locks` shows a writer blocked on a `flock` of the folder (a line
  /// `N: -> FLOCK ADVISORY WRITE PID MAJ:MIN:INODE …`).
  private func aWriterWaits() throws -> Bool {
    var info = stat()
    guard stat(directory.path, &info) == 0 else { return false }
    let locks = try String(contentsOfFile: "/proc/locks", encoding: .utf8)
    return locks.split(separator: "\n").contains {
      $0.contains("-> FLOCK")
        && $0.split(separator: " ").contains { $0.hasSuffix(":\(info.st_ino)") }
    }
  }

  @Test func aSecondLockWaitsForTheFirstAndKeepsItsWork() async throws {
    defer { try? FileManager.default.removeItem(at: directory) }
    try await seed(2)
    #expect(try await cinch("lock", "t1.yaml").status == 0)
    // This test holds the lockfile's folder as a running `cinch lock` would.
    let folder = open(directory.path, O_RDONLY | O_DIRECTORY)
    try #require(folder >= 0)
    #expect(flock(folder, LOCK_EX) == 0)
    let ended = Atomic(false)
    let second = Task {
      defer { ended.store(true, ordering: .releasing) }
      return try await CinchProcess.run(["lock", "t2.yaml"], in: directory)
    }
    while try !aWriterWaits() {
      // A run that ends without waiting has not taken the lock: the failure is below.
      if ended.load(ordering: .acquiring) { break }
      try await Task.sleep(nanoseconds: 20_000_000)
    }
    // Blocked before it read the lockfile: nothing of its own yet.
    #expect(try lockedTemplates() == ["t1.yaml"])
    close(folder)
    let result = try await second.value
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.contains("waiting for another 'cinch lock' of 'cinch.lock' to finish"))
    #expect(try lockedTemplates() == ["t1.yaml", "t2.yaml"])
  }

  @Test func locksRunTogetherEachKeepTheirTemplates() async throws {
    defer { try? FileManager.default.removeItem(at: directory) }
    try await seed(4)
    #expect(try await cinch("lock", "t1.yaml").status == 0)
    let runs = try await withThrowingTaskGroup(of: CinchProcess.Result.self) { group in
      for index in 2...4 {
        group.addTask { try await CinchProcess.run(["lock", "t\(index).yaml"], in: directory) }
      }
      return try await group.reduce(into: []) { $0.append($1) }
    }
    #expect(runs.allSatisfy { $0.status == 0 }, "\(runs.map(\.stderr))")
    #expect(try lockedTemplates() == ["t1.yaml", "t2.yaml", "t3.yaml", "t4.yaml"])
    let lock = try String(
      contentsOf: directory.appendingPathComponent("cinch.lock"), encoding: .utf8)
    for index in 1...4 { #expect(lock.contains("\"/w/n\(index)\"")) }
  }

  /// A path of one character (`--store s`, `--lock q`) is a file in the current folder; it
  /// crashed (Foundation's `deletingLastPathComponent` traps on one).
  @Test func oneCharacterPathsAreFiles() async throws {
    defer { try? FileManager.default.removeItem(at: directory) }
    #expect(try await cinch("init", "--store", "s").status == 0)
    let put = try await cinch(
      "ssm", "put-parameter", "--store", "s", "--name", "/w/n1", "--value", "v", "--type", "String")
    #expect(put.status == 0, "\(put.stderr)")
    try
      "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: '{{resolve:ssm:/w/n1}}'\n"
      .write(to: directory.appendingPathComponent("t.yaml"), atomically: true, encoding: .utf8)
    let lock = try await cinch("lock", "t.yaml", "--store", "s", "--lock", "q")
    #expect(lock.status == 0, "\(lock.stderr)")
    #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("q").path))
  }
}
