import CinchJSON

/// The JMESPath built-in functions, with the argument checks and messages of the reference
/// implementation: the function name and arity are checked when the function is called, each
/// argument's type against the signature, and the elements of typed arrays one by one.
struct JMESPathFunctions {
  let interpreter: JMESPathInterpreter

  /// One parameter of a signature, in the reference implementation's spelling
  /// (`array-number`, `expref`, …); an empty list accepts anything.
  private struct Parameter {
    var types: [String]
    var variadic = false
    init(_ types: String..., variadic: Bool = false) {
      self.types = types
      self.variadic = variadic
    }
  }

  private static let signatures: [String: [Parameter]] = [
    "abs": [Parameter("number")],
    "avg": [Parameter("array-number")],
    "ceil": [Parameter("number")],
    "contains": [Parameter("array", "string"), Parameter()],
    "ends_with": [Parameter("string"), Parameter("string")],
    "floor": [Parameter("number")],
    "join": [Parameter("string"), Parameter("array-string")],
    "keys": [Parameter("object")],
    "length": [Parameter("string", "array", "object")],
    "map": [Parameter("expref"), Parameter("array")],
    "max": [Parameter("array-number", "array-string")],
    "max_by": [Parameter("array"), Parameter("expref")],
    "merge": [Parameter("object", variadic: true)],
    "min": [Parameter("array-number", "array-string")],
    "min_by": [Parameter("array"), Parameter("expref")],
    "not_null": [Parameter(variadic: true)],
    "reverse": [Parameter("array", "string")],
    "sort": [Parameter("array-string", "array-number")],
    "sort_by": [Parameter("array"), Parameter("expref")],
    "starts_with": [Parameter("string"), Parameter("string")],
    "sum": [Parameter("array-number")],
    "to_array": [Parameter()],
    "to_number": [Parameter()],
    "to_string": [Parameter()],
    "type": [Parameter()],
    "values": [Parameter("object")],
  ]

  func call(_ name: String, _ arguments: [JMESPathArgument]) throws(JMESPathError) -> JSONValue {
    guard let signature = Self.signatures[name] else {
      throw .runtime("Unknown function: \(name)()")
    }
    if signature.last?.variadic == true {
      if arguments.count < signature.count {
        throw .runtime(
          "Expected at least \(signature.count) \(plural(signature.count)) for function \(name)(), received \(arguments.count)"
        )
      }
    } else if arguments.count != signature.count {
      throw .runtime(
        "Expected \(signature.count) \(plural(signature.count)) for function \(name)(), received \(arguments.count)"
      )
    }
    for (parameter, argument) in zip(signature, arguments) where !parameter.types.isEmpty {
      try typeCheck(argument, parameter.types, function: name)
    }
    return try invoke(name, arguments)
  }

  private func plural(_ count: Int) -> String { count == 1 ? "argument" : "arguments" }

  // MARK: Type checks

  private static func jmespathType(_ argument: JMESPathArgument) -> String {
    guard case .value(let value) = argument else { return "expref" }
    switch value {
    case .null: return "null"
    case .bool: return "boolean"
    case .integer, .double: return "number"
    case .string: return "string"
    case .array: return "array"
    case .object: return "object"
    }
  }

  private func argumentValue(_ argument: JMESPathArgument) -> JSONValue? {
    if case .value(let value) = argument { return value }
    return nil
  }

  private static func display(_ argument: JMESPathArgument) -> String {
    switch argument {
    case .value(let value): PythonText.str(value)
    case .expression: "<jmespath.visitor._Expression object>"
    }
  }

  private func typeError(
    _ function: String, _ value: JSONValue?, shown: String? = nil, _ received: String,
    _ types: [String]
  ) -> JMESPathError {
    .invalidType(
      function: function, value: shown ?? value.map(PythonText.str) ?? "", expected: types,
      received: received, shownValue: value)
  }

