import CinchStore
import Foundation

let tokenA = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"
let tokenB = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb"
let tokenC = "cccccccc-cccc-4ccc-8ccc-cccccccccccc"

extension SecretStore {
  @discardableResult
  func create(_ name: String, _ value: String? = nil, token: String? = nil) async throws
    -> CreateSecretResponse
  {
    try await createSecret(
      CreateSecretRequest(name: name, clientRequestToken: token, secretString: value))
  }

  @discardableResult
  func putValue(_ id: String, _ value: String, token: String? = nil, stages: [String]? = nil)
    async throws -> PutSecretValueResponse
  {
    try await putSecretValue(
      PutSecretValueRequest(
        secretID: id, clientRequestToken: token, secretString: value, versionStages: stages))
  }

  /// `UpdateSecretVersionStage`: `stage` taken from the version `from`, put on the version `to`.
  @discardableResult
  func moveStage(_ id: String, _ stage: String, from: String? = nil, to: String? = nil)
    async throws -> UpdateSecretVersionStageResponse
  {
    try await updateSecretVersionStage(
      UpdateSecretVersionStageRequest(
        secretID: id, versionStage: stage, removeFromVersionID: from, moveToVersionID: to))
  }

  func value(_ id: String, versionID: String? = nil, stage: String? = nil) async throws -> String? {
    try await getSecretValue(
      GetSecretValueRequest(secretID: id, versionID: versionID, versionStage: stage)
    ).secretString
  }

  /// version id → stages, from `DescribeSecret` (labelled versions: moto also lists the others,
  /// with no stages; `deprecatedVersionsListed` checks that).
  func stages(_ id: String) async throws -> [String: [String]] {
    let map = try await describeSecret(DescribeSecretRequest(secretID: id)).versionIDsToStages
    var result: [String: [String]] = [:]
    for (versionID, stages) in map?.entries ?? [] where !stages.isEmpty {
      result[versionID] = stages.sorted()
    }
    return result
  }
}
