/// `ParameterFilters` and legacy `Filters`: validation with AWS's errors, then matching
/// (reference: aws-store-semantics §1.8, §1.10).
package enum ParameterFilterRules {
  enum Operation {
    case getParametersByPath
    case describeParameters
  }

  /// What a filter is tested against: one parameter version's metadata.
  struct Candidate {
    var key: String
    var type: ParameterType
    var keyID: String?
    var tier: ParameterTier
    var dataType: ParameterDataType
    var tags: [String: String]
    /// Labels of any retained version (for the `Label` filter).
    var labels: Set<String>
  }

  struct Compiled {
    var key: String
    var option: String
    var values: [String]

    /// The filter as text, for telling one listing from another (page tokens).
    var identity: String { "\(key)|\(option)|\(values)" }
  }

  static func validate(_ filters: [ParameterStringFilter], for operation: Operation)
    throws(StoreError) -> [Compiled]
  {
    var errors: [String] = []
    for (index, filter) in filters.enumerated() {
      let position = "parameterFilters.\(index + 1).member"
      if !isKnownKey(filter.key) {
        errors.append(
          "Value '\(filter.key)' at '\(position).key' failed to satisfy constraint: Member must "
            + "satisfy regular expression pattern: tag:.+|Name|Type|KeyId|Path|Label|Tier|DataType")
      }
      if filter.key.count > 132 {
        errors.append(
          "Value '\(filter.key)' at '\(position).key' failed to satisfy constraint: Member must "
            + "have length less than or equal to 132")
      }
      if let option = filter.option, option.count > 10 {
        errors.append(
          "Value '\(option)' at '\(position).option' failed to satisfy constraint: Member must "
            + "have length less than or equal to 10")
      }
      if let values = filter.values {
        if values.count > 50 {
          errors.append(
            "Value '\(values)' at '\(position).values' failed to satisfy constraint: Member must "
              + "have length less than or equal to 50")
        }
        if values.contains(where: { $0.isEmpty || $0.count > 1024 }) {
          errors.append(
            "Value '\(values)' at '\(position).values' failed to satisfy constraint: [Member must "
              + "have length less than or equal to 1024, Member must have length greater than or "
              + "equal to 1]")
        }
      }
    }
    if !errors.isEmpty { throw .constraints(errors) }

    var seen: Set<String> = []
    var compiled: [Compiled] = []
    for filter in filters {
      let key = filter.key
      let isTag = key.hasPrefix("tag:")
      switch operation {
      case .describeParameters where key == "Label":
        throw .invalidFilterKey(
          "The following filter key is not valid: Label. Valid filter keys include: "
            + "[Path, Name, Type, KeyId, Tier, DataType].")
      case .getParametersByPath where !["Type", "KeyId", "Label"].contains(key):
        throw .invalidFilterKey(
          "The following filter key is not valid: \(key). Valid filter keys include: "
            + "[Type, KeyId, Label].")
      default: break
      }
      let values = filter.values ?? []
      if !isTag && values.isEmpty {
        throw .invalidFilterValue(
          "The following filter values are missing : null for filter key \(key).")
      }
      guard seen.insert(key).inserted else {
        throw .invalidFilterKey(
          "The following filter is duplicated in the request: \(key). A request can contain only "
            + "one occurrence of a specific filter.")
      }
      let option: String
      switch key {
      case "Path":
        option = filter.option ?? "OneLevel"
        guard ["Recursive", "OneLevel"].contains(option) else {
          throw .invalidFilterOption(
            "The following filter option is not valid: \(option). Valid options include: "
              + "[Recursive, OneLevel].")
        }
        for value in values {
          if value.lowercased().hasPrefix("/aws") || value.lowercased().hasPrefix("/ssm") {
            throw .validation(
              "Filters for common parameters can't be prefixed with \"aws\" or \"ssm\" "
                + "(case-insensitive). When using global parameters, please specify within a "
                + "global namespace.")
          }
          _ = try ParameterNameRules.validatePath(value)
        }
      case "Label":
        option = filter.option ?? "Equals"
        guard option == "Equals" else {
          throw .invalidFilterOption(
            "The following filter option is not valid: \(option). Valid options include: [Equals].")
        }
      default:
        option = filter.option ?? "Equals"
        let allowed =
          key == "Name" ? ["BeginsWith", "Equals", "Contains"] : ["BeginsWith", "Equals"]
        guard allowed.contains(option) else {
          throw .invalidFilterOption(
            "The following filter option is not valid: \(option). Valid options include: "
              + "[\(allowed.joined(separator: ", "))].")
        }
      }
      try checkValues(key: key, values: values)
      compiled.append(Compiled(key: key, option: option, values: values))
    }
    return compiled
  }

  static func isKnownKey(_ key: String) -> Bool {
    ["Name", "Type", "KeyId", "Path", "Label", "Tier", "DataType"].contains(key)
      || (key.hasPrefix("tag:") && key.count > 4)
  }

  static func checkValues(key: String, values: [String]) throws(StoreError) {
    let allowed: [String]
    switch key {
    case "Type": allowed = ParameterType.known.reversed().map(\.rawValue)
    case "Tier": allowed = ParameterTier.known.map(\.rawValue)
    case "DataType": allowed = ParameterDataType.known.map(\.rawValue)
    default: return
    }
    for value in values where !allowed.contains(value) {
      throw .invalidFilterValue(
        "The following filter value is not valid: \(value). Valid values include: "
          + "[\(allowed.joined(separator: ", "))].")
    }
  }

  /// Legacy `Filters`: keys `Name` (prefix match), `Type`, `KeyId` (equality).
  static func compileLegacy(_ filters: [ParametersFilter]) throws(StoreError) -> [Compiled] {
    var compiled: [Compiled] = []
    for (index, filter) in filters.enumerated() {
      guard ["Name", "Type", "KeyId"].contains(filter.key) else {
        throw .constraint(
          value: filter.key, at: "filters.\(index + 1).member.key",
          "Member must satisfy enum value set: [Name, Type, KeyId]")
      }
      guard !filter.values.isEmpty, filter.values.count <= 50 else {
        throw .constraint(
          value: "\(filter.values)", at: "filters.\(index + 1).member.values",
          filter.values.isEmpty
            ? "Member must have length greater than or equal to 1"
            : "Member must have length less than or equal to 50")
      }
      try checkValues(key: filter.key, values: filter.values)
      compiled.append(
        Compiled(
          key: filter.key, option: filter.key == "Name" ? "BeginsWith" : "Equals",
          values: filter.values))
    }
    return compiled
  }

  static func matches(_ filter: Compiled, _ candidate: Candidate) -> Bool {
    let slashed =
      "/" + (candidate.key.hasPrefix("/") ? String(candidate.key.dropFirst()) : candidate.key)
    switch filter.key {
    case "Name":
      if filter.option == "Contains" {
        return filter.values.contains { slashed.contains($0) }
      }
      let values = filter.values.map { "/" + ($0.hasPrefix("/") ? String($0.dropFirst()) : $0) }
      return compare(slashed, values, filter.option)
    case "Path":
      return filter.values.contains { value in
        let path = value.count > 1 && value.hasSuffix("/") ? String(value.dropLast()) : value
        return isUnder(slashed, path: path, recursive: filter.option == "Recursive")
      }
    case "Type": return compare(candidate.type.rawValue, filter.values, filter.option)
    case "KeyId":
      guard let keyID = candidate.keyID else { return false }
      return compare(keyID, filter.values, filter.option)
    case "Tier": return compare(candidate.tier.rawValue, filter.values, filter.option)
    case "DataType": return compare(candidate.dataType.rawValue, filter.values, filter.option)
    case "Label": return filter.values.contains { candidate.labels.contains($0) }
    default:
      let tagKey = String(filter.key.dropFirst(4))
      guard let value = candidate.tags[tagKey] else { return false }
      return filter.values.isEmpty || compare(value, filter.values, filter.option)
    }
  }

  static func compare(_ actual: String, _ values: [String], _ option: String) -> Bool {
    option == "BeginsWith"
      ? values.contains { actual.hasPrefix($0) } : values.contains(actual)
  }

  /// Whether `/`-prefixed `name` lies under `path`: one level down, or anywhere below.
  static func isUnder(_ name: String, path: String, recursive: Bool) -> Bool {
    let prefix = path == "/" ? "/" : path + "/"
    guard name.hasPrefix(prefix), name.count > prefix.count else { return false }
    return recursive || !name.utf8.dropFirst(prefix.utf8.count).contains(ParameterNameRules.slash)
  }
}
