package import Foundation

/// A secrets engine mounted at a path, as `sys/mounts` lists it.
package struct VaultMount: Sendable, Hashable {
  /// The engines cinch serves.
  package enum EngineType: String, Sendable, CaseIterable {
    /// KV, version 2 only.
    case kv
    case transit
    case database
  }

  /// With the trailing slash, as Vault keys its mount table: `secret/`.
  package var path: String
  package var type: EngineType
  package var description: String
  package var accessor: String
  package var uuid: String
  /// `{"version":"2"}` for KV.
  package var options: [String: String]
  package var createdAt: Date
  /// The engine's configuration (KV: `max_versions`, `cas_required`, `delete_version_after`).
  package var kvConfig: KVConfig

  /// The path without its trailing slash.
  package var name: String { String(path.dropLast()) }
}

/// A KV v2 mount's configuration (`<mount>/config`).
package struct KVConfig: Codable, Sendable, Hashable {
  package var maxVersions: Int = 0
  package var casRequired: Bool = false
  /// Nanoseconds; negative disables `delete_version_after` on every key of the mount.
  package var deleteVersionAfter: Int64 = 0

  package init(maxVersions: Int = 0, casRequired: Bool = false, deleteVersionAfter: Int64 = 0) {
    self.maxVersions = maxVersions
    self.casRequired = casRequired
    self.deleteVersionAfter = deleteVersionAfter
  }
}
