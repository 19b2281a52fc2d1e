import CinchJSON
import CinchTemplate

/// `cinch consumers --format json`.
enum ConsumerJSON {
  static func render(_ consumers: [StoreConsumer]) -> String {
    JSONValue.array(
      consumers.map { consumer in
        JSONValue.object([
          ("file", .string(consumer.file)),
          ("line", .int(consumer.range?.start.line)),
          ("column", .int(consumer.range?.start.column)),
          ("kind", .string(consumer.kind.rawValue)),
          ("name", .string(consumer.name)),
          ("readsAt", .string(consumer.timing.rawValue)),
          ("entry", .string(consumer.entry.name)),
          ("entryKind", .string(consumer.entry.kind.rawValue)),
          ("path", .string(consumer.path.description)),
          ("active", .bool(consumer.isActive)),
          ("via", .string(consumer.via)),
          ("role", .string(consumer.role?.description)),
        ])
      }
    ).pretty()
  }
}
