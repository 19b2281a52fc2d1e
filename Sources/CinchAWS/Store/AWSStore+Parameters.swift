package import CinchStore

/// Parameter Store: each operation is its API call, the request and response shapes unchanged.
extension AWSStore: ParameterStore {
  package func putParameter(_ request: PutParameterRequest) async throws -> PutParameterResponse {
    try await ssm.send("PutParameter", request)
  }

  package func getParameter(_ request: GetParameterRequest) async throws -> GetParameterResponse {
    try await ssm.send("GetParameter", request)
  }

  package func getParameters(_ request: GetParametersRequest) async throws -> GetParametersResponse
  {
    try await ssm.send("GetParameters", request)
  }

  package func getParametersByPath(_ request: GetParametersByPathRequest) async throws
    -> GetParametersByPathResponse
  {
    try await ssm.send("GetParametersByPath", request)
  }

  package func getParameterHistory(_ request: GetParameterHistoryRequest) async throws
    -> GetParameterHistoryResponse
  {
    try await ssm.send("GetParameterHistory", request)
  }

  package func labelParameterVersion(_ request: LabelParameterVersionRequest) async throws
    -> LabelParameterVersionResponse
  {
    try await ssm.send("LabelParameterVersion", request)
  }

  package func unlabelParameterVersion(_ request: UnlabelParameterVersionRequest) async throws
    -> UnlabelParameterVersionResponse
  {
    try await ssm.send("UnlabelParameterVersion", request)
  }

  package func deleteParameter(_ request: DeleteParameterRequest) async throws
    -> DeleteParameterResponse
  {
    try await ssm.send("DeleteParameter", request)
  }

  package func deleteParameters(_ request: DeleteParametersRequest) async throws
    -> DeleteParametersResponse
  {
    try await ssm.send("DeleteParameters", request)
  }

  package func describeParameters(_ request: DescribeParametersRequest) async throws
    -> DescribeParametersResponse
  {
    try await ssm.send("DescribeParameters", request)
  }

  package func addTagsToResource(_ request: AddTagsToResourceRequest) async throws
    -> AddTagsToResourceResponse
  {
    try await ssm.send("AddTagsToResource", request)
  }

  package func removeTagsFromResource(_ request: RemoveTagsFromResourceRequest) async throws
    -> RemoveTagsFromResourceResponse
  {
    try await ssm.send("RemoveTagsFromResource", request)
  }

  package func listTagsForResource(_ request: ListTagsForResourceRequest) async throws
    -> ListTagsForResourceResponse
  {
    try await ssm.send("ListTagsForResource", request)
  }
}
