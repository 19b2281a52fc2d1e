package import CinchJSON
package import Foundation

/// One version's metadata as KV v2 returns it beside a read or after a write.
package struct KVVersionMetadata: Sendable, Hashable {
  package var version: Int
  package var createdTime: Date
  /// Set by a soft delete, or ahead of time by `delete_version_after`.
  package var deletionTime: Date?
  package var destroyed: Bool
  /// The key's custom metadata (nil when unset).
  package var customMetadata: [String: String]?

  /// Deleted: a deletion time that has passed (a future one, from `delete_version_after`,
  /// still reads).
  package func isDeleted(at now: Date) -> Bool {
    deletionTime.map { $0 <= now } ?? false
  }
}

/// A KV v2 read: the version's metadata and, unless it is deleted or destroyed, its data.
package struct KVRead: Sendable, Hashable {
  package var metadata: KVVersionMetadata
  /// Nil for a deleted or destroyed version (Vault answers 404 with the metadata).
  package var data: JSONObject?
}

/// What a patch found.
package enum KVPatchOutcome: Sendable, Hashable {
  case written(KVVersionMetadata)
  /// No such key (Vault: 404, empty body).
  case missing
  /// The current version is deleted or destroyed (Vault: 404 with the version's metadata).
  case currentUnavailable(KVVersionMetadata)
}

/// A key's metadata (`GET <mount>/metadata/<path>`): the key-level settings, not the
/// effective ones (Vault issue #10647), and every kept version.
package struct KVKeyMetadata: Sendable, Hashable {
  package struct Version: Sendable, Hashable {
    package var createdTime: Date
    package var deletionTime: Date?
    package var destroyed: Bool
  }

  package var casRequired: Bool
  package var createdTime: Date
  package var currentVersion: Int
  package var customMetadata: [String: String]?
  /// Nanoseconds.
  package var deleteVersionAfter: Int64
  package var maxVersions: Int
  package var oldestVersion: Int
  package var updatedTime: Date
  /// By version number, ascending.
  package var versions: [(Int, Version)]

  package static func == (lhs: KVKeyMetadata, rhs: KVKeyMetadata) -> Bool {
    lhs.casRequired == rhs.casRequired && lhs.createdTime == rhs.createdTime
      && lhs.currentVersion == rhs.currentVersion && lhs.customMetadata == rhs.customMetadata
      && lhs.deleteVersionAfter == rhs.deleteVersionAfter && lhs.maxVersions == rhs.maxVersions
      && lhs.oldestVersion == rhs.oldestVersion && lhs.updatedTime == rhs.updatedTime
      && lhs.versions.map(\.0) == rhs.versions.map(\.0)
      && lhs.versions.map(\.1) == rhs.versions.map(\.1)
  }

  package func hash(into hasher: inout Hasher) {
    hasher.combine(currentVersion)
    hasher.combine(updatedTime)
  }
}

/// The settings a metadata write or patch changes; nil leaves a setting as it is. In a patch,
/// a `nil` value inside `customMetadata` removes that key.
package struct KVMetadataUpdate: Sendable, Hashable {
  package var maxVersions: Int?
  package var casRequired: Bool?
  package var deleteVersionAfter: Int64?
  package var customMetadata: [String: String?]?

  package init(
    maxVersions: Int? = nil, casRequired: Bool? = nil, deleteVersionAfter: Int64? = nil,
    customMetadata: [String: String?]? = nil
  ) {
    self.maxVersions = maxVersions
    self.casRequired = casRequired
    self.deleteVersionAfter = deleteVersionAfter
    self.customMetadata = customMetadata
  }

  package var isEmpty: Bool {
    maxVersions == nil && casRequired == nil && deleteVersionAfter == nil
      && customMetadata == nil
  }
}

/// A key's record in `entries.attributes`. Times are seconds since 1970.
struct KVKeyAttributes: Codable, Sendable {
  var currentVersion: Int = 0
  var oldestVersion: Int = 0
  var maxVersions: Int = 0
  var casRequired: Bool = false
  var deleteVersionAfter: Int64 = 0
  var customMetadata: [String: String]?
  var createdTime: Double
  var updatedTime: Double
}

/// A version's record in `entry_versions.attributes`.
struct KVVersionAttributes: Codable, Sendable {
  var createdTime: Double
  var deletionTime: Double?
  var destroyed: Bool = false
}

/// RFC 7386 JSON merge patch: `null` removes a member, objects merge, anything else replaces.
package enum JSONMergePatch {
  package static func apply(_ patch: JSONValue, to target: JSONValue?) -> JSONValue {
    guard case .object(let patchObject) = patch else { return patch }
    var result = target?.objectValue ?? JSONObject()
    for member in patchObject {
      if member.value == .null {
        result[member.key] = nil
      } else {
        result[member.key] = apply(member.value, to: result[member.key])
      }
    }
    return .object(result)
  }
}
