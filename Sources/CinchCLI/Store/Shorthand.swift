import Foundation

/// The aws CLI's shorthand syntax for structure parameters, as used in guides:
/// `--tags Key=Env,Value=prod`, `--parameter-filters Key=Type,Values=SecureString,String`,
/// `--filters "Key=Name,Values=/app"`. A value runs to the next `,key=`; several
/// comma-separated values form a list; `[a,b]` is a list too; `"…"` and `'…'` quote.
struct Shorthand: Equatable {
  enum Value: Equatable {
    case scalar(String)
    case list([String])

    /// As a list: a scalar is a list of one.
    var list: [String] {
      switch self {
      case .scalar(let value): [value]
      case .list(let values): values
      }
    }

    var scalar: String? {
      if case .scalar(let value) = self { return value }
      return nil
    }
  }

  /// The members in the order given.
  var members: [(key: String, value: Value)]

  static func == (lhs: Shorthand, rhs: Shorthand) -> Bool {
    lhs.members.map(\.key) == rhs.members.map(\.key)
      && lhs.members.map(\.value) == rhs.members.map(\.value)
  }

  subscript(key: String) -> Value? { members.first { $0.key == key }?.value }

  struct ParseError: Error, CustomStringConvertible {
    var description: String
  }

  static func parse(_ text: String) throws(ParseError) -> Shorthand {
    var parser = Parser(characters: Array(text))
    return try parser.parseStructure()
  }

  private struct Parser {
    let characters: [Character]
    var index = 0

    var atEnd: Bool { index >= characters.count }

    mutating func parseStructure() throws(ParseError) -> Shorthand {
      var members: [(String, Value)] = []
      while !atEnd {
        let key = try parseKey()
        // awscli's shorthand parser (`DuplicateKeyInObjectError`): the second `Value=` of
        // `Key=a,Value=b Key=c,Value=d` would otherwise silently replace the first.
        if members.contains(where: { $0.0 == key }) {
          throw ParseError(
            description: "Second instance of key \"\(key)\" encountered for input:\n"
              + "\(String(characters))\nThis is often because there is a preceding \",\" "
              + "instead of a space.")
        }
        let value = try parseValue()
        members.append((key, value))
        if atEnd { break }
        // parseValue stops before a `,` that starts the next key.
        index += 1
      }
      guard !members.isEmpty else { throw ParseError(description: "Expected: '=', received: EOF") }
      return Shorthand(members: members)
    }

    mutating func parseKey() throws(ParseError) -> String {
      var key = ""
      while !atEnd, characters[index] != "=" {
        guard characters[index] != "," else {
          throw ParseError(description: "Expected: '=', received: ','")
        }
        key.append(characters[index])
        index += 1
      }
      guard !atEnd else {
        throw ParseError(description: "Expected: '=', received: EOF for input: \(key)")
      }
      index += 1
      let trimmed = key.trimmingCharacters(in: .whitespacesAndNewlines)
      guard !trimmed.isEmpty else { throw ParseError(description: "Expected a key before '='") }
      return trimmed
    }

    /// Whether the text at `position` reads `key=` (a key: no `,`, `=`, quote or bracket;
    /// white space around it, as awscli's parser strips it).
    func startsKey(at position: Int) -> Bool {
      var cursor = position
      while cursor < characters.count, characters[cursor].isWhitespace { cursor += 1 }
      let start = cursor
      while cursor < characters.count {
        let character = characters[cursor]
        if character == "=" { return cursor > start }
        if character.isWhitespace {
          // `Value =v`: only white space may come between a key and its `=`.
          var next = cursor
          while next < characters.count, characters[next].isWhitespace { next += 1 }
          return next < characters.count && characters[next] == "=" && cursor > start
        }
        if ",[]{}\"'".contains(character) { return false }
        cursor += 1
      }
      return false
    }

    mutating func parseValue() throws(ParseError) -> Value {
      if !atEnd, characters[index] == "[" {
        index += 1
        var items: [String] = []
        while !atEnd, characters[index] != "]" {
          items.append(try parseScalar(stopAt: ",]"))
          if !atEnd, characters[index] == "," { index += 1 }
        }
        guard !atEnd else { throw ParseError(description: "Expected: ']', received: EOF") }
        index += 1
        return .list(items)
      }
      var items = [try parseScalar(stopAt: ",")]
      while !atEnd, characters[index] == ",", !startsKey(at: index + 1) {
        index += 1
        items.append(try parseScalar(stopAt: ","))
      }
      return items.count == 1 ? .scalar(items[0]) : .list(items)
    }

    mutating func parseScalar(stopAt stops: String) throws(ParseError) -> String {
      while !atEnd, characters[index].isWhitespace { index += 1 }
      if !atEnd, characters[index] == "\"" || characters[index] == "'" {
        let quote = characters[index]
        index += 1
        var value = ""
        while !atEnd, characters[index] != quote {
          if characters[index] == "\\", index + 1 < characters.count,
            characters[index + 1] == quote || characters[index + 1] == "\\"
          {
            index += 1
          }
          value.append(characters[index])
          index += 1
        }
        guard !atEnd else { throw ParseError(description: "Expected: '\(quote)', received: EOF") }
        index += 1
        while !atEnd, characters[index].isWhitespace { index += 1 }
        return value
      }
      var value = ""
      while !atEnd, !stops.contains(characters[index]) {
        // `\,` is a comma of the value, not a separator (`Value=b\,c` is "b,c").
        if characters[index] == "\\", index + 1 < characters.count,
          characters[index + 1] == ","
        {
          index += 1
        }
        value.append(characters[index])
        index += 1
      }
      // awscli strips a value (`_value().strip()`): a file:// document's last line break is
      // not part of it.
      return value.trimmingCharacters(in: .whitespacesAndNewlines)
    }
  }
}
