import CinchStore
public import CinchTemplate
public import Foundation

/// Site paths in a lockfile are relative to the lockfile's folder, so the lock reads the same
/// whichever folder `cinch lock` ran in.
public struct SitePaths: Sendable {
  /// The lockfile's folder, absolute and standardized.
  public let base: URL
  let workingDirectory: URL

  public init(lockPath: String, workingDirectory: String = FileManager.default.currentDirectoryPath)
  {
    let cwd = URL(fileURLWithPath: workingDirectory, isDirectory: true)
    self.workingDirectory = cwd
    // A lockfile reached through a symbolic link is the file it names, and its paths are
    // relative to that file's folder, whichever name wrote or reads it.
    let file = Self.followingLinks(lockPath, from: workingDirectory) ?? lockPath
    self.base = URL(fileURLWithPath: file, relativeTo: cwd).standardizedFileURL
      .deletingLastPathComponent()
  }

  /// The file a chain of symbolic links at `path` ends in (`path` itself when it is none, or
  /// is a dangling link's target); a relative link is read from the folder the link is in.
  /// nil for a loop (after 40 links, as the kernel gives up).
  public static func followingLinks(
    _ path: String, from workingDirectory: String = FileManager.default.currentDirectoryPath
  ) -> String? {
    var current = path
    for _ in 0..<40 {
      let absolute =
        current.hasPrefix("/") ? current : workingDirectory + "/" + current
      guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: absolute)
      else { return current }
      if target.hasPrefix("/") {
        current = target
      } else {
        let folder = PathFolder.of(current)
        current = folder.isEmpty ? target : folder + "/" + target
      }
    }
    return nil
  }

  /// `file` (as the user named it) relative to the lockfile's folder.
  /// A file named through a symbolic link to a folder above the lockfile's (`$PWD/app.yaml`
  /// where `$PWD` is a link to the repository, or `--lock` through one) is the same file as
  /// its real path names: when the path as written leads out of the lockfile's folder, the
  /// folders are compared with their links resolved, and the file is named from inside the
  /// folder when it lies there. Links below the folder are kept as written.
  public func relative(_ file: String) -> String {
    let absolute = URL(fileURLWithPath: file, relativeTo: workingDirectory).standardizedFileURL
    let written = Self.components(of: absolute.pathComponents, from: base.pathComponents)
    guard written.first == ".." else { return Self.joined(written) }
    let resolved = absolute.deletingLastPathComponent().resolvingSymlinksInPath()
      .appendingPathComponent(absolute.lastPathComponent)
    let real = Self.components(
      of: resolved.pathComponents, from: base.resolvingSymlinksInPath().pathComponents)
    return Self.joined(real.first == ".." ? written : real)
  }

  private static func components(of target: [String], from: [String]) -> [String] {
    var common = 0
    while common < min(target.count, from.count), target[common] == from[common] { common += 1 }
    return Array(repeating: "..", count: from.count - common) + target[common...]
  }

  private static func joined(_ components: [String]) -> String {
    components.isEmpty ? "." : components.joined(separator: "/")
  }

  /// `templates/db.yaml:42:7`
  public func site(file: String, line: Int, column: Int) -> String {
    "\(relative(file)):\(line):\(column)"
  }

  /// `site(file:line:column:)` of each site, each file made relative once (`relative` goes
  /// through `URL` standardization: ~9% of a 30,000-reference `lock` when done per site). A
  /// place is listed once: text reached through a YAML alias (or a merge key) is one site
  /// however many paths of the template read it.
  public func sites(_ sites: [ReferenceSite], files: inout [String: String]) -> [String] {
    var listed: [String] = []
    listed.reserveCapacity(sites.count)
    var seen: Set<String> = []
    for site in sites {
      let file: String
      if let known = files[site.file] {
        file = known
      } else {
        file = relative(site.file)
        files[site.file] = file
      }
      let text = "\(file):\(site.range.start.line):\(site.range.start.column)"
      if sites.count == 1 || seen.insert(text).inserted { listed.append(text) }
    }
    return listed
  }
}
