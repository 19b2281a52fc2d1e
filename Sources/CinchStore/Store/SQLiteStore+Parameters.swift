import Foundation
import GRDB

extension SQLiteStore: ParameterStore {
  public func putParameter(_ request: PutParameterRequest) async throws -> PutParameterResponse {
    try await perform("PutParameter", name: request.name) { db, trail in
      try self.put(request, db, &trail)
    }
  }

  public func getParameter(_ request: GetParameterRequest) async throws -> GetParameterResponse {
    try await perform("GetParameter", name: request.name) { db, trail in
      if let reference = try SecretReference(request.name) {
        return GetParameterResponse(
          parameter: try self.referencedSecret(
            reference, withDecryption: request.withDecryption ?? false, db, &trail))
      }
      let selected = try self.select(request.name, db, notFound: .parameterNotFound())
      trail.record(selected.entry.name, version: selected.record.version)
      return GetParameterResponse(
        parameter: try self.parameter(selected, withDecryption: request.withDecryption ?? false, db)
      )
    }
  }

  public func getParameters(_ request: GetParametersRequest) async throws -> GetParametersResponse {
    try await perform("GetParameters", name: request.names.first) { db, trail in
      try Self.checkCount(request.names, field: "names", maximum: 10)
      // `PSParameterName` is 1–2048 characters; a member outside fails the whole request.
      if request.names.contains(where: { $0.isEmpty || $0.count > 2048 }) {
        throw StoreError.constraint(
          value: "[\(request.names.joined(separator: ", "))]", at: "names",
          "Member must satisfy constraint: [Member must have length less than or equal to "
            + "2048, Member must have length greater than or equal to 1]")
      }
      var found: [Parameter] = []
      var invalid: [String] = []
      var seen: Set<String> = []
      for reference in request.names where seen.insert(reference).inserted {
        do {
          if let secret = try SecretReference(reference) {
            found.append(
              try self.referencedSecret(
                secret, withDecryption: request.withDecryption ?? false, db, &trail))
            continue
          }
          let selected = try self.select(reference, db, notFound: .parameterNotFound())
          found.append(
            try self.parameter(selected, withDecryption: request.withDecryption ?? false, db))
          trail.record(selected.entry.name, version: selected.record.version)
        } catch let error as StoreError where error.httpStatus == 400 {
          invalid.append(reference)
          trail.record(reference, result: error.code)
        }
      }
      found.sort { $0.name < $1.name }
      return GetParametersResponse(parameters: found, invalidParameters: invalid)
    }
  }

  public func getParametersByPath(_ request: GetParametersByPathRequest) async throws
    -> GetParametersByPathResponse
  {
    try await perform("GetParametersByPath", name: request.path) { db, trail in
      try self.byPath(request, db, &trail)
    }
  }

  public func getParameterHistory(_ request: GetParameterHistoryRequest) async throws
    -> GetParameterHistoryResponse
  {
    try await perform("GetParameterHistory", name: request.name) { db, trail in
      try self.history(request, db, &trail)
    }
  }

  public func labelParameterVersion(_ request: LabelParameterVersionRequest) async throws
    -> LabelParameterVersionResponse
  {
    try await perform("LabelParameterVersion", name: request.name) { db, trail in
      try self.label(request, db, &trail)
    }
  }

  public func unlabelParameterVersion(_ request: UnlabelParameterVersionRequest) async throws
    -> UnlabelParameterVersionResponse
  {
    try await perform("UnlabelParameterVersion", name: request.name) { db, trail in
      try self.unlabel(request, db, &trail)
    }
  }

  public func deleteParameter(_ request: DeleteParameterRequest) async throws
    -> DeleteParameterResponse
  {
    try await perform("DeleteParameter", name: request.name) { db, trail in
      let name = try ParameterNameRules.validateForWrite(
        request.name, configuration: self.configuration)
      guard let entry = try ParameterEntry.fetch(db, key: name.key) else {
        throw StoreError.parameterNotFound()
      }
      try db.execute(cached: "DELETE FROM entries WHERE id = ?", arguments: [entry.id])
      trail.record(entry.name, version: entry.lastVersion)
      return DeleteParameterResponse()
    }
  }

  public func deleteParameters(_ request: DeleteParametersRequest) async throws
    -> DeleteParametersResponse
  {
    try await perform("DeleteParameters", name: request.names.first) { db, trail in
      try Self.checkCount(request.names, field: "names", maximum: 10)
      var deleted: [String] = []
      var invalid: [String] = []
      for raw in request.names {
        guard
          let name = try? ParameterNameRules.validateForWrite(
            raw, configuration: self.configuration),
          let entry = try ParameterEntry.fetch(db, key: name.key)
        else {
          invalid.append(raw)
          trail.record(raw, result: "ParameterNotFound")
          continue
        }
        try db.execute(cached: "DELETE FROM entries WHERE id = ?", arguments: [entry.id])
        deleted.append(raw)
        trail.record(entry.name, version: entry.lastVersion)
      }
      return DeleteParametersResponse(deletedParameters: deleted, invalidParameters: invalid)
    }
  }

