import Foundation
import GRDB

extension SQLiteStore {
  func description(_ entry: SecretEntry, _ db: Database) throws -> DescribeSecretResponse {
    let attributes = entry.attributes
    let tags = try EntryTags.fetch(db, entry: entry.id)
    let cinch = CinchRotationState(
      rotator: attributes.rotationLambdaARN.flatMap(SecretNameRules.rotatorName(fromLambdaARN:)),
      passwordPolicy: attributes.passwordPolicy, lastFailure: attributes.rotationFailure)
    return DescribeSecretResponse(
      arn: entry.arn(configuration), name: entry.name, description: attributes.description,
      kmsKeyID: attributes.kmsKeyRef, rotationEnabled: attributes.rotationEnabled,
      rotationLambdaARN: attributes.rotationLambdaARN, rotationRules: attributes.rotationRules,
      lastRotatedDate: attributes.lastRotatedDate.map(Date.init(timeIntervalSince1970:)),
      lastChangedDate: Date(timeIntervalSince1970: attributes.lastChangedDate),
      lastAccessedDate: attributes.lastAccessedDate.map(Date.init(timeIntervalSince1970:)),
      deletedDate: attributes.deletedDate.map(Date.init(timeIntervalSince1970:)),
      nextRotationDate: try rotationWindow(entry, db)?.end,
      tags: tags.isEmpty && attributes.tagged != true
        ? nil : tags.sorted { $0.key < $1.key }.map { Tag(key: $0.key, value: $0.value) },
      versionIDsToStages: try stagesMap(entry, db), createdDate: entry.createdAt,
      cinchRotation: cinch.rotator == nil && cinch.lastFailure == nil ? nil : cinch)
  }

  /// Labelled versions in creation order, or nil when there are none.
  func stagesMap(_ entry: SecretEntry, _ db: Database) throws -> VersionStagesMap? {
    let labels = EntryLabels.byVersion(try EntryLabels.fetch(db, entry: entry.id))
    guard !labels.isEmpty else { return nil }
    let records = try SecretVersionRecord.fetchAll(db, entry: entry.id)
    return VersionStagesMap(
      records.compactMap { record in
        labels[record.version].map { (record.versionID, $0) }
      })
  }

  /// The next rotation window of a secret with rotation turned on: after its last rotation, or
  /// after rotation was configured when it never rotated. With `AutomaticallyAfterDays`, a
  /// value put by hand counts as a rotation: "Manually updating the secret value by calling
  /// PutSecretValue or UpdateSecret is considered a valid rotation"
  /// (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_RotationRulesType.html),
  /// so the window follows the creation of the version `AWSCURRENT` is on.
  func rotationWindow(_ entry: SecretEntry, _ db: Database) throws -> (start: Date, end: Date)? {
    let attributes = entry.attributes
    guard attributes.rotationEnabled == true, let rules = attributes.rotationRules,
      let schedule = try? RotationSchedule(rules, strict: false)
    else { return nil }
    var base = max(
      attributes.lastRotatedDate ?? 0, attributes.rotationScheduledFrom ?? 0,
      entry.createdAt.timeIntervalSince1970)
    if rules.automaticallyAfterDays != nil,
      let current = try EntryLabels.fetch(db, entry: entry.id)["AWSCURRENT"],
      let record = try SecretVersionRecord.fetch(db, entry: entry.id, version: current)
    {
      base = max(base, record.createdAt.timeIntervalSince1970)
    }
    return schedule.window(after: Date(timeIntervalSince1970: base))
  }

  func listEntry(_ entry: SecretEntry, _ db: Database) throws -> SecretListEntry {
    let description = try self.description(entry, db)
    return SecretListEntry(
      arn: description.arn, name: description.name, description: description.description,
      kmsKeyID: description.kmsKeyID, rotationEnabled: description.rotationEnabled,
      rotationLambdaARN: description.rotationLambdaARN, rotationRules: description.rotationRules,
      lastRotatedDate: description.lastRotatedDate, lastChangedDate: description.lastChangedDate,
      lastAccessedDate: description.lastAccessedDate, deletedDate: description.deletedDate,
      nextRotationDate: description.nextRotationDate, tags: description.tags,
      secretVersionsToStages: description.versionIDsToStages,
      createdDate: description.createdDate)
  }

