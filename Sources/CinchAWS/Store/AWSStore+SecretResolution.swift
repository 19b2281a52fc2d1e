package import CinchStore
import Foundation

/// The resolver and the catalog over Secrets Manager. `BatchGetSecretValue` reads each
/// secret's AWSCURRENT version, twenty secrets a call (a few calls in flight); it serves every
/// selector that asks for AWSCURRENT and every one that names a version id (what `lock` asks
/// for: the id found in the metadata), taken from the batch when the id is the current one's.
/// A selector that names another stage, one whose version the batch did not return, and every
/// secret a batch could not answer is asked alone with `GetSecretValue`, so its own error
/// (`ResourceNotFoundException`, `InvalidRequestException` for a secret marked for deletion, …)
/// is reported. The catalog reads `DescribeSecret` and `ListSecretVersionIds` (every page,
/// deprecated versions included): metadata only, never a value.
extension AWSStore: SecretResolver, SecretCatalog {
  /// The region the store calls; the account is the credentials', not known here.
  package var secretHome: SecretHome? { SecretHome(region: region, accountID: nil) }

  /// AWS's limit of ids per `BatchGetSecretValue` call.
  package static let batchGetSecretValueSize = 20

  package func resolveSecrets(_ selectors: [SecretSelector]) async throws -> [SecretResolution] {
    // The selectors a batch can answer, by secret (in first-seen order); the rest alone.
    var batchable: [String: [SecretSelector]] = [:]
    var ids: [String] = []
    var alone: [SecretSelector] = []
    var seen: Set<SecretSelector> = []
    for selector in selectors where seen.insert(selector).inserted {
      if Self.isBatchable(selector) {
        if batchable[selector.secretID] == nil { ids.append(selector.secretID) }
        batchable[selector.secretID, default: []].append(selector)
      } else {
        alone.append(selector)
      }
    }
    enum Work: Sendable {
      case batch([String: [SecretSelector]])
      case one(SecretSelector)
    }
    var work: [Work] = []
    var start = 0
    let size = min(Self.batchGetSecretValueSize, max(1, secretBatchSize))
    while start < ids.count {
      let chunk = ids[start..<min(start + size, ids.count)]
      start += size
      if chunk.count == 1 {
        // One secret: GetSecretValue is one call too, and names the version itself.
        work += batchable[chunk[chunk.startIndex], default: []].map { .one($0) }
      } else {
        let group = chunk.compactMap { id in batchable[id].map { (id, $0) } }
        work.append(.batch(Dictionary(uniqueKeysWithValues: group)))
      }
    }
    work += alone.map { .one($0) }

    var answers: [SecretSelector: SecretResolution] = [:]
    try await BoundedConcurrency.forEach(
      work, width: resolverConcurrency,
      { item -> [(SecretSelector, SecretResolution)] in
        switch item {
        case .batch(let selectors): return try await self.resolveBatch(selectors)
        case .one(let selector): return [(selector, try await self.resolveOne(selector))]
        }
      }
    ) { _, results in
      for (selector, resolution) in results { answers[selector] = resolution }
    }
    return selectors.map { selector in
      answers[selector]
        ?? .failed(
          selector: selector,
          error: StoreError(
            code: "ResourceNotFoundException",
            message: "Secrets Manager can't find the specified secret."))
    }
  }

  /// A selector that asks for AWSCURRENT without naming a version id.
  static func isCurrent(_ selector: SecretSelector) -> Bool {
    selector.versionID == nil
      && (selector.versionStage == nil || selector.versionStage == SecretStage.current)
  }

  /// A selector `BatchGetSecretValue` may answer: AWSCURRENT, or a version id alone (answered
  /// when it is the current version's).
  static func isBatchable(_ selector: SecretSelector) -> Bool {
    isCurrent(selector) || (selector.versionID != nil && selector.versionStage == nil)
  }

