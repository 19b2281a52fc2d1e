import CinchAWS
import CinchJSON
import CinchStore
import Foundation

/// Reading request parameters from the command line and `--cli-input-json` together, the aws
/// CLI's way: a flag wins over the JSON, `file://PATH` given as an option's value loads it
/// from a file, structure parameters take shorthand or JSON. A member of the JSON (or YAML)
/// input is the value as written: the aws CLI loads `file://` only from the command line, so
/// a secret that starts with `file://` is stored as it is, and an input document cannot make
/// cinch read a local file into a value.
extension AWSCLIInput? {
  func string(_ key: String, flag: String?, option: String) throws -> String? {
    if let flag {
      // `fileb://` gives bytes, which a string parameter refuses (botocore's validation; the
      // bytes are not shown).
      if flag.hasPrefix("fileb://") {
        throw AWSUsageError.parameterValidation([
          "Invalid type for parameter \(key), value: <redacted>, type: <class 'bytes'>, "
            + "valid types: <class 'str'>"
        ])
      }
      return try Paramfile.load(flag, option: option)
    }
    return try self.map { try $0.string(key, flag: nil) } ?? nil
  }

  func bool(_ key: String, flag: Bool?) throws -> Bool? {
    try self.map { try $0.bool(key, flag: flag) } ?? flag
  }

  func integer(_ key: String, flag: Int?) throws -> Int? {
    try self.map { try $0.integer(key, flag: flag) } ?? flag
  }

  /// A list of strings: the flag's arguments (one JSON list argument is read as JSON), else
  /// the JSON member.
  func strings(_ key: String, flag: [String], option: String) throws -> [String]? {
    if !flag.isEmpty {
      if flag.count == 1, flag[0].trimmingCharacters(in: .whitespaces).hasPrefix("[") {
        let value = try AWSStructures.parseJSON(flag[0], option: option)
        guard let list = value.arrayValue?.compactMap(\.stringValue),
          list.count == value.arrayValue?.count
        else {
          throw AWSUsageError.parsingParameter(option, "Expected a list of strings")
        }
        return list
      }
      return flag
    }
    return try self.map { try $0.strings(key, flag: nil) } ?? nil
  }

  /// A list of structures: each flag argument in shorthand or JSON (a JSON list in one
  /// argument is the whole list), else the JSON member.
  func structures(_ key: String, flag: [String], option: String) throws -> [JSONObject]? {
    if !flag.isEmpty { return try AWSStructures.parse(flag, option: option) }
    guard let value = self?.value(key) else { return nil }
    guard let list = value.arrayValue else {
      throw AWSCLIInput.invalidType(key, value, valid: "list, tuple")
    }
    return try list.enumerated().map { index, element in
      guard let object = element.objectValue else {
        throw AWSCLIInput.invalidType("\(key)[\(index)]", element, valid: "dict")
      }
      return object
    }
  }
}

/// `file://PATH` values, as the aws CLI loads them for any parameter.
enum Paramfile {
  static func load(_ value: String, option: String) throws -> String {
    guard value.hasPrefix("file://") else { return value }
    let path = String(value.dropFirst("file://".count))
    let data = try bytes(of: value, path: path, option: option)
    // The bytes as they are: Foundation's decoding would drop a leading byte order mark, which
    // the aws CLI keeps (Python's open() in text mode, utf-8 not utf-8-sig).
    guard let text = String(validating: data, as: UTF8.self) else {
      throw AWSUsageError.parsingParameter(
        option, "Unable to load paramfile \(value): the file is not UTF-8 text")
    }
    return text
  }

  /// The bytes of `path`, named by `value` (`file://PATH` or `fileb://PATH`), or the aws CLI's
  /// error for a file it cannot read: `[Errno 2] No such file or directory: 'PATH'`, as
  /// Python's `OSError` puts it.
  static func bytes(of value: String, path given: String, option: String) throws(AWSUsageError)
    -> Data
  {
    let home = ProcessEnvironment.current["HOME"].flatMap { $0.isEmpty ? nil : $0 }
    let path = AWSConfigFiles.expandingUser(given, home: home ?? NSHomeDirectory())
    switch contents(of: path) {
    case .success(let data): return data
    case .failure(let error):
      throw AWSUsageError.parsingParameter(
        option,
        "Unable to load paramfile \(value): [Errno \(error.code)] \(error.message): '\(path)'")
    }
  }

