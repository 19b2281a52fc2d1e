import CinchJSON
import CinchStore
import Foundation

/// A request after the HTTP layer: Vault's logical operation, the path under `/v1/`, and the
/// request data (the JSON body, or the query for reads, lists and deletes).
struct LogicalRequest: Sendable {
  enum Operation: String, Sendable {
    case read, create, update, delete, list, patch, header
  }

  var operation: Operation
  /// Without `/v1/` and without a leading slash: `secret/data/app`.
  var path: String
  var data: JSONObject
  /// Query parameters (also merged into `data` for reads, lists and deletes).
  var query: [String: String]
  /// The HTTP method as sent (for messages such as `URL: PUT …`).
  var method: String
  var token: VaultToken?
  /// The token the request was made with, as sent (`X-Vault-Token`): what `lookup-self`
  /// answers as `id` and `renew-self` as `client_token`. Nil for the command line's calls.
  var clientToken: String? = nil
  /// The peer's address, for the audit log; nil for the command line's calls.
  var remoteAddress: String? = nil
}

/// What a handler answers. Nil from a handler is Vault's nil response: 204 for writes, 404
/// `{"errors":[]}` for reads and lists.
struct LogicalResponse: Sendable {
  var data: JSONValue?
  var warnings: [String] = []
  var leaseID: String = ""
  var leaseDuration: Int = 0
  var renewable: Bool = false
  var auth: JSONValue = .null
  /// A raw status (`logical.RespondWithStatusCode`): the whole envelope sent with this status.
  var status: Int?
  /// A raw reply with no body at all (KV v2 PATCH of a missing key).
  var emptyBody: Bool = false
  /// `sys/` replies also carry the data's members at the top level.
  var injectTopLevel: Bool = false
  /// Replies that are not wrapped at all (`sys/health`).
  var unwrapped: Bool = false

  init(data: JSONValue?) { self.data = data }
}

/// Weakly typed reads of request fields, as Vault's `framework.FieldData` decodes them.
extension JSONObject {
  /// Vault's framework warning naming the fields an endpoint does not take (sorted, as Go's
  /// `%v` of a sorted slice prints them), or nil when it takes them all.
  func ignoredFieldsWarning(known: Set<String>) -> String? {
    let ignored = members.map(\.key).filter { !known.contains($0) }.sorted()
    guard !ignored.isEmpty else { return nil }
    return "Endpoint ignored these unrecognized parameters: [\(ignored.joined(separator: " "))]"
  }

  /// An integer from a number or a numeric string; `.absent` when missing, `.invalid` when it
  /// is neither.
  func int(_ key: String) -> WeakValue<Int> {
    guard let value = self[key], value != .null else { return .absent }
    switch value {
    case .integer(let number): return .value(Int(number))
    case .double(let number) where number == number.rounded(): return .value(Int(number))
    case .string(let text):
      if text.isEmpty { return .value(0) }
      return Int(text).map(WeakValue.value) ?? .invalid
    case .bool(let flag): return .value(flag ? 1 : 0)
    default: return .invalid
    }
  }

  /// A boolean as mapstructure's weak decoding reads one: a number is true when not 0, a
  /// string is one of Go's `strconv.ParseBool` spellings (or empty, false).
  func bool(_ key: String) -> WeakValue<Bool> {
    guard let value = self[key], value != .null else { return .absent }
    switch value {
    case .bool(let flag): return .value(flag)
    case .integer(let number): return .value(number != 0)
    case .double(let number): return .value(number != 0)
    case .string(let text):
      switch text {
      case "1", "t", "T", "true", "TRUE", "True": return .value(true)
      case "0", "f", "F", "false", "FALSE", "False", "": return .value(false)
      default: return .invalid
      }
    default: return .invalid
    }
  }

  /// A boolean field, nil when absent; an undecodable one is 400 (`WeakValue.checked`).
  func flag(_ key: String) throws -> Bool? {
    try bool(key).checked(key)
  }

  /// An integer field, nil when absent; an undecodable one is 400.
  func intField(_ key: String) throws -> Int? {
    try int(key).checked(key)
  }

  /// A duration field in nanoseconds, nil when absent; an undecodable one is 400.
  func durationField(_ key: String) throws -> Int64? {
    try duration(key).checked(key)
  }

  /// `durationField` in whole seconds, as Vault's `TypeDurationSecond` hands it to a handler.
  func durationSeconds(_ key: String) throws -> Int? {
    try durationField(key).map { Int($0 / GoDuration.second) }
  }

  func string(_ key: String) -> String? {
    switch self[key] {
    case .string(let text): text
    case .integer(let number): String(number)
    case .double(let number): String(number)
    case .bool(let flag): flag ? "true" : "false"
    default: nil
    }
  }

  /// A duration (Go syntax or seconds) in nanoseconds.
  func duration(_ key: String) -> WeakValue<Int64> {
    guard let value = self[key], value != .null else { return .absent }
    switch value {
    case .integer(let seconds): return .value(seconds * GoDuration.second)
    case .double(let seconds): return .value(Int64(seconds * 1e9))
    case .string(let text):
      if text.isEmpty { return .value(0) }
      return GoDuration.parse(text).map(WeakValue.value) ?? .invalid
    default: return .invalid
    }
  }