  public func describeParameters(_ request: DescribeParametersRequest) async throws
    -> DescribeParametersResponse
  {
    try await perform("DescribeParameters", name: nil) { db, _ in
      try self.describe(request, db)
    }
  }

  public func addTagsToResource(_ request: AddTagsToResourceRequest) async throws
    -> AddTagsToResourceResponse
  {
    try await perform("AddTagsToResource", name: request.resourceID) { db, trail in
      try ParameterValueRules.checkTags(request.tags)
      let entry = try self.taggedEntry(
        request.resourceType, request.resourceID, db, forWrite: true)
      var tags = try EntryTags.fetch(db, entry: entry.id)
      for tag in request.tags { tags[tag.key] = tag.value }
      guard tags.count <= ParameterValueRules.maximumTags else { throw StoreError.tooManyTags }
      try EntryTags.set(db, entry: entry.id, request.tags)
      trail.record(entry.name)
      return AddTagsToResourceResponse()
    }
  }

  public func removeTagsFromResource(_ request: RemoveTagsFromResourceRequest) async throws
    -> RemoveTagsFromResourceResponse
  {
    try await perform("RemoveTagsFromResource", name: request.resourceID) { db, trail in
      let entry = try self.taggedEntry(
        request.resourceType, request.resourceID, db, forWrite: true)
      for key in request.tagKeys {
        try db.execute(
          cached: "DELETE FROM entry_tags WHERE entry_id = ? AND tag_key = ?",
          arguments: [entry.id, key])
      }
      trail.record(entry.name)
      return RemoveTagsFromResourceResponse()
    }
  }

  public func listTagsForResource(_ request: ListTagsForResourceRequest) async throws
    -> ListTagsForResourceResponse
  {
    try await perform("ListTagsForResource", name: request.resourceID) { db, trail in
      let entry = try self.taggedEntry(request.resourceType, request.resourceID, db)
      let tags = try EntryTags.fetch(db, entry: entry.id)
      trail.record(entry.name)
      return ListTagsForResourceResponse(
        tagList: tags.sorted { $0.key < $1.key }.map { Tag(key: $0.key, value: $0.value) })
    }
  }
}

// MARK: - Operations

extension SQLiteStore {
  static let defaultKeyAlias = "alias/aws/ssm"

  /// A cinch extension: puts one of AWS's public parameters (`/aws/service/…`, a String) into
  /// the embedded store, so templates that read them (AMI ids, say) lock and render offline.
  /// The AWS API has no such operation; `cinch ssm put-public-parameter` calls this.
  public func putPublicParameter(_ request: PutParameterRequest) async throws
    -> PutParameterResponse
  {
    try await perform("PutPublicParameter", name: request.name) { db, trail in
      if let type = request.type, type != .string {
        throw StoreError.validation("public parameters are String parameters")
      }
      return try self.put(request, db, &trail, allowPublic: true)
    }
  }

  /// Writes one parameter's versions in order, then labels them (`labels[i]` on the version
  /// `requests[i]` writes), in one transaction: all of it or nothing. `cinch sync` copies a
  /// history into the embedded store with it, so a full disk or a kill midway leaves no
  /// parameter holding only its first versions, which a later sync would skip as existing.
  /// Returns the versions written and the labels refused.
  package func putParameterHistory(
    _ requests: [PutParameterRequest], labels: [[String]], allowPublic: Bool = false
  ) async throws -> (versions: [Int], refusedLabels: [String]) {
    guard let name = requests.first?.name else { return ([], []) }
    return try await perform("PutParameter", name: name) { db, trail in
      var versions: [Int] = []
      for request in requests {
        versions.append(try self.put(request, db, &trail, allowPublic: allowPublic).version)
      }
      var refused: [String] = []
      for (version, names) in zip(versions, labels) where !names.isEmpty {
        refused += try self.label(
          LabelParameterVersionRequest(name: name, parameterVersion: version, labels: names), db,
          &trail
        ).invalidLabels
      }
      return (versions, refused)
    }
  }