  /// What a `ListSecrets` or `BatchGetSecretValue` request lists, validated.
  struct SecretListing {
    var filters: [SecretFilterRules.Compiled]
    var includeDeleted: Bool
    var sortKey: String
    var descending: Bool
  }

  func secretListing(
    _ filters: [SecretsFilter], includeDeleted: Bool, sortBy: String? = nil,
    sortOrder: String? = nil
  ) throws -> SecretListing {
    let compiled = try SecretFilterRules.validate(filters)
    let sortKey = sortBy ?? "created-date"
    guard ["created-date", "last-accessed-date", "last-changed-date", "name"].contains(sortKey)
    else {
      throw StoreError.constraint(
        value: sortKey, at: "sortBy",
        "Member must satisfy enum value set: [created-date, last-accessed-date, "
          + "last-changed-date, name]")
    }
    let order = sortOrder ?? "asc"
    guard ["asc", "desc"].contains(order) else {
      throw StoreError.constraint(
        value: order, at: "sortOrder", "Member must satisfy enum value set: [asc, desc]")
    }
    return SecretListing(
      filters: compiled, includeDeleted: includeDeleted, sortKey: sortKey,
      descending: order == "desc")
  }

  /// Where a page of a listing ends, and the next begins: the sort key of its last secret (a
  /// total order: ties on a date are broken by name, on the creation date by row). A page token
  /// carries it rather than a position, so a secret created or deleted between two calls neither
  /// repeats one nor skips one; its MAC covers the listing too, so a token is refused by a
  /// listing with other filters or another order (`PageTokens`).
  struct SecretCursor: Equatable, Comparable {
    var date: Double
    var row: Int64
    var name: String

    static func < (lhs: Self, rhs: Self) -> Bool {
      (lhs.date, lhs.row, lhs.name) < (rhs.date, rhs.row, rhs.name)
    }
  }

  /// A secret's place in `listing`'s order.
  static func cursor(
    _ listing: SecretListing, id: Int64, name: String, createdAt: Double,
    attributes: SecretAttributes?
  ) -> SecretCursor {
    switch listing.sortKey {
    case "name": SecretCursor(date: 0, row: 0, name: name)
    case "last-accessed-date":
      SecretCursor(date: attributes?.lastAccessedDate ?? 0, row: 0, name: name)
    case "last-changed-date":
      SecretCursor(date: attributes?.lastChangedDate ?? 0, row: 0, name: name)
    default: SecretCursor(date: createdAt, row: id, name: "")
    }
  }

  /// One page of `listing`, in `ListSecrets` order: the secrets it selects after `cursor` (a
  /// page token's; nil for the first page), at most `limit`, and where the next page starts
  /// when more follow.
  func secretsPage(
    _ listing: SecretListing, after cursor: SecretCursor?, limit: Int, _ db: Database
  ) throws -> (entries: [SecretEntry], next: SecretCursor?) {
    if listing.sortKey == "created-date" && !listing.descending {
      return try secretsInCreationOrder(listing, after: cursor, limit: limit, db)
    }
    let all = try sortedSecrets(listing, db)
    let remaining = all.drop { sorted in
      guard let cursor else { return false }
      return listing.descending ? sorted.key >= cursor : sorted.key <= cursor
    }
    let page = remaining.prefix(limit)
    let entries = page.map(\.entry)
    guard remaining.count > page.count, let last = page.last else { return (entries, nil) }
    return (entries, last.key)
  }

