/// The folder part of a file path, as `NSString.deletingLastPathComponent` gives it (`a/b/c` →
/// `a/b`, `/a` → `/`, `c` → ``), without it: the Foundation of Swift 6.3 on Linux traps (an
/// illegal instruction) on a path of one character, so `--store s` or `--lock q` crashed.
package enum PathFolder {
  package static func of(_ path: String) -> String {
    var trimmed = Substring(path)
    while trimmed.count > 1, trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
    guard let slash = trimmed.lastIndex(of: "/") else { return "" }
    guard slash != trimmed.startIndex else { return "/" }
    var folder = trimmed[..<slash]
    while folder.count > 1, folder.hasSuffix("/") { folder = folder.dropLast() }
    return String(folder)
  }

  /// The folder to open for `path`: its folder, or `.` for a name without one.
  package static func containing(_ path: String) -> String {
    let folder = of(path)
    return folder.isEmpty ? "." : folder
  }
}
