/// The `secretsmanager:GetSecretValue` that `BatchGetSecretValue` needs on each secret it
/// returns, besides its own action
/// (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_BatchGetSecretValue.html).
/// `cinch serve` authorises it as IAM would (`SQLiteStore.withSecretReadCheck`); the store asks
/// before it looks at the secret's versions, so a refused secret is not decrypted, its
/// `LastAccessedDate` (and its version's) does not move, and its audit row says it was refused.
///
/// Single reads (`GetSecretValue`, a secret through `/aws/reference/secretsmanager/`) name their
/// secret up front and are authorised before the store is called: this is for the reads that
/// learn which secrets they return only as they go.
package struct SecretValueRead: Sendable, Equatable {
  /// The secret's full ARN (with its 6-character suffix): the resource IAM decides on.
  package var secretARN: String
  /// The secret as the request names it: the id as given in `SecretIdList` (a name or an ARN);
  /// for a filter listing, which names no secret, its ARN. It is the `SecretId` the secret's
  /// error carries and the value of `secretsmanager:SecretId`.
  package var secretID: String

  package init(secretARN: String, secretID: String) {
    self.secretARN = secretARN
    self.secretID = secretID
  }
}

/// Decides a `SecretValueRead`: nil when the caller may read the secret's value, else the error
/// to answer for it (IAM's `AccessDeniedException`).
package typealias SecretReadCheck = @Sendable (SecretValueRead) -> StoreError?
