import CinchJSON
import CinchStore

/// Vault's CLI output (`command/format.go`, `base_helpers.go`): Key/Value tables through
/// `columnize` (four spaces between columns, empty cells as `n/a`), section titles padded with
/// `=`, values printed as Go's `%v` prints them.
enum VaultFormatter {
  /// Go's `%v` of a decoded JSON value: `<nil>`, `map[k:v]` with sorted keys, `[a b]`.
  static func goValue(_ value: JSONValue) -> String {
    switch value {
    case .null: return "<nil>"
    case .bool(let flag): return flag ? "true" : "false"
    case .integer(let number): return String(number)
    case .double(let number):
      return number == number.rounded() && abs(number) < 1e21
        ? String(format: "%.0f", number) : String(number)
    case .string(let text): return text
    case .array(let items): return "[" + items.map(goValue).joined(separator: " ") + "]"
    case .object(let object):
      return "map["
        + object.members.sorted { $0.key < $1.key }.map { "\($0.key):\(goValue($0.value))" }
        .joined(separator: " ") + "]"
    }
  }

  /// Rows aligned in columns joined by four spaces; the last column is not padded.
  static func columnize(_ rows: [[String]]) -> String {
    // Go's columnize prints an empty cell as `n/a` (a key made by `=value`, say).
    let rows = rows.map { row in row.map { $0.isEmpty ? "n/a" : $0 } }
    let columns = rows.map(\.count).max() ?? 0
    var widths = [Int](repeating: 0, count: columns)
    for row in rows {
      for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
    }
    return rows.map { row in
      row.enumerated().map { index, cell in
        index == row.count - 1
          ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
      }.joined(separator: "    ")
    }.joined(separator: "\n") + "\n"
  }

  /// A Key/Value table of an object's members, sorted by key; nothing for no members (Vault's
  /// `OutputMap` prints no header for an empty map).
  static func table(_ object: JSONObject) -> String {
    guard !object.isEmpty else { return "" }
    var rows = [["Key", "Value"], ["---", "-----"]]
    for member in object.members.sorted(by: { $0.key < $1.key }) {
      rows.append([member.key, goValue(member.value)])
    }
    return columnize(rows)
  }

  /// `padEqualSigns`: `=` on both sides of the title to reach `width`, at least two each side.
  /// Widths are Go's `len()`, bytes, as in Vault.
  static func title(_ title: String, width: Int) -> String {
    var equals = width - (title.utf8.count + 2)
    if equals <= 0 { equals = 4 }
    if equals % 2 == 1 { equals += 1 }
    let side = String(repeating: "=", count: equals / 2)
    return "\(side) \(title) \(side)"
  }

  /// A titled Key/Value section whose width follows its longest key.
  static func section(_ name: String, _ object: JSONObject) -> String {
    let longest = object.keys.map(\.utf8.count).max() ?? 0
    return title(name, width: longest + 4 + 5) + "\n" + table(object)
  }

  /// A titled path line.
  static func pathSection(_ name: String, _ path: String) -> String {
    title(name, width: path.utf8.count) + "\n" + path + "\n"
  }

  /// `vault read`'s table of a generic secret: the lease rows when there is a lease, then the
  /// data's members.
  static func secretTable(_ response: JSONValue) -> String {
    var rows = [["Key", "Value"], ["---", "-----"]]
    let duration =
      response["lease_duration"].flatMap { value -> Int64? in
        if case .integer(let number) = value { number } else { nil }
      } ?? 0
    if duration > 0 {
      if let lease = response["lease_id"]?.stringValue, !lease.isEmpty {
        rows.append(["lease_id", lease])
      }
      rows.append(["lease_duration", GoDuration.humanSeconds(duration)])
      rows.append(["lease_renewable", goValue(response["renewable"] ?? .bool(false))])
    }
    if case .object(let auth)? = response["auth"] {
      // Vault prints these rows whatever the auth holds: an empty token (a renewal by
      // accessor) shows as n/a.
      rows.append(["token", goValue(auth["client_token"] ?? .string(""))])
      rows.append(["token_accessor", goValue(auth["accessor"] ?? .string(""))])
      if let duration = auth["lease_duration"], case .integer(let seconds) = duration {
        rows.append(["token_duration", seconds == 0 ? "∞" : GoDuration.humanSeconds(seconds)])
      }
      rows.append(["token_renewable", goValue(auth["renewable"] ?? .bool(false))])
      for key in ["token_policies", "identity_policies", "policies"] {
        rows.append([key, quotedList(auth[key] ?? .array([]))])
      }
      if case .object(let meta)? = auth["metadata"] {
        for member in meta.members.sorted(by: { $0.key < $1.key }) {
          rows.append(["token_meta_" + member.key, goValue(member.value)])
        }
      }
    }
    if case .object(let data)? = response["data"] {
      for member in data.members.sorted(by: { $0.key < $1.key }) {
        if looksLikeDuration(member.key), case .integer(let seconds) = member.value {
          rows.append([member.key, GoDuration.humanSeconds(seconds)])
        } else {
          rows.append([member.key, goValue(member.value)])
        }
      }
    }
    // Nothing but the header: Vault's OutputSecret prints no table (a reply of warnings only).
    return rows.count == 2 ? "" : columnize(rows)
  }

