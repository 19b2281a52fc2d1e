import CinchJSON
import CinchTemplate
import Foundation

/// `--cli-input-yaml`: the request parameters as a YAML mapping, the shape
/// `--generate-cli-skeleton yaml-input` prints. The aws CLI v2 loads it with ruamel's safe
/// loader (YAML 1.2), so plain scalars resolve by the core schema: `true`, `42`, `1.5`, `null`
/// and `~` are a boolean, numbers and null, anything quoted is a string
/// (https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-skeleton.html,
/// awscli/customizations/cliinput.py).
extension AWSCLIInput {
  package init(yamlArgument argument: String) throws(AWSUsageError) {
    let text = try Self.argumentText(argument, option: "cli-input-yaml")
    var diagnostics = Diagnostics()
    let file = SourceFile(path: "cli-input-yaml", bytes: Array(text.utf8))
    let root = YAMLParser.parse(file, into: &diagnostics)
    // What kind of problem and where, never its message: the parser quotes what it read (an
    // alias `*…` or a tag `!…` that is really a password), and the input may hold a secret.
    if let problem = diagnostics.items.first(where: { $0.severity == .error }) {
      let place = problem.range.map { " at line \($0.start.line), column \($0.start.column)" } ?? ""
      throw .parsingParameter(
        "cli-input-yaml", "Invalid YAML received: \(problem.code.name)\(place)")
    }
    let value: JSONValue
    do {
      value = try YAMLInputValue.convert(root)
    } catch {
      throw .parsingParameter("cli-input-yaml", "Invalid YAML received: \(error.message)")
    }
    guard let object = value.objectValue else {
      throw .parsingParameter(
        "cli-input-yaml",
        "Invalid type: expecting map, received \(Self.pythonClass(of: value))")
    }
    self.init(object: object)
  }

  static func pythonClass(of value: JSONValue) -> String {
    switch value {
    case .null: "<class 'NoneType'>"
    case .bool: "<class 'bool'>"
    case .integer: "<class 'int'>"
    case .double: "<class 'float'>"
    case .string: "<class 'str'>"
    case .array: "<class 'list'>"
    case .object: "<class 'dict'>"
    }
  }
}

/// A parsed YAML node as the JSON value the request's accessors read.
enum YAMLInputValue {
  struct Problem: Error {
    var message: String
  }

  private static let core = "tag:yaml.org,2002:"

  static func convert(_ node: Node?) throws(Problem) -> JSONValue {
    guard let node else { return .null }
    switch node.value {
    case .scalar(let text):
      return try scalar(text, node: node)
    case .sequence(let items):
      var values: [JSONValue] = []
      values.reserveCapacity(items.count)
      for item in items { values.append(try convert(item)) }
      return .array(values)
    case .mapping(let entries):
      var object = JSONObject()
      for entry in entries {
        guard let key = entry.key.scalar else {
          throw Problem(
            message: "a mapping key must be a string, at line \(entry.key.range.start.line)")
        }
        object[key] = try convert(entry.value)
      }
      return .object(object)
    case .intrinsic(let intrinsic):
      // The template parser reads `Ref: X` as CloudFormation's long form; here it is data.
      // A short-form tag (`!Ref X`) has no meaning in a request.
      guard case .longForm = intrinsic.form else {
        throw Problem(
          message:
            "could not determine a constructor for the tag '\(intrinsic.function.shortTag)' at line \(node.range.start.line)"
        )
      }
      var object = JSONObject()
      object[intrinsic.function.rawValue] = try convert(intrinsic.argument)
      return .object(object)
    }
  }

  private static func scalar(_ text: String, node: Node) throws(Problem) -> JSONValue {
    switch node.tag {
    case nil:
      guard node.style == .plain else { return .string(text) }
      return plain(text)
    case core + "str":
      return .string(text)
    case core + "binary":
      // A blob (`SecretBinary`): its base64 text, as JSON input gives it.
      return .string(text.filter { !$0.isWhitespace })
    case let tag? where [core + "null", core + "bool", core + "int", core + "float"].contains(tag):
      let resolved = plain(text)
      let expected = String(tag.dropFirst(core.count))
      guard typeName(resolved) == expected else {
        throw Problem(
          message: "the value at line \(node.range.start.line) is not a valid !!\(expected)")
      }
      return resolved
    case .some:
      // The tag is not quoted: `!!…` may be a password written unquoted.
      throw Problem(
        message: "could not determine a constructor for a tag at line \(node.range.start.line)")
    }
  }

  private static func typeName(_ value: JSONValue) -> String {
    switch value {
    case .null: "null"
    case .bool: "bool"
    case .integer: "int"
    case .double: "float"
    default: "str"
    }
  }

  /// YAML 1.2's core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution).
  static func plain(_ text: String) -> JSONValue {
    switch text {
    case "", "~", "null", "Null", "NULL": return .null
    case "true", "True", "TRUE": return .bool(true)
    case "false", "False", "FALSE": return .bool(false)
    case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .double(.infinity)
    case "-.inf", "-.Inf", "-.INF": return .double(-.infinity)
    case ".nan", ".NaN", ".NAN": return .double(.nan)
    default: break
    }
    let bytes = Array(text.utf8)
    if let integer = integer(bytes) { return integer }
    if isFloat(bytes), let double = Double(text) { return .double(double) }
    return .string(text)
  }

  /// `[-+]?[0-9]+`, `0o[0-7]+`, `0x[0-9a-fA-F]+`.
  private static func integer(_ bytes: [UInt8]) -> JSONValue? {
    func digits(_ slice: ArraySlice<UInt8>, radix: Int) -> JSONValue? {
      guard !slice.isEmpty, let value = Int64(String(decoding: slice, as: UTF8.self), radix: radix)
      else { return nil }
      return .integer(value)
    }
    if bytes.count > 2, bytes[0] == UInt8(ascii: "0") {
      if bytes[1] == UInt8(ascii: "o") { return digits(bytes[2...], radix: 8) }
      if bytes[1] == UInt8(ascii: "x") { return digits(bytes[2...], radix: 16) }
    }
    var body = bytes[...]
    var negative = false
    if let sign = body.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
      negative = sign == UInt8(ascii: "-")
      body = body.dropFirst()
    }
    guard !body.isEmpty, body.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
    guard let magnitude = Int64(String(decoding: body, as: UTF8.self)) else {
      // Beyond 64 bits: Python's int holds it; a double is the closest JSON number.
      return Double(String(decoding: bytes, as: UTF8.self)).map(JSONValue.double)
    }
    return .integer(negative ? -magnitude : magnitude)
  }

  /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
  private static func isFloat(_ bytes: [UInt8]) -> Bool {
    var index = 0
    func isDigit(_ at: Int) -> Bool { at < bytes.count && (0x30...0x39).contains(bytes[at]) }
    func skipDigits() -> Int {
      let start = index
      while isDigit(index) { index += 1 }
      return index - start
    }
    if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
      index += 1
    }
    let whole = skipDigits()
    var fraction = 0
    if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
      index += 1
      fraction = skipDigits()
    }
    guard whole > 0 || fraction > 0 else { return false }
    if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
      index += 1
      if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+")
      {
        index += 1
      }
      guard skipDigits() > 0 else { return false }
    }
    return index == bytes.count
  }
}
