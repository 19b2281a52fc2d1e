package import CinchJSON
import Foundation

/// The request parameters given with `--cli-input-json '{"Name": "/a/b", "WithDecryption": true}'`
/// (or `file://request.json`). A command reads each parameter through the accessors that take
/// the command-line value too: an option given on the command line wins over the JSON, as in
/// the aws CLI.
package struct AWSCLIInput: Sendable, Equatable {
  package var object: JSONObject
  /// Where `object` sits in the request, for messages: nil for the request's own parameters,
  /// `CinchPasswordPolicy` for the members of that structure (`CinchPasswordPolicy.PasswordLength`).
  package var path: String?

  package init(object: JSONObject, path: String? = nil) {
    self.object = object
    self.path = path
  }

  /// Parses the option's argument: JSON text, or `file://PATH` naming a file that holds it.
  package init(argument: String) throws(AWSUsageError) {
    let text = try Self.argumentText(argument, option: "cli-input-json")
    let value: JSONValue
    do {
      value = try JSONValueParser.parse(text)
    } catch {
      throw .parsingParameter("cli-input-json", "Invalid JSON: \(error)")
    }
    guard let object = value.objectValue else {
      throw .parsingParameter("cli-input-json", "Invalid JSON: expected a JSON object")
    }
    self.object = object
  }

  /// The option's argument, or the text of the file a `file://PATH` argument names.
  static func argumentText(_ argument: String, option: String) throws(AWSUsageError) -> String {
    guard argument.hasPrefix("file://") else { return argument }
    let path = String(argument.dropFirst("file://".count))
    // Through one open, as any `file://` (a FIFO's writer is met once: `file://<(…)`).
    let data = try Paramfile.bytes(of: argument, path: path, option: option)
    guard let contents = String(data: data, encoding: .utf8) else {
      throw .parsingParameter(
        option, "Unable to load paramfile \(argument): the file is not UTF-8 text")
    }
    return contents
  }

  /// Refuses members that are not parameters of the operation, as botocore does.
  package func validateKeys(allowed: [String]) throws(AWSUsageError) {
    let unknown = object.keys.filter { !allowed.contains($0) }
    guard unknown.isEmpty else {
      throw .parameterValidation(
        unknown.map { AWSUsageError.unknownParameter($0, allowed: allowed) })
    }
  }

  package func value(_ key: String) -> JSONValue? {
    guard let value = object[key], value != .null else { return nil }
    return value
  }

  /// `key` as botocore names it in a message: with the structure's path, if any.
  func member(_ key: String) -> String { path.map { "\($0).\(key)" } ?? key }

  /// `flag` when given on the command line, else the JSON member `key`, which must be a string.
  package func string(_ key: String, flag: String?) throws(AWSUsageError) -> String? {
    if let flag { return flag }
    guard let value = value(key) else { return nil }
    guard case .string(let string) = value else {
      throw Self.invalidType(member(key), value, valid: "str")
    }
    return string
  }

  /// `flag` when given on the command line, else the JSON member `key`, which must be a boolean.
  package func bool(_ key: String, flag: Bool?) throws(AWSUsageError) -> Bool? {
    if let flag { return flag }
    guard let value = value(key) else { return nil }
    guard case .bool(let bool) = value else {
      throw Self.invalidType(member(key), value, valid: "bool")
    }
    return bool
  }

  /// `flag` when given on the command line, else the JSON member `key`, which must be an integer.
  package func integer(_ key: String, flag: Int?) throws(AWSUsageError) -> Int? {
    if let flag { return flag }
    guard let value = value(key) else { return nil }
    guard case .integer(let integer) = value, let int = Int(exactly: integer) else {
      throw Self.invalidType(member(key), value, valid: "int")
    }
    return int
  }

  /// `flag` when given on the command line, else the JSON member `key`, which must be a list of strings.
  package func strings(_ key: String, flag: [String]?) throws(AWSUsageError) -> [String]? {
    if let flag { return flag }
    guard let value = value(key) else { return nil }
    guard case .array(let elements) = value else {
      throw Self.invalidType(member(key), value, valid: "list, tuple")
    }
    var strings: [String] = []
    for (index, element) in elements.enumerated() {
      guard case .string(let string) = element else {
        throw Self.invalidType("\(member(key))[\(index)]", element, valid: "str")
      }
      strings.append(string)
    }
    return strings
  }

  /// botocore's wording for a parameter of the wrong type. Unlike botocore, the value is never
  /// echoed: it may be a secret in the wrong member (a numeric PIN given as a number, too).
  static func invalidType(_ key: String, _ value: JSONValue, valid: String) -> AWSUsageError {
    let classes = valid.split(separator: ",").map {
      "<class '\($0.trimmingCharacters(in: .whitespaces))'>"
    }
    return .parameterValidation([
      "Invalid type for parameter \(key), value: <redacted>, type: <class '\(pythonTypeName(value))'>, valid types: "
        + classes.joined(separator: ", ")
    ])
  }
}

extension AWSCLIInput? {
  /// Checks that every required parameter was given, on the command line or in the JSON.
  /// Without `--cli-input-json` the message is the aws CLI's argparse one
  /// (`the following arguments are required: --name, --value`); with it, botocore's
  /// (`Missing required parameter in input: "Name"`).
  package func requireParameters(_ parameters: [(key: String, option: String, given: Bool)])
    throws(AWSUsageError)
  {
    switch self {
    case .none:
      let missing = parameters.filter { !$0.given }.map(\.option)
      if !missing.isEmpty { throw .missingArguments(missing) }
    case .some(let input):
      let missing = parameters.filter { !$0.given && input.value($0.key) == nil }.map(\.key)
      if !missing.isEmpty {
        throw .parameterValidation(missing.map(AWSUsageError.missingParameter))
      }
    }
  }
}
