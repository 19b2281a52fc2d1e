import GRDB

/// The values for a statement's `?`s, checked before GRDB binds them.
///
/// GRDB binds a `String` as a C string (`sqlite3_bind_text(…, -1, …)` in GRDB 7's
/// `String.bind`), and SQLite reads a C string up to its first NUL: `secret/victim\0x` was
/// bound as `secret/victim`, so a write meant for a new key overwrote another one, a metadata
/// delete removed every version of it, and a new key was stored under the cut name while its
/// value was sealed for the whole one (and then never opened). GRDB also reads text back up
/// to its first NUL. So no text holding a NUL reaches the store through GRDB: every statement
/// the store runs through GRDB takes its arguments as this type, which refuses such text
/// before anything is bound. `SteppedStatement` binds text with its length and keeps it whole.
struct StoreArguments: ExpressibleByArrayLiteral {
  private var values: [DatabaseValue]

  init(arrayLiteral elements: (any DatabaseValueConvertible)?...) {
    values = elements.map { $0?.databaseValue ?? .null }
  }

  static func += (arguments: inout StoreArguments, more: StoreArguments) {
    arguments.values += more.values
  }

  /// GRDB's arguments; `StoreError.textWithNUL` when a text holds a NUL.
  func checked() throws -> StatementArguments {
    for value in values {
      if case .string(let text) = value.storage, text.utf8.contains(0) {
        throw StoreError.textWithNUL
      }
    }
    return StatementArguments(values)
  }
}