  func put(
    _ request: PutParameterRequest, _ db: Database, _ trail: inout AuditTrail,
    allowPublic: Bool = false
  ) throws
    -> PutParameterResponse
  {
    let name = try ParameterNameRules.validateForWrite(
      request.name, configuration: configuration, allowPublic: allowPublic)
    try ParameterValueRules.checkValue(request.value)
    if let type = request.type { try ParameterValueRules.checkType(type) }
    if let tier = request.tier { try ParameterValueRules.checkTier(tier) }
    if let description = request.description {
      try ParameterValueRules.checkDescription(description)
    }
    if let pattern = request.allowedPattern, !pattern.isEmpty {
      _ = try ParameterValueRules.compilePattern(pattern)
    }
    if request.policies != nil {
      throw StoreError.validation("parameter policies are not supported by the cinch store")
    }
    let overwrite = request.overwrite ?? false
    if overwrite, let tags = request.tags, !tags.isEmpty {
      throw StoreError.validation(
        "Invalid request: tags and overwrite can't be used together. To create a parameter with "
          + "tags, please remove overwrite flag. To update tags for an existing parameter, please "
          + "use AddTagsToResource or RemoveTagsFromResource.")
    }
    if let tags = request.tags { try ParameterValueRules.checkTags(tags) }
    if let keyID = request.keyID { try Self.checkKeyIDShape(keyID) }

    let entry = try ParameterEntry.fetch(db, key: name.key)
    if entry != nil && !overwrite { throw StoreError.parameterAlreadyExists }
    let previous = try entry.flatMap {
      try ParameterVersionRecord.fetch(db, entry: $0.id, version: $0.lastVersion)
    }
    guard let type = request.type ?? previous?.type else {
      throw StoreError.validation("A parameter type is required when you create a parameter.")
    }
    if request.keyID != nil && type != .secureString {
      throw StoreError.validation(
        "KeyId applies only to SecureString parameters; remove KeyId for a \(type) parameter.")
    }
    let keyRef: String? =
      type == .secureString
      ? (request.keyID ?? (previous?.type == .secureString ? previous?.keyRef : nil)
        ?? Self.defaultKeyAlias)
      : nil
    let key = try ssmKey(keyRef ?? Self.defaultKeyAlias, db)

    let description = request.description ?? previous?.description
    // An empty pattern (the model's minimum length is 0; Terraform sends one for an unset
    // `allowed_pattern` on every write) is no pattern, and clears a previous one.
    let allowedPattern: String? =
      if let given = request.allowedPattern { given.isEmpty ? nil : given } else {
        previous?.allowedPattern
      }
    let dataType = request.dataType ?? previous?.dataType ?? .text
    let valueSize = ParameterValueRules.size(request.value)
    let requested = request.tier ?? previous?.tier ?? .standard
    var tier = requested
    if requested == .intelligentTiering {
      // Advanced only when the request needs it: a value past the standard limit, a parameter
      // that is already advanced, or a new one with no room left among the standard ones
      // (reference §1.3; "Options that require an advanced parameter include … More than
      // 10,000 parameters already exist in your Amazon Web Services account in the current
      // Amazon Web Services Region", PutParameter's `Tier`,
      // https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_PutParameter.html).
      let needsAdvanced =
        previous?.tier == .advanced || valueSize > ParameterTier.standard.valueLimit
      tier = try needsAdvanced || entry == nil && isFull(.standard, db) ? .advanced : .standard
    }
    if previous?.tier == .advanced && tier == .standard {
      throw StoreError.validation(
        "This parameter uses the advanced-parameter tier. You can't downgrade a parameter from "
          + "the advanced-parameter tier to the standard-parameter tier. If necessary, you can "
          + "delete the advanced parameter and recreate it as a standard parameter.")
    }
    guard valueSize <= tier.valueLimit else {
      throw StoreError.validation(
        tier == .standard
          ? "Standard tier parameters support a maximum parameter value of 4096 characters. To "
            + "create a larger parameter value, upgrade the parameter to use the "
            + "advanced-parameter tier. For more information, see "
            + "https://docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html"
          : "Advanced tier parameters support a maximum parameter value of 8192 characters.")
    }
    // The quotas count parameters: only a new one, or one moving up to Advanced, takes room.
    // AWS's public parameters are AWS's, not the account's.
    if !name.isPublic, entry == nil || tier == .advanced && previous?.tier != .advanced,
      try isFull(tier, db)
    {
      throw StoreError.parameterLimitExceeded(
        tier, limit: configuration.parameterLimits.limit(of: tier))
    }
    if let allowedPattern {
      try ParameterValueRules.checkPattern(allowedPattern, value: request.value)
    }
    try ParameterValueRules.checkDataType(dataType, type: type, value: request.value)
    if let previous {
      try ParameterValueRules.checkDataTypeChange(from: previous.dataType, to: dataType)
    }

    if type == .secureString {
      // A standard parameter's value is encrypted by KMS `Encrypt` with the caller's
      // credentials, under the key the value will be sealed with and `PARAMETER_ARN`; an
      // advanced one by envelope encryption with the AWS Encryption SDK, whose data key comes
      // from `GenerateDataKey`
      // (https://docs.aws.amazon.com/kms/latest/developerguide/services-parameter-store.html,
      // https://docs.aws.amazon.com/systems-manager/latest/userguide/secure-string-parameter-kms-encryption.html).
      // Asked after validation, as AWS validates before it calls KMS, and before anything is
      // written.
      try checkEncryption(
        under: key, by: .parameterStore,
        actions: [tier == .advanced ? .generateDataKey : .encrypt],
        context: ["PARAMETER_ARN": name.arn(configuration)])
    }

    let now = Date.storeTimestamp()
    let entryID: Int64
    let version: Int
    let displayName: String
    if let entry {
      entryID = entry.id
      version = entry.lastVersion + 1
      displayName = entry.name
      try rollOff(entry, db)
    } else {
      try db.execute(
        cached: "INSERT INTO entries (kind, lookup_name, name, created_at) VALUES (?, ?, ?, ?)",
        arguments: [EntryKind.parameter.rawValue, name.key, name.name, now.timeIntervalSince1970])
      entryID = db.lastInsertedRowID
      version = 1
      displayName = name.name
    }
    let context = SealingContext(
      storeID: storeID, kind: .parameter, name: name.key, version: version, detail: type.rawValue)
    let sealed = try seal(request.value, under: key, context: context)
    try db.execute(
      cached: """
        INSERT INTO entry_versions (entry_id, version, created_at, created_by, key_ref, sealed,
          type, description, allowed_pattern, tier, data_type)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        entryID, version, now.timeIntervalSince1970, configuration.creator, keyRef, Data(sealed),
        type.rawValue, description, allowedPattern, tier.rawValue, dataType.rawValue,
      ])
    try db.execute(
      cached: "UPDATE entries SET last_version = ? WHERE id = ?", arguments: [version, entryID])
    if let tags = request.tags { try EntryTags.set(db, entry: entryID, tags) }
    trail.record(displayName, version: version)
    return PutParameterResponse(version: version, tier: tier)
  }

  /// Whether the account's parameters of `tier` have reached its limit
  /// (`StoreConfiguration.parameterLimits`), so that a new one would exceed it.
  ///
  /// Counted no further than the answer needs, and never by reading the parameters one by one:
  /// no tier is full while the store holds fewer entries of any kind than its limit (a count of
  /// the table's B-tree cells, ~10 µs at 12,000 entries); past that, the advanced parameters are
  /// counted over the partial index of advanced versions (schema step
  /// `v9-advanced-parameters-indexed`; a tier never goes back to Standard, so a parameter with
  /// an advanced version is advanced), and the standard ones are the entries less the advanced
  /// parameters, the entries of other kinds and the copies of AWS's public parameters (each
  /// counted over the `(kind, lookup_name)` index). Counting the parameters themselves instead
  /// took ~0.5 ms at 10,000 (Docs/Store.md, "Parameters").
  func isFull(_ tier: ParameterTier, _ db: Database) throws -> Bool {
    let limit = configuration.parameterLimits.limit(of: tier)
    let entries = try Int.fetchOne(db, cached: "SELECT COUNT(*) FROM entries") ?? 0
    guard entries >= limit else { return false }
    let advanced =
      try Int.fetchOne(
        db, cached: "SELECT COUNT(DISTINCT entry_id) FROM entry_versions WHERE tier = 'Advanced'")
      ?? 0
    if tier == .advanced { return advanced >= limit }
    guard entries - advanced >= limit else { return false }
    let others =
      try Int.fetchOne(
        db,
        cached: """
          SELECT (SELECT COUNT(*) FROM entries WHERE kind < ?1)
            + (SELECT COUNT(*) FROM entries WHERE kind > ?1)
            + (SELECT COUNT(*) FROM entries
                WHERE kind = ?1 AND lookup_name >= '/aws/service/' AND lookup_name < '/aws/service0')
          """, arguments: [EntryKind.parameter.rawValue]) ?? 0
    return entries - advanced - others >= limit
  }

  /// Keeps at most 100 versions: drops the oldest before a new one is added, unless it carries
  /// a label (`ParameterMaxVersionLimitExceeded`).
  func rollOff(_ entry: ParameterEntry, _ db: Database) throws {
    let count =
      try Int.fetchOne(
        db, cached: "SELECT COUNT(*) FROM entry_versions WHERE entry_id = ?", arguments: [entry.id])
      ?? 0
    guard count >= Self.maximumVersions,
      let oldest = try Int.fetchOne(
        db, cached: "SELECT MIN(version) FROM entry_versions WHERE entry_id = ?",
        arguments: [entry.id])
    else { return }
    let labelled =
      try Int.fetchOne(
        db, cached: "SELECT COUNT(*) FROM entry_labels WHERE entry_id = ? AND version = ?",
        arguments: [entry.id, oldest]) ?? 0
    if labelled > 0 {
      throw StoreError.parameterMaxVersionLimitExceeded(name: entry.name, oldestVersion: oldest)
    }
    try db.execute(
      cached: "DELETE FROM entry_versions WHERE entry_id = ? AND version = ?",
      arguments: [entry.id, oldest])
  }

  static let maximumVersions = 100

  /// `KeyId`: 1–256 characters of `a-zA-Z0-9:/_-`.
  static func checkKeyIDShape(_ keyID: String) throws(StoreError) {
    guard !keyID.isEmpty, keyID.count <= 256,
      keyID.utf8.allSatisfy({
        ParameterNameRules.isNameCharacter($0) && $0 != UInt8(ascii: ".")
          || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: "/")
      })
    else {
      throw .constraint(
        value: keyID, at: "keyId",
        "Member must satisfy regular expression pattern: ^([a-zA-Z0-9:/_-]+)$")
    }
  }

  /// A key named by a parameter's `KeyId`, with KMS's complaint wrapped as SSM reports it.
  func ssmKey(_ keyRef: String, _ db: Database) throws -> KMSKeyRecord {
    let key: KMSKeyRecord
    do {
      key = try KMSKeyRecord.resolve(keyRef, db, configuration)
    } catch let error as StoreError {
      throw StoreError.invalidKeyID(StoreError.kmsMessage(error.message, errorCode: error.code))
    }
    guard key.keyState == KMSKeyRecord.enabledState else {
      throw StoreError.invalidKeyID(
        StoreError.kmsMessage(
          "\(key.arn(configuration)) is disabled.", errorCode: "DisabledException"))
    }
    return key
  }

  // MARK: Selecting a version

  struct Selected {
    var entry: ParameterEntry
    var record: ParameterVersionRecord
    var selector: ParameterSelector?
  }

  /// The version a reference names: latest, `:version` or `:label`.
  func select(
    _ reference: String, _ db: Database, notFound: StoreError, allowSelector: Bool = true
  ) throws -> Selected {
    let (name, selector) = try ParameterNameRules.parseReference(
      reference, configuration: configuration, allowSelector: allowSelector)
    let wanted: SteppedStatement.Argument
    switch selector {
    case nil: wanted = .null
    case .version(let version): wanted = .integer(Int64(clamping: version))
    case .label(let label): return try selectLabelled(name, label, selector, db, notFound: notFound)
    }
    // The entry and the version in one statement: the read path's most frequent query.
    let found = try SteppedStatement(db, sql: Self.selectVersionSQL).withRow(
      [wanted, .text(EntryKind.parameter.rawValue), .text(name.key)]
    ) { columns -> (ParameterEntry, ParameterVersionRecord?)? in
      guard let columns else { return nil }
      let entry = try ParameterEntry.read(columns, key: name.key)
      let record =
        columns.isNull(4)
        ? nil : try ParameterVersionRecord.read(columns, from: 4, name: entry.name)
      return (entry, record)
    }
    guard let (entry, record) = found else { throw notFound }
    guard let record else {
      if case .version(let version) = selector {
        // A number too large for a version was read as `Int.max`; the message names it as
        // it was typed, not a number nobody asked for.
        let typed = reference.split(separator: ":").last.map {
          String($0).trimmingCharacters(in: .whitespaces)
        }
        let shown = version == Int.max ? typed ?? String(version) : String(version)
        throw StoreError.parameterVersionNotFound(name: name.name, version: shown)
      }
      throw notFound
    }
    return Selected(entry: entry, record: record, selector: selector)
  }

  /// An entry and one of its versions, the latest when the first argument is null.
  static let selectVersionSQL = """
    SELECT e.id, e.name, e.lookup_name, e.last_version, \(
      ParameterVersionRecord.columns.split(separator: ",").map { "v." + $0.trimmingPrefix(" ") }
        .joined(separator: ", "))
    FROM entries e LEFT JOIN entry_versions v
      ON v.entry_id = e.id AND v.version = coalesce(?, e.last_version)
    WHERE e.kind = ? AND e.lookup_name = ?
    """

  private func selectLabelled(
    _ name: ParameterName, _ label: String, _ selector: ParameterSelector?, _ db: Database,
    notFound: StoreError
  ) throws -> Selected {
    guard let entry = try ParameterEntry.fetch(db, key: name.key),
      let version = try Int.fetchOne(
        db, cached: "SELECT version FROM entry_labels WHERE entry_id = ? AND label = ?",
        arguments: [entry.id, label]),
      let record = try ParameterVersionRecord.fetch(db, entry: entry.id, version: version)
    else { throw notFound }
    return Selected(entry: entry, record: record, selector: selector)
  }

  /// The value a response carries: plaintext, or for a `SecureString` read without decryption
  /// the sealed value as base64. A `SecureString` is decrypted only when the caller may
  /// (`checkDecryption`).
  func responseValue(
    _ record: ParameterVersionRecord, entry: ParameterEntry, withDecryption: Bool, _ db: Database
  ) throws -> String {
    if record.type == .secureString {
      guard withDecryption else { return Data(record.sealed).base64EncodedString() }
      try checkDecryption(
        record.sealed, by: .parameterStore,
        context: ["PARAMETER_ARN": entry.parameterName.arn(configuration)], entry: entry.name,
        version: record.version, db)
    }
    return try open(
      record.sealed, context: record.context(storeID: storeID, key: entry.key),
      displayName: entry.name, db
    ).utf8String()
  }

  func parameter(_ selected: Selected, withDecryption: Bool, _ db: Database) throws -> Parameter {
    let record = selected.record
    return Parameter(
      name: selected.entry.name, type: record.type,
      value: try responseValue(record, entry: selected.entry, withDecryption: withDecryption, db),
      version: record.version, selector: selected.selector?.text,
      lastModifiedDate: record.createdAt, arn: selected.entry.parameterName.arn(configuration),
      dataType: record.dataType)
  }

  // MARK: Listing

  static func checkCount(_ items: [String], field: String, maximum: Int) throws(StoreError) {
    guard !items.isEmpty else {
      throw .constraint(
        value: "[]", at: field, "Member must have length greater than or equal to 1.")
    }
    guard items.count <= maximum else {
      throw .constraint(
        value: "[\(items.joined(separator: ", "))]", at: field,
        "Member must have length less than or equal to \(maximum).")
    }
  }

  static func checkMaxResults(_ value: Int?, maximum: Int) throws(StoreError) -> Int {
    guard let value else { return maximum }
    guard value >= 1 else {
      throw .constraint(
        value: String(value), at: "maxResults", "Member must have value greater than or equal to 1")
    }
    guard value <= maximum else {
      throw .constraint(
        value: String(value), at: "maxResults",
        "Member must have value less than or equal to \(maximum)")
    }
    return value
  }

  func byPath(_ request: GetParametersByPathRequest, _ db: Database, _ trail: inout AuditTrail)
    throws -> GetParametersByPathResponse
  {
    let path = try ParameterNameRules.validatePath(request.path)
    let maxResults = try Self.checkMaxResults(request.maxResults, maximum: 10)
    let filters = try ParameterFilterRules.validate(
      request.parameterFilters ?? [], for: .getParametersByPath)
    let recursive = request.recursive ?? false
    let listing = "path|\(path)|\(recursive)|\(filters.map(\.identity))"
    guard let after = pageTokens.read(request.nextToken, listing) else {
      throw StoreError.invalidNextToken
    }
    let labelFilter = filters.first { $0.key == "Label" }
    var page: [(ParameterEntry, ParameterVersionRecord)] = []
    var more = false
    let range = path == "/" ? (nil, nil) : (path + "/", path + "0")
    try ParameterEntry.forEach(db, after: after, from: range.0, below: range.1) { entry in
      let slashed = "/" + entry.parameterName.arnSuffix
      guard ParameterFilterRules.isUnder(slashed, path: path, recursive: recursive) else {
        return true
      }
      var version = entry.lastVersion
      var labels: Set<String> = []
      if let labelFilter {
        let all = try EntryLabels.fetch(db, entry: entry.id)
        labels = Set(all.keys)
        guard let labelled = labelFilter.values.compactMap({ all[$0] }).max() else { return true }
        version = labelled
      }
      guard let record = try ParameterVersionRecord.fetch(db, entry: entry.id, version: version)
      else { return true }
      let candidate = ParameterFilterRules.Candidate(
        key: entry.key, type: record.type, keyID: record.reportedKeyID, tier: record.tier,
        dataType: record.dataType, tags: [:], labels: labels)
      guard filters.allSatisfy({ ParameterFilterRules.matches($0, candidate) }) else { return true }
      if page.count == maxResults {
        more = true
        return false
      }
      page.append((entry, record))
      return true
    }
    var parameters: [Parameter] = []
    for (entry, record) in page {
      parameters.append(
        try parameter(
          Selected(entry: entry, record: record, selector: nil),
          withDecryption: request.withDecryption ?? false, db))
      trail.record(entry.name, version: record.version)
    }
    if page.isEmpty { trail.record(request.path) }
    return GetParametersByPathResponse(
      parameters: parameters,
      nextToken: more ? page.last.map { pageTokens.make(listing, $0.0.key) } : nil)
  }

  func history(_ request: GetParameterHistoryRequest, _ db: Database, _ trail: inout AuditTrail)
    throws -> GetParameterHistoryResponse
  {
    let (name, _) = try ParameterNameRules.parseReference(
      request.name, configuration: configuration, allowSelector: false)
    let maxResults = try Self.checkMaxResults(request.maxResults, maximum: 50)
    guard let entry = try ParameterEntry.fetch(db, key: name.key) else {
      throw StoreError.parameterNotFound("Parameter \(name.name) not found.")
    }
    let listing = "history|\(entry.key)"
    guard let after = pageTokens.read(request.nextToken, listing),
      after.map({ Int($0) != nil }) ?? true
    else {
      throw StoreError.invalidNextToken
    }
    let start = after.flatMap { Int($0) }.map { $0 + 1 } ?? 0
    let records = try ParameterVersionRecord.fetchAll(db, entry: entry.id, from: start)
    let page = records.prefix(maxResults)
    let labels = EntryLabels.byVersion(try EntryLabels.fetch(db, entry: entry.id))
    var history: [ParameterHistory] = []
    for record in page {
      history.append(
        ParameterHistory(
          name: entry.name, type: record.type, keyID: record.reportedKeyID,
          lastModifiedDate: record.createdAt,
          lastModifiedUser: configuration.userARN(for: record.createdBy),
          description: record.description,
          value: try responseValue(
            record, entry: entry, withDecryption: request.withDecryption ?? false, db),
          allowedPattern: record.allowedPattern, version: record.version,
          labels: labels[record.version] ?? [], tier: record.tier, policies: [],
          dataType: record.dataType))
      trail.record(entry.name, version: record.version)
    }
    let more = records.count > maxResults
    return GetParameterHistoryResponse(
      parameters: history,
      nextToken: more
        ? page.last.map { pageTokens.make(listing, String($0.version)) } : nil)
  }

  func label(_ request: LabelParameterVersionRequest, _ db: Database, _ trail: inout AuditTrail)
    throws -> LabelParameterVersionResponse
  {
    let name = try ParameterNameRules.validateForWrite(request.name, configuration: configuration)
    try ParameterLabelRules.checkCount(request.labels)
    var valid: [String] = []
    var invalid: [String] = []
    for label in request.labels {
      if try ParameterLabelRules.isValid(label) {
        if !valid.contains(label) { valid.append(label) }
      } else {
        invalid.append(label)
      }
    }
    guard let entry = try ParameterEntry.fetch(db, key: name.key) else {
      throw StoreError.parameterNotFound("Parameter \(name.name) not found.")
    }
    let version = request.parameterVersion ?? entry.lastVersion
    guard try ParameterVersionRecord.fetch(db, entry: entry.id, version: version) != nil else {
      throw StoreError.parameterVersionNotFound(name: name.name, version: String(version))
    }
    let labels = try EntryLabels.fetch(db, entry: entry.id)
    let onVersion = labels.values.filter { $0 == version }.count
    let added = valid.filter { labels[$0] != version }
    guard onVersion + added.count <= ParameterLabelRules.maximumPerVersion else {
      throw StoreError.parameterVersionLabelLimitExceeded
    }
    for label in added {
      try db.execute(
        cached: "INSERT INTO entry_labels (entry_id, label, version) VALUES (?, ?, ?) "
          + "ON CONFLICT(entry_id, label) DO UPDATE SET version = excluded.version",
        arguments: [entry.id, label, version])
    }
    trail.record(entry.name, version: version)
    return LabelParameterVersionResponse(invalidLabels: invalid, parameterVersion: version)
  }

  func unlabel(_ request: UnlabelParameterVersionRequest, _ db: Database, _ trail: inout AuditTrail)
    throws -> UnlabelParameterVersionResponse
  {
    let name = try ParameterNameRules.validateForWrite(request.name, configuration: configuration)
    try ParameterLabelRules.checkCount(request.labels)
    guard let entry = try ParameterEntry.fetch(db, key: name.key) else {
      throw StoreError.parameterNotFound("Parameter \(name.name) not found.")
    }
    let version = request.parameterVersion
    guard try ParameterVersionRecord.fetch(db, entry: entry.id, version: version) != nil else {
      throw StoreError.parameterVersionNotFound(name: name.name, version: String(version))
    }
    let labels = try EntryLabels.fetch(db, entry: entry.id)
    var removed: [String] = []
    var invalid: [String] = []
    for label in request.labels where !removed.contains(label) && !invalid.contains(label) {
      if labels[label] == version {
        try db.execute(
          cached: "DELETE FROM entry_labels WHERE entry_id = ? AND label = ?",
          arguments: [entry.id, label])
        removed.append(label)
      } else {
        invalid.append(label)
      }
    }
    trail.record(entry.name, version: version)
    return UnlabelParameterVersionResponse(removedLabels: removed, invalidLabels: invalid)
  }

  func describe(_ request: DescribeParametersRequest, _ db: Database) throws
    -> DescribeParametersResponse
  {
    let legacy = request.filters ?? []
    let modern = request.parameterFilters ?? []
    if !legacy.isEmpty && !modern.isEmpty {
      throw StoreError.validation(
        "You can use either Filters or ParameterFilters in a single request.")
    }
    let filters =
      legacy.isEmpty
      ? try ParameterFilterRules.validate(modern, for: .describeParameters)
      : try ParameterFilterRules.compileLegacy(legacy)
    let maxResults = try Self.checkMaxResults(request.maxResults, maximum: 50)
    let listing = "describe|\(filters.map(\.identity))"
    guard let after = pageTokens.read(request.nextToken, listing) else {
      throw StoreError.invalidNextToken
    }
    if request.shared == true { return DescribeParametersResponse(parameters: []) }
    let needsTags = filters.contains { $0.key.hasPrefix("tag:") }
    var page: [ParameterMetadata] = []
    var lastKey: String?
    var more = false
    try ParameterEntry.forEach(db, after: after) { entry in
      guard
        let record = try ParameterVersionRecord.fetch(
          db, entry: entry.id, version: entry.lastVersion)
      else { return true }
      let candidate = ParameterFilterRules.Candidate(
        key: entry.key, type: record.type, keyID: record.reportedKeyID, tier: record.tier,
        dataType: record.dataType,
        tags: needsTags ? try EntryTags.fetch(db, entry: entry.id) : [:], labels: [])
      guard filters.allSatisfy({ ParameterFilterRules.matches($0, candidate) }) else { return true }
      if page.count == maxResults {
        more = true
        return false
      }
      page.append(metadata(entry, record))
      lastKey = entry.key
      return true
    }
    return DescribeParametersResponse(
      parameters: page, nextToken: more ? lastKey.map { pageTokens.make(listing, $0) } : nil)
  }

  func metadata(_ entry: ParameterEntry, _ record: ParameterVersionRecord) -> ParameterMetadata {
    ParameterMetadata(
      name: entry.name, arn: entry.parameterName.arn(configuration), type: record.type,
      keyID: record.reportedKeyID, lastModifiedDate: record.createdAt,
      lastModifiedUser: configuration.userARN(for: record.createdBy),
      description: record.description, allowedPattern: record.allowedPattern,
      version: record.version, tier: record.tier, policies: [], dataType: record.dataType)
  }

  static let ssmResourceTypes = [
    "Document", "ManagedInstance", "MaintenanceWindow", "PatchBaseline", "OpsItem",
    "OpsMetadata", "Automation", "Association",
  ]

  /// `forWrite`: AWS's public parameters (`/aws/service/…`, copies here) are AWS's, in AWS's
  /// account, and take no tags from the caller, as they take no other write.
  func taggedEntry(
    _ resourceType: String, _ resourceID: String, _ db: Database, forWrite: Bool = false
  ) throws -> ParameterEntry {
    guard resourceType == "Parameter" else {
      throw Self.ssmResourceTypes.contains(resourceType)
        ? StoreError.invalidResourceID : StoreError.invalidResourceType
    }
    guard
      let (name, _) = try? ParameterNameRules.parseReference(
        resourceID, configuration: configuration, allowSelector: false),
      let entry = try ParameterEntry.fetch(db, key: name.key)
    else { throw StoreError.invalidResourceID }
    if forWrite, ParameterNameRules.isPublic(entry.name) {
      throw StoreError.accessDenied("No access to reserved parameter name: \(entry.name).")
    }
    return entry
  }
}

// MARK: - Catalog, resolver, fingerprints

extension SQLiteStore: ParameterCatalog, ParameterResolver, ValueFingerprinter {
  public func parameterVersions(_ reference: String) async throws -> ParameterVersionList {
    try await perform("ListParameterVersions", name: reference) { db, trail in
      try self.versionList(of: reference, db, &trail)
    }
  }

  /// One transaction (and one audit row per parameter) for all of `references`: `cinch check`
  /// and `cinch lock` describe every parameter a template reads, thousands at 10,000
  /// resources, and a transaction each cost ~1.5 ms of the 9.5 s `check` took there.
  public func parameterVersions(of references: [String]) async throws
    -> [Result<ParameterVersionList, StoreError>]
  {
    guard !references.isEmpty else { return [] }
    return try await perform("ListParameterVersions", name: references.first) { db, trail in
      var results: [Result<ParameterVersionList, StoreError>] = []
      results.reserveCapacity(references.count)
      for reference in references {
        do {
          results.append(.success(try self.versionList(of: reference, db, &trail)))
        } catch let error as StoreError {
          trail.record(reference, result: error.code)
          results.append(.failure(error))
        }
      }
      return results
    }
  }

  private func versionList(of reference: String, _ db: Database, _ trail: inout AuditTrail) throws
    -> ParameterVersionList
  {
    let (name, _) = try ParameterNameRules.parseReference(
      reference, configuration: configuration, allowSelector: false)
    guard let entry = try ParameterEntry.fetch(db, key: name.key) else {
      throw StoreError.parameterNotFound()
    }
    let labels = EntryLabels.byVersion(try EntryLabels.fetch(db, entry: entry.id))
    let versions = try ParameterVersionRecord.fetchAll(db, entry: entry.id).map { record in
      ParameterVersionList.Version(
        version: record.version, labels: labels[record.version] ?? [],
        lastModifiedDate: record.createdAt, type: record.type, keyID: record.reportedKeyID,
        tier: record.tier, dataType: record.dataType)
    }
    trail.record(entry.name, version: entry.lastVersion)
    return ParameterVersionList(
      name: entry.name, arn: entry.parameterName.arn(configuration), versions: versions)
  }

  public func resolveParameters(_ references: [String]) async throws -> [ParameterResolution] {
    try await perform("ResolveParameters", name: references.first) { db, trail in
      var results: [ParameterResolution] = []
      for reference in references {
        do {
          let selected = try self.select(reference, db, notFound: .parameterNotFound())
          let record = selected.record
          let value = try self.open(
            record.sealed, context: record.context(storeID: self.storeID, key: selected.entry.key),
            displayName: selected.entry.name, db)
          results.append(
            .resolved(
              ResolvedParameter(
                reference: reference, name: selected.entry.name,
                arn: selected.entry.parameterName.arn(self.configuration), type: record.type,
                version: record.version, selector: selected.selector?.text,
                dataType: record.dataType, lastModifiedDate: record.createdAt,
                keyID: record.reportedKeyID, value: value)))
          trail.record(selected.entry.name, version: record.version)
        } catch let error as StoreError {
          results.append(.failed(reference: reference, error: error))
          trail.record(reference, result: error.code)
        }
      }
      return results
    }
  }

  public func fingerprint(of value: SecretBytes, entry: String) -> String {
    ValueFingerprint.of(value, entry: entry, mac: vault.fingerprintKey.mac)
  }
}