  struct ReadError: Error, Equatable {
    var code: Int32
    var message: String { String(cString: strerror(code)) }
  }

  /// A file's bytes, through a single open: also a pipe, a FIFO or a terminal
  /// (`file:///dev/stdin`, a shell's `file://<(…)`). Until 2026-12-03 a first read through
  /// `FileManager.contents(atPath:)`, which gives nothing for a FIFO, met the FIFO's writer,
  /// and the second open, which read it, then waited for a writer that had come and gone:
  /// for ever, when the writer had already closed it.
  static func contents(of path: String) -> Result<Data, ReadError> {
    var descriptor: Int32
    repeat { descriptor = open(path, O_RDONLY | O_CLOEXEC) } while descriptor < 0 && errno == EINTR
    guard descriptor >= 0 else { return .failure(ReadError(code: errno)) }
    defer { close(descriptor) }
    var status = stat()
    // Python's `open` refuses a directory itself; `read` would say the same.
    if fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFDIR {
      return .failure(ReadError(code: EISDIR))
    }
    var data = Data()
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
      let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
      if count < 0, errno == EINTR { continue }
      guard count >= 0 else { return .failure(ReadError(code: errno)) }
      if count == 0 { return .success(data) }
      data.append(contentsOf: buffer[0..<count])
    }
  }
}

/// Structure parameters from the command line.
enum AWSStructures {
  static func parseJSON(_ text: String, option: String) throws -> JSONValue {
    do {
      return try JSONValueParser.parse(text)
    } catch {
      throw AWSUsageError.parsingParameter(option, "Invalid JSON: \(error)")
    }
  }

  /// The type of a structure's scalar member that is not a string, for reading it from
  /// shorthand, where every value is text.
  enum Scalar {
    case integer
    case boolean

    /// `text` as the aws CLI's shorthand parser converts it by the model
    /// (`awscli/shorthand.py`, `BackCompatVisitor`): `24` to an integer, `true` / `false` (any
    /// case) to a boolean. Other text stays text, which the member's type check then refuses,
    /// as JSON of the wrong type is.
    func value(_ text: String) -> JSONValue {
      switch self {
      case .integer: Int(text).map { .integer(Int64($0)) } ?? .string(text)
      case .boolean:
        switch text.lowercased() {
        case "true": .bool(true)
        case "false": .bool(false)
        default: .string(text)
        }
      }
    }
  }

  /// Each argument: `Key=a,Value=b` shorthand, a JSON object, or a JSON list of objects.
  /// Shorthand values are text, except the members `scalars` types.
  static func parse(
    _ arguments: [String], option: String, scalars: [String: Scalar] = [:]
  ) throws -> [JSONObject] {
    var objects: [JSONObject] = []
    for argument in arguments {
      let text = try Paramfile.load(argument, option: option)
      let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
      if trimmed.hasPrefix("[") || trimmed.hasPrefix("{") {
        let value = try parseJSON(trimmed, option: option)
        if let object = value.objectValue {
          objects.append(object)
        } else if let list = value.arrayValue, list.allSatisfy({ $0.objectValue != nil }) {
          objects += list.compactMap(\.objectValue)
        } else {
          throw AWSUsageError.parsingParameter(option, "Expected a JSON object or list of objects")
        }
        continue
      }
      let shorthand: Shorthand
      do {
        shorthand = try Shorthand.parse(text)
      } catch {
        throw AWSUsageError.parsingParameter(option, error.description)
      }
      var object = JSONObject()
      for member in shorthand.members {
        switch member.value {
        case .scalar(let value):
          object[member.key] = scalars[member.key].map { $0.value(value) } ?? .string(value)
        case .list(let values): object[member.key] = .array(values.map(JSONValue.string))
        }
      }
      objects.append(object)
    }
    return objects
  }

