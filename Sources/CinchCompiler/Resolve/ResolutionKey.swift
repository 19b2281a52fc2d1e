public import CinchTemplate

/// One thing a template reads: an entry of the store and which version of it. References with
/// the same key read the same value, so the resolver reads each key once per run.
public struct ResolutionKey: Sendable, Hashable, Comparable, CustomStringConvertible {
  public var kind: Reference.Kind
  /// The parameter name or secret id as the reference gives it (a name or an ARN).
  public var name: String
  public var selector: Selector
  /// `secretsmanager`: the JSON key read from the secret string.
  public var jsonKey: String?

  /// Which version a reference asks for.
  public enum Selector: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// No version given: the latest parameter version, or the secret's `AWSCURRENT`.
    case latest
    case version(Int)
    case stage(String)
    case versionId(String)

    public var description: String {
      switch self {
      case .latest: "latest"
      case .version(let version): String(version)
      case .stage(let stage): "stage:\(stage)"
      case .versionId(let id): "id:\(id)"
      }
    }

    /// Reads the lockfile's spelling back (`latest`, `7`, `stage:AWSPREVIOUS`, `id:…`).
    public init?(_ text: String) {
      if text == "latest" {
        self = .latest
      } else if let version = Int(text), version > 0 {
        self = .version(version)
      } else if text.hasPrefix("stage:"), text.count > 6 {
        self = .stage(String(text.dropFirst(6)))
      } else if text.hasPrefix("id:"), text.count > 3 {
        self = .versionId(String(text.dropFirst(3)))
      } else {
        return nil
      }
    }

    public static func < (lhs: Selector, rhs: Selector) -> Bool {
      lhs.description < rhs.description
    }
  }

  public init(kind: Reference.Kind, name: String, selector: Selector, jsonKey: String? = nil) {
    self.kind = kind
    self.name = name
    self.selector = selector
    self.jsonKey = jsonKey
  }

  /// The key of a concrete reference. A secret reference that gives both a stage and an id
  /// (E2007) is read by its id, which AWS treats as the stronger of the two.
  public init(_ reference: Reference) {
    let selector: Selector
    switch reference.kind {
    case .ssm, .ssmSecure:
      selector = reference.version.map(Selector.version) ?? .latest
    case .secretsManager:
      if let id = reference.versionId {
        selector = .versionId(id)
      } else if let stage = reference.versionStage {
        selector = .stage(stage)
      } else {
        selector = .latest
      }
    }
    self.init(
      kind: reference.kind, name: reference.name, selector: selector,
      jsonKey: reference.kind == .secretsManager ? reference.jsonKey : nil)
  }

  /// `ssm-secure:/myapp/prod/dbpassword@3`, `secretsmanager:prod/db#password@stage:AWSCURRENT`.
  public var description: String {
    var text = "\(kind.rawValue):\(name)"
    if let jsonKey { text += "#\(jsonKey)" }
    if selector != .latest { text += "@\(selector)" }
    return text
  }

  /// What makes a gone pin good again: `lock --update` re-reads what the reference asks for,
  /// which for a version the template names is the same gone version; only the template can
  /// move that one.
  public var repinAdvice: String {
    switch selector {
    case .version, .versionId:
      "the template names that version: reference one the store keeps"
    case .latest, .stage:
      "run 'cinch lock --update \(name)'"
    }
  }

  /// Whether a `lock --update NAME` argument names this key: by the name or ARN the template
  /// writes, by the full key, or by a name AWS resolves to the same entry (`StoreEntry.matches`:
  /// `prod/db` for a template's `arn:…:secret:prod/db-AbCdEf`, `db` for `/db`). An ARN argument
  /// is turned into its entry's name by the caller, which has the lock's recorded ARNs.
  public func isNamed(by argument: String) -> Bool {
    if argument == name || argument == description || argument == "\(kind.rawValue):\(name)" {
      return true
    }
    guard !argument.hasPrefix("arn:") else { return false }
    let entryKind: StoreEntry.Kind = kind == .secretsManager ? .secret : .parameter
    return StoreEntry(kind: entryKind, name: name).matches(
      StoreEntry(kind: entryKind, name: argument))
  }

  /// By name, kind, JSON key, then selector (as text). Field by field, so the selector's text
  /// is built only for keys equal in everything else: sorting and searching a run's keys built
  /// two strings per comparison, 3% of a 1,000-resource `lock`.
  public static func < (lhs: ResolutionKey, rhs: ResolutionKey) -> Bool {
    if lhs.name != rhs.name { return lhs.name < rhs.name }
    if lhs.kind != rhs.kind { return lhs.kind.rawValue < rhs.kind.rawValue }
    let (left, right) = (lhs.jsonKey ?? "", rhs.jsonKey ?? "")
    if left != right { return left < right }
    return lhs.selector < rhs.selector
  }
}

extension ResolutionKey {
  /// For a parameter key of `/aws/reference/secretsmanager/ID`, why it cannot be resolved and
  /// pinned: Parameter Store would read the secret, and AWS answers such a read with a
  /// version no reference can name again (a secret's versions are ids and stages). Only an
  /// `ssm-secure` reference without a version deploys (E4010, a warning where it is left as
  /// written); `ssm` (no decryption) and a version fail the deploy.
  /// https://docs.aws.amazon.com/systems-manager/latest/userguide/integration-ps-secretsmanager.html
  var throughParameterStore: ResolutionFailure? {
    guard kind != .secretsManager, let secret = StoreEntry.secretBehindParameter(name) else {
      return nil
    }
    var version: Int?
    if case .version(let number) = selector { version = number }
    return .secretThroughParameterStore(
      kind: kind, name: name, secretID: secret.id, version: version)
  }
}

extension ResolutionFailure {
  /// Whether the reference it is said of deploys as written (only no lock can pin it).
  var deploysAsWritten: Bool {
    if case .secretThroughParameterStore(.ssmSecure, _, _, nil) = self { return true }
    return false
  }
}
