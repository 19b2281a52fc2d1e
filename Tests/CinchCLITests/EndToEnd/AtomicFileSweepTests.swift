import Foundation
import Testing

@testable import CinchCLI

/// What a killed write left beside a file: swept before the next write stages anything, so
/// this process's own PID counts as gone (a container's cinch is PID 1 every run, and a name
/// left by the last one would block every later write with `O_EXCL`).
@Suite struct AtomicFileSweepTests {
  @Test func ownAndDeadProcessesLeftoversGoLiveOnesStay() throws {
    let folder =
      FileManager.default.temporaryDirectory.path + "/cinch-sweep-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let own = ".a.yaml.tmp-\(getpid())"
    let dead = ".a.yaml.tmp-2000000000"
    let live = ".a.yaml.tmp-1"  // init: always alive
    let other = ".b.yaml.tmp-2000000000"
    for name in [own, dead, live, other] {
      #expect(FileManager.default.createFile(atPath: folder + "/" + name, contents: Data("v".utf8)))
    }
    AtomicFile.sweepLeftovers(beside: [folder + "/a.yaml"])
    var left = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
    #expect(left == [other, live].sorted())
    // A folder render owns: any file's leftovers.
    AtomicFile.sweepLeftovers(beside: [folder + "/a.yaml"], anyName: true)
    left = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
    #expect(left == [live])
    // And a write goes through where the last process of this PID left its name.
    #expect(
      FileManager.default.createFile(
        atPath: folder + "/.c.yaml.tmp-\(getpid())", contents: Data("old".utf8)))
    try AtomicFile.write("new", to: folder + "/c.yaml")
    #expect(!FileManager.default.fileExists(atPath: folder + "/.c.yaml.tmp-\(getpid())"))
    #expect(try String(contentsOfFile: folder + "/c.yaml", encoding: .utf8) == "new")
  }
}
