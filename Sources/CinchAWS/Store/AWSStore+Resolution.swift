package import CinchStore
import Foundation

/// The resolver and the catalog over Parameter Store: references are resolved with
/// `GetParameters` ten at a time (a few batches in flight), each failure then asked alone with
/// `GetParameter` so its own error (`ParameterNotFound`, `ParameterVersionNotFound`, …) is
/// reported; versions come from `GetParameterHistory`, every page, without decryption. A call
/// still throttled or failing after its retries fails the references it asked for, each with
/// AWS's error, rather than the whole run.
extension AWSStore: ParameterResolver, ParameterCatalog {
  /// AWS's limit of names per `GetParameters` call.
  package static let getParametersBatchSize = 10

  package func resolveParameters(_ references: [String]) async throws -> [ParameterResolution] {
    var unique: [String] = []
    var seen: Set<String> = []
    for reference in references where seen.insert(reference).inserted { unique.append(reference) }
    let batches = Self.batches(unique, size: resolverBatchSize)
    var answers: [String: ParameterResolution] = [:]
    try await BoundedConcurrency.forEach(
      batches, width: resolverConcurrency, { batch in try await self.resolveBatch(batch) }
    ) { _, results in
      for (reference, resolution) in results { answers[reference] = resolution }
    }
    let keys = try await secureStringKeys(answers.values)
    return references.map { reference in
      guard let answer = answers[reference] else {
        return .failed(
          reference: reference, error: StoreError(code: "ParameterNotFound", message: ""))
      }
      guard case .resolved(var parameter) = answer, parameter.type == .secureString else {
        return answer
      }
      parameter.keyID = keys[KeyedVersion(name: parameter.name, version: parameter.version)]
      return .resolved(parameter)
    }
  }

  private struct KeyedVersion: Hashable {
    var name: String
    var version: Int
  }

  /// The KMS key of each resolved SecureString version (GetParameter(s) does not report it):
  /// `DescribeParameters` for the latest versions, fifty names a call, and the history of a
  /// parameter only when an older version was resolved.
  private func secureStringKeys(_ answers: some Sequence<ParameterResolution>) async throws
    -> [KeyedVersion: String]
  {
    var wanted: [String: Set<Int>] = [:]
    for case .resolved(let parameter) in answers where parameter.type == .secureString {
      wanted[parameter.name, default: []].insert(parameter.version)
    }
    guard !wanted.isEmpty else { return [:] }
    var keys: [KeyedVersion: String] = [:]
    for chunk in Self.describeChunks(wanted.keys.sorted()) {
      let described: [ParameterMetadata]
      do {
        described = try await parameterMetadata(named: chunk)
      } catch let error as StoreError where error.code == "AccessDeniedException" {
        // A role allowed to read the parameters and their history but not to describe them
        // (DescribeParameters is authorized on "*" only): each one's history says the same.
        break
      } catch let error as StoreError {
        throw Self.whileAskingForKeys(error, operation: "DescribeParameters")
      }
      for metadata in described {
        if let keyID = metadata.keyID {
          keys[KeyedVersion(name: metadata.name, version: metadata.version)] = keyID
        }
      }
    }
    for (name, versions) in wanted.sorted(by: { $0.key < $1.key })
    where versions.contains(where: { keys[KeyedVersion(name: name, version: $0)] == nil }) {
      var token: String?
      repeat {
        let page: GetParameterHistoryResponse
        do {
          page = try await getParameterHistory(
            GetParameterHistoryRequest(
              name: name, withDecryption: false, maxResults: 50, nextToken: token))
        } catch let error as StoreError {
          throw Self.whileAskingForKeys(error, operation: "GetParameterHistory of '\(name)'")
        }
        for item in page.parameters where versions.contains(item.version) {
          if let keyID = item.keyID {
            keys[KeyedVersion(name: name, version: item.version)] = keyID
          }
        }
        token = page.nextToken
      } while token != nil
    }
    return keys
  }

  /// A refusal met while asking which KMS key a SecureString version is under (which the lock
  /// records), said with the call it answered, as the aws CLI says it.
  private static func whileAskingForKeys(_ error: StoreError, operation: String) -> StoreError {
    var said = error
    said.message =
      "when calling \(operation), to learn the KMS key of the SecureString parameters read"
      + (error.message.isEmpty ? "" : ": \(error.message)")
    return said
  }