  private func typeCheck(_ argument: JMESPathArgument, _ types: [String], function: String)
    throws(JMESPathError)
  {
    var allowed: [String] = []
    var subtypes: [String] = []
    for type in types {
      let parts = type.split(separator: "-", maxSplits: 1).map(String.init)
      allowed.append(parts[0])
      if parts.count == 2 { subtypes.append(parts[1]) }
    }
    let actual = Self.jmespathType(argument)
    guard allowed.contains(actual) else {
      throw typeError(
        function, argumentValue(argument), shown: Self.display(argument), actual, types)
    }
    guard !subtypes.isEmpty, case .value(.array(let elements)) = argument else { return }
    func matches(_ element: JSONValue, _ subtype: String) -> Bool {
      Self.jmespathType(.value(element)) == subtype
    }
    if subtypes.count == 1 {
      for element in elements where !matches(element, subtypes[0]) {
        throw typeError(function, element, pythonTypeName(element), types)
      }
    } else if let first = elements.first {
      guard let subtype = subtypes.first(where: { matches(first, $0) }) else {
        throw typeError(function, first, pythonTypeName(first), types)
      }
      for element in elements where !matches(element, subtype) {
        throw typeError(function, element, pythonTypeName(element), types)
      }
    }
  }

  // MARK: Functions

  private func value(_ argument: JMESPathArgument) -> JSONValue {
    if case .value(let value) = argument { return value }
    return .null
  }

  private func expression(_ argument: JMESPathArgument) -> JMESPathNode {
    if case .expression(let node) = argument { return node }
    return .identity
  }