  /// The default order (creation date, then row), the one SQLite keeps: rows are stepped until
  /// the page is full, and a secret's attributes are decoded only when it is on the page. Every
  /// page used to decode every secret: `BatchGetSecretValue` through 2,000 secrets (100 pages)
  /// decoded 200,000 attribute documents.
  private func secretsInCreationOrder(
    _ listing: SecretListing, after cursor: SecretCursor?, limit: Int, _ db: Database
  ) throws -> (entries: [SecretEntry], next: SecretCursor?) {
    let sql = """
      SELECT \(SecretEntry.columns), json_extract(attributes, '$.deletedDate') IS NOT NULL,
        json_extract(attributes, '$.description')
      FROM entries WHERE kind = ? ORDER BY created_at, id
      """
    var page: [SecretEntry] = []
    var more = false
    try SteppedStatement(db, sql: sql).forEachRow([.text(EntryKind.secret.rawValue)]) { row in
      if let cursor, SecretCursor(date: row.double(2), row: row.integer(0), name: "") <= cursor {
        return true
      }
      if !listing.includeDeleted && row.integer(5) != 0 { return true }
      let selected = try passes(
        listing.filters, id: row.integer(0), name: row.text(1) ?? "",
        description: row.text(6), db)
      guard selected else { return true }
      if page.count == limit {
        more = true
        return false
      }
      page.append(try SecretEntry(row))
      return true
    }
    guard more, let last = page.last else { return (page, nil) }
    return (page, SecretCursor(date: last.createdAt.timeIntervalSince1970, row: last.id, name: ""))
  }

  /// Every secret `listing` selects, sorted, each with its sort key (made once: formatting the
  /// row id as a string at every comparison was a fifth of `list-secrets`).
  private func sortedSecrets(_ listing: SecretListing, _ db: Database) throws
    -> [(key: SecretCursor, entry: SecretEntry)]
  {
    var selected: [(key: SecretCursor, entry: SecretEntry)] = []
    for entry in try SecretEntry.fetchAll(db) where listing.includeDeleted || !entry.isDeleted {
      let passes = try passes(
        listing.filters, id: entry.id, name: entry.name,
        description: entry.attributes.description, db)
      guard passes else { continue }
      let key = Self.cursor(
        listing, id: entry.id, name: entry.name,
        createdAt: entry.createdAt.timeIntervalSince1970, attributes: entry.attributes)
      selected.append((key, entry))
    }
    selected.sort { $0.key < $1.key }
    if listing.descending { selected.reverse() }
    return selected
  }

  /// Whether a secret passes every filter. Tags are a query per secret: read only for a filter
  /// that looks at them.
  private func passes(
    _ filters: [SecretFilterRules.Compiled], id: Int64, name: String, description: String?,
    _ db: Database
  ) throws -> Bool {
    guard !filters.isEmpty else { return true }
    let tags = filters.contains { $0.readsTags } ? try EntryTags.fetch(db, entry: id) : [:]
    let candidate = SecretFilterRules.Candidate(
      name: name, description: description ?? "", tags: tags, primaryRegion: configuration.region)
    return filters.allSatisfy { $0.matches(candidate) }
  }

  func list(_ request: ListSecretsRequest, _ db: Database, _ trail: inout AuditTrail) throws
    -> ListSecretsResponse
  {
    let maxResults = try SecretValueRules.checkMaxResults(request.maxResults, maximum: 100)
    let listing = try secretListing(
      request.filters ?? [], includeDeleted: request.includePlannedDeletion ?? false,
      sortBy: request.sortBy, sortOrder: request.sortOrder)
    let cursor = try pageTokens.cursor(request.nextToken, scope: "list-secrets", listing)
    let (page, next) = try secretsPage(listing, after: cursor, limit: maxResults, db)
    var list: [SecretListEntry] = []
    for entry in page {
      list.append(try listEntry(entry, db))
      trail.record(entry.name)
    }
    if page.isEmpty { trail.record(nil) }
    return ListSecretsResponse(
      secretList: list,
      nextToken: next.map { pageTokens.make("list-secrets", listing, $0) })
  }

