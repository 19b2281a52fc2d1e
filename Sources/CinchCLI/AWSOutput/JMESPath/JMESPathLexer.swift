import CinchJSON

/// A token of a JMESPath expression. `type` uses the names of the reference implementation
/// (`unquoted_identifier`, `lbracket`, `flatten`, …) because parse errors print them.
struct JMESPathToken: Sendable {
  enum Kind: String, Sendable {
    case dot, star, rbracket, comma, colon, current, lparen, rparen, lbrace, rbrace
    case lbracket, flatten, filter
    case unquotedIdentifier = "unquoted_identifier"
    case quotedIdentifier = "quoted_identifier"
    case literal, number, pipe, or, and, expref, eq, ne, lt, lte, gt, gte, not, eof
  }

  var kind: Kind
  /// How the token's value prints in an error message (Python's `str()` of it).
  var text: String
  var start: Int
  var identifier: String = ""
  var number: Int = 0
  var literal: JSONValue = .null
}

/// Splits an expression into tokens the way the reference lexer does, positions counted in
/// Unicode scalars (Python string indexes).
enum JMESPathLexer {
  static func tokenize(_ expression: String) throws(JMESPathError) -> [JMESPathToken] {
    guard !expression.isEmpty else { throw .emptyExpression }
    let characters = Array(expression.unicodeScalars)
    var tokens: [JMESPathToken] = []
    var position = 0
    func current() -> Unicode.Scalar? { position < characters.count ? characters[position] : nil }
    func lexerError(_ at: Int, _ message: String) -> JMESPathError {
      .lexer(position: at, message: message, expression: expression)
    }
    let simple: [Unicode.Scalar: JMESPathToken.Kind] = [
      ".": .dot, "*": .star, "]": .rbracket, ",": .comma, ":": .colon, "@": .current,
      "(": .lparen, ")": .rparen, "{": .lbrace, "}": .rbrace,
    ]

    /// Reads up to the closing delimiter, keeping backslash escapes in the text.
    func consumeUntil(_ delimiter: Unicode.Scalar) throws(JMESPathError) -> String {
      let start = position
      var buffer = String.UnicodeScalarView()
      position += 1
      while current() != delimiter {
        if current() == "\\" {
          buffer.append("\\")
          position += 1
        }
        guard let scalar = current() else {
          throw lexerError(start, "Unclosed \(Character(delimiter)) delimiter")
        }
        buffer.append(scalar)
        position += 1
      }
      position += 1
      return String(buffer)
    }

    func matchOrElse(
      _ expected: Unicode.Scalar, _ match: JMESPathToken.Kind, _ otherwise: JMESPathToken.Kind,
      _ first: Unicode.Scalar
    ) -> JMESPathToken {
      let start = position
      position += 1
      if current() == expected {
        position += 1
        return JMESPathToken(
          kind: match, text: String(Character(first)) + String(Character(expected)), start: start)
      }
      return JMESPathToken(kind: otherwise, text: String(Character(first)), start: start)
    }

    func consumeNumber() -> String {
      var buffer = String(Character(characters[position]))
      position += 1
      while let scalar = current(), ("0"..."9").contains(scalar) {
        buffer.append(Character(scalar))
        position += 1
      }
      return buffer
    }

    while let scalar = current() {
      if let kind = simple[scalar] {
        tokens.append(JMESPathToken(kind: kind, text: String(Character(scalar)), start: position))
        position += 1
      } else if isIdentifierStart(scalar) {
        let start = position
        var buffer = ""
        while let next = current(), isIdentifierStart(next) || ("0"..."9").contains(next) {
          buffer.append(Character(next))
          position += 1
        }
        var token = JMESPathToken(kind: .unquotedIdentifier, text: buffer, start: start)
        token.identifier = buffer
        tokens.append(token)
      } else if scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" {
        position += 1
      } else if scalar == "[" {
        let start = position
        position += 1
        if current() == "]" {
          position += 1
          tokens.append(JMESPathToken(kind: .flatten, text: "[]", start: start))
        } else if current() == "?" {
          position += 1
          tokens.append(JMESPathToken(kind: .filter, text: "[?", start: start))
        } else {
          tokens.append(JMESPathToken(kind: .lbracket, text: "[", start: start))
        }
      } else if scalar == "'" {
        let start = position
        let raw = try consumeUntil("'").replacingOccurrences(of: "\\'", with: "'")
        var token = JMESPathToken(kind: .literal, text: raw, start: start)
        token.literal = .string(raw)
        tokens.append(token)
      } else if scalar == "|" {
        tokens.append(matchOrElse("|", .or, .pipe, "|"))
      } else if scalar == "&" {
        tokens.append(matchOrElse("&", .and, .expref, "&"))
      } else if scalar == "`" {
        let start = position
        let lexeme = try consumeUntil("`").replacingOccurrences(of: "\\`", with: "`")
        var token = JMESPathToken(kind: .literal, text: "", start: start)
        if let value = try? JSONValueParser.parse(lexeme) {
          token.literal = value
        } else if let value = try? JSONValueParser.parse(
          "\"" + String(lexeme.drop(while: \.isPythonWhitespace)) + "\"")
        {
          // The deprecated form: text that is no JSON value is read as a JSON string.
          token.literal = value
        } else {
          throw lexerError(start, "Bad token \(lexeme)")
        }
        token.text = PythonText.str(token.literal)
        tokens.append(token)
      } else if ("0"..."9").contains(scalar) {
        let start = position
        let digits = consumeNumber()
        tokens.append(numberToken(digits, start: start))
      } else if scalar == "-" {
        let start = position
        let digits = consumeNumber()
        if digits.count > 1 {
          tokens.append(numberToken(digits, start: start))
        } else {
          throw lexerError(start, "Unknown token '\(digits)'")
        }
      } else if scalar == "\"" {
        let start = position
        let lexeme = "\"" + (try consumeUntil("\"")) + "\""
        let name: String
        switch Result(catching: { () throws(JSONValueParser.Error) in
          try JSONValueParser.parse(lexeme)
        }) {
        case .success(.string(let string)): name = string
        case .success: throw lexerError(start, "Extra data")
        case .failure(let error): throw lexerError(start, pythonJSONMessage(error))
        }
        var token = JMESPathToken(kind: .quotedIdentifier, text: name, start: start)
        token.identifier = name
        tokens.append(token)
      } else if scalar == "<" {
        tokens.append(matchOrElse("=", .lte, .lt, "<"))
      } else if scalar == ">" {
        tokens.append(matchOrElse("=", .gte, .gt, ">"))
      } else if scalar == "!" {
        tokens.append(matchOrElse("=", .ne, .not, "!"))
      } else if scalar == "=" {
        if position + 1 < characters.count && characters[position + 1] == "=" {
          tokens.append(JMESPathToken(kind: .eq, text: "==", start: position))
          position += 2
        } else {
          throw lexerError(position, "Unknown token '='")
        }
      } else {
        throw lexerError(position, "Unknown token \(Character(scalar))")
      }
    }
    tokens.append(JMESPathToken(kind: .eof, text: "", start: characters.count))
    return tokens
  }

  private static func numberToken(_ digits: String, start: Int) -> JMESPathToken {
    var token = JMESPathToken(kind: .number, text: digits, start: start)
    token.number = Int(digits) ?? (digits.hasPrefix("-") ? Int.min : Int.max)
    token.text = String(token.number)
    return token
  }

  private static func isIdentifierStart(_ scalar: Unicode.Scalar) -> Bool {
    ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_"
  }

  /// The first part of the message Python's JSON decoder gives for a bad quoted identifier.
  private static func pythonJSONMessage(_ error: JSONValueParser.Error) -> String {
    switch error.message {
    case "invalid escape": "Invalid \\escape"
    case "invalid \\u escape", "unpaired surrogate in a \\u escape": "Invalid \\uXXXX escape"
    case "control character in a string": "Invalid control character at"
    default: error.message
    }
  }
}

extension Character {
  /// The characters `str.strip()` removes.
  var isPythonWhitespace: Bool { isWhitespace }
}
