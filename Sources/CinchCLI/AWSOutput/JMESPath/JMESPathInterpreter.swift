import CinchJSON

/// Evaluates a JMESPath syntax tree against a JSON document, with the semantics of the
/// reference implementation the aws CLI uses: null for a missing member or a wrong type,
/// projections that drop nulls, Python's equality (`1 == 1.0`) and ordering (numbers with
/// numbers, strings with strings by code point).
struct JMESPathInterpreter {
  func evaluate(_ node: JMESPathNode, _ value: JSONValue) throws(JMESPathError) -> JSONValue {
    switch node {
    case .identity, .current:
      return value
    case .field(let name):
      return value.objectValue?[name] ?? .null
    case .literal(let literal):
      return literal
    case .subexpression(let children), .indexExpression(let children):
      var result = value
      for child in children { result = try evaluate(child, result) }
      return result
    case .index(let position):
      guard let list = value.arrayValue else { return .null }
      let resolved = position < 0 ? list.count + position : position
      return list.indices.contains(resolved) ? list[resolved] : .null
    case .slice(let start, let stop, let step):
      guard let list = value.arrayValue else { return .null }
      return .array(try Self.slice(list, start: start, stop: stop, step: step))
    case .projection(let left, let right):
      guard let list = try evaluate(left, value).arrayValue else { return .null }
      var collected: [JSONValue] = []
      for element in list {
        let result = try evaluate(right, element)
        if result != .null { collected.append(result) }
      }
      return .array(collected)
    case .valueProjection(let left, let right):
      guard let object = try evaluate(left, value).objectValue else { return .null }
      var collected: [JSONValue] = []
      for element in object.values {
        let result = try evaluate(right, element)
        if result != .null { collected.append(result) }
      }
      return .array(collected)
    case .filterProjection(let left, let right, let condition):
      guard let list = try evaluate(left, value).arrayValue else { return .null }
      var collected: [JSONValue] = []
      for element in list where Self.isTrue(try evaluate(condition, element)) {
        let result = try evaluate(right, element)
        if result != .null { collected.append(result) }
      }
      return .array(collected)
    case .flatten(let inner):
      guard let list = try evaluate(inner, value).arrayValue else { return .null }
      var merged: [JSONValue] = []
      for element in list {
        if let nested = element.arrayValue {
          merged.append(contentsOf: nested)
        } else {
          merged.append(element)
        }
      }
      return .array(merged)
    case .multiSelectList(let children):
      if value == .null { return .null }
      var collected: [JSONValue] = []
      for child in children { collected.append(try evaluate(child, value)) }
      return .array(collected)
    case .multiSelectHash(let pairs):
      if value == .null { return .null }
      var object = JSONObject()
      for pair in pairs { object[pair.key] = try evaluate(pair.value, value) }
      return .object(object)
    case .or(let left, let right):
      let matched = try evaluate(left, value)
      return Self.isTrue(matched) ? matched : try evaluate(right, value)
    case .and(let left, let right):
      let matched = try evaluate(left, value)
      return Self.isTrue(matched) ? try evaluate(right, value) : matched
    case .not(let inner):
      return .bool(!Self.isTrue(try evaluate(inner, value)))
    case .pipe(let left, let right):
      return try evaluate(right, try evaluate(left, value))
    case .comparator(let comparator, let left, let right):
      return try Self.compare(comparator, try evaluate(left, value), try evaluate(right, value))
    case .function(let name, let arguments):
      var resolved: [JMESPathArgument] = []
      for argument in arguments {
        if case .expref(let expression) = argument {
          resolved.append(.expression(expression))
        } else {
          resolved.append(.value(try evaluate(argument, value)))
        }
      }
      return try JMESPathFunctions(interpreter: self).call(name, resolved)
    case .expref:
      throw .runtime("Object of type _Expression is not JSON serializable")
    }
  }

  /// JMESPath truthiness: false, null, empty string, empty list and empty object are false;
  /// every number is true.
  static func isTrue(_ value: JSONValue) -> Bool {
    switch value {
    case .null: false
    case .bool(let bool): bool
    case .string(let string): !string.isEmpty
    case .array(let array): !array.isEmpty
    case .object(let object): !object.isEmpty
    case .integer, .double: true
    }
  }

  /// Python's `list[start:stop:step]`.
  static func slice(_ list: [JSONValue], start: Int?, stop: Int?, step: Int?) throws(JMESPathError)
    -> [JSONValue]
  {
    let step = step ?? 1
    if step == 0 { throw .runtime("slice step cannot be zero") }
    let count = list.count
    let lower = step < 0 ? -1 : 0
    let upper = step < 0 ? count - 1 : count
    func clamp(_ bound: Int?, default defaultValue: Int) -> Int {
      guard var bound else { return defaultValue }
      if bound < 0 {
        bound += count
        if bound < lower { bound = lower }
      } else if bound > upper {
        bound = upper
      }
      return bound
    }
    let begin = clamp(start, default: step < 0 ? upper : lower)
    let end = clamp(stop, default: step < 0 ? lower : upper)
    var result: [JSONValue] = []
    var position = begin
    while step > 0 ? position < end : position > end {
      result.append(list[position])
      position += step
    }
    return result
  }

