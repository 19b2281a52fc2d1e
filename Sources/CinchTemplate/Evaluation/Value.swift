/// What the evaluator knows about an expression: a value, or a string only partly known, or
/// nothing but what it waits on.
///
/// Partial evaluation keeps strings with holes (`/myapp/${Env}/db` with `Env` unset is
/// `.partial(["/myapp/", ?Env, "/db"])`), so a reference's name can be reported with exactly the
/// input it still needs, and a name that is known is known even when its neighbours are not.
public indirect enum Value: Sendable, Hashable {
  case string(String)
  case partial([Piece])
  case list([Value])
  case map([Field])
  case bool(Bool)
  case unknown(Unknown)
  /// `Ref: AWS::NoValue`: the property is removed.
  case noValue

  public enum Piece: Sendable, Hashable {
    case text(String)
    case hole(Unknown)
  }

  public struct Field: Sendable, Hashable {
    public var key: String
    public var value: Value

    public init(_ key: String, _ value: Value) {
      self.key = key
      self.value = value
    }
  }

  /// The text when fully known.
  public var string: String? {
    if case .string(let text) = self { return text }
    return nil
  }

  public var isKnown: Bool {
    switch self {
    case .string, .bool, .noValue: true
    case .partial, .unknown: false
    case .list(let items): items.allSatisfy(\.isKnown)
    case .map(let fields): fields.allSatisfy(\.value.isKnown)
    }
  }

  /// Everything this value still waits on, in a stable order.
  public var waitsOn: [Dependency] {
    var seen = Set<Dependency>()
    var ordered: [Dependency] = []
    func add(_ unknown: Unknown) {
      for dependency in unknown.waitsOn where seen.insert(dependency).inserted {
        ordered.append(dependency)
      }
    }
    func visit(_ value: Value) {
      switch value {
      case .string, .bool, .noValue: break
      case .unknown(let unknown): add(unknown)
      case .partial(let pieces):
        for case .hole(let unknown) in pieces { add(unknown) }
      case .list(let items): items.forEach(visit)
      case .map(let fields): fields.forEach { visit($0.value) }
      }
    }
    visit(self)
    return ordered
  }

  /// Why the value cannot be known at all: the reason of its first invalid part.
  public var invalidReason: String {
    func reason(_ value: Value) -> String? {
      switch value {
      case .string, .bool, .noValue: return nil
      case .unknown(let unknown): return unknown.waitsOn.contains(.invalid) ? unknown.reason : nil
      case .partial(let pieces):
        for case .hole(let unknown) in pieces where unknown.waitsOn.contains(.invalid) {
          return unknown.reason
        }
        return nil
      case .list(let items): return items.lazy.compactMap(reason).first
      case .map(let fields): return fields.lazy.compactMap { reason($0.value) }.first
      }
    }
    return reason(self) ?? "it is not a string"
  }

  /// Concatenates string-like values, keeping holes: the heart of `Fn::Sub` and `Fn::Join`.
  static func concatenate(_ parts: [Value]) -> Value {
    var pieces: [Piece] = []
    func appendText(_ text: String) {
      guard !text.isEmpty else { return }
      if case .text(let previous)? = pieces.last {
        pieces[pieces.count - 1] = .text(previous + text)
      } else {
        pieces.append(.text(text))
      }
    }
    for part in parts {
      switch part {
      case .string(let text): appendText(text)
      case .partial(let inner):
        for piece in inner {
          switch piece {
          case .text(let text): appendText(text)
          case .hole: pieces.append(piece)
          }
        }
      case .unknown(let unknown): pieces.append(.hole(unknown))
      case .bool(let flag): appendText(flag ? "true" : "false")
      case .noValue, .list, .map:
        pieces.append(.hole(Unknown(.invalid, "a list or map where a string belongs")))
      }
    }
    if pieces.isEmpty { return .string("") }
    if pieces.count == 1, case .text(let text) = pieces[0] { return .string(text) }
    return .partial(pieces)
  }
}