  /// Groups references into batches of at most ten with no two references to the same
  /// parameter in one batch, so each answer maps back to its reference by name alone.
  static func batches(_ references: [String], size: Int = getParametersBatchSize) -> [[String]] {
    var batches: [[String]] = []
    var names: [Set<String>] = []
    for reference in references {
      let key = ParameterReference(reference).key
      if let index = batches.indices.first(where: {
        batches[$0].count < size && !names[$0].contains(key)
      }) {
        batches[index].append(reference)
        names[index].insert(key)
      } else {
        batches.append([reference])
        names.append([key])
      }
    }
    return batches
  }

  private func resolveBatch(_ batch: [String]) async throws -> [(String, ParameterResolution)] {
    let response: GetParametersResponse
    do {
      response = try await getParameters(
        GetParametersRequest(names: batch, withDecryption: true))
    } catch let error as StoreError where !AWSRetryPolicy.isRetryable(error) {
      // One malformed name can fail the whole call: ask for each alone.
      var results: [(String, ParameterResolution)] = []
      for reference in batch { results.append((reference, try await resolveOne(reference))) }
      return results
    } catch let error as StoreError {
      // Still throttled or failing after the retries: each reference says so at its sites,
      // and the other batches are still read.
      return batch.map { ($0, .failed(reference: $0, error: error)) }
    }
    var byKey: [String: Parameter] = [:]
    for parameter in response.parameters {
      byKey[ParameterReference(parameter.name).key] = parameter
    }
    var results: [(String, ParameterResolution)] = []
    for reference in batch {
      let parsed = ParameterReference(reference)
      if let parameter = byKey[parsed.key], parsed.accepts(parameter) {
        results.append((reference, .resolved(Self.resolved(reference, parameter, parsed))))
      } else {
        results.append((reference, try await resolveOne(reference)))
      }
    }
    return results
  }

  private func resolveOne(_ reference: String) async throws -> ParameterResolution {
    do {
      let parameter = try await getParameter(
        GetParameterRequest(name: reference, withDecryption: true)
      ).parameter
      return .resolved(Self.resolved(reference, parameter, ParameterReference(reference)))
    } catch let error as StoreError {
      return .failed(reference: reference, error: error)
    }
  }

  private static func resolved(
    _ reference: String, _ parameter: Parameter, _ parsed: ParameterReference
  ) -> ResolvedParameter {
    ResolvedParameter(
      reference: reference, name: parameter.name, arn: parameter.arn, type: parameter.type,
      version: parameter.version, selector: parameter.selector ?? parsed.selector.map { ":" + $0 },
      dataType: parameter.dataType, lastModifiedDate: parameter.lastModifiedDate,
      value: SecretBytes(utf8: parameter.value))
  }

  package func parameterVersions(_ reference: String) async throws -> ParameterVersionList {
    let parsed = ParameterReference(reference)
    async let arn = parameterARN(parsed)
    return try await versions(parsed, arn: try await arn)
  }

  /// Many at once, as `check` and `outdated` ask: the ARNs with one `DescribeParameters` per
  /// fifty names (DescribeParameters has a low request rate on AWS; one call per parameter
  /// was one per reference), then each history (`GetParameterHistory` takes one name), a
  /// few in flight. Each reference gets its own answer or AWS's error.
  package func parameterVersions(of references: [String]) async throws
    -> [Result<ParameterVersionList, StoreError>]
  {
    let parsed = references.map(ParameterReference.init)
    var names: [String] = []
    var seen: Set<String> = []
    for reference in parsed where !reference.isARN && seen.insert(reference.base).inserted {
      names.append(reference.base)
    }
    var arns: [String: Result<String, StoreError>] = [:]
    for chunk in Self.describeChunks(names) {
      do {
        for metadata in try await parameterMetadata(named: chunk) {
          arns[metadata.name] = .success(metadata.arn)
        }
      } catch let error as StoreError {
        for name in chunk where arns[name] == nil { arns[name] = .failure(error) }
      }
    }
    let knownARNs = arns
    var results = [Result<ParameterVersionList, StoreError>?](repeating: nil, count: parsed.count)
    try await BoundedConcurrency.forEach(
      parsed, width: resolverConcurrency,
      { reference -> Result<ParameterVersionList, StoreError> in
        do {
          var arn: String?
          if reference.isARN {
            arn = reference.base
          } else if case .failure(let error)? = knownARNs[reference.base] {
            return .failure(error)
          } else if case .success(let known)? = knownARNs[reference.base] {
            arn = known
          }
          return .success(try await self.versions(reference, arn: arn))
        } catch let error as StoreError {
          return .failure(error)
        }
      }
    ) { index, result in
      results[index] = result
    }
    return results.map { $0 ?? .failure(StoreError(code: "ParameterNotFound", message: "")) }
  }

