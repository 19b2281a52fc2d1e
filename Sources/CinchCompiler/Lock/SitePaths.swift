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
    self.base = URL(fileURLWithPath: lockPath, relativeTo: cwd).standardizedFileURL
      .deletingLastPathComponent()
  }

  /// `file` (as the user named it) relative to the lockfile's folder.
  public func relative(_ file: String) -> String {
    let absolute = URL(fileURLWithPath: file, relativeTo: workingDirectory).standardizedFileURL
    let target = absolute.pathComponents
    let from = base.pathComponents
    var common = 0
    while common < min(target.count, from.count), target[common] == from[common] { common += 1 }
    let ups = Array(repeating: "..", count: from.count - common)
    let rest = Array(target[common...])
    let components = ups + rest
    return components.isEmpty ? "." : components.joined(separator: "/")
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