  func versionList(
    _ request: ListSecretVersionIdsRequest, _ db: Database, _ trail: inout AuditTrail
  ) throws -> ListSecretVersionIdsResponse {
    let maxResults = try SecretValueRules.checkMaxResults(request.maxResults, maximum: 100)
    let entry = try findSecret(request.secretID, db)
    let labels = EntryLabels.byVersion(try EntryLabels.fetch(db, entry: entry.id))
    // Oldest first, as AWS lists them (every answer LocalStack recorded from AWS, and the
    // aws CLI reference's example, give the versions in the order they were created).
    let records = try SecretVersionRecord.fetchAll(db, entry: entry.id).filter {
      request.includeDeprecated == true || labels[$0.version] != nil
    }
    let scope = "versions:\(entry.name):\(entry.attributes.arnSuffix)"
    let start = try pageTokens.position(request.nextToken, scope: scope)
    let page = records.dropFirst(start).prefix(maxResults)
    trail.record(entry.name)
    let versions = page.map { record in
      SecretVersionsListEntry(
        versionID: record.versionID, versionStages: labels[record.version],
        lastAccessedDate: record.attributes.lastAccessedDate.map(Date.init(timeIntervalSince1970:)),
        createdDate: record.createdAt,
        kmsKeyIDs: record.sealed == nil ? nil : [record.keyRef ?? "DefaultEncryptionKey"])
    }
    let next = start + page.count
    return ListSecretVersionIdsResponse(
      versions: versions,
      nextToken: next < records.count ? pageTokens.make(scope, next) : nil,
      arn: entry.arn(configuration), name: entry.name)
  }

  func batch(_ request: BatchGetSecretValueRequest, _ db: Database, _ trail: inout AuditTrail)
    throws -> BatchGetSecretValueResponse
  {
    let ids = request.secretIDList
    let filters = request.filters
    guard (ids == nil) != (filters == nil) else {
      throw StoreError.invalidParameter(
        "Either 'SecretIdList' or 'Filters' must be provided, but not both.")
    }
    var values: [SecretValueEntry] = []
    var errors: [SecretsManagerAPIError] = []
    // `id`: the secret as the request names it, for `Errors` and `secretsmanager:SecretId` (its
    // ARN in a filter listing, which names none).
    func answer(_ entry: SecretEntry, id: String) throws {
      do {
        // The caller's `secretsmanager:GetSecretValue` on this secret, first: a refused secret
        // is reported in `Errors` and recorded as refused without being read, decrypted or
        // touched, and whether it is deleted is not told.
        try checkSecretRead(entry, as: id)
        guard !entry.isDeleted else { throw StoreError.markedForDeletion }
        var touched = entry
        let (record, value, stages) = try read(entry, versionID: nil, stage: nil, db)
        try touch(&touched, record, db)
        values.append(
          SecretValueEntry(
            arn: entry.arn(configuration), name: entry.name, versionID: record.versionID,
            secretBinary: value.type == .binary ? value.bytes.withUnsafeBytes { Data($0) } : nil,
            secretString: value.type == .string ? value.bytes.utf8String() : nil,
            versionStages: stages, createdDate: record.createdAt))
        trail.record(entry.name, version: record.version, versionID: record.versionID)
      } catch let error as StoreError where error.httpStatus == 400 {
        errors.append(
          SecretsManagerAPIError(secretID: id, errorCode: error.code, message: error.message))
        trail.record(entry.name, result: error.code)
      } catch let refusal as DecryptionRefusal {
        // As for GetSecretValue: this secret in `Errors`, the others answered.
        errors.append(
          SecretsManagerAPIError(
            secretID: id, errorCode: refusal.error.code, message: refusal.error.message))
        trail.record(
          entry.name, version: refusal.version, result: refusal.error.code,
          versionID: refusal.versionID)
      }
    }
    if let ids {
      guard !ids.isEmpty, ids.count <= 20 else {
        throw StoreError.constraint(
          value: "[\(ids.joined(separator: ", "))]", at: "secretIdList",
          ids.isEmpty
            ? "Member must have length greater than or equal to 1"
            : "Member must have length less than or equal to 20")
      }
      if request.maxResults != nil {
        // AWS's text, as moto and other emulators reproduce it.
        throw StoreError.invalidParameter(
          "'Filters' not specified. 'Filters' must also be specified when 'MaxResults' is "
            + "provided.")
      }
      for id in ids {
        do {
          try answer(try findSecret(id, db), id: id)
        } catch let error as StoreError where error.httpStatus == 400 {
          // IAM decides before the service looks: a secret that does not exist is refused, as
          // `GetSecretValue` refuses it, on the ARN such a secret would be named by (its
          // partial ARN), so a caller who may not read it does not learn whether it exists.
          var reported = error
          if error.code == "ResourceNotFoundException", let secretReadCheck,
            let refusal = secretReadCheck(
              SecretValueRead(secretARN: configuration.partialSecretARN(id), secretID: id))
          {
            reported = refusal
          }
          errors.append(
            SecretsManagerAPIError(
              secretID: id, errorCode: reported.code, message: reported.message))
          trail.record(id, result: reported.code)
        }
      }
      return BatchGetSecretValueResponse(secretValues: values, errors: errors)
    }
    let maxResults = try SecretValueRules.checkMaxResults(request.maxResults, maximum: 20)
    let listing = try secretListing(filters ?? [], includeDeleted: false)
    let cursor = try pageTokens.cursor(request.nextToken, scope: "batch", listing)
    let (page, next) = try secretsPage(listing, after: cursor, limit: maxResults, db)
    for entry in page { try answer(entry, id: entry.arn(configuration)) }
    if page.isEmpty { trail.record(nil) }
    return BatchGetSecretValueResponse(
      secretValues: values,
      nextToken: next.map { pageTokens.make("batch", listing, $0) }, errors: errors)
  }
}

