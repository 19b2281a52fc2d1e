import CinchJSON
import CinchStore
import Foundation

extension AWSCLIInput? {
  /// A blob parameter (`--secret-binary`): base64 text, as the aws CLI v2 reads blobs (or the
  /// text's own bytes when `raw`, its `--cli-binary-format raw-in-base64-out`), or
  /// `fileb://PATH` for a file's raw bytes (`file://PATH` holds text). The value is never
  /// echoed in an error.
  func blob(_ key: String, flag: String?, option: String, raw readsRaw: Bool = false) throws
    -> Data?
  {
    let raw = try self.map { try $0.string(key, flag: flag) } ?? flag
    guard let raw else { return nil }
    // `fileb://` and `file://` are the command line's (see `string(_:flag:option:)`).
    if flag != nil, raw.hasPrefix("fileb://") {
      let path = String(raw.dropFirst("fileb://".count))
      return try Paramfile.bytes(of: raw, path: path, option: option)
    }
    let text = flag != nil ? try Paramfile.load(raw, option: option) : raw
    if readsRaw { return Data(text.utf8) }
    // Python's `base64.b64decode`, which the aws CLI decodes blobs with, drops every character
    // outside the alphabet first: `base64 FILE`'s line-wrapped output is read whole.
    let alphabet = text.unicodeScalars.filter { scalar in
      scalar.isASCII
        && (CharacterSet.alphanumerics.contains(scalar) || "+/=".unicodeScalars.contains(scalar))
    }
    guard let data = Data(base64Encoded: String(String.UnicodeScalarView(alphabet))) else {
      throw AWSUsageError.parameterValidation([
        "Invalid base64 for parameter \(key): the value is not base64 (use fileb://PATH for raw bytes)"
      ])
    }
    return data
  }

  /// One structure parameter: shorthand or JSON on the command line, else the JSON member.
  /// `scalars` types the members shorthand gives as text.
  func structure(
    _ key: String, flag: String?, option: String,
    scalars: [String: AWSStructures.Scalar] = [:]
  ) throws -> JSONObject? {
    if let flag { return try AWSStructures.parse([flag], option: option, scalars: scalars).first }
    guard let value = self?.value(key) else { return nil }
    guard let object = value.objectValue else {
      throw AWSCLIInput.invalidType(key, value, valid: "dict")
    }
    return object
  }
}

extension AWSStructures {
  /// A scalar member of a structure given as shorthand (where a comma inside a value, as in
  /// `cron(0 16 1,15 * ? *)`, splits it into a list) or JSON.
  static func text(_ object: JSONObject, _ key: String, in parameter: String) throws -> String? {
    guard let value = object[key], value != .null else { return nil }
    switch value {
    case .string(let text): return text
    case .array(let items) where items.allSatisfy({ $0.stringValue != nil }):
      return items.compactMap(\.stringValue).joined(separator: ",")
    default:
      throw AWSUsageError.parameterValidation([
        "Invalid type for parameter \(parameter).\(key), value: <redacted>, type: <class '\(pythonTypeName(value))'>, valid types: <class 'str'>"
      ])
    }
  }

  static func integer(_ object: JSONObject, _ key: String, in parameter: String) throws -> Int? {
    try AWSCLIInput(object: object, path: parameter).integer(key, flag: nil)
  }

  static let rotationRulesScalars: [String: Scalar] = ["AutomaticallyAfterDays": .integer]

  static func rotationRules(_ object: JSONObject?) throws -> RotationRules? {
    guard let object else { return nil }
    let name = "RotationRules"
    try checkMembers(
      object, allowed: ["AutomaticallyAfterDays", "Duration", "ScheduleExpression"], in: name)
    return RotationRules(
      automaticallyAfterDays: try integer(object, "AutomaticallyAfterDays", in: name),
      duration: try text(object, "Duration", in: name),
      scheduleExpression: try text(object, "ScheduleExpression", in: name))
  }

  static let passwordPolicyMembers = [
    "PasswordLength", "ExcludeCharacters", "ExcludeNumbers", "ExcludePunctuation",
    "ExcludeUppercase", "ExcludeLowercase", "IncludeSpace", "RequireEachIncludedType",
  ]