  /// Reads the secrets' current values in one call (and its pages); each selector takes the
  /// value when it asks for AWSCURRENT or names the id the batch returned, and is asked alone
  /// otherwise.
  private func resolveBatch(_ selectorsByID: [String: [SecretSelector]]) async throws
    -> [(SecretSelector, SecretResolution)]
  {
    let ids = selectorsByID.keys.sorted()
    var values: [SecretValueEntry] = []
    do {
      var token: String?
      repeat {
        let page = try await batchGetSecretValue(
          BatchGetSecretValueRequest(secretIDList: ids, nextToken: token))
        values += page.secretValues
        token = page.nextToken
      } while token != nil
    } catch let error as StoreError where !AWSRetryPolicy.isRetryable(error) {
      // A policy without secretsmanager:BatchGetSecretValue, or a call refused as a whole:
      // each secret alone still answers.
      values = []
    } catch let error as StoreError {
      // Still throttled or failing after the retries: asking each alone would only add calls.
      return ids.flatMap { id in
        selectorsByID[id, default: []].map { ($0, .failed(selector: $0, error: error)) }
      }
    }
    var results: [(SecretSelector, SecretResolution)] = []
    for id in ids {
      let entry = values.first { Self.secret(named: id, is: $0.name, arn: $0.arn) }
      for selector in selectorsByID[id, default: []] {
        if let entry, entry.versionStages.contains(SecretStage.current),
          selector.versionID == nil || selector.versionID == entry.versionID,
          let value = Self.value(string: entry.secretString, binary: entry.secretBinary)
        {
          results.append(
            (
              selector,
              .resolved(
                ResolvedSecret(
                  selector: selector, name: entry.name, arn: entry.arn,
                  versionID: entry.versionID, versionStages: entry.versionStages,
                  createdDate: entry.createdDate, valueType: value.type, value: value.bytes))
            ))
        } else {
          results.append((selector, try await resolveOne(selector)))
        }
      }
    }
    return results
  }

  private func resolveOne(_ selector: SecretSelector) async throws -> SecretResolution {
    do {
      let answer = try await getSecretValue(
        GetSecretValueRequest(
          secretID: selector.secretID, versionID: selector.versionID,
          versionStage: selector.versionStage))
      guard let value = Self.value(string: answer.secretString, binary: answer.secretBinary)
      else {
        return .failed(
          selector: selector,
          error: StoreError(
            code: "ResourceNotFoundException",
            message: "Secrets Manager can't find the specified secret value for VersionId: "
              + answer.versionID))
      }
      return .resolved(
        ResolvedSecret(
          selector: selector, name: answer.name, arn: answer.arn, versionID: answer.versionID,
          versionStages: answer.versionStages, createdDate: answer.createdDate,
          valueType: value.type, value: value.bytes))
    } catch let error as StoreError {
      return .failed(selector: selector, error: error)
    }
  }

  private static func value(string: String?, binary: Data?) -> (
    type: SecretValueType, bytes: SecretBytes
  )? {
    if let string { return (.string, SecretBytes(utf8: string)) }
    if let binary { return (.binary, SecretBytes(copying: binary)) }
    return nil
  }

  /// Whether `id` (a name, full ARN or partial ARN) names the secret `name` with `arn`.
  static func secret(named id: String, is name: String, arn: String) -> Bool {
    if id == name || id == arn { return true }
    // A partial ARN: the ARN without its "-xxxxxx" suffix.
    guard id.hasPrefix("arn:"), arn.count > 7 else { return false }
    return String(arn.dropLast(7)) == id
  }

  // MARK: Catalog

  package func secretVersions(_ secretID: String) async throws -> SecretVersionList {
    let described = try await describeSecret(DescribeSecretRequest(secretID: secretID))
    var entries: [SecretVersionsListEntry] = []
    var token: String?
    do {
      repeat {
        let page = try await listSecretVersionIds(
          ListSecretVersionIdsRequest(
            secretID: described.arn, maxResults: 100, nextToken: token, includeDeprecated: true))
        entries += page.versions
        token = page.nextToken
      } while token != nil
    } catch let error as StoreError
      where described.deletedDate != nil && error.code == "InvalidRequestException"
    {
      // A secret marked for deletion whose versions the service will not list: what matters
      // about it is that it cannot be read.
      entries = []
    }
    // Oldest first, as the service lists them (LocalStack's recordings of AWS, and moto); the
    // listing's order breaks ties between versions created in the same second.
    let versions = entries.enumerated()
      .sorted { ($0.element.createdDate, $0.offset) < ($1.element.createdDate, $1.offset) }
      .map { _, entry in
        SecretVersionList.Version(
          versionID: entry.versionID, stages: entry.versionStages ?? [],
          createdDate: entry.createdDate, valueType: nil, jsonKeys: nil,
          kmsKeyIDs: entry.kmsKeyIDs)
      }
    return SecretVersionList(
      name: described.name, arn: described.arn, description: described.description,
      kmsKeyID: described.kmsKeyID, deletedDate: described.deletedDate, versions: versions)
  }
}
