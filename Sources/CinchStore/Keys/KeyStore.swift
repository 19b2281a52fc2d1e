/// KMS-style keys in AWS KMS's vocabulary: the keys that wrap the data keys of sealed values.
/// `alias/aws/ssm` and `alias/aws/secretsmanager` exist from `init`; customers create others and
/// name them with aliases. Wherever KMS accepts a key, a key id, key ARN, alias name or alias ARN
/// is accepted.
public protocol KeyStore: Sendable {
  func createKey(_ request: CreateKeyRequest) async throws -> CreateKeyResponse
  func describeKey(_ request: DescribeKeyRequest) async throws -> DescribeKeyResponse
  func listKeys(_ request: ListKeysRequest) async throws -> ListKeysResponse
  func createAlias(_ request: CreateAliasRequest) async throws -> CreateAliasResponse
  func listAliases(_ request: ListAliasesRequest) async throws -> ListAliasesResponse
}
