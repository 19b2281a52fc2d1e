import Foundation

/// One rotation of a secret at a time, across processes and within one. Two `rotate-secret`
/// runs of the same secret would otherwise both run the rotator on the same pending version
/// (the second resuming what it takes for an unfinished rotation), and each step twice against
/// the live system. The rotation holds an open-file-description lock (`F_OFD_SETLK`) on one
/// byte of `<store>-rotation.lock`, chosen by the secret's ARN: the kernel releases it when
/// the descriptor closes, so a rotation killed with SIGKILL leaves no stale lease, and the
/// next run resumes its pending version. OFD locks, unlike POSIX record locks, also conflict
/// between two descriptors of one process (`cinch serve` rotating twice at once).
final class RotationLease: Sendable {
  private let descriptor: Int32
  private let offset: off_t

  private init(descriptor: Int32, offset: off_t) {
    self.descriptor = descriptor
    self.offset = offset
  }

  /// Unlocks before closing: an OFD lock lasts while any descriptor of its open file
  /// description does, and a process forked by another thread (a rotator command, `cinch
  /// serve`'s children) holds a copy until it execs, so closing alone could leave the secret
  /// locked for a moment and the next rotation refused as one in progress.
  deinit {
    var unlock = Self.byte(at: offset, type: F_UNLCK)
    _ = fcntl(descriptor, Self.ofdSetLock, &unlock)
    close(descriptor)
  }

  /// The one byte a lease locks or unlocks (OFD locks need `l_pid` 0).
  private static func byte(at offset: off_t, type: Int32) -> flock {
    var lock = flock()
    lock.l_type = Int16(type)
    lock.l_whence = Int16(SEEK_SET)
    lock.l_start = offset
    lock.l_len = 1
    lock.l_pid = 0
    return lock
  }

  /// F_OFD_SETLK (Linux 3.15; glibc defines it only under _GNU_SOURCE).
  private static let ofdSetLock: Int32 = 37

  /// The lease of `key` (the secret's ARN) for the store at `storePath`; nil while another
  /// rotation holds it.
  static func acquire(storePath: String, key: String) throws(StoreError) -> RotationLease? {
    let file = storePath + "-rotation.lock"
    // Not through a symbolic link, as the store's own files are not: one planted in the
    // store's folder would otherwise have a scheduled `cinch rotate --due` create a file
    // wherever it points.
    let descriptor = open(file, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
    guard descriptor >= 0 else {
      throw StoreError.internalError(
        "cannot open the rotation lock '\(file)': \(String(cString: strerror(errno)))")
    }
    let start = off_t(offset(of: key))
    var lock = byte(at: start, type: F_WRLCK)
    guard fcntl(descriptor, ofdSetLock, &lock) == 0 else {
      let code = errno
      close(descriptor)
      if code == EAGAIN || code == EACCES { return nil }
      throw StoreError.internalError(
        "cannot lock the rotation lock '\(file)': \(String(cString: strerror(code)))")
    }
    return RotationLease(descriptor: descriptor, offset: start)
  }

  /// FNV-1a of the key, kept within 2^40: a byte past any real file size (the file stays
  /// empty); two secrets share one only if their hashes collide, and then one waits for the other
  /// to finish.
  static func offset(of key: String) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in key.utf8 {
      hash ^= UInt64(byte)
      hash &*= 0x100_0000_01b3
    }
    return hash & 0xff_ffff_ffff
  }
}
