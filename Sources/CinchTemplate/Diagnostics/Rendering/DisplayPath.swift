import Foundation

/// A path taken apart lexically: empty and `.` components dropped, `..` folded where it can be
/// (at the root of an absolute path it stays at the root). No file system access: symbolic
/// links are not followed.
struct PathComponents: Sendable, Equatable {
  var isAbsolute: Bool
  var components: [String]

  init(_ path: String) {
    isAbsolute = path.hasPrefix("/")
    components = []
    append(path)
  }

  func appending(_ path: String) -> PathComponents {
    var copy = self
    copy.append(path)
    return copy
  }

  /// Whether `self` is `other` or lies below it.
  func isWithin(_ other: PathComponents) -> Bool {
    isAbsolute == other.isAbsolute && !other.components.contains("..")
      && components.starts(with: other.components)
  }

  private mutating func append(_ path: String) {
    for part in path.split(separator: "/", omittingEmptySubsequences: true) {
      switch part {
      case ".": continue
      case "..":
        if let last = components.last, last != ".." {
          components.removeLast()
        } else if !isAbsolute {
          components.append("..")
        }
      default: components.append(String(part))
      }
    }
  }
}

/// How a machine-read format names a diagnostic's file: relative to a base directory (the
/// repository root) when the file lies below it, else the normalized path itself. A relative
/// file name is taken relative to the working directory.
struct DisplayPath: Sendable, Equatable {
  /// Below the base when `isUnderBase`, else the whole normalized path.
  var components: [String]
  var isUnderBase: Bool
  var isAbsolute: Bool

  init(_ file: String, base: String, working: String) {
    let basePath = PathComponents(base)
    var resolved =
      file.hasPrefix("/") ? PathComponents(file) : PathComponents(working).appending(file)
    // The base is a real path (the CLI resolves it); a file named through a link to a folder
    // in it (`link/t.yaml`, `$PWD/t.yaml` with `$PWD` a link) is the file its folder's real
    // path names. Its own name is kept, as the repository lists it.
    if !resolved.isWithin(basePath), resolved.isAbsolute, let name = resolved.components.last {
      let folder = "/" + resolved.components.dropLast().joined(separator: "/")
      let real = URL(fileURLWithPath: folder).resolvingSymlinksInPath().path
      let candidate = PathComponents(real).appending(name)
      if candidate.isWithin(basePath) { resolved = candidate }
    }
    if resolved.isWithin(basePath) {
      components = Array(resolved.components.dropFirst(basePath.components.count))
      isUnderBase = true
      isAbsolute = false
    } else {
      components = resolved.components
      isUnderBase = false
      isAbsolute = resolved.isAbsolute
    }
  }

  /// The path as text: `templates/rds.yaml`, `/elsewhere/stack.yaml`, `.` for the base itself.
  var text: String {
    let joined = components.joined(separator: "/")
    if isAbsolute { return "/" + joined }
    return joined.isEmpty ? "." : joined
  }
}
