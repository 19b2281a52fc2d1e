/// A top-down operator precedence (Pratt) parser for JMESPath. Binding powers, projection
/// rules and error reporting follow the reference implementation the aws CLI uses, so an
/// expression is accepted or refused, and its error worded, as `aws --query` does.
struct JMESPathParser {
  private static func bindingPower(_ kind: JMESPathToken.Kind) -> Int {
    switch kind {
    case .eof, .unquotedIdentifier, .quotedIdentifier, .literal, .rbracket, .rparen, .comma,
      .rbrace, .number, .current, .expref, .colon:
      0
    case .pipe: 1
    case .or: 2
    case .and: 3
    case .eq, .gt, .lt, .gte, .lte, .ne: 5
    case .flatten: 9
    case .star: 20
    case .filter: 21
    case .dot: 40
    case .not: 45
    case .lbrace: 50
    case .lbracket: 55
    case .lparen: 60
    }
  }

  /// Tokens with a binding power below this end a projection.
  private static let projectionStop = 10

  private let expression: String
  private let tokens: [JMESPathToken]
  private var index = 0
  /// How many expressions enclose the one being parsed: bounded, so that `!!!!…`, `((((…` or
  /// `[[[[…` ends in an error rather than in a stack overflow (Python's `jmespath` stops at its
  /// recursion limit).
  private var depth = 0
  static let maximumDepth = 200

  static func parse(_ expression: String) throws(JMESPathError) -> JMESPathNode {
    var parser = JMESPathParser(
      expression: expression, tokens: try JMESPathLexer.tokenize(expression))
    let node = try parser.parseExpression(0)
    if parser.currentKind != .eof {
      let token = parser.token(0)
      throw parser.parseError(token, "Unexpected token: \(token.text)")
    }
    return node
  }

  private init(expression: String, tokens: [JMESPathToken]) {
    self.expression = expression
    self.tokens = tokens
  }

  // MARK: Token access

  private var currentKind: JMESPathToken.Kind { tokens[min(index, tokens.count - 1)].kind }

  private func token(_ offset: Int) -> JMESPathToken {
    let position = index + offset
    if position < 0 { return tokens[tokens.count + position >= 0 ? tokens.count + position : 0] }
    return tokens[min(position, tokens.count - 1)]
  }

  private func kind(_ offset: Int) -> JMESPathToken.Kind { token(offset).kind }

  private mutating func advance() { index += 1 }

  private func parseError(_ token: JMESPathToken, _ message: String) -> JMESPathError {
    .parse(
      position: token.start, tokenValue: token.text, tokenType: token.kind.rawValue,
      message: message, expression: expression)
  }

  private func errorMaybeEOF(expected: String, _ token: JMESPathToken) -> JMESPathError {
    if token.kind == .eof { return .incomplete(expression: expression) }
    return parseError(token, "Expecting: \(expected), got: \(token.kind.rawValue)")
  }

  private mutating func match(_ kind: JMESPathToken.Kind) throws(JMESPathError) {
    if currentKind == kind {
      advance()
    } else {
      throw errorMaybeEOF(expected: kind.rawValue, token(0))
    }
  }

  private mutating func matchAny(_ kinds: [JMESPathToken.Kind]) throws(JMESPathError) {
    guard kinds.contains(currentKind) else {
      throw errorMaybeEOF(expected: pythonList(kinds.map(\.rawValue)), token(0))
    }
    advance()
  }

  // MARK: Expressions

  private mutating func parseExpression(_ bindingPower: Int) throws(JMESPathError) -> JMESPathNode {
    depth += 1
    defer { depth -= 1 }
    guard depth <= Self.maximumDepth else {
      throw parseError(
        token(0), "Expression nested too deeply (more than \(Self.maximumDepth) levels)")
    }
    let leftToken = token(0)
    advance()
    var left = try nud(leftToken)
    while bindingPower < Self.bindingPower(currentKind) {
      let kind = currentKind
      guard Self.hasLed(kind) else { throw parseError(token(0), "invalid token") }
      advance()
      left = try led(kind, left)
    }
    return left
  }

