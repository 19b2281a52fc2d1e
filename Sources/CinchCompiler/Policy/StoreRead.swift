import CinchTemplate

/// One read of a parameter or secret, at deploy (a reference) or at run time (a resource
/// property), with everything a grant needs: the entry's ARN, the version it is pinned to, and
/// the line that reads it.
struct StoreRead: Sendable, Hashable {
  enum Timing: Sendable, Hashable {
    case deploy
    /// Read by a resource when it runs, as `role` (nil when it names none).
    case runtime(role: PolicyRole?, resourceType: String)
  }

  var timing: Timing
  var kind: StoreEntry.Kind
  /// The entry's ARN, ARN pattern, or template expression.
  var resource: PolicyResource
  /// The ARN the service puts in the encryption context (`PARAMETER_ARN`, `SecretARN`), as
  /// an exact value or a pattern; nil when only the template knows it.
  var contextARN: String?
  /// The partition and region of the entry (its ARN's, for an entry named by ARN).
  var partition: String
  var region: String
  /// The key question, when the value may be encrypted under a key cinch should look up.
  var keyQuery: EncryptionKeyQuery?
  /// A secret's pinned staging label or version id (at most one is set).
  var versionStage: String?
  var versionID: String?
  /// A secret read at whatever version the reader is given when it runs (a Step Functions
  /// task's `VersionStage.$`): no version condition holds it.
  var anyVersion = false
  /// False for an entry the template creates: no metadata to check before deploy. A public
  /// parameter (`/aws/service/…`) is checked like any other (`cinch check` reads its history),
  /// under its accountless ARN.
  var checkable: Bool
  var reason: PolicyReason
  /// For a secret the template creates, the key its `KmsKeyId` names (nil for
  /// `aws/secretsmanager`): no store knows it before deploy.
  var createdKey: CreatedSecretKey? = nil
  /// The logical id of the resource that creates the entry, when the template does.
  var createdBy: String? = nil
  /// The key the lock records for the pinned version (`ReferencePin.keyID`): what decrypts it
  /// when no store says.
  var lockedKeyID: String? = nil
  /// The Parameter Store action the reader calls (`RuntimeConsumer.parameterAction`):
  /// CloudFormation and the services that read parameters themselves call `GetParameters`.
  var parameterAction = "ssm:GetParameters"
  /// A secret named by an ARN whose name ends like a complete ARN's (`-` and six letters or
  /// digits: `…:secret:prod/db-config`) read as a partial ARN instead: the name whole, with
  /// the suffix Secrets Manager adds (`…:secret:prod/db-config-??????`), and the key question
  /// for that name. Secrets Manager may find the secret either way
  /// (https://docs.aws.amazon.com/secretsmanager/latest/userguide/troubleshoot.html#ARN_secretnamehyphen),
  /// so both are granted.
  var partialReading: PartialReading? = nil

  struct PartialReading: Sendable, Hashable {
    var resource: PolicyResource
    var keyQuery: EncryptionKeyQuery?
  }

  /// The read as `partialReading` has it, nil when there is no other reading.
  var partialARNRead: StoreRead? {
    guard let partialReading else { return nil }
    var read = self
    read.resource = partialReading.resource
    read.contextARN = partialReading.resource.arn
    read.keyQuery = partialReading.keyQuery
    read.partialReading = nil
    return read
  }
}

/// The KMS key a secret the template creates is encrypted under, from its `KmsKeyId`: a key id,
/// key ARN, alias name or alias ARN, or a key of the template (`!Ref Key`, `!GetAtt Key.Arn`).
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-secretsmanager-secret.html#cfn-secretsmanager-secret-kmskeyid
enum CreatedSecretKey: Sendable, Hashable {
  /// An `AWS::KMS::Key` of the template, by logical id: only CloudFormation names its ARN.
  case resource(String)
  /// A key ARN; `written`: as the template wrote it, the key of that region and account
  /// wherever the stack goes (a bare key id is the stack's own region and account's).
  case arn(String, written: Bool)
  /// An alias name or ARN: `kms:Decrypt` is authorized on the key, not on its alias, and which
  /// key an alias points to is known only to KMS.
  /// https://docs.aws.amazon.com/kms/latest/developerguide/alias-authorization.html
  case alias(String)
  /// An expression cinch cannot follow to a key (`!ImportValue`, a parameter left unset).
  case unknown(String)
}
