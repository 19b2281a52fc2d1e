/// `ListSecrets` filters: `name` (prefix, case-sensitive), `description` (each word of the value
/// begins a word of the description, in any order, not case-sensitive), `tag-key` and
/// `tag-value` (prefix, case-sensitive), `primary-region`,
/// `owning-service` and `all` (any word of the value begins a word of an attribute, or an
/// attribute, not case-sensitive). Words split as Secrets Manager's search splits them
/// (`words(_:)`: `MyDatabaseSecret` is `my`, `database`, `secret`). Several values of one
/// filter: any matches; a value starting with `!` excludes what it matches. Several filters:
/// all must match.
enum SecretFilterRules {
  static let keys = [
    "description", "name", "tag-key", "tag-value", "primary-region", "owning-service", "all",
  ]

  struct Candidate {
    var name: String
    var description: String
    var tags: [String: String]
    var primaryRegion: String
  }

  struct Compiled {
    var key: String
    var include: [String]
    var exclude: [String]

    /// The filter as text, for telling one listing from another (page tokens).
    var identity: String {
      "\(key)=\(include.joined(separator: ","))!\(exclude.joined(separator: ","))"
    }

    /// Whether matching reads the candidate's tags (the others need no query for them).
    var readsTags: Bool { ["tag-key", "tag-value", "all"].contains(key) }

    func matches(_ candidate: Candidate) -> Bool {
      let included = include.isEmpty || include.contains { Self.match(key, $0, candidate) }
      return included && !exclude.contains { Self.match(key, $0, candidate) }
    }

    static func match(_ key: String, _ value: String, _ candidate: Candidate) -> Bool {
      switch key {
      case "name": return candidate.name.hasPrefix(value)
      case "description":
        // The user guide: "Matches the words in secret descriptions, not case-sensitive. For
        // example, Description: My Description matches … My basic description, Description of
        // my secret" (docs.aws.amazon.com/secretsmanager/latest/userguide/
        // manage_search-secret.html). The API reference's "Prefix match" would miss both.
        let words = Self.words(candidate.description)
        let wanted = Self.words(value)
        // An empty value, like an empty prefix for the other keys, matches every secret.
        return wanted.allSatisfy { word in words.contains { $0.hasPrefix(word) } }
      case "tag-key": return candidate.tags.keys.contains { $0.hasPrefix(value) }
      case "tag-value": return candidate.tags.values.contains { $0.hasPrefix(value) }
      case "primary-region": return candidate.primaryRegion.hasPrefix(value)
      case "owning-service": return false
      default:
        let words = Self.words(value)
        let fields =
          [candidate.name, candidate.description, candidate.primaryRegion]
          + Array(candidate.tags.keys) + Array(candidate.tags.values)
        let parts = fields.flatMap { Self.words($0) + [$0.lowercased()] }
        // Any word of the value selects the secret: "Secrets Manager breaks the search string
        // into words and then searches all attributes for matches … searching for My_Secret
        // matches secrets with the word my or secret in the name, description, or tags"
        // (docs.aws.amazon.com/secretsmanager/latest/userguide/manage_search-secret.html). A
        // value without words (empty, or punctuation only) selects every secret, as an empty
        // prefix does for the other keys.
        return words.isEmpty || words.contains { word in parts.contains { $0.hasPrefix(word) } }
      }
    }

    /// The lowercased words of `text` as Secrets Manager's search finds them: "The words are
    /// separated by any change from uppercase to lowercase, from letter to number, or from
    /// number/letter to punctuation. For example, entering the search term credsDatabase#892
    /// searches for creds, Database, and 892" (docs.aws.amazon.com/secretsmanager/latest/
    /// userguide/manage_search-secret.html). An upper-case run before a capitalised word ends
    /// before its last letter (`HTTPServer`: `http`, `server`).
    static func words(_ text: String) -> [String] {
      let characters = Array(text)
      var words: [String] = []
      var word = ""
      for (index, character) in characters.enumerated() {
        guard character.isLetter || character.isNumber else {
          if !word.isEmpty { words.append(word.lowercased()) }
          word = ""
          continue
        }
        if let previous = word.last {
          let next = index + 1 < characters.count ? characters[index + 1] : nil
          let boundary =
            (previous.isLowercase && character.isUppercase)
            || previous.isLetter != character.isLetter
            || (previous.isUppercase && character.isUppercase && next?.isLowercase == true)
          if boundary {
            words.append(word.lowercased())
            word = ""
          }
        }
        word.append(character)
      }
      if !word.isEmpty { words.append(word.lowercased()) }
      return words
    }
  }

  /// Letters and digits (ASCII), space and `:_@/+=.-!`, as the pattern allows.
  static func isFilterValue(_ value: String) -> Bool {
    value.utf8.allSatisfy { byte in
      switch byte {
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"):
        true
      default: " :_@/+=.-!".utf8.contains(byte)
      }
    }
  }

  static func validate(_ filters: [SecretsFilter]) throws(StoreError) -> [Compiled] {
    guard filters.count <= 10 else {
      throw .constraint(
        value: "[…]", at: "filters", "Member must have length less than or equal to 10")
    }
    var compiled: [Compiled] = []
    for (index, filter) in filters.enumerated() {
      guard keys.contains(filter.key) else {
        throw .constraint(
          value: filter.key, at: "filters.\(index + 1).member.key",
          "Member must satisfy enum value set: [" + keys.joined(separator: ", ") + "]")
      }
      let values = filter.values ?? []
      guard !values.isEmpty, values.count <= 10 else {
        throw .constraint(
          value: "[\(values.joined(separator: ", "))]", at: "filters.\(index + 1).member.values",
          values.isEmpty
            ? "Member must have length greater than or equal to 1"
            : "Member must have length less than or equal to 10")
      }
      // `FilterValueStringType`: at most 512 characters, no minimum (an empty value is an
      // empty prefix, which everything has), pattern `^\!?[a-zA-Z0-9 :_@\/\+\=\.\-\!]*$`
      // (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_Filter.html).
      if values.contains(where: { $0.count > 512 || !Self.isFilterValue($0) }) {
        throw .constraint(
          value: "[\(values.joined(separator: ", "))]", at: "filters.\(index + 1).member.values",
          "Member must satisfy constraint: [Member must have length less than or equal to 512, "
            + #"Member must satisfy regular expression pattern: ^\!?[a-zA-Z0-9 :_@\/\+\=\.\-\!]*$]"#
        )
      }
      compiled.append(
        Compiled(
          key: filter.key,
          include: values.filter { !$0.hasPrefix("!") },
          exclude: values.filter { $0.hasPrefix("!") }.map { String($0.dropFirst()) }))
    }
    return compiled
  }
}