  private mutating func nud(_ token: JMESPathToken) throws(JMESPathError) -> JMESPathNode {
    switch token.kind {
    case .literal:
      return .literal(token.literal)
    case .unquotedIdentifier:
      return .field(token.identifier)
    case .quotedIdentifier:
      if currentKind == .lparen {
        let next = self.token(0)
        throw JMESPathError.parse(
          position: 0, tokenValue: next.text, tokenType: next.kind.rawValue,
          message: "Quoted identifier not allowed for function names.", expression: expression)
      }
      return .field(token.identifier)
    case .star:
      let right: JMESPathNode =
        currentKind == .rbracket ? .identity : try parseProjectionRHS(Self.bindingPower(.star))
      return .valueProjection(left: .identity, right: right)
    case .filter:
      return try ledFilter(.identity)
    case .lbrace:
      return try parseMultiSelectHash()
    case .lparen:
      let inner = try parseExpression(0)
      try match(.rparen)
      return inner
    case .flatten:
      let right = try parseProjectionRHS(Self.bindingPower(.flatten))
      return .projection(left: .flatten(.identity), right: right)
    case .not:
      return .not(try parseExpression(Self.bindingPower(.not)))
    case .lbracket:
      if currentKind == .number || currentKind == .colon {
        let right = try parseIndexExpression()
        return try projectIfSlice(.identity, right)
      } else if currentKind == .star && kind(1) == .rbracket {
        advance()
        advance()
        let right = try parseProjectionRHS(Self.bindingPower(.star))
        return .projection(left: .identity, right: right)
      } else {
        return try parseMultiSelectList()
      }
    case .current:
      return .current
    case .expref:
      return .expref(try parseExpression(Self.bindingPower(.expref)))
    case .eof:
      throw JMESPathError.incomplete(expression: expression)
    default:
      throw parseError(token, "invalid token")
    }
  }

  private static func hasLed(_ kind: JMESPathToken.Kind) -> Bool {
    switch kind {
    case .dot, .pipe, .or, .and, .lparen, .filter, .eq, .ne, .gt, .gte, .lt, .lte, .flatten,
      .lbracket:
      true
    default:
      false
    }
  }

  private mutating func led(_ kind: JMESPathToken.Kind, _ left: JMESPathNode) throws(JMESPathError)
    -> JMESPathNode
  {
    switch kind {
    case .dot:
      if currentKind != .star {
        let right = try parseDotRHS(Self.bindingPower(.dot))
        if case .subexpression(let children) = left { return .subexpression(children + [right]) }
        return .subexpression([left, right])
      }
      advance()
      let right = try parseProjectionRHS(Self.bindingPower(.dot))
      return .valueProjection(left: left, right: right)
    case .pipe:
      return .pipe(left, try parseExpression(Self.bindingPower(.pipe)))
    case .or:
      return .or(left, try parseExpression(Self.bindingPower(.or)))
    case .and:
      return .and(left, try parseExpression(Self.bindingPower(.and)))
    case .lparen:
      guard case .field(let name) = left else {
        let previous = token(-2)
        throw parseError(previous, "Invalid function name '\(previous.text)'")
      }
      var arguments: [JMESPathNode] = []
      while currentKind != .rparen {
        let argument = try parseExpression(0)
        if currentKind == .comma { try match(.comma) }
        arguments.append(argument)
      }
      try match(.rparen)
      return .function(name: name, arguments: arguments)
    case .filter:
      return try ledFilter(left)
    case .eq, .ne, .gt, .gte, .lt, .lte:
      let comparator = JMESPathComparator(rawValue: kind.rawValue) ?? .eq
      return .comparator(comparator, left, try parseExpression(Self.bindingPower(kind)))
    case .flatten:
      let right = try parseProjectionRHS(Self.bindingPower(.flatten))
      return .projection(left: .flatten(left), right: right)
    case .lbracket:
      let next = token(0)
      if next.kind == .number || next.kind == .colon {
        let right = try parseIndexExpression()
        if case .indexExpression(let children) = left {
          return .indexExpression(children + [right])
        }
        return try projectIfSlice(left, right)
      }
      try match(.star)
      try match(.rbracket)
      let right = try parseProjectionRHS(Self.bindingPower(.star))
      return .projection(left: left, right: right)
    default:
      throw parseError(token(0), "invalid token")
    }
  }

