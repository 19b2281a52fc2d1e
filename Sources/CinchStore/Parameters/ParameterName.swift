/// A validated parameter name.
///
/// AWS treats a one-level name with and without its leading slash as the same parameter
/// (`/TestParam1` ≡ `TestParam1`), so a name has two forms: `name`, as the creator wrote it and as
/// responses report it, and `key`, the identity the store looks it up by (the name without the
/// leading slash for one-level names; multi-level names must start with `/` and are their own key).
package struct ParameterName: Hashable, Sendable {
  package let name: String
  package let key: String

  /// The number of levels, the leaf included (`/a/b/c` has 3).
  package var depth: Int {
    key.withUTF8Bytes { bytes in
      var slashes = 0
      for byte in bytes where byte == ParameterNameRules.slash { slashes += 1 }
      return bytes.first == ParameterNameRules.slash ? slashes : slashes + 1
    }
  }

  /// `/a/b` → `a/b`, `a` → `a`: what follows `parameter/` in the ARN.
  package var arnSuffix: String { key.hasPrefix("/") ? String(key.dropFirst()) : key }

  package func arn(_ configuration: StoreConfiguration) -> String {
    // AWS's public parameters belong to no account: `arn:aws:ssm:us-east-1::parameter/aws/service/…`.
    if isPublic {
      return "arn:\(configuration.partition):ssm:\(configuration.region)::parameter/" + arnSuffix
    }
    var arn = configuration.parameterARNPrefix
    let suffix = key.utf8.first == ParameterNameRules.slash ? key.utf8.dropFirst() : key.utf8[...]
    arn.reserveCapacity(arn.utf8.count + suffix.count)
    arn += Substring(suffix)
    return arn
  }

  /// One of AWS's public parameters (`/aws/service/…`), which the embedded store holds only
  /// when put with `putPublicParameter` (a cinch extension for offline templates).
  package var isPublic: Bool { ParameterNameRules.isPublic(name) }

  /// Whether `name` (not yet validated) is one of AWS's public parameters.
  package static func isPublic(_ name: String) -> Bool { ParameterNameRules.isPublic(name) }

  /// Whether `name` (not yet validated) starts, after its leading slash, with `aws` or `ssm` in
  /// any case: the names Parameter Store keeps for AWS, where only the public parameters are.
  /// https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-parameter-name-constraints.html
  package static func hasReservedPrefix(_ name: String) -> Bool {
    ParameterNameRules.hasReservedPrefix(name)
  }

  /// The lookup key of a stored name (already validated).
  package static func key(of name: String) -> String {
    let slashes = name.withUTF8Bytes { bytes in
      (
        leading: bytes.first == ParameterNameRules.slash,
        any: bytes.dropFirst().contains(ParameterNameRules.slash)
      )
    }
    return !slashes.leading || slashes.any
      ? name : String(decoding: name.utf8.dropFirst(), as: UTF8.self)
  }

  package init(stored name: String) {
    self.name = name
    self.key = Self.key(of: name)
  }
}

/// `name:3` or `name:label` on reads.
package enum ParameterSelector: Hashable, Sendable {
  case version(Int)
  case label(String)

  /// `:3` or `:label`, as `Parameter.Selector` reports it.
  package var text: String {
    switch self {
    case .version(let version): ":\(version)"
    case .label(let label): ":\(label)"
    }
  }
}

