public import CinchStore
public import CinchTemplate

/// Why a reference could not be resolved. Messages name the entry, the version and what is
/// missing; never a value.
public enum ResolutionFailure: Error, Sendable, Hashable, CustomStringConvertible {
  case parameterNotFound(name: String)
  /// A parameter named by an ARN of another region or account than the store is read as (where
  /// it is, where the store is): shared with the deploy's account, or in another region, it is
  /// read from there.
  case parameterElsewhere(name: String, elsewhere: SecretHome.Elsewhere)
  /// One of AWS's public parameters (`/aws/service/…`) missing from a store that holds only the
  /// copies it was given (the embedded one): the fix is a copy, not a typo hunt.
  case publicParameterNotCopied(name: String)
  case parameterVersionNotFound(name: String, version: Int, latest: Int?)
  /// `ssm`/`ssm-secure` of `/aws/reference/secretsmanager/ID`: Parameter Store reads the
  /// secret, and no parameter version names one of its versions.
  /// `version`: the parameter version the reference names, which names no version of a secret.
  case secretThroughParameterStore(
    kind: Reference.Kind, name: String, secretID: String, version: Int?)
  /// A run-time read of `/aws/reference/secretsmanager/ID` that does not ask for decryption (a
  /// Step Functions `getParameter` without `WithDecryption: true`): Parameter Store refuses it.
  case secretThroughParameterStoreUndecrypted(secretID: String)
  /// A run-time read's `NAME:LABEL` (a reference cannot name a label).
  case parameterLabelNotFound(name: String, label: String)
  /// `ssm` naming a SecureString, or `ssm-secure` naming a String/StringList: CloudFormation
  /// refuses both.
  case typeMismatch(kind: Reference.Kind, name: String, type: String)
  /// `elsewhere`: the secret's full ARN names another region or account than the store is read
  /// as (where it is, where the store is), so it cannot be found there.
  case secretNotFound(id: String, elsewhere: SecretHome.Elsewhere? = nil)
  case secretVersionNotFound(id: String, versionId: String)
  case secretStageNotFound(id: String, stage: String)
  case secretScheduledForDeletion(id: String)
  case secretNotJSON(id: String, jsonKey: String)
  case jsonKeyNotFound(id: String, jsonKey: String)
  case secretBinary(id: String)
  case unsupported(String)
  case store(code: String, message: String)
  /// The pinned version holds another value than the one locked (same fingerprint key).
  case pinnedValueChanged(version: String)

  public var description: String {
    switch self {
    case .parameterNotFound(let name):
      "parameter '\(name)' does not exist"
    case .parameterElsewhere(let name, let elsewhere):
      "parameter '\(name)' is not in the store: its ARN names \(elsewhere.secret), and the store "
        + "is read as \(elsewhere.store) (the deploy's: --region, --account-id); a parameter "
        + "shared from another account is checked and pinned only against a store of that account"
    case .publicParameterNotCopied(let name):
      "parameter '\(name)' does not exist (a public parameter of AWS: copy it into this store with 'cinch ssm put-public-parameter')"
    case .parameterVersionNotFound(let name, let version, let latest):
      "parameter '\(name)' has no version \(version)"
        + (latest.map { "; latest is \($0)" } ?? "")
    case .secretThroughParameterStore(.ssm, let name, let secretID, _):
      "'\(name)' reads secret '\(secretID)' through Parameter Store, which answers only a read "
        + "with decryption, and an 'ssm' reference asks for none: the deploy fails; write "
        + "'{{resolve:secretsmanager:\(secretID)}}'"
    case .secretThroughParameterStore(_, let name, let secretID, let version?):
      "'\(name):\(version)' reads secret '\(secretID)' through Parameter Store, where ':\(version)' "
        + "names no version (a secret's versions are ids and staging labels): the deploy fails; "
        + "write '{{resolve:secretsmanager:\(secretID)}}', with ':::VERSION-ID' for a version"
    case .secretThroughParameterStore(_, let name, let secretID, nil):
      "'\(name)' reads secret '\(secretID)' through Parameter Store, and a parameter version "
        + "cannot pin one of a secret's versions: write '{{resolve:secretsmanager:\(secretID)}}' "
        + "to lock it"
    case .secretThroughParameterStoreUndecrypted(let secretID):
      "secret '\(secretID)' is read through Parameter Store without decryption, which Parameter "
        + "Store refuses for a secret ('WithDecryption flag must be True for retrieving a Secret "
        + "Manager secret'): ask for WithDecryption: true"
    case .parameterLabelNotFound(let name, let label):
      "parameter '\(name)' has no version labelled '\(label)'"
    case .typeMismatch(let kind, let name, let type):
      kind == .ssm
        ? "parameter '\(name)' is a \(type); an 'ssm' reference reads only String and StringList (use 'ssm-secure')"
        : "parameter '\(name)' is a \(type), not a SecureString; 'ssm-secure' reads only SecureString (use 'ssm')"
    case .secretNotFound(let id, let elsewhere?):
      "secret '\(id)' does not exist: its ARN names \(elsewhere.secret), and the store is read as "
        + "\(elsewhere.store) (the deploy's: --region, --account-id)"
    case .secretNotFound(let id, nil):
      "secret '\(id)' does not exist"
    case .secretVersionNotFound(let id, let versionId):
      "secret '\(id)' has no version '\(versionId)'"
    case .secretStageNotFound(let id, let stage):
      "secret '\(id)' has no version labelled '\(stage)'"
    case .secretScheduledForDeletion(let id):
      "secret '\(id)' is scheduled for deletion"
    case .secretNotJSON(let id, let jsonKey):
      "secret '\(id)' is not a JSON object, so it has no key '\(jsonKey)'"
    case .jsonKeyNotFound(let id, let jsonKey):
      "secret '\(id)' has no JSON key '\(jsonKey)'"
    case .secretBinary(let id):
      "secret '\(id)' holds a SecretBinary, which a reference cannot read"
    case .unsupported(let reason):
      reason
    case .store(let code, let message):
      message.isEmpty ? "the store answered \(code)" : "the store answered \(code): \(message)"
    case .pinnedValueChanged(let version):
      "version \(version) holds another value than the one locked (deleted and created "
        + "again?); 'cinch plan' shows it, 'cinch lock' accepts it"
    }
  }