  /// `names` in runs of fifty: the most values one `DescribeParameters` `Name` filter takes.
  static func describeChunks(_ names: [String]) -> [[String]] {
    stride(from: 0, to: names.count, by: 50).map { Array(names[$0..<min($0 + 50, names.count)]) }
  }

  /// The metadata of up to fifty parameters named exactly (`DescribeParameters`, every page).
  private func parameterMetadata(named names: [String]) async throws -> [ParameterMetadata] {
    var all: [ParameterMetadata] = []
    var token: String?
    repeat {
      let page = try await describeParameters(
        DescribeParametersRequest(
          parameterFilters: [ParameterStringFilter(key: "Name", option: "Equals", values: names)],
          maxResults: 50, nextToken: token))
      all += page.parameters
      token = page.nextToken
    } while token != nil
    return all
  }

  /// Every version of the parameter (`GetParameterHistory`, every page, no decryption).
  private func versions(_ parsed: ParameterReference, arn: String?) async throws
    -> ParameterVersionList
  {
    var history: [ParameterHistory] = []
    var token: String?
    repeat {
      let page = try await getParameterHistory(
        GetParameterHistoryRequest(
          name: parsed.base, withDecryption: false, maxResults: 50, nextToken: token))
      history += page.parameters
      token = page.nextToken
    } while token != nil
    history.sort { $0.version < $1.version }
    let versions = history.map { item in
      ParameterVersionList.Version(
        version: item.version, labels: item.labels, lastModifiedDate: item.lastModifiedDate,
        type: item.type, keyID: item.keyID, tier: item.tier, dataType: item.dataType)
    }
    guard let name = history.last?.name else {
      throw StoreError(code: "ParameterNotFound", message: "")
    }
    return ParameterVersionList(name: name, arn: arn ?? "", versions: versions)
  }

  /// The ARN of a parameter: the reference itself when it is one, else `DescribeParameters`'.
  private func parameterARN(_ reference: ParameterReference) async throws -> String? {
    if reference.isARN { return reference.base }
    return try await parameterMetadata(named: [reference.base]).first?.arn
  }
}

/// A parameter reference taken apart: `NAME`, `NAME:VERSION`, `NAME:LABEL`, or an ARN with the
/// same suffixes.
struct ParameterReference: Sendable {
  /// The name or ARN without its selector.
  var base: String
  /// The version or label after the colon.
  var selector: String?
  var isARN: Bool

  init(_ reference: String) {
    isARN = reference.hasPrefix("arn:")
    var nameStart = reference.startIndex
    if isARN, let range = reference.range(of: ":parameter/") {
      nameStart = range.upperBound
    }
    if let colon = reference[nameStart...].firstIndex(of: ":") {
      base = String(reference[..<colon])
      selector = String(reference[reference.index(after: colon)...])
    } else {
      base = reference
      selector = nil
    }
  }

  /// The name as AWS compares it: without a leading slash (`/a` and `a` are one parameter;
  /// `/a/b` is `a/b`, as in its ARN), the ARN's resource part for an ARN.
  var key: String {
    var name = Substring(base)
    if isARN, let range = base.range(of: ":parameter/") { name = base[range.upperBound...] }
    if name.hasPrefix("/") { name = name.dropFirst() }
    return String(name)
  }

  /// Whether `parameter` answers this reference: a version selector must match its version.
  func accepts(_ parameter: Parameter) -> Bool {
    guard let selector else { return true }
    if let version = Int(selector) { return parameter.version == version }
    return parameter.selector.map { $0 == ":" + selector } ?? true
  }
}