/// Parameter Store's naming rules (reference: aws-store-semantics §1.1).
package enum ParameterNameRules {
  package static let maximumDepth = 15
  /// Name and ARN prefix together.
  package static let maximumLengthWithARN = 1011

  static let invalidNameMessage =
    "Parameter name: can't be prefixed with \"ssm\" (case-insensitive). If formed as a path, it "
    + "can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of "
    + "letters, numbers and the following 3 symbols .-_"
  static let reservedPrefixMessage =
    "Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive)."
  static let notFullyQualifiedMessage = "Parameter name must be a fully qualified name."
  static let invalidPathMessage =
    "The parameter doesn't meet the parameter name requirements. The parameter name must begin "
    + "with a forward slash \"/\". It can't be prefixed with \\\"aws\\\" or \\\"ssm\\\" "
    + "(case-insensitive). It must use only letters, numbers, or the following symbols: . "
    + "(period), - (hyphen), _ (underscore). Special characters are not allowed. All sub-paths, if "
    + "specified, must use the forward slash symbol \"/\". Valid example: /get/parameters2-/by1./path0_."

  // Names are ASCII by the time these run; they look at bytes, not at `Character`s, and never
  // reach Foundation's `StringProtocol.contains(_:)` (an NSString search, the larger part of a
  // read's cost before).
  static let slash = UInt8(ascii: "/")

  /// `aws…` or `ssm…` after the leading slash, in any case.
  static func hasReservedPrefix(_ name: String) -> Bool {
    let lowered = (name.hasPrefix("/") ? name.dropFirst() : Substring(name)).lowercased()
    return lowered.hasPrefix("aws") || lowered.hasPrefix("ssm")
  }

  /// `/aws/service/…`, in any case.
  static func isPublic(_ name: String) -> Bool {
    name.withUTF8Bytes { bytes in
      var index = 0
      for expected in "/aws/service/".utf8 {
        guard index < bytes.count else { return false }
        let byte = bytes[index]
        guard
          (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte) == expected
        else { return false }
        index += 1
      }
      return true
    }
  }

  static func isNameCharacter(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."),
      UInt8(ascii: "-"):
      true
    default: false
    }
  }

  /// AWS removes spaces at either end of a name.
  package static func trimmed(_ raw: String) -> String {
    guard raw.utf8.first == UInt8(ascii: " ") || raw.utf8.last == UInt8(ascii: " ") else {
      return raw
    }
    var scalars = Substring(raw)
    while scalars.first == " " { scalars = scalars.dropFirst() }
    while scalars.last == " " { scalars = scalars.dropLast() }
    return String(scalars)
  }

  /// A name for a write (`PutParameter`, labels, deletes, tags): no ARN, no selector, and not in
  /// the reserved `aws`/`ssm` namespaces.
  package static func validateForWrite(
    _ raw: String, configuration: StoreConfiguration, allowPublic: Bool = false
  )
    throws(StoreError)
    -> ParameterName
  {
    let name = try validateShape(raw, field: "name")
    let isPublic = isPublic(name)
    if allowPublic, !isPublic {
      throw .validation("public parameters live under /aws/service/; '\(name)' is not one")
    }
    if !(allowPublic && isPublic), hasReservedPrefix(name) {
      if name.lowercased().hasPrefix("/aws/") {
        throw .accessDenied("No access to reserved parameter name: \(name).")
      }
      let body = name.hasPrefix("/") ? name.dropFirst() : Substring(name)
      throw .validation(body.utf8.contains(slash) ? invalidNameMessage : reservedPrefixMessage)
    }
    return try finish(name, configuration: configuration)
  }

  /// A name for a read: a name or a parameter ARN, optionally followed by `:version` or
  /// `:label`. Reserved names are allowed (there is simply nothing stored under them).
  package static func parseReference(
    _ raw: String, configuration: StoreConfiguration, allowSelector: Bool = true
  )
    throws(StoreError) -> (name: ParameterName, selector: ParameterSelector?)
  {
    var text = trimmed(raw)
    if text.hasPrefix("arn:") {
      text = try nameFromARN(text, configuration: configuration)
    }
    var selector: ParameterSelector?
    let parts =
      text.withUTF8Bytes({ $0.contains(UInt8(ascii: ":")) })
      ? text.split(separator: ":", omittingEmptySubsequences: false) : [Substring(text)]
    if parts.count == 2 && allowSelector {
      let tail = String(parts[1])
      guard !tail.isEmpty else { throw .validation(invalidNameMessage) }
      if tail.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
        selector = .version(Int(tail) ?? Int.max)
      } else {
        selector = .label(tail)
      }
      text = String(parts[0])
    }
    let name = try validateShape(text, field: "name")
    return (try finish(name, configuration: configuration), selector)
  }

  /// `arn:aws:ssm:us-east-1:123456789012:parameter/a/b` → `/a/b`; `…:parameter/a` → `a`.
  /// An ARN for another partition, region or account names nothing in this store.
  static func nameFromARN(_ arn: String, configuration: StoreConfiguration) throws(StoreError)
    -> String
  {
    let prefix = configuration.parameterARNPrefix
    guard arn.hasPrefix(prefix) else {
      let fields = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
      if fields.count == 6, fields[2] == "ssm", fields[5].hasPrefix("parameter/") {
        throw .parameterNotFound()
      }
      throw .validation(invalidNameMessage)
    }
    let rest = String(arn.dropFirst(prefix.count))
    let path = rest.split(separator: ":", maxSplits: 1).first.map(String.init) ?? rest
    return path.utf8.contains(slash) ? "/" + rest : rest
  }

  /// Length, characters and slashes; returns the trimmed name.
  static func validateShape(_ raw: String, field: String) throws(StoreError) -> String {
    let name = trimmed(raw)
    guard !name.isEmpty else {
      throw .constraint(
        value: "", at: field, "Member must have length greater than or equal to 1.")
    }
    guard name.utf8.count <= 2048 else {
      throw .constraint(
        value: name, at: field, "Member must have length less than or equal to 2048.")
    }
    switch name.withUTF8Bytes(shapeProblem) {
    case nil: return name
    case .invalid: throw .validation(invalidNameMessage)
    case .notFullyQualified: throw .validation(notFullyQualifiedMessage)
    }
  }

  enum ShapeProblem { case invalid, notFullyQualified }

  /// The first of `validateShape`'s rules a non-empty name breaks, in the order AWS reports them:
  /// a character outside letters, digits, `._-` and `/`; a slash in a name that does not start
  /// with one; an empty segment (`//`, a trailing `/`, or `/` alone).
  static func shapeProblem(_ bytes: UnsafeBufferPointer<UInt8>) -> ShapeProblem? {
    var slashes = 0
    for byte in bytes {
      if byte == slash {
        slashes += 1
      } else if !isNameCharacter(byte) {
        return .invalid
      }
    }
    let rooted = bytes.first == slash
    if !rooted && slashes > 0 { return .notFullyQualified }
    var previous = rooted ? slash : 0
    for byte in bytes.dropFirst(rooted ? 1 : 0) {
      if byte == slash && previous == slash { return .invalid }
      previous = byte
    }
    return previous == slash ? .invalid : nil
  }

  static func finish(_ name: String, configuration: StoreConfiguration) throws(StoreError)
    -> ParameterName
  {
    let parsed = ParameterName(stored: name)
    guard parsed.depth <= maximumDepth else { throw .hierarchyLevelLimitExceeded }
    let suffixLength = parsed.key.utf8.count - (parsed.key.utf8.first == slash ? 1 : 0)
    guard configuration.parameterARNPrefixLength + suffixLength <= maximumLengthWithARN else {
      let prefix = configuration.parameterARNPrefix
      throw .validation(
        "The parameter name is too long. A parameter name can have a maximum of "
          + "\(maximumLengthWithARN) characters, including the \(prefix.utf8.count) characters of "
          + "its ARN prefix \(prefix)")
    }
    return parsed
  }

  /// A `Path` for `GetParametersByPath` or a `Path` filter: starts with `/`, may end with `/`.
  /// Returns the path without its trailing slash (`/` stays `/`).
  package static func validatePath(_ raw: String) throws(StoreError) -> String {
    let path = trimmed(raw)
    guard path.hasPrefix("/"),
      path.utf8.allSatisfy({ isNameCharacter($0) || $0 == UInt8(ascii: "/") }),
      !zip(path.utf8, path.utf8.dropFirst()).contains(where: { $0 == slash && $1 == slash })
    else {
      throw .validation(invalidPathMessage)
    }
    let normalized = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    let depth = normalized.split(separator: "/").count
    guard depth <= maximumDepth else { throw .hierarchyLevelLimitExceeded }
    return normalized
  }
}