  /// Whether the version read is gone while its parameter or secret is still there: a pin
  /// that `lock --update` can move.
  public var isVersionGone: Bool {
    switch self {
    case .parameterVersionNotFound, .secretVersionNotFound: true
    default: false
    }
  }

  /// A parameter the store does not have: AWS publishes `/aws/service/…` in every region, so
  /// only a store of copies (`PublicParameters.copiesOnly`) gets the hint to copy one in.
  public static func missingParameter(
    _ name: String, _ publicParameters: PublicParameters, home: SecretHome? = nil
  ) -> ResolutionFailure {
    if let elsewhere = home?.elsewhere(parameterARN: name) {
      return .parameterElsewhere(name: name, elsewhere: elsewhere)
    }
    return publicParameters == .copiesOnly && PolicyTarget.isPublicParameter(name)
      ? .publicParameterNotCopied(name: name) : .parameterNotFound(name: name)
  }

  /// The store's refusal to list a parameter's versions: missing (`missingParameter`), or the
  /// store's own error.
  static func parameterLookup(
    _ name: String, failedWith error: StoreError, _ publicParameters: PublicParameters,
    home: SecretHome? = nil
  ) -> ResolutionFailure {
    error.code == "ParameterNotFound"
      ? .missingParameter(name, publicParameters, home: home)
      : .store(code: error.code, message: error.message)
  }

  /// The failure as said at `sites`: a parameter whose type reads the entry
  /// (`AWS::SSM::Parameter::Value<…>`) cannot switch to `ssm-secure`, so its type mismatch
  /// says what can.
  /// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cloudformation-supplied-parameter-types.html
  public func described(at sites: [ReferenceSite]) -> String {
    guard case .typeMismatch(_, let name, let type) = self, !sites.isEmpty,
      sites.allSatisfy({ if case .parameterType = $0.context { true } else { false } })
    else { return description }
    return "parameter '\(name)' is a \(type); a parameter type (AWS::SSM::Parameter::Value<…>) "
      + "reads only String and StringList (read a SecureString with '{{resolve:ssm-secure:…}}' "
      + "in a resource property)"
  }

  /// The diagnostic code for the failure.
  public var code: DiagnosticCode {
    switch self {
    case .parameterNotFound, .parameterElsewhere, .publicParameterNotCopied, .secretNotFound:
      .entryNotFound
    case .secretThroughParameterStore(.ssm, _, _, _), .secretThroughParameterStoreUndecrypted:
      .typeMismatch
    case .secretThroughParameterStore(_, _, _, _?): .versionNotFound
    case .secretThroughParameterStore: .referenceNotLockable
    case .parameterVersionNotFound, .parameterLabelNotFound, .secretVersionNotFound,
      .secretStageNotFound:
      .versionNotFound
    case .typeMismatch: .typeMismatch
    case .secretScheduledForDeletion: .scheduledForDeletion
    case .secretNotJSON, .jsonKeyNotFound, .secretBinary: .jsonKeyNotFound
    case .unsupported, .store: .storeFailure
    case .pinnedValueChanged: .pinnedValueChanged
    }
  }
}