  /// Vault's `looksLikeDuration`: a field whose number of seconds the table prints as a
  /// duration (`creation_ttl` as `768h`, `ttl` as `767h59m59s`).
  static func looksLikeDuration(_ key: String) -> Bool {
    key == "period" || key.hasSuffix("_period") || key == "ttl" || key.hasSuffix("_ttl")
      || key == "duration" || key.hasSuffix("_duration") || key == "lease_max"
      || key == "ttl_max"
  }

  /// Go's `%q` of a list of strings: `["app" "default"]`, `[]` for none.
  static func quotedList(_ value: JSONValue) -> String {
    let items = value.arrayValue ?? []
    return "["
      + items.map { item -> String in
        let text = item.stringValue ?? goValue(item)
        var quoted = "\""
        for character in text {
          switch character {
          case "\\": quoted += "\\\\"
          case "\"": quoted += "\\\""
          case "\n": quoted += "\\n"
          case "\t": quoted += "\\t"
          default: quoted.append(character)
          }
        }
        return quoted + "\""
      }.joined(separator: " ") + "]"
  }

  /// `vault … -format=json`: the secret as the Go client holds it, two-space indented.
  /// The `auth` block as the CLI prints it: re-marshalled through `api.SecretAuth`
  /// (api/secret.go), so its members in that struct's order, the API's others (`num_uses`,
  /// `token_type`) left out, and the struct's missing ones as null.
  static func cliAuth(_ auth: JSONValue) -> JSONValue {
    var shaped = JSONObject()
    let members: [(String, JSONValue)] = [
      ("client_token", .string("")), ("accessor", .string("")), ("policies", .null),
      ("token_policies", .null), ("identity_policies", .null), ("metadata", .null),
      ("orphan", .bool(false)), ("entity_id", .string("")), ("lease_duration", .integer(0)),
      ("renewable", .bool(false)), ("mfa_requirement", .null),
    ]
    for (name, zero) in members { shaped[name] = auth[name] ?? zero }
    return .object(shaped)
  }

  static func json(_ response: JSONValue) -> String {
    var object = JSONObject()
    object["request_id"] = response["request_id"] ?? .string("")
    object["lease_id"] = response["lease_id"] ?? .string("")
    object["lease_duration"] = response["lease_duration"] ?? .integer(0)
    object["renewable"] = response["renewable"] ?? .bool(false)
    object["data"] = response["data"] ?? .null
    object["warnings"] = response["warnings"] ?? .null
    if let auth = response["auth"], auth != .null { object["auth"] = cliAuth(auth) }
    if let mountType = response["mount_type"]?.stringValue, !mountType.isEmpty {
      object["mount_type"] = .string(mountType)
    }
    return JSONValue.object(object).pretty()
  }
}

extension GoDuration {
  /// Seconds as Vault's CLI prints TTLs (`humanDuration`: `768h`, `1h30m`, `1h5s`, `45s`).
  static func humanSeconds(_ seconds: Int64) -> String {
    var text = format(seconds * GoDuration.second)
    if text.hasSuffix("m0s") { text.removeLast(2) }
    if let zero = text.range(of: "h0m"), zero.lowerBound > text.startIndex {
      text.replaceSubrange(text.index(after: zero.lowerBound)..<zero.upperBound, with: "")
    }
    return text
  }
}

/// `-field=NAME`, as Vault's `RawField` and `PrintRawField` (command/format.go) do it: for a
/// response with `auth`, the token's fields under their printed names (`token`,
/// `token_accessor`, `token_duration`, `token_renewable`, `token_policies`,
/// `identity_policies`, `policies`), else `lease_id`, `lease_duration` (and
/// `refresh_interval`), `lease_renewable`, else a key of `data`. Printed as Go's `%v` prints it,
/// or, with `-format=json`, as JSON.
enum VaultRawField {
  static func value(_ response: JSONValue, _ field: String) -> JSONValue? {
    if case .object(let auth)? = response["auth"] {
      switch field {
      case "token": return auth["client_token"]
      case "token_accessor": return auth["accessor"]
      case "token_duration": return auth["lease_duration"]
      case "token_renewable": return auth["renewable"]
      case "token_policies": return auth["token_policies"]
      case "identity_policies": return auth["identity_policies"] ?? .array([])
      case "policies": return auth["policies"]
      default: return response["data"]?[field]
      }
    }
    switch field {
    case "lease_id": return response["lease_id"]
    case "lease_duration", "refresh_interval": return response["lease_duration"]
    case "lease_renewable": return response["renewable"]
    default: return response["data"]?[field]
    }
  }

  /// Prints `value` for `-field` in `format`, or fails as Vault does when there is none: a
  /// JSON null is none too, as `PrintRawField` finds a nil value missing.
  static func print(_ value: JSONValue?, field: String, format: String) throws {
    guard let value, value != .null else {
      throw VaultExit.usage("Field \"\(field)\" not present in secret")
    }
    let text = format == "json" ? String(value.pretty().dropLast()) : VaultFormatter.goValue(value)
    // Vault's `PrintRaw` (command/format.go): a newline only where it would colour output (a
    // terminal, no `NO_COLOR`, `TERM` not `dumb`: fatih/color's `NoColor`), so that a piped
    // `-field` is the value itself, also as JSON.
    Output.stdout(Output.stdoutTakesColor ? text + "\n" : text)
  }
}
