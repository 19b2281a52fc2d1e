/// What a statement is for. It names the statement (`Sid`), orders statements in a document, and
/// keeps grants for different reasons in different statements even when they could merge.
public enum StatementPurpose: Sendable, Hashable, Comparable {
  case readParameters
  /// `ssm:GetParameter`, for a reader that asks for one parameter a call (a Step Functions
  /// SDK task); `GetParameters` does not allow it.
  case readParametersOneAtATime
  case readSecrets
  /// `GetSecretValue` allowed only for the version carrying this staging label.
  case readSecretsAtStage(String)
  /// `GetSecretValue` allowed only for pinned version ids.
  case readSecretVersions
  case decryptParameters
  case decryptSecrets
  /// `ssm:DescribeParameters`, which AWS authorizes on `*` only.
  case describeParameters
  case readParameterHistory
  case describeSecrets
  case readParametersUnderPath(String)
  case listParametersByPath(String)
  case decryptParametersUnderPath(String)
  case rotateSecrets
  /// `secretsmanager:GetRandomPassword`, which AWS authorizes on `*` only.
  case generatePasswords
  case encryptRotatedSecrets
  /// An explicit `Deny` of `kms:Decrypt`, so that the metadata a pull-request check reads
  /// (`GetParameterHistory`) can never come back decrypted.
  case denyDecryption

  /// `Allow`, or `Deny` for the one purpose that takes a permission away.
  public var effect: String { self == .denyDecryption ? "Deny" : "Allow" }

  /// The `Sid` before any number that keeps it unique: letters and digits only, as IAM wants.
  public var sid: String {
    switch self {
    case .readParameters: "ReadParameters"
    case .readParametersOneAtATime: "ReadParametersOneAtATime"
    case .readSecrets: "ReadSecretValues"
    case .readSecretsAtStage(let stage): "ReadSecretValuesAtStage" + Self.identifier(stage)
    case .readSecretVersions: "ReadPinnedSecretVersions"
    case .decryptParameters: "DecryptParametersWithCustomerManagedKey"
    case .decryptSecrets: "DecryptSecretsWithCustomerManagedKey"
    case .describeParameters: "DescribeParametersOnAnyResourceAsAWSCannotScopeIt"
    case .readParameterHistory: "ReadParameterVersionsAndLabels"
    case .describeSecrets: "DescribeSecretsAndTheirVersions"
    case .readParametersUnderPath(let path): "ReadParametersUnder" + Self.identifier(path)
    case .listParametersByPath(let path): "ListParametersByPath" + Self.identifier(path)
    case .decryptParametersUnderPath(let path):
      "DecryptParametersUnder" + Self.identifier(path) + "WithCustomerManagedKey"
    case .rotateSecrets: "RotateSecrets"
    case .generatePasswords: "GenerateRandomPasswordsOnAnyResourceAsAWSCannotScopeIt"
    case .encryptRotatedSecrets: "EncryptRotatedSecretsWithCustomerManagedKey"
    case .denyDecryption: "DenyDecryptionSoParameterHistoryStaysMetadata"
    }
  }