  /// A string member of a structure.
  static func string(_ object: JSONObject, _ key: String, in parameter: String, required: Bool)
    throws -> String?
  {
    guard let value = object[key], value != .null else {
      if required {
        throw AWSUsageError.parameterValidation([
          "Missing required parameter in \(parameter): \"\(key)\""
        ])
      }
      return nil
    }
    guard let string = value.stringValue else {
      throw AWSUsageError.parameterValidation([
        "Invalid type for parameter \(parameter).\(key), value: <redacted>, type: <class '\(pythonTypeName(value))'>, valid types: <class 'str'>"
      ])
    }
    return string
  }

  /// A list-of-strings member; a single string counts as a list of one (shorthand `Values=a`).
  static func strings(_ object: JSONObject, _ key: String, in parameter: String) throws
    -> [String]?
  {
    guard let value = object[key], value != .null else { return nil }
    if let string = value.stringValue { return [string] }
    guard let list = value.arrayValue else {
      throw AWSCLIInput.invalidType("\(parameter).\(key)", value, valid: "list, tuple")
    }
    // botocore names the member that is not a string, with its type.
    if let index = list.firstIndex(where: { $0.stringValue == nil }) {
      throw AWSCLIInput.invalidType("\(parameter).\(key)[\(index)]", list[index], valid: "str")
    }
    return list.compactMap(\.stringValue)
  }

  /// Refuses members the structure does not have.
  static func checkMembers(_ object: JSONObject, allowed: [String], in parameter: String) throws {
    let unknown = object.keys.filter { !allowed.contains($0) }
    guard unknown.isEmpty else {
      throw AWSUsageError.parameterValidation(
        unknown.map {
          "Unknown parameter in \(parameter): \"\($0)\", must be one of: "
            + allowed.joined(separator: ", ")
        })
    }
  }

  /// Parameter Store's `Tag` requires both members; Secrets Manager's requires neither, and
  /// its `Value` may be empty (https://docs.aws.amazon.com/secretsmanager/latest/apireference/
  /// API_Tag.html), so a tag given without one is sent with an empty value.
  static func tags(_ objects: [JSONObject]?, parameter: String = "Tags", valueRequired: Bool = true)
    throws -> [Tag]?
  {
    try objects?.enumerated().map { index, object in
      let name = "\(parameter)[\(index)]"
      try checkMembers(object, allowed: ["Key", "Value"], in: name)
      return Tag(
        key: try string(object, "Key", in: name, required: true) ?? "",
        value: try string(object, "Value", in: name, required: valueRequired) ?? "")
    }
  }

  static func parameterFilters(_ objects: [JSONObject]?) throws -> [ParameterStringFilter]? {
    try objects?.enumerated().map { index, object in
      let name = "ParameterFilters[\(index)]"
      try checkMembers(object, allowed: ["Key", "Option", "Values"], in: name)
      return ParameterStringFilter(
        key: try string(object, "Key", in: name, required: true) ?? "",
        option: try string(object, "Option", in: name, required: false),
        values: try strings(object, "Values", in: name))
    }
  }

  static func legacyFilters(_ objects: [JSONObject]?) throws -> [ParametersFilter]? {
    try objects?.enumerated().map { index, object in
      let name = "Filters[\(index)]"
      try checkMembers(object, allowed: ["Key", "Values"], in: name)
      return ParametersFilter(
        key: try string(object, "Key", in: name, required: true) ?? "",
        values: try strings(object, "Values", in: name) ?? [])
    }
  }

  static func kmsTags(_ objects: [JSONObject]?) throws -> [KMSTag]? {
    try objects?.enumerated().map { index, object in
      let name = "Tags[\(index)]"
      try checkMembers(object, allowed: ["TagKey", "TagValue"], in: name)
      return KMSTag(
        tagKey: try string(object, "TagKey", in: name, required: true) ?? "",
        tagValue: try string(object, "TagValue", in: name, required: true) ?? "")
    }
  }
}