  static let passwordPolicyScalars: [String: Scalar] = [
    "PasswordLength": .integer, "ExcludeNumbers": .boolean, "ExcludePunctuation": .boolean,
    "ExcludeUppercase": .boolean, "ExcludeLowercase": .boolean, "IncludeSpace": .boolean,
    "RequireEachIncludedType": .boolean,
  ]

  /// A password policy from its members: `get-random-password`'s own parameters (`parameter`
  /// nil) or `rotate-secret`'s `CinchPasswordPolicy` structure. One reading for both, with
  /// botocore's type checks (`"PasswordLength": "24"` is refused, as `--cli-input-json` refuses
  /// it; shorthand's text is typed first, `passwordPolicyScalars`); a member of `given` (the
  /// command's flags) wins over the JSON's.
  static func passwordPolicy(
    _ object: JSONObject, in parameter: String?, given: PasswordPolicy = PasswordPolicy()
  ) throws -> PasswordPolicy {
    let input = AWSCLIInput(object: object, path: parameter)
    return PasswordPolicy(
      passwordLength: try input.integer("PasswordLength", flag: given.passwordLength),
      excludeCharacters: try input.string("ExcludeCharacters", flag: given.excludeCharacters),
      excludeNumbers: try input.bool("ExcludeNumbers", flag: given.excludeNumbers),
      excludePunctuation: try input.bool("ExcludePunctuation", flag: given.excludePunctuation),
      excludeUppercase: try input.bool("ExcludeUppercase", flag: given.excludeUppercase),
      excludeLowercase: try input.bool("ExcludeLowercase", flag: given.excludeLowercase),
      includeSpace: try input.bool("IncludeSpace", flag: given.includeSpace),
      requireEachIncludedType: try input.bool(
        "RequireEachIncludedType", flag: given.requireEachIncludedType))
  }

  /// `rotate-secret`'s `CinchPasswordPolicy`, when given.
  static func passwordPolicy(_ object: JSONObject?) throws -> PasswordPolicy? {
    guard let object else { return nil }
    let name = "CinchPasswordPolicy"
    try checkMembers(object, allowed: passwordPolicyMembers, in: name)
    return try passwordPolicy(object, in: name)
  }

  static func secretsFilters(_ objects: [JSONObject]?) throws -> [SecretsFilter]? {
    try objects?.enumerated().map { index, object in
      let name = "Filters[\(index)]"
      try checkMembers(object, allowed: ["Key", "Values"], in: name)
      return SecretsFilter(
        key: try string(object, "Key", in: name, required: true) ?? "",
        values: try strings(object, "Values", in: name))
    }
  }
}

extension StoreOptions {
  /// `openForAWSCommand`, for commands that may rotate: command rotators run with the store's
  /// location and the key file's path in their environment (never key material), this `cinch`
  /// as `$CINCH` and first on `PATH`. The store's region is `--region` when given.
  func openForSecrets(
    _ environment: [String: String] = ProcessEnvironment.current, regionFlag: String? = nil
  ) async throws -> SQLiteStore {
    let store = try await openForAWSCommand(regionFlag: regionFlag)
    return store.withRotationHost(rotationHost(environment))
  }

  func rotationHost(_ environment: [String: String]) -> RotationHost {
    var host = RotationHost.standard
    func absolute(_ path: String) -> String {
      let full = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
      return (full as NSString).standardizingPath
    }
    host.environment["CINCH_STORE"] = absolute(storePath(environment))
    if let keyFile {
      host.environment["CINCH_MASTER_KEY_FILE"] = absolute(keyFile)
    } else if (environment["CINCH_MASTER_KEY"] ?? "").isEmpty
      && (environment["CINCH_PASSPHRASE"] ?? "").isEmpty
    {
      let (path, _) = keyFilePath(environment)
      if FileManager.default.fileExists(atPath: path) {
        host.environment["CINCH_MASTER_KEY_FILE"] = absolute(path)
      }
    }
    if let executable = Self.currentExecutable() {
      host.environment["CINCH"] = executable
      let directory = PathFolder.of(executable)
      host.environment["PATH"] =
        directory + ":" + (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin")
    }
    return host
  }

  /// The path of the running `cinch`.
  static func currentExecutable() -> String? {
    if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
      return resolved
    }
    return Bundle.main.executablePath
  }
}