  static func compare(_ comparator: JMESPathComparator, _ left: JSONValue, _ right: JSONValue)
    throws(JMESPathError) -> JSONValue
  {
    switch comparator {
    case .eq: return .bool(jmespathEquals(left, right))
    case .ne: return .bool(!jmespathEquals(left, right))
    default:
      guard isComparable(left), isComparable(right) else { return .null }
      let order = try pythonCompare(left, right, symbol: comparator.symbol)
      switch comparator {
      case .lt: return .bool(order < 0)
      case .lte: return .bool(order <= 0)
      case .gt: return .bool(order > 0)
      default: return .bool(order >= 0)
      }
    }
  }

  private static func isComparable(_ value: JSONValue) -> Bool {
    switch value {
    case .integer, .double, .string: true
    default: false
    }
  }

  /// The reference implementation's `==`: Python equality, except that 0 and 1 never equal a
  /// boolean at the top level.
  static func jmespathEquals(_ left: JSONValue, _ right: JSONValue) -> Bool {
    if isZeroOrOne(left) { if case .bool = right { return false } }
    if isZeroOrOne(right) { if case .bool = left { return false } }
    return pythonEquals(left, right)
  }

  private static func isZeroOrOne(_ value: JSONValue) -> Bool {
    switch value {
    case .integer(let integer): integer == 0 || integer == 1
    case .double(let double): double == 0 || double == 1
    default: false
    }
  }
}

/// A function argument: a value, or an expression reference (`&field`).
enum JMESPathArgument {
  case value(JSONValue)
  case expression(JMESPathNode)
}

/// Python's `==` on the objects JSON parses to: numbers by value whatever their type (booleans
/// count as 0 and 1), strings by code points, lists in order, objects by their key sets.
func pythonEquals(_ left: JSONValue, _ right: JSONValue) -> Bool {
  switch (left, right) {
  case (.null, .null): return true
  case (.string(let a), .string(let b)): return a.unicodeScalars.elementsEqual(b.unicodeScalars)
  case (.array(let a), .array(let b)):
    return a.count == b.count && zip(a, b).allSatisfy { pythonEquals($0, $1) }
  case (.object(let a), .object(let b)):
    guard a.count == b.count else { return false }
    return a.allSatisfy { member in b[member.key].map { pythonEquals(member.value, $0) } ?? false }
  default:
    guard let a = numericValue(left), let b = numericValue(right) else { return false }
    return a == b
  }
}

private enum Numeric: Equatable {
  case integer(Int64)
  case double(Double)

  static func == (left: Numeric, right: Numeric) -> Bool {
    switch (left, right) {
    case (.integer(let a), .integer(let b)): a == b
    case (.double(let a), .double(let b)): a == b
    case (.integer(let a), .double(let b)), (.double(let b), .integer(let a)):
      Double(exactly: a).map { $0 == b } ?? (b.isFinite && Int64(exactly: b) == a)
    }
  }
}

private func numericValue(_ value: JSONValue) -> Numeric? {
  switch value {
  case .bool(let bool): .integer(bool ? 1 : 0)
  case .integer(let integer): .integer(integer)
  case .double(let double): .double(double)
  default: nil
  }
}

/// Python's name for the type of the object a JSON value parses to.
func pythonTypeName(_ value: JSONValue) -> String {
  switch value {
  case .null: "NoneType"
  case .bool: "bool"
  case .integer: "int"
  case .double: "float"
  case .string: "str"
  case .array: "list"
  case .object: "dict"
  }
}

/// Python's ordering of numbers with numbers and strings with strings (by code point): the sign
/// of `left - right`. Any other pair is the `TypeError` Python raises, in its words.
func pythonCompare(_ left: JSONValue, _ right: JSONValue, symbol: String) throws(JMESPathError)
  -> Int
{
  switch (left, right) {
  case (.string(let a), .string(let b)):
    if a.unicodeScalars.elementsEqual(b.unicodeScalars) { return 0 }
    return pythonLess(a, b) ? -1 : 1
  case (.integer(let a), .integer(let b)):
    return a < b ? -1 : (a == b ? 0 : 1)
  case (.integer, .double), (.double, .integer), (.double, .double):
    let a = numberAsDouble(left)
    let b = numberAsDouble(right)
    return a < b ? -1 : (a == b ? 0 : 1)
  default:
    throw .runtime(
      "'\(symbol)' not supported between instances of '\(pythonTypeName(left))' and '\(pythonTypeName(right))'"
    )
  }
}

func numberAsDouble(_ value: JSONValue) -> Double {
  switch value {
  case .integer(let integer): Double(integer)
  case .double(let double): double
  case .bool(let bool): bool ? 1 : 0
  default: .nan
  }
}