  /// One line for `--explain`: what the statement lets the identity do.
  public var summary: String {
    switch self {
    case .readParameters: "read the parameters"
    case .readParametersOneAtATime: "read the parameters, one by one (ssm:GetParameter)"
    case .readSecrets: "read the secrets' values"
    case .readSecretsAtStage(let stage):
      "read the secrets' values, only the version labelled '\(stage)'"
    case .readSecretVersions: "read the secrets' values, only the pinned version ids"
    case .decryptParameters:
      "decrypt SecureString parameters under their customer-managed key, only through Parameter Store and only for these parameters"
    case .decryptSecrets:
      "decrypt secrets under their customer-managed key, only through Secrets Manager and only for these secrets"
    case .describeParameters:
      "list parameter metadata: AWS authorizes ssm:DescribeParameters on \"*\" only, it cannot be scoped to parameters"
    case .readParameterHistory: "read the parameters' versions and labels"
    case .describeSecrets: "read the secrets' metadata and version ids, never a value"
    case .readParametersUnderPath(let path): "read any parameter under '\(path)'"
    case .listParametersByPath(let path):
      "list the parameters under '\(path)' with GetParametersByPath"
    case .decryptParametersUnderPath(let path):
      "decrypt SecureString parameters under '\(path)', only through Parameter Store"
    case .rotateSecrets: "rotate the secrets: read, write and move staging labels"
    case .generatePasswords:
      "generate passwords: AWS authorizes secretsmanager:GetRandomPassword on \"*\" only"
    case .encryptRotatedSecrets:
      "decrypt and encrypt rotated secrets under their customer-managed key, only through Secrets Manager"
    case .denyDecryption:
      "never decrypt: ssm:GetParameterHistory with WithDecryption returns SecureString values, decrypted under the aws/ssm key without any kms:Decrypt grant; an explicit deny stops that"
    }
  }

  private var rank: (Int, String) {
    switch self {
    case .readParameters: (0, "")
    case .readParametersOneAtATime: (0, "one")
    case .readParametersUnderPath(let path): (1, path)
    case .listParametersByPath(let path): (2, path)
    case .readSecrets: (3, "")
    case .readSecretsAtStage(let stage): (4, stage)
    case .readSecretVersions: (5, "")
    case .rotateSecrets: (6, "")
    case .generatePasswords: (7, "")
    case .decryptParameters: (8, "")
    case .decryptParametersUnderPath(let path): (9, path)
    case .decryptSecrets: (10, "")
    case .encryptRotatedSecrets: (11, "")
    case .describeParameters: (12, "")
    case .readParameterHistory: (13, "")
    case .describeSecrets: (14, "")
    case .denyDecryption: (15, "")
    }
  }

  public static func < (lhs: StatementPurpose, rhs: StatementPurpose) -> Bool {
    lhs.rank < rhs.rank
  }

  /// `/myapp/prod/` → `MyappProd`, `AWSPREVIOUS` → `AWSPREVIOUS`.
  static func identifier(_ text: String) -> String {
    text.split(whereSeparator: { !($0.isASCII && ($0.isLetter || $0.isNumber)) })
      .map { $0.prefix(1).uppercased() + $0.dropFirst() }
      .joined()
  }
}

/// One statement of a policy document: `Effect` is its purpose's (`Allow` but for
/// `denyDecryption`).
public struct PolicyStatement: Sendable, Hashable {
  public var sid: String
  public var purpose: StatementPurpose
  /// Sorted.
  public var actions: [String]
  /// Sorted.
  public var resources: [PolicyResource]
  /// Sorted.
  public var conditions: [PolicyCondition]
  /// The conditions as a policy outside the template holds them (`PolicyCondition.writable`);
  /// nil when one allows only what the template alone can name.
  public var writableConditions: [PolicyCondition]? {
    var writable: [PolicyCondition] = []
    for condition in conditions {
      guard let held = condition.writable else { return nil }
      writable.append(held)
    }
    return writable
  }
  /// For each resource, the template lines that need it.
  public var reasons: [PolicyResource: [PolicyReason]]

  public init(
    sid: String, purpose: StatementPurpose, actions: [String], resources: [PolicyResource],
    conditions: [PolicyCondition], reasons: [PolicyResource: [PolicyReason]]
  ) {
    self.sid = sid
    self.purpose = purpose
    self.actions = actions
    self.resources = resources
    self.conditions = conditions
    self.reasons = reasons
  }

  /// Every reason, in file order, without repeats.
  public var allReasons: [PolicyReason] {
    Array(Set(reasons.values.joined())).sorted()
  }
}