/// Page tokens of Secrets Manager listings: for the version list the position to continue from;
/// for secrets the cursor after which the next page starts, in the listing it belongs to (its
/// filters, order and whether deleted secrets are in it), so a token is refused by a listing
/// with other filters or another order.
extension PageTokens {
  func make(
    _ scope: String, _ listing: SQLiteStore.SecretListing, _ cursor: SQLiteStore.SecretCursor
  ) -> String {
    make(Self.listing(scope, listing), "\(cursor.date.bitPattern)|\(cursor.row)|\(cursor.name)")
  }

  func cursor(_ token: String?, scope: String, _ listing: SQLiteStore.SecretListing)
    throws(StoreError) -> SQLiteStore.SecretCursor?
  {
    guard let token else { return nil }
    guard let content = read(token, Self.listing(scope, listing)), let text = content else {
      throw .secretsInvalidNextToken
    }
    let fields = text.split(separator: "|", maxSplits: 2, omittingEmptySubsequences: false)
    guard fields.count == 3, let bits = UInt64(fields[0]), let row = Int64(fields[1]) else {
      throw .secretsInvalidNextToken
    }
    return SQLiteStore.SecretCursor(
      date: Double(bitPattern: bits), row: row, name: String(fields[2]))
  }

  private static func listing(_ scope: String, _ listing: SQLiteStore.SecretListing) -> String {
    "\(scope)|\(listing.filters.map(\.identity))|\(listing.includeDeleted)|\(listing.sortKey)|"
      + "\(listing.descending)"
  }

  func make(_ scope: String, _ position: Int) -> String {
    make(scope, String(position))
  }

  func position(_ token: String?, scope: String) throws(StoreError) -> Int {
    guard let token else { return 0 }
    guard let position = read(token, scope), let text = position, let value = Int(text),
      value >= 0
    else { throw .secretsInvalidNextToken }
    return value
  }
}
