/// A KMS call Parameter Store or Secrets Manager makes with the caller's credentials: the
/// `kms:Decrypt` before it returns a value decrypted, or, when a write encrypts a value, the
/// `kms:Encrypt` (a `SecureString`) or `kms:GenerateDataKey` and `kms:Decrypt` (a secret's
/// version) — the key that protects the value and the encryption context the service passes.
/// `cinch serve` authorises it as KMS would (`SQLiteStore.withKMSCallCheck`); the store asks
/// before it opens the value, or before it writes anything, so a refused value is never
/// decrypted and a refused write leaves no trace but its audit row.
///
/// Parameter Store passes `PARAMETER_ARN`
/// (https://docs.aws.amazon.com/kms/latest/developerguide/services-parameter-store.html#parameter-store-encryption-context),
/// Secrets Manager `SecretARN` and `SecretVersionId`
/// (https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html#security-encryption-encryption-context).
package struct KMSCall: Sendable, Equatable {
  package enum Service: Sendable, Equatable {
    case parameterStore
    case secretsManager

    /// The first label of the service's endpoint host, as `kms:ViaService` names it.
    package var endpointPrefix: String {
      switch self {
      case .parameterStore: "ssm"
      case .secretsManager: "secretsmanager"
      }
    }
  }

  /// The KMS action the service's call needs.
  package enum Action: String, Sendable, Equatable {
    case decrypt = "kms:Decrypt"
    case encrypt = "kms:Encrypt"
    case generateDataKey = "kms:GenerateDataKey"
  }

  package var service: Service
  package var action: Action
  /// `arn:aws:kms:REGION:ACCOUNT:key/KEY-ID`: the key in the sealed value, not the alias the
  /// writer named (an alias may point elsewhere since).
  package var keyARN: String
  /// `alias/aws/ssm` or `alias/aws/secretsmanager`: their key policy lets every principal of
  /// the account use them through the service, so no identity policy needs to allow it.
  package var isAWSManaged: Bool
  /// The encryption context, by key as the service writes it (`PARAMETER_ARN`, `SecretARN`).
  package var encryptionContext: [String: String]

  package init(
    service: Service, action: Action = .decrypt, keyARN: String, isAWSManaged: Bool,
    encryptionContext: [String: String]
  ) {
    self.service = service
    self.action = action
    self.keyARN = keyARN
    self.isAWSManaged = isAWSManaged
    self.encryptionContext = encryptionContext
  }

  /// What the service answers when KMS refuses a `kms:Decrypt`: Parameter Store passes KMS's
  /// `AccessDeniedException` on (quoted in aws-workshop#6, Droplr/aws-env#29); Secrets Manager
  /// answers its own (aws-secrets-manager-rotation-lambdas#53, kubernetes-external-secrets#838),
  /// for a write's calls too. Neither names the value, nor (as KMS does not) whether the key
  /// exists. A refused `kms:Encrypt` is KMS's IAM-worded refusal, which names the caller, so the
  /// server words it (`AWSJSONEndpoint.kmsCallCheck`).
  package var refusal: StoreError {
    switch service {
    case .parameterStore: .kmsDecryptRefusedForParameter
    case .secretsManager: .kmsDecryptRefusedForSecret
    }
  }
}

/// Decides a `KMSCall`: nil when the caller may make the call, else the error to answer.
package typealias KMSCallCheck = @Sendable (KMSCall) -> StoreError?