  private func invoke(_ name: String, _ arguments: [JMESPathArgument]) throws(JMESPathError)
    -> JSONValue
  {
    let first = arguments.first.map(value) ?? .null
    switch name {
    case "abs":
      switch first {
      case .integer(let integer):
        return integer == .min ? .double(-Double(integer)) : .integer(abs(integer))
      default: return .double(abs(numberAsDouble(first)))
      }
    case "avg":
      let numbers = first.arrayValue ?? []
      guard !numbers.isEmpty else { return .null }
      return .double(numberAsDouble(sum(numbers)) / Double(numbers.count))
    case "ceil", "floor":
      if case .integer = first { return first }
      let rounded =
        name == "ceil" ? numberAsDouble(first).rounded(.up) : numberAsDouble(first).rounded(.down)
      return Int64(exactly: rounded).map(JSONValue.integer) ?? .double(rounded)
    case "contains":
      let search = value(arguments[1])
      if case .string(let subject) = first {
        guard case .string(let needle) = search else {
          throw .runtime(
            "'in <string>' requires string as left operand, not \(pythonTypeName(search))")
        }
        return .bool(needle.isEmpty || subject.unicodeScalars.contains(needle.unicodeScalars))
      }
      return .bool((first.arrayValue ?? []).contains { pythonEquals($0, search) })
    case "ends_with", "starts_with":
      let subject = Array(first.stringValue?.unicodeScalars ?? "".unicodeScalars)
      let affix = Array(value(arguments[1]).stringValue?.unicodeScalars ?? "".unicodeScalars)
      guard affix.count <= subject.count else { return .bool(false) }
      let slice = name == "starts_with" ? subject.prefix(affix.count) : subject.suffix(affix.count)
      return .bool(slice.elementsEqual(affix))
    case "join":
      let separator = first.stringValue ?? ""
      let parts = (value(arguments[1]).arrayValue ?? []).compactMap(\.stringValue)
      return .string(parts.joined(separator: separator))
    case "keys":
      return .array((first.objectValue?.keys ?? []).map(JSONValue.string))
    case "values":
      return .array(first.objectValue?.values ?? [])
    case "length":
      switch first {
      case .string(let string): return .integer(Int64(string.unicodeScalars.count))
      case .array(let array): return .integer(Int64(array.count))
      case .object(let object): return .integer(Int64(object.count))
      default: return .null
      }
    case "map":
      let node = expression(arguments[0])
      var results: [JSONValue] = []
      for element in value(arguments[1]).arrayValue ?? [] {
        results.append(try interpreter.evaluate(node, element))
      }
      return .array(results)
    case "max", "min":
      let elements = first.arrayValue ?? []
      guard var best = elements.first else { return .null }
      let symbol = name == "max" ? ">" : "<"
      for element in elements.dropFirst() {
        let order = try pythonCompare(element, best, symbol: symbol)
        if name == "max" ? order > 0 : order < 0 { best = element }
      }
      return best
    case "max_by", "min_by":
      let elements = first.arrayValue ?? []
      let node = expression(arguments[1])
      guard let head = elements.first else { return .null }
      var best = head
      var bestKey = try key(node, head, allowed: ["number", "string"], function: name)
      let symbol = name == "max_by" ? ">" : "<"
      for element in elements.dropFirst() {
        let elementKey = try key(node, element, allowed: ["number", "string"], function: name)
        let order = try pythonCompare(elementKey, bestKey, symbol: symbol)
        if name == "max_by" ? order > 0 : order < 0 {
          best = element
          bestKey = elementKey
        }
      }
      return best
    case "merge":
      var merged = JSONObject()
      for argument in arguments {
        let next = value(argument)
        guard let object = next.objectValue else {
          throw .runtime("'\(pythonTypeName(next))' object is not iterable")
        }
        for member in object { merged[member.key] = member.value }
      }
      return .object(merged)
    case "not_null":
      return arguments.map(value).first { $0 != .null } ?? .null
    case "reverse":
      if case .string(let string) = first {
        return .string(String(String.UnicodeScalarView(string.unicodeScalars.reversed())))
      }
      return .array((first.arrayValue ?? []).reversed())
    case "sort":
      return .array(try stableSort(first.arrayValue ?? []) { $0 })
    case "sort_by":
      let elements = first.arrayValue ?? []
      guard let head = elements.first else { return first }
      let node = expression(arguments[1])
      let required = Self.jmespathType(.value(try interpreter.evaluate(node, head)))
      guard required == "number" || required == "string" else {
        throw typeError("sort_by", head, required, ["string", "number"])
      }
      var keys: [JSONValue] = []
      for element in elements {
        keys.append(try key(node, element, allowed: [required], function: "sort_by"))
      }
      return .array(try stableSort(Array(elements.indices)) { keys[$0] }.map { elements[$0] })
    case "sum":
      return sum(first.arrayValue ?? [])
    case "to_array":
      return first.arrayValue != nil ? first : .array([first])
    case "to_string":
      if case .string = first { return first }
      return .string(PythonJSONWriter.compact.string(first))
    case "to_number":
      switch first {
      case .integer, .double: return first
      case .string(let string): return Self.pythonNumber(string)
      default: return .null
      }
    case "type":
      return .string(Self.jmespathType(.value(first)))
    default:
      throw .runtime("Unknown function: \(name)()")
    }
  }

  private func key(_ node: JMESPathNode, _ element: JSONValue, allowed: [String], function: String)
    throws(JMESPathError) -> JSONValue
  {
    let result = try interpreter.evaluate(node, element)
    let type = Self.jmespathType(.value(result))
    guard allowed.contains(type) else {
      throw typeError(function, result, type, allowed)
    }
    return result
  }

  /// Python's `sum`: integers stay integers until a float joins in.
  private func sum(_ numbers: [JSONValue]) -> JSONValue {
    var integerTotal: Int64 = 0
    var doubleTotal = 0.0
    var isDouble = false
    for number in numbers {
      if !isDouble, case .integer(let integer) = number {
        let (total, overflow) = integerTotal.addingReportingOverflow(integer)
        if !overflow {
          integerTotal = total
          continue
        }
      }
      if !isDouble {
        isDouble = true
        doubleTotal = Double(integerTotal)
      }
      doubleTotal += numberAsDouble(number)
    }
    return isDouble ? .double(doubleTotal) : .integer(integerTotal)
  }

