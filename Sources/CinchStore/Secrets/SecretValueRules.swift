import Foundation

/// Validation of Secrets Manager request members, with AWS's limits and wording.
enum SecretValueRules {
  static let maximumValueBytes = 65_536
  static let maximumStagesPerSecret = 20
  static let maximumTags = 50

  /// The value of a create/put/update: at most one of string and binary, each 1–65,536 bytes.
  /// Returns nil when neither is given.
  static func value(string: String?, binary: Data?) throws(StoreError) -> SecretValue? {
    if string != nil && binary != nil { throw .bothValues }
    if let string {
      let count = string.utf8.count
      guard count >= 1 else {
        throw .sensitiveConstraint(
          at: "secretString", "Member must have length greater than or equal to 1")
      }
      guard count <= maximumValueBytes else {
        throw .sensitiveConstraint(
          at: "secretString", "Member must have length less than or equal to \(maximumValueBytes)")
      }
      return SecretValue(type: .string, bytes: SecretBytes(utf8: string))
    }
    if let binary {
      guard binary.count >= 1 else {
        throw .sensitiveConstraint(
          at: "secretBinary", "Member must have length greater than or equal to 1")
      }
      guard binary.count <= maximumValueBytes else {
        throw .sensitiveConstraint(
          at: "secretBinary", "Member must have length less than or equal to \(maximumValueBytes)")
      }
      return SecretValue(type: .binary, bytes: SecretBytes(copying: binary))
    }
    return nil
  }

  /// `ClientRequestToken` and `VersionId`: 32 to 64 characters.
  static func checkToken(_ token: String, field: String = "clientRequestToken") throws(StoreError) {
    guard token.count >= 32 else {
      throw .constraint(
        value: token, at: field, "Member must have length greater than or equal to 32")
    }
    guard token.count <= 64 else {
      throw .constraint(value: token, at: field, "Member must have length less than or equal to 64")
    }
  }

  /// A staging label: 1 to 256 characters.
  static func checkStage(_ stage: String, field: String = "versionStage") throws(StoreError) {
    guard !stage.isEmpty else {
      throw .constraint(
        value: stage, at: field, "Member must have length greater than or equal to 1")
    }
    guard stage.count <= 256 else {
      throw .constraint(
        value: stage, at: field, "Member must have length less than or equal to 256")
    }
  }

  static func checkStages(_ stages: [String]) throws(StoreError) {
    guard !stages.isEmpty else {
      throw .constraint(
        value: "[]", at: "versionStages", "Member must have length greater than or equal to 1")
    }
    guard stages.count <= maximumStagesPerSecret else {
      throw .constraint(
        value: "[\(stages.joined(separator: ", "))]", at: "versionStages",
        "Member must have length less than or equal to 20")
    }
    for (index, stage) in stages.enumerated() {
      try checkStage(stage, field: "versionStages.\(index + 1).member")
    }
  }

  static func checkDescription(_ description: String) throws(StoreError) {
    guard description.count <= 2048 else {
      throw .constraint(
        value: String(description.prefix(64)) + "…", at: "description",
        "Member must have length less than or equal to 2048")
    }
  }

  static func checkKeyID(_ keyID: String) throws(StoreError) {
    guard keyID.count <= 2048 else {
      throw .constraint(
        value: String(keyID.prefix(64)) + "…", at: "kmsKeyId",
        "Member must have length less than or equal to 2048")
    }
  }

  static func checkTags(_ tags: [Tag]) throws(StoreError) {
    for (index, tag) in tags.enumerated() {
      try tag.checkLengths(at: index)
      if tag.key.lowercased().hasPrefix("aws:") {
        throw .invalidParameter("Tag keys starting with 'aws:' are reserved for AWS use.")
      }
    }
  }

  static func checkMaxResults(_ value: Int?, maximum: Int) throws(StoreError) -> Int {
    guard let value else { return maximum }
    guard value >= 1 else {
      throw .constraint(
        value: String(value), at: "maxResults", "Member must have value greater than or equal to 1")
    }
    guard value <= maximum else {
      throw .constraint(
        value: String(value), at: "maxResults",
        "Member must have value less than or equal to \(maximum)")
    }
    return value
  }

  /// The top-level keys of a JSON object value, kept beside the sealed value so that checks can
  /// confirm `SecretString:KEY` without decrypting. Nil when the value is not a JSON object.
  static func jsonKeys(_ value: SecretValue) -> [String]? {
    guard value.type == .string else { return nil }
    return value.bytes.withUnsafeBytes { raw -> [String]? in
      guard let object = try? JSONSerialization.jsonObject(with: Data(raw)) as? [String: Any]
      else { return nil }
      return object.keys.sorted()
    }
  }
}

/// A secret value on its way to be sealed, or just opened.
struct SecretValue: Sendable {
  var type: SecretValueType
  var bytes: SecretBytes

  func sameValue(as other: SecretValue) -> Bool {
    type == other.type && bytes.constantTimeEquals(other.bytes)
  }
}