  /// A map as mapstructure's weak decoding reads one: an object, or a list of objects merged
  /// in order (an empty list is an empty map); `.invalid` for anything else.
  func map(_ key: String) -> WeakValue<JSONObject> {
    guard let value = self[key], value != .null else { return .absent }
    switch value {
    case .object(let object): return .value(object)
    case .array(let array):
      var merged = JSONObject()
      for item in array {
        guard case .object(let object) = item else { return .invalid }
        for member in object { merged[member.key] = member.value }
      }
      return .value(merged)
    default: return .invalid
    }
  }

  /// Vault's `TypeKVPairs`: a map whose values read as strings (a `null` value is kept as
  /// nil, which a merge patch reads as a removal), or a string or list of `key=value` strings.
  func keyValuePairs(_ key: String) -> WeakValue<[(String, String?)]> {
    func text(_ value: JSONValue) -> String?? {
      switch value {
      case .null: .some(nil)
      case .string(let text): text
      case .integer(let number): String(number)
      case .double(let number): String(number)
      case .bool(let flag): flag ? "true" : "false"
      default: nil
      }
    }
    switch map(key) {
    case .absent: return .absent
    case .value(let object):
      var pairs: [(String, String?)] = []
      for member in object {
        guard let value = text(member.value) else { return .invalid }
        pairs.append((member.key, value))
      }
      return .value(pairs)
    case .invalid:
      let items: [JSONValue]
      switch self[key] {
      case .array(let array)?: items = array
      case let value?: items = [value]
      case nil: return .absent
      }
      var pairs: [(String, String?)] = []
      for item in items {
        guard case .some(.some(let pair)) = text(item), let equals = pair.firstIndex(of: "="),
          equals != pair.startIndex
        else { return .invalid }
        pairs.append((String(pair[..<equals]), String(pair[pair.index(after: equals)...])))
      }
      return .value(pairs)
    }
  }

  /// Vault's `FieldData.Validate`, which the framework runs before a path's handler: each
  /// field of `schema` the request gives must read as its type, or the request is 400
  /// `error parsing '<name>'` (the first such field by name), whether or not the handler would
  /// use it. Fields outside the schema are the handler's to read or name in a warning.
  func validate(_ schema: [String: FieldType]) throws {
    for (name, type) in schema.sorted(by: { $0.key < $1.key }) where self[name] != nil {
      let valid: Bool
      switch type {
      case .bool: valid = !bool(name).isInvalid
      case .int: valid = !int(name).isInvalid
      case .string: valid = self[name] == .null || string(name) != nil
      case .durationSecond: valid = !duration(name).isInvalid
      case .unsignedDurationSecond:
        switch duration(name) {
        case .invalid: valid = false
        // Vault takes the whole seconds (`int(dur.Seconds())`), so -0.5s is 0 and allowed.
        case .value(let nanoseconds): valid = nanoseconds / GoDuration.second >= 0
        case .absent: valid = true
        }
      case .map: valid = !map(name).isInvalid
      case .keyValuePairs: valid = !keyValuePairs(name).isInvalid
      case .commaIntSlice: valid = !intList(name).isInvalid
      }
      if !valid { throw VaultError.invalid("error parsing '\(name)'") }
    }
  }

  /// Vault's `TypeCommaIntSlice`: a JSON array of numbers or numeric strings, or one
  /// comma-separated string.
  func intList(_ key: String) -> WeakValue<[Int]> {
    guard let value = self[key], value != .null else { return .absent }
    var items: [JSONValue]
    switch value {
    case .array(let array): items = array
    case .string(let text):
      items = text.split(separator: ",").map {
        .string(String($0).trimmingCharacters(in: .whitespaces))
      }
    case .integer: items = [value]
    default: return .invalid
    }
    var numbers: [Int] = []
    for item in items {
      switch JSONObject([("v", item)]).int("v") {
      case .value(let number): numbers.append(number)
      default: return .invalid
      }
    }
    return .value(numbers)
  }
}

/// The types of Vault's `framework.FieldSchema` that cinch's paths declare, read as the
/// framework reads them (weakly, as mapstructure does). `durationSecond` is
/// `TypeSignedDurationSecond`, which takes a negative duration as given, for the few fields
/// whose handlers read a meaning into one (KV's mount-level `delete_version_after`, where it
/// disables); `unsignedDurationSecond` is `TypeDurationSecond`, every other duration field,
/// which the framework refuses negative (`cannot provide negative value`).
enum FieldType: Sendable {
  case bool, int, string, durationSecond, unsignedDurationSecond, map, keyValuePairs
  case commaIntSlice
}

enum WeakValue<T: Sendable>: Sendable {
  case absent
  case invalid
  case value(T)

  var value: T? {
    if case .value(let value) = self { value } else { nil }
  }

  var isInvalid: Bool {
    if case .invalid = self { true } else { false }
  }

  /// The value, nil when absent. An undecodable value is 400 `error parsing '<name>'`: Vault's
  /// framework validates every field of a path's schema before the handler runs, so a value
  /// is refused even where the handler would not use it.
  func checked(_ name: String) throws -> T? {
    switch self {
    case .absent: return nil
    case .invalid: throw VaultError.invalid("error parsing '\(name)'")
    case .value(let value): return value
    }
  }
}