  private mutating func ledFilter(_ left: JMESPathNode) throws(JMESPathError) -> JMESPathNode {
    let condition = try parseExpression(0)
    try match(.rbracket)
    let right: JMESPathNode =
      currentKind == .flatten ? .identity : try parseProjectionRHS(Self.bindingPower(.filter))
    return .filterProjection(left: left, right: right, condition: condition)
  }

  private mutating func parseIndexExpression() throws(JMESPathError) -> JMESPathNode {
    if kind(0) == .colon || kind(1) == .colon { return try parseSliceExpression() }
    let node = JMESPathNode.index(token(0).number)
    advance()
    try match(.rbracket)
    return node
  }

  private mutating func parseSliceExpression() throws(JMESPathError) -> JMESPathNode {
    var parts: [Int?] = [nil, nil, nil]
    var position = 0
    while currentKind != .rbracket && position < 3 {
      if currentKind == .colon {
        position += 1
        if position == 3 { throw parseError(token(0), "syntax error") }
        advance()
      } else if currentKind == .number {
        parts[position] = token(0).number
        advance()
      } else {
        throw parseError(token(0), "syntax error")
      }
    }
    try match(.rbracket)
    return .slice(start: parts[0], stop: parts[1], step: parts[2])
  }

  private mutating func projectIfSlice(_ left: JMESPathNode, _ right: JMESPathNode)
    throws(JMESPathError) -> JMESPathNode
  {
    let indexExpression = JMESPathNode.indexExpression([left, right])
    if case .slice = right {
      return .projection(
        left: indexExpression, right: try parseProjectionRHS(Self.bindingPower(.star)))
    }
    return indexExpression
  }

  private mutating func parseMultiSelectList() throws(JMESPathError) -> JMESPathNode {
    var expressions: [JMESPathNode] = []
    while true {
      expressions.append(try parseExpression(0))
      if currentKind == .rbracket { break }
      try match(.comma)
    }
    try match(.rbracket)
    return .multiSelectList(expressions)
  }

  private mutating func parseMultiSelectHash() throws(JMESPathError) -> JMESPathNode {
    var pairs: [(key: String, value: JMESPathNode)] = []
    while true {
      let keyToken = token(0)
      try matchAny([.quotedIdentifier, .unquotedIdentifier])
      try match(.colon)
      let value = try parseExpression(0)
      pairs.append((keyToken.identifier, value))
      if currentKind == .comma {
        try match(.comma)
      } else if currentKind == .rbrace {
        try match(.rbrace)
        break
      }
    }
    return .multiSelectHash(pairs)
  }

  private mutating func parseProjectionRHS(_ bindingPower: Int) throws(JMESPathError)
    -> JMESPathNode
  {
    if Self.bindingPower(currentKind) < Self.projectionStop { return .identity }
    switch currentKind {
    case .lbracket, .filter:
      return try parseExpression(bindingPower)
    case .dot:
      try match(.dot)
      return try parseDotRHS(bindingPower)
    default:
      throw parseError(token(0), "syntax error")
    }
  }

  private mutating func parseDotRHS(_ bindingPower: Int) throws(JMESPathError) -> JMESPathNode {
    switch currentKind {
    case .quotedIdentifier, .unquotedIdentifier, .star:
      return try parseExpression(bindingPower)
    case .lbracket:
      try match(.lbracket)
      return try parseMultiSelectList()
    case .lbrace:
      try match(.lbrace)
      return try parseMultiSelectHash()
    default:
      let allowed = ["quoted_identifier", "unquoted_identifier", "lbracket", "lbrace"]
      throw parseError(token(0), "Expecting: \(pythonList(allowed)), got: \(currentKind.rawValue)")
    }
  }
}

/// Python's `repr` of a list of strings: `['a', 'b']`.
func pythonList(_ strings: [String]) -> String {
  "[" + strings.map(PythonText.repr).joined(separator: ", ") + "]"
}
