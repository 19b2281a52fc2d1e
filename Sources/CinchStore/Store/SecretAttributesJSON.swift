import CinchJSON
import Foundation

/// The JSON a secret's attributes are stored as (`entries.attributes`,
/// `entry_versions.attributes`), read and written without Foundation's coders where the
/// attributes are flat.
///
/// Every secret read decodes its entry's attributes (twice when a run lists versions first)
/// and its version's, and records the day it was read: `JSONDecoder`/`JSONEncoder` cost ~36 k
/// instructions a secret each way, more than opening the value. The layout is the one
/// `JSONEncoder` gives the `Codable` structs (their property names, dates as seconds since
/// 1970, absent optionals omitted), so rows written by either path read back through the other.
/// The nested shapes (rotation rules, a password policy, a rotation failure) still go through
/// Foundation, and so does anything the fast path does not recognise, which then fails or
/// succeeds exactly as before.
extension SecretAttributes {
  static func decode(stored json: String) throws -> SecretAttributes {
    if let object = try? JSONValueParser.parse(json).objectValue, let flat = flat(object) {
      return flat
    }
    return try JSONDecoder().decode(SecretAttributes.self, from: Data(json.utf8))
  }

  /// Itself, when every date in it is a time cinch can print (`StoreDamage.isTime`); the
  /// JSON's own reader takes any number.
  func checkingTimes() throws(StoreDamage) -> SecretAttributes {
    let dates: [(String, Double?)] = [
      ("lastChangedDate", lastChangedDate), ("lastAccessedDate", lastAccessedDate),
      ("deletedDate", deletedDate), ("deletionDate", deletionDate),
      ("lastRotatedDate", lastRotatedDate), ("rotationScheduledFrom", rotationScheduledFrom),
      ("rotationFailure.failedDate", rotationFailure?.failedDate.timeIntervalSince1970),
    ]
    for case (let key, let seconds?) in dates where !StoreDamage.isTime(seconds) {
      throw StoreDamage(column: "attributes", problem: "holds '\(key)', which is not a time")
    }
    return self
  }

  func storedJSON() throws -> String {
    guard rotationRules == nil, passwordPolicy == nil, rotationFailure == nil else {
      return String(decoding: try JSONEncoder().encode(self), as: UTF8.self)
    }
    var members: [(String, JSONValue)] = [
      ("arnSuffix", .string(arnSuffix)), ("lastChangedDate", .double(lastChangedDate)),
    ]
    func add(_ key: String, _ value: String?) {
      if let value { members.append((key, .string(value))) }
    }
    func add(_ key: String, _ value: Double?) {
      if let value { members.append((key, .double(value))) }
    }
    add("description", description)
    add("kmsKeyRef", kmsKeyRef)
    add("lastAccessedDate", lastAccessedDate)
    add("deletedDate", deletedDate)
    add("deletionDate", deletionDate)
    if let rotationEnabled { members.append(("rotationEnabled", .bool(rotationEnabled))) }
    if let tagged { members.append(("tagged", .bool(tagged))) }
    add("rotationLambdaARN", rotationLambdaARN)
    add("lastRotatedDate", lastRotatedDate)
    add("rotationScheduledFrom", rotationScheduledFrom)
    return JSONValue.object(JSONObject(members)).compact()
  }