/// The identity a consumers document is for.
public struct PolicyRole: Sendable, Hashable, Comparable, CustomStringConvertible {
  public enum Kind: Sendable, Hashable {
    /// A role of the template (`AWS::IAM::Role`, or the role the SAM transform generates):
    /// CloudFormation output attaches the policy with `!Ref`.
    case resource(String)
    /// A role outside the template, by name or ARN.
    case external(String)
    /// The execution role of a function outside the template, by the function's name or ARN.
    case function(String)
    /// A role cinch cannot name (an expression that waits on an input): the document says what
    /// reads, the user attaches it.
    case unresolved(String)
    /// The application role of `--runtime-path` without a role.
    case application
  }

  /// The template that names the role (nil for `.application` and command-line roles).
  public var file: String?
  public var kind: Kind
  /// The `Condition` of a role of the template: a policy attached to it with `!Ref` exists
  /// only where the role does, or CloudFormation rejects the template when it is false.
  public var condition: String?
  /// Whether `condition` is not the role's but that of the resources that read as it: a role
  /// without a condition read as by a resource with one gets a policy of its own under the
  /// resource's, so a stack without the resource grants the role none of its reads.
  public var conditionIsTheReaders = false
  /// The account of a role named by an ARN of another account than the stack's: no policy of
  /// the stack can be attached to it.
  public var account: String?

  public init(file: String?, kind: Kind, condition: String? = nil, account: String? = nil) {
    self.file = file
    self.kind = kind
    self.condition = condition
    self.account = account
  }

  /// The role's name as a document name: its logical id, its name, or a description.
  public var name: String {
    switch kind {
    case .resource(let logicalID): logicalID
    case .external(let text):
      // An ARN's last path element is the role's name.
      text.hasPrefix("arn:") ? String(text.split(separator: "/").last ?? Substring(text)) : text
    case .function(let function):
      (function.split(separator: ":").last.map(String.init) ?? function) + "-function-role"
    case .unresolved(let text): text
    case .application: "application"
    }
  }

  public var description: String {
    switch kind {
    case .resource(let logicalID): "role '\(logicalID)'"
    case .external(let text): "role '\(text)'"
    case .function(let function): "the role of function '\(function)'"
    case .unresolved(let text): text
    case .application: "the application role"
    }
  }

  public static func < (lhs: PolicyRole, rhs: PolicyRole) -> Bool {
    // The description tells apart roles of one name (a role of the template and one by ARN).
    // The condition, one role's policy and its readers' under a condition.
    (lhs.file ?? "", lhs.name, lhs.description, lhs.condition ?? "")
      < (rhs.file ?? "", rhs.name, rhs.description, rhs.condition ?? "")
  }
}

/// One IAM policy document: for a profile, and for consumers one role.
public struct PolicyDocument: Sendable, Hashable {
  public var profile: PolicyProfile
  public var role: PolicyRole?
  public var statements: [PolicyStatement]
  /// `deploy`, `validate`, `consumers:ExecutionRole`; unique in a `PolicySet`.
  public var name: String

  public init(
    profile: PolicyProfile, role: PolicyRole?, statements: [PolicyStatement], name: String
  ) {
    self.profile = profile
    self.role = role
    self.statements = statements
    self.name = name
  }
}

extension PolicyDocument {
  /// The statements a policy outside the template holds (the IAM JSON; the deploy and
  /// validate policies of the CloudFormation output, which live beside roles of another
  /// stack): those with an ARN to grant and conditions it can write, `Sid`s numbered again
  /// so that a statement left out leaves no gap (`…Key` and `…Key2`, not `…Key3`).
  public var statementsOutsideTheTemplate: [PolicyStatement] {
    var kept = statements.filter { statement in
      statement.resources.contains { $0.arn != nil } && statement.writableConditions != nil
    }
    guard kept.count != statements.count else { return statements }
    for (index, sid) in StatementMerger.sids(kept.map(\.purpose)).enumerated() {
      kept[index].sid = sid
    }
    return kept
  }
}

/// Every document `cinch policy` writes, in profile order, consumers by role.
public struct PolicySet: Sendable, Hashable {
  public var documents: [PolicyDocument]

  public init(documents: [PolicyDocument]) {
    self.documents = documents
  }
}
