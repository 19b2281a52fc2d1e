package import CinchStore

/// KMS keys and aliases: `cinch kms …` against AWS KMS, each operation its API call.
extension AWSStore: KeyStore {
  package func createKey(_ request: CreateKeyRequest) async throws -> CreateKeyResponse {
    try await kms.send("CreateKey", request)
  }

  package func describeKey(_ request: DescribeKeyRequest) async throws -> DescribeKeyResponse {
    try await kms.send("DescribeKey", request)
  }

  package func listKeys(_ request: ListKeysRequest) async throws -> ListKeysResponse {
    try await kms.send("ListKeys", request)
  }

  package func createAlias(_ request: CreateAliasRequest) async throws -> CreateAliasResponse {
    try await kms.send("CreateAlias", request)
  }

  package func listAliases(_ request: ListAliasesRequest) async throws -> ListAliasesResponse {
    try await kms.send("ListAliases", request)
  }
}
