import CinchCompiler
import Foundation
import Testing

/// Site paths are relative to the lockfile's folder, whichever name of that folder the user
/// came through: a repository reached through a symbolic link (a CI workspace, macOS's `/tmp`)
/// names its templates as they are inside it, so `check` finds them among the lock's.
@Suite struct SitePathsTests {
  /// `root/repo` with `infra/app.yaml`, `root/link` → `repo`, and `repo/shared` → `../elsewhere`.
  static func tree() throws -> String {
    let root = FileManager.default.temporaryDirectory.path + "/cinch-sitepaths-" + UUID().uuidString
    let files = FileManager.default
    try files.createDirectory(atPath: root + "/repo/infra", withIntermediateDirectories: true)
    try files.createDirectory(atPath: root + "/elsewhere", withIntermediateDirectories: true)
    try files.createSymbolicLink(atPath: root + "/link", withDestinationPath: "repo")
    try files.createSymbolicLink(atPath: root + "/repo/shared", withDestinationPath: "../elsewhere")
    return root
  }

  @Test func aFileNamedThroughALinkToTheRepositoryIsNamedFromInsideIt() throws {
    let root = try Self.tree()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let inRepo = SitePaths(lockPath: "cinch.lock", workingDirectory: root + "/repo")
    #expect(inRepo.relative("infra/app.yaml") == "infra/app.yaml")
    #expect(inRepo.relative(root + "/link/infra/app.yaml") == "infra/app.yaml")
    #expect(inRepo.relative(root + "/repo/infra/app.yaml") == "infra/app.yaml")

    let throughLink = SitePaths(
      lockPath: root + "/link/cinch.lock", workingDirectory: root + "/repo")
    #expect(throughLink.relative("infra/app.yaml") == "infra/app.yaml")
    #expect(throughLink.relative(root + "/link/infra/app.yaml") == "infra/app.yaml")
  }

  @Test func linksBelowTheLockAndFilesOutsideItKeepTheirWrittenNames() throws {
    let root = try Self.tree()
    defer { try? FileManager.default.removeItem(atPath: root) }
    let paths = SitePaths(lockPath: "cinch.lock", workingDirectory: root + "/repo")
    #expect(paths.relative("shared/x.yaml") == "shared/x.yaml")
    #expect(paths.relative("../elsewhere/x.yaml") == "../elsewhere/x.yaml")
    #expect(paths.relative(root + "/elsewhere/x.yaml") == "../elsewhere/x.yaml")
  }
}