/// Why a value is not known at compile time.
public struct Unknown: Sendable, Hashable {
  public var waitsOn: [Dependency]
  /// A short phrase for messages: `parameter 'Env' has no value`.
  public var reason: String

  public init(_ dependency: Dependency, _ reason: String) {
    self.waitsOn = [dependency]
    self.reason = reason
  }

  public init(waitsOn: [Dependency], reason: String) {
    self.waitsOn = waitsOn
    self.reason = reason
  }
}

/// An input a value can wait on.
public enum Dependency: Sendable, Hashable, Comparable, CustomStringConvertible {
  /// A template parameter with no value given and no default.
  case parameter(String)
  /// A pseudo-parameter cinch is not told (`AWS::StackName` without `--stack-name`).
  case pseudoParameter(String)
  /// `Ref` to a resource: its physical id exists only after deploy.
  case resource(String)
  /// `Fn::GetAtt`: a resource attribute, known only after deploy.
  case attribute(resource: String, attribute: String)
  /// `Fn::ImportValue`: another stack's export.
  case importValue(String)
  /// `Fn::GetStackOutput`: another stack's output (any account or Region).
  case stackOutput(stack: String, output: String)
  /// `Fn::GetAZs`: the account's availability zones.
  case availabilityZones
  /// The value of a Parameter Store parameter named by an `AWS::SSM::Parameter::Value<…>`
  /// parameter, read at deploy.
  case storeValue(String)
  /// The value a dynamic reference (`{{resolve:ssm:/app/name}}`, as written, its `${…}` still
  /// unknown) resolves to at deploy, where the value itself names something: a name a resource
  /// reads at run time.
  case referenceValue(String)
  /// A condition that depends on something unknown.
  case condition(String)
  /// A macro (`Fn::Transform`) runs at deploy.
  case transform
  /// The identifier of an `Fn::ForEach` loop (`AWS::LanguageExtensions`), which cinch does not
  /// expand: a different value in each iteration.
  case loopVariable(String, loop: String)
  /// Something malformed; the evaluator reported it.
  case invalid

  public var description: String {
    switch self {
    case .parameter(let name): "parameter '\(name)'"
    case .pseudoParameter(let name): "pseudo-parameter '\(name)'"
    case .resource(let name): "resource '\(name)'"
    case .attribute(let resource, let attribute): "attribute '\(resource).\(attribute)'"
    case .importValue(let name): "import '\(name)'"
    case .stackOutput(let stack, let output): "output '\(output)' of stack '\(stack)'"
    case .availabilityZones: "the availability zones (Fn::GetAZs)"
    case .storeValue(let name): "the value of parameter '\(name)'"
    case .referenceValue(let text): "the value of reference '\(text)'"
    case .condition(let name): "condition '\(name)'"
    case .transform: "a transform"
    case .loopVariable(let name, let loop): "loop variable '\(name)' of '\(loop)'"
    case .invalid: "an invalid expression"
    }
  }

  /// Parameters a user can set, as `--parameter-overrides` would name them.
  public var settableName: String? {
    switch self {
    case .parameter(let name): name
    case .pseudoParameter(let name): name
    default: nil
    }
  }

  /// How the command line sets it: a parameter with `--parameter-overrides`, the pseudo-
  /// parameters cinch takes with their own options; nil for what only a deploy knows
  /// (`AWS::StackId`, `AWS::NotificationARNs`, resources, imports).
  public var commandLineHint: String? {
    switch self {
    case .parameter(let name): "--parameter-overrides \(name)=…"
    case .pseudoParameter("AWS::StackName"): "--stack-name …"
    case .pseudoParameter("AWS::Region"): "--region …"
    case .pseudoParameter("AWS::AccountId"): "--account-id …"
    default: nil
    }
  }
}

extension Sequence<Dependency> {
  /// The options that would settle these, each once, in order (`--stack-name …`).
  public var commandLineHints: [String] {
    var hints: [String] = []
    for hint in compactMap(\.commandLineHint) where !hints.contains(hint) { hints.append(hint) }
    return hints
  }
}
