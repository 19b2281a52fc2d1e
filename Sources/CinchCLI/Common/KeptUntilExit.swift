import Synchronization

/// What a command hands over instead of freeing it when it returns: the process exits right
/// after, and the operating system takes the memory back at once. A parsed template with its
/// analyses is hundreds of thousands of small objects; releasing them one by one was 4–7% of
/// `check` and `render` (clang's `-disable-free` skips freeing its AST for the same reason).
///
/// Only template data goes here, never a value read from the store: `SecretBytes` wipe their
/// memory when freed, and must be.
enum KeptUntilExit {
  private static let kept = Mutex<[any Sendable]>([])

  static func keep(_ value: some Sendable) {
    kept.withLock { $0.append(value) }
  }
}