  /// nil when `object` is not a flat attributes object of the expected types.
  private static func flat(_ object: JSONObject) -> SecretAttributes? {
    var arnSuffix: String?
    var lastChangedDate: Double?
    var attributes = SecretAttributes(arnSuffix: "", lastChangedDate: 0)
    for member in object {
      let value = member.value
      switch member.key {
      case "arnSuffix": guard case .string(let text) = value else { return nil }; arnSuffix = text
      case "lastChangedDate":
        guard case .some(.some(let date)) = StoredJSON.double(value) else { return nil }
        lastChangedDate = date
      case "description":
        guard let text = StoredJSON.string(value) else { return nil }; attributes.description = text
      case "kmsKeyRef":
        guard let text = StoredJSON.string(value) else { return nil }; attributes.kmsKeyRef = text
      case "rotationLambdaARN":
        guard let text = StoredJSON.string(value) else { return nil }
        attributes.rotationLambdaARN = text
      case "lastAccessedDate":
        guard let date = StoredJSON.double(value) else { return nil };
        attributes.lastAccessedDate = date
      case "deletedDate":
        guard let date = StoredJSON.double(value) else { return nil }; attributes.deletedDate = date
      case "deletionDate":
        guard let date = StoredJSON.double(value) else { return nil };
        attributes.deletionDate = date
      case "lastRotatedDate":
        guard let date = StoredJSON.double(value) else { return nil };
        attributes.lastRotatedDate = date
      case "rotationScheduledFrom":
        guard let date = StoredJSON.double(value) else { return nil }
        attributes.rotationScheduledFrom = date
      case "rotationEnabled":
        guard let flag = StoredJSON.bool(value) else { return nil }
        attributes.rotationEnabled = flag
      case "tagged":
        guard let flag = StoredJSON.bool(value) else { return nil }
        attributes.tagged = flag
      case "rotationRules", "passwordPolicy", "rotationFailure":
        guard value == .null else { return nil }
      default: continue  // as JSONDecoder: keys it does not know are ignored
      }
    }
    guard let arnSuffix, let lastChangedDate else { return nil }
    attributes.arnSuffix = arnSuffix
    attributes.lastChangedDate = lastChangedDate
    return attributes
  }
}

extension SecretVersionAttributes {
  static func decode(stored json: String) throws -> SecretVersionAttributes {
    if let object = try? JSONValueParser.parse(json).objectValue, let flat = flat(object) {
      return flat
    }
    return try JSONDecoder().decode(SecretVersionAttributes.self, from: Data(json.utf8))
  }

  /// Itself, when its date is a time cinch can print (`StoreDamage.isTime`).
  func checkingTimes() throws(StoreDamage) -> SecretVersionAttributes {
    if let seconds = lastAccessedDate, !StoreDamage.isTime(seconds) {
      throw StoreDamage(
        column: "attributes", problem: "holds 'lastAccessedDate', which is not a time")
    }
    return self
  }

  func storedJSON() -> String {
    var members: [(String, JSONValue)] = []
    if let lastAccessedDate { members.append(("lastAccessedDate", .double(lastAccessedDate))) }
    if let jsonKeys { members.append(("jsonKeys", .array(jsonKeys.map(JSONValue.string)))) }
    return JSONValue.object(JSONObject(members)).compact()
  }

  private static func flat(_ object: JSONObject) -> SecretVersionAttributes? {
    var attributes = SecretVersionAttributes()
    for member in object {
      switch member.key {
      case "lastAccessedDate":
        guard let date = StoredJSON.double(member.value) else { return nil }
        attributes.lastAccessedDate = date
      case "jsonKeys":
        switch member.value {
        case .null: attributes.jsonKeys = nil
        case .array(let items):
          var keys: [String] = []
          keys.reserveCapacity(items.count)
          for item in items {
            guard case .string(let key) = item else { return nil }
            keys.append(key)
          }
          attributes.jsonKeys = keys
        default: return nil
        }
      default: continue
      }
    }
    return attributes
  }
}

/// Optional members as `JSONDecoder` reads them: `null` is absent, a number is a `Double`.
/// The outer optional is nil for a value of another type (the fast path then steps aside).
private enum StoredJSON {
  static func double(_ value: JSONValue) -> Double?? {
    switch value {
    case .null: .some(nil)
    case .integer(let number): .some(Double(number))
    case .double(let number): .some(number)
    default: nil
    }
  }

  static func string(_ value: JSONValue) -> String?? {
    switch value {
    case .null: .some(nil)
    case .string(let text): .some(text)
    default: nil
    }
  }

  static func bool(_ value: JSONValue) -> Bool?? {
    switch value {
    case .null: .some(nil)
    case .bool(let flag): .some(flag)
    default: nil
    }
  }
}
