import CinchCompiler
import CinchStore
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One `cinch lock` at a time per lockfile. A lock reads the lockfile, resolves, and writes it
/// whole: two at once would each write what it read plus its own change, and the last to
/// finish would drop the other's (both saying they succeeded). An exclusive `flock` on the
/// lockfile's folder (not on the file, which each write replaces, nor on a file of its own,
/// which would sit in the repository) is held from the read to the write; a second lock waits
/// for it, and says it waits. The kernel lets it go when the process ends, however it ends.
/// Readers (`render`, `plan`, `check`) need none: the file is replaced by a rename, so they
/// read one whole version or the other.
final class LockfileWriter {
  private var descriptor: Int32

  /// Waits for any other writer of `lockPath`. A folder that cannot be opened takes no lock:
  /// the write fails there anyway, with its own message.
  init(lockPath: String) {
    let target = SitePaths.followingLinks(lockPath) ?? lockPath
    descriptor = open(PathFolder.containing(target), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard descriptor >= 0 else { return }
    if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
      Output.stderr("cinch: waiting for another 'cinch lock' of '\(lockPath)' to finish\n")
      while flock(descriptor, LOCK_EX) != 0 && errno == EINTR {}
    }
  }

  /// Lets the next writer go (a command run in-process, as the tests run them, ends here, not
  /// with its process).
  func release() {
    if descriptor >= 0 { close(descriptor) }
    descriptor = -1
  }

  deinit { release() }
}
