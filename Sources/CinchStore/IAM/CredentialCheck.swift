import GRDB
import Synchronization

/// Keeps a request honest about the credentials it was authenticated with when they came from
/// a cache: the first transaction the request runs reads the store's IAM generation (moved by
/// every change to an access key or a user policy, whoever makes it) and compares it with the
/// generation the credentials were read at. When they differ, that transaction and every later
/// one of the request fail with `CredentialsChanged` before doing anything, so nothing the
/// request did is committed, and the server authenticates it again from the store.
///
/// A request checked this way sees the credentials as they were at the start of its first
/// transaction, as if it had looked the key up there, which is what the lookup it replaces
/// guaranteed.
package final class CredentialCheck: Sendable {
  package enum State: Sendable, Equatable {
    /// No transaction has run yet.
    case unchecked
    /// The first transaction found the generation unchanged.
    case validated
    /// The first transaction found it moved: nothing of the request may commit.
    case stale
  }

  package let generation: Int64
  private let current = Mutex(State.unchecked)

  package init(generation: Int64) {
    self.generation = generation
  }

  package var state: State { current.withLock { $0 } }

  /// Called first in each transaction of the request.
  func validate(_ db: Database) throws {
    switch state {
    case .validated: return
    case .stale: throw CredentialsChanged()
    case .unchecked:
      let found = try IAMGeneration.read(db)
      let valid = found == generation
      current.withLock { $0 = valid ? .validated : .stale }
      if !valid { throw CredentialsChanged() }
    }
  }
}

/// A request's cached credentials no longer match the store (`CredentialCheck`); the server
/// answers by authenticating the request again. Never reaches a client.
package struct CredentialsChanged: Error, Sendable {}

/// The counter behind `CredentialCheck` (the `v4-iam-generation` migration).
enum IAMGeneration {
  static let sql = "SELECT generation FROM iam_generation WHERE id = 1"

  static func read(_ db: Database) throws -> Int64 {
    try SteppedStatement(db, sql: sql).withRow([]) { columns in columns?.integer(0) ?? 0 }
  }
}