  /// A stable merge sort ordered by Python's `<` on the keys.
  private func stableSort<Element>(_ elements: [Element], key: (Element) -> JSONValue)
    throws(JMESPathError) -> [Element]
  {
    guard elements.count > 1 else { return elements }
    let middle = elements.count / 2
    let left = try stableSort(Array(elements[..<middle]), key: key)
    let right = try stableSort(Array(elements[middle...]), key: key)
    var merged: [Element] = []
    merged.reserveCapacity(elements.count)
    var i = 0
    var j = 0
    while i < left.count && j < right.count {
      if try pythonCompare(key(right[j]), key(left[i]), symbol: "<") < 0 {
        merged.append(right[j])
        j += 1
      } else {
        merged.append(left[i])
        i += 1
      }
    }
    merged.append(contentsOf: left[i...])
    merged.append(contentsOf: right[j...])
    return merged
  }

  /// `int(text)`, else `float(text)`, else null: Python's number syntax with surrounding
  /// whitespace, a sign, underscores between digits, and `inf`/`nan` for floats.
  static func pythonNumber(_ text: String) -> JSONValue {
    let trimmed = String(
      String.UnicodeScalarView(
        text.unicodeScalars.drop(while: \.properties.isWhitespace).reversed().drop(
          while: \.properties.isWhitespace
        ).reversed()))
    guard !trimmed.isEmpty else { return .null }
    var body = Substring(trimmed)
    var sign = ""
    if let first = body.first, first == "+" || first == "-" {
      sign = first == "-" ? "-" : ""
      body = body.dropFirst()
    }
    func digitsWithUnderscores(_ part: Substring) -> String? {
      guard let first = part.first, first.isASCII, first.isNumber, let last = part.last,
        last.isASCII, last.isNumber
      else { return nil }
      var previousUnderscore = false
      var result = ""
      for character in part {
        if character == "_" {
          if previousUnderscore { return nil }
          previousUnderscore = true
        } else if character.isASCII && character.isNumber {
          previousUnderscore = false
          result.append(character)
        } else {
          return nil
        }
      }
      return result
    }
    if let digits = digitsWithUnderscores(body) {
      if let integer = Int64(sign + digits) { return .integer(integer) }
      return Double(sign + digits).map(JSONValue.double) ?? .null
    }
    switch body.lowercased() {
    case "inf", "infinity": return .double(sign == "-" ? -.infinity : .infinity)
    case "nan": return .double(.nan)
    default: break
    }
    var mantissa = body
    var exponent = ""
    if let e = body.firstIndex(where: { $0 == "e" || $0 == "E" }) {
      mantissa = body[..<e]
      var rest = body[body.index(after: e)...]
      var exponentSign = ""
      if let first = rest.first, first == "+" || first == "-" {
        exponentSign = String(first)
        rest = rest.dropFirst()
      }
      guard let digits = digitsWithUnderscores(rest) else { return .null }
      exponent = "e" + exponentSign + digits
    }
    let pieces = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
    guard pieces.count == 2 || exponent != "" else { return .null }
    let integerPart = pieces[0].isEmpty ? "" : digitsWithUnderscores(pieces[0])
    let fractionPart =
      pieces.count == 2 ? (pieces[1].isEmpty ? "" : digitsWithUnderscores(pieces[1])) : ""
    guard let integerPart, let fractionPart, !(integerPart.isEmpty && fractionPart.isEmpty) else {
      return .null
    }
    let literal =
      sign + (integerPart.isEmpty ? "0" : integerPart) + "."
      + (fractionPart.isEmpty ? "0" : fractionPart) + exponent
    return Double(literal).map(JSONValue.double) ?? .null
  }
}
