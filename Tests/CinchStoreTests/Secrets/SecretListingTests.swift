import Foundation
import Testing

@testable import CinchStore

@Suite struct SecretListingTests {
  func store() async throws -> (StoreFixture, SQLiteStore) {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    for (name, description, team) in [
      ("prod/app/db", "Database of the App", "core"), ("prod/app/api", "API key", "edge"),
      ("dev/app/db", "database for dev", "core"),
    ] {
      _ = try await store.createSecret(
        CreateSecretRequest(
          name: name, description: description, secretString: "value-of-\(name)",
          tags: [Tag(key: "team", value: team)]))
    }
    return (fixture, store)
  }

  func names(
    _ store: SQLiteStore, _ filters: [SecretsFilter], sortBy: String? = nil, order: String? = nil
  )
    async throws -> [String]
  {
    try await store.listSecrets(
      ListSecretsRequest(filters: filters, sortOrder: order, sortBy: sortBy)
    ).secretList.map(\.name)
  }

  @Test func filtersSelectAsListSecretsDoes() async throws {
    let (fixture, store) = try await store()
    #expect(try await names(store, []) == ["prod/app/db", "prod/app/api", "dev/app/db"])
    #expect(
      try await names(store, [], order: "desc") == ["dev/app/db", "prod/app/api", "prod/app/db"])
    #expect(
      try await names(store, [], sortBy: "name") == ["dev/app/db", "prod/app/api", "prod/app/db"])
    #expect(
      try await names(store, [SecretsFilter(key: "name", values: ["prod/"])]) == [
        "prod/app/db", "prod/app/api",
      ])
    // Name is case-sensitive; description is not.
    #expect(try await names(store, [SecretsFilter(key: "name", values: ["PROD/"])]).isEmpty)
    #expect(
      try await names(store, [SecretsFilter(key: "description", values: ["DATABASE"])]) == [
        "prod/app/db", "dev/app/db",
      ])
    #expect(
      try await names(store, [SecretsFilter(key: "name", values: ["!prod/"])]) == ["dev/app/db"])
    #expect(
      try await names(
        store,
        [
          SecretsFilter(key: "tag-key", values: ["team"]),
          SecretsFilter(key: "tag-value", values: ["core"]),
        ])
        == ["prod/app/db", "dev/app/db"])
    #expect(
      try await names(store, [SecretsFilter(key: "all", values: ["api"])]) == ["prod/app/api"])
    await expectStoreError("ValidationException") {
      _ = try await names(store, [SecretsFilter(key: "owner", values: ["x"])])
    }
    let first = try await store.listSecrets(ListSecretsRequest(maxResults: 2))
    #expect(first.secretList.count == 2)
    let rest = try await store.listSecrets(ListSecretsRequest(nextToken: first.nextToken))
    #expect(rest.secretList.map(\.name) == ["dev/app/db"])
    #expect(rest.nextToken == nil)
    // Entries carry metadata, never a value.
    let encoded = String(decoding: try JSONEncoder().encode(first), as: UTF8.self)
    #expect(!encoded.contains("value-of"))
    #expect(encoded.contains("SecretVersionsToStages"))
    _ = fixture
  }

  /// The user guide's word split: at case changes, between letters and digits, and at
  /// punctuation, for `all` and `description` alike. `description` must find every word of the
  /// value; `all` selects a secret with any of them ("searching for My_Secret matches secrets
  /// with the word my or secret in the name, description, or tags",
  /// https://docs.aws.amazon.com/secretsmanager/latest/userguide/manage_search-secret.html).
  @Test func searchWordsSplitAtCaseAndDigitChanges() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    _ = try await store.createSecret(
      CreateSecretRequest(
        name: "f/MyDatabaseSecret", description: "Production database credentials",
        secretString: "x", tags: [Tag(key: "CostCenter", value: "Finance-EU")]))
    _ = try await store.createSecret(
      CreateSecretRequest(
        name: "f/AlphaBetaGamma", description: "keyVault rotation2024 for HTTPServer",
        secretString: "x", tags: [Tag(key: "teamName", value: "blueSky")]))
    func all(_ value: String) async throws -> [String] {
      try await names(store, [SecretsFilter(key: "all", values: [value])])
    }
    #expect(try await all("secret") == ["f/MyDatabaseSecret"])
    #expect(try await all("My_Secret") == ["f/MyDatabaseSecret"])
    #expect(try await all("credsDatabase") == ["f/MyDatabaseSecret"])
    #expect(try await all("zetaOmega") == [])
    #expect(try await all("beta") == ["f/AlphaBetaGamma"])
    #expect(try await all("sky") == ["f/AlphaBetaGamma"])
    #expect(try await all("2024") == ["f/AlphaBetaGamma"])
    #expect(try await all("server") == ["f/AlphaBetaGamma"])
    #expect(try await all("center") == ["f/MyDatabaseSecret"])
    // `f` is a word of both names.
    #expect(try await all("f/Alpha") == ["f/MyDatabaseSecret", "f/AlphaBetaGamma"])
    #expect(try await all("Alpha") == ["f/AlphaBetaGamma"])
    #expect(try await all("alpha secret") == ["f/MyDatabaseSecret", "f/AlphaBetaGamma"])
    #expect(try await all("alpha zeta") == ["f/AlphaBetaGamma"])
    // An empty value, or one of punctuation only, has no words: it selects every secret, as an
    // empty prefix does for the other keys.
    #expect(try await all("") == ["f/MyDatabaseSecret", "f/AlphaBetaGamma"])
    #expect(
      try await names(store, [SecretsFilter(key: "description", values: ["vault zeta"])]).isEmpty)
    #expect(
      try await names(store, [SecretsFilter(key: "description", values: ["vault"])]) == [
        "f/AlphaBetaGamma"
      ])
    #expect(SecretFilterRules.Compiled.words("credsDatabase#892") == ["creds", "database", "892"])
    #expect(SecretFilterRules.Compiled.words("HTTPServer2x") == ["http", "server", "2", "x"])
    _ = fixture
  }

  /// Pages in the default order are read by stepping rows in creation order (only the page's
  /// secrets decoded); any other order sorts them all. Paging through either must give the
  /// same secrets: the default order is the reverse of `desc`.
  /// A page token says where the last page ended, not how many came before it: a secret deleted
  /// or created between two calls makes the next page neither skip one nor repeat one, in the
  /// default order and sorted by name; a token is refused by a listing with other filters.
  @Test(arguments: [nil, "name"] as [String?])
  func pagesContinueAfterTheLastSecretShown(_ sortBy: String?) async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    for index in 0..<6 {
      _ = try await store.createSecret(
        CreateSecretRequest(name: "pg/s\(index)", secretString: "v\(index)"))
    }
    let filters = [SecretsFilter(key: "name", values: ["pg/"])]
    let first = try await store.listSecrets(
      ListSecretsRequest(maxResults: 3, filters: filters, sortBy: sortBy))
    #expect(first.secretList.map(\.name) == ["pg/s0", "pg/s1", "pg/s2"])
    _ = try await store.deleteSecret(
      DeleteSecretRequest(secretID: "pg/s0", forceDeleteWithoutRecovery: true))
    _ = try await store.createSecret(CreateSecretRequest(name: "pg/s6", secretString: "v6"))
    let second = try await store.listSecrets(
      ListSecretsRequest(
        maxResults: 3, nextToken: first.nextToken, filters: filters, sortBy: sortBy))
    #expect(second.secretList.map(\.name) == ["pg/s3", "pg/s4", "pg/s5"])
    let third = try await store.listSecrets(
      ListSecretsRequest(
        maxResults: 3, nextToken: second.nextToken, filters: filters, sortBy: sortBy))
    #expect(third.secretList.map(\.name) == ["pg/s6"])
    #expect(third.nextToken == nil)
    await #expect(throws: StoreError.self) {
      _ = try await store.listSecrets(
        ListSecretsRequest(
          maxResults: 3, nextToken: first.nextToken,
          filters: [SecretsFilter(key: "name", values: ["other/"])], sortBy: sortBy))
    }
  }

  @Test func pagesInCreationOrderMatchTheSortedListing() async throws {
    let fixture = try await StoreFixture.make()
    let store = fixture.store
    for index in 0..<23 {
      let description = index % 3 == 0 ? "Database \"\(index)\" ünïcode" : "api key \(index)"
      _ = try await store.createSecret(
        CreateSecretRequest(
          name: "\(index % 2 == 0 ? "prod" : "dev")/s\(index)", description: description,
          secretString: "v\(index)", tags: [Tag(key: "n", value: "\(index % 4)")]))
    }
    for index in [4, 9, 10] {
      _ = try await store.deleteSecret(
        DeleteSecretRequest(secretID: "\(index % 2 == 0 ? "prod" : "dev")/s\(index)"))
    }
    let filterSets: [[SecretsFilter]] = [
      [], [SecretsFilter(key: "name", values: ["prod/"])],
      // Filter values keep to the API's characters (letters, digits, space, `:_@/+=.-!`).
      [SecretsFilter(key: "description", values: ["DATABASE"])],
      [SecretsFilter(key: "all", values: ["Api key"])],
      [SecretsFilter(key: "tag-value", values: ["2"])],
      [
        SecretsFilter(key: "name", values: ["!dev/"]), SecretsFilter(key: "tag-key", values: ["n"]),
      ],
    ]
    for filters in filterSets {
      for includeDeleted in [false, true] {
        let descending = try await store.listSecrets(
          ListSecretsRequest(
            includePlannedDeletion: includeDeleted, maxResults: 100, filters: filters,
            sortOrder: "desc")
        ).secretList.map(\.name)
        for size in [1, 2, 7, 100] {
          var names: [String] = []
          var token: String?
          repeat {
            let page = try await store.listSecrets(
              ListSecretsRequest(
                includePlannedDeletion: includeDeleted, maxResults: size, nextToken: token,
                filters: filters))
            #expect(page.secretList.count <= size)
            names += page.secretList.map(\.name)
            token = page.nextToken
          } while token != nil
          #expect(names == descending.reversed(), "\(filters) \(includeDeleted) \(size)")
          guard !includeDeleted, !filters.isEmpty, size <= 20 else { continue }
          var batched: [String] = []
          token = nil
          repeat {
            let page = try await store.batchGetSecretValue(
              BatchGetSecretValueRequest(filters: filters, maxResults: size, nextToken: token))
            batched += page.secretValues.map(\.name)
            token = page.nextToken
          } while token != nil
          #expect(batched == names, "batch \(filters) \(size)")
        }
      }
    }
    _ = fixture
  }

  @Test func batchGetAnswersEachSecretAndListsFailures() async throws {
    let (fixture, store) = try await store()
    _ = try await store.deleteSecret(DeleteSecretRequest(secretID: "dev/app/db"))
    let batch = try await store.batchGetSecretValue(
      BatchGetSecretValueRequest(secretIDList: ["prod/app/db", "missing", "dev/app/db"]))
    #expect(batch.secretValues.map(\.secretString) == ["value-of-prod/app/db"])
    #expect(batch.errors.map(\.secretID) == ["missing", "dev/app/db"])
    #expect(
      batch.errors.map(\.errorCode) == ["ResourceNotFoundException", "InvalidRequestException"])
    let filtered = try await store.batchGetSecretValue(
      BatchGetSecretValueRequest(
        filters: [SecretsFilter(key: "name", values: ["prod/"])], maxResults: 1))
    #expect(filtered.secretValues.map(\.name) == ["prod/app/db"])
    let next = try await store.batchGetSecretValue(
      BatchGetSecretValueRequest(
        filters: [SecretsFilter(key: "name", values: ["prod/"])], nextToken: filtered.nextToken))
    #expect(next.secretValues.map(\.name) == ["prod/app/api"])
    await expectStoreError(
      "InvalidParameterException",
      message: "Either 'SecretIdList' or 'Filters' must be provided, but not both."
    ) {
      _ = try await store.batchGetSecretValue(
        BatchGetSecretValueRequest(
          secretIDList: ["a"], filters: [SecretsFilter(key: "name", values: ["a"])]))
    }
    await expectStoreError("ValidationException") {
      _ = try await store.batchGetSecretValue(
        BatchGetSecretValueRequest(secretIDList: (0...20).map { "s\($0)" }))
    }
    await expectStoreError(
      "InvalidParameterException",
      message:
        "'Filters' not specified. 'Filters' must also be specified when 'MaxResults' is provided."
    ) {
      _ = try await store.batchGetSecretValue(
        BatchGetSecretValueRequest(secretIDList: ["prod/app/db"], maxResults: 5))
    }
    _ = fixture
  }
}

@Suite struct RotationScheduleTests {
  static func date(_ text: String) throws -> Date {
    try Date(text, strategy: .iso8601)
  }

  @Test(arguments: [
    ("cron(0 16 1,15 * ? *)", "2026-03-01T16:00:00Z", "2026-03-15T16:00:00Z"),
    ("cron(0 8 L * ? *)", "2026-02-01T00:00:00Z", "2026-02-28T08:00:00Z"),
    ("cron(0 9 ? * MON-FRI *)", "2026-03-06T10:00:00Z", "2026-03-09T09:00:00Z"),
    ("cron(0 0 ? * 6#3 *)", "2026-03-01T00:00:00Z", "2026-03-20T00:00:00Z"),
    ("cron(0 0 ? * 2L *)", "2026-03-01T00:00:00Z", "2026-03-30T00:00:00Z"),
    ("cron(0 12 15W * ? *)", "2026-08-01T00:00:00Z", "2026-08-14T12:00:00Z"),
    ("cron(0 12 LW * ? *)", "2026-05-01T00:00:00Z", "2026-05-29T12:00:00Z"),
    ("cron(0 */6 * * ? *)", "2026-03-01T07:00:00Z", "2026-03-01T12:00:00Z"),
    ("cron(0 4/12 * * ? *)", "2026-03-01T16:30:00Z", "2026-03-02T04:00:00Z"),
  ])
  func cronExpressionsNameTheNextTime(expression: String, after: String, next: String) throws {
    let schedule = try RotationSchedule(RotationRules(scheduleExpression: expression))
    let window = try #require(schedule.window(after: try Self.date(after)))
    #expect(window.start == (try Self.date(next)))
  }

  /// Rules stored before a check existed keep their schedule: what is read back is computed
  /// leniently, where `rotate-secret` holds new rules to every check. And the four-hour gap
  /// does not depend on the day it is asked: a rule whose close times fall in March is
  /// refused in December too.
  @Test func storedRulesKeepTheirScheduleAndTheGapCheckSpansAYear() throws {
    let stored = RotationRules(scheduleExpression: "cron(30 4 * * ? *)")
    #expect(throws: StoreError.self) { _ = try RotationSchedule(stored) }
    let lenient = try RotationSchedule(stored, strict: false)
    let window = try #require(lenient.window(after: try Self.date("2026-03-01T00:00:00Z")))
    #expect(window.start == (try Self.date("2026-03-01T04:30:00Z")))
    let december = try Self.date("2026-12-06T00:00:00Z")
    let march = try CronExpression("0 0,2 1 3 ? *")
    #expect(march.shortestGapHours(from: december) == 2)
  }

  @Test func windowsFollowTheRules() throws {
    let last = try Self.date("2026-03-01T15:30:00Z")
    let days = try RotationSchedule(RotationRules(automaticallyAfterDays: 30))
    let window = try #require(days.window(after: last))
    #expect(window.start == (try Self.date("2026-03-31T00:00:00Z")))
    #expect(window.end == (try Self.date("2026-03-31T23:59:59Z")))
    let hours = try RotationSchedule(
      RotationRules(duration: "2h", scheduleExpression: "rate(8 hours)"))
    let hourly = try #require(hours.window(after: last))
    #expect(hourly.start == (try Self.date("2026-03-01T16:00:00Z")))
    #expect(hourly.end == (try Self.date("2026-03-01T17:59:59Z")))
    let daily = try RotationSchedule(
      RotationRules(duration: "3h", scheduleExpression: "rate(1 day)"))
    #expect(try #require(daily.window(after: last)).end == (try Self.date("2026-03-02T02:59:59Z")))
    // Secrets Manager's own rules on top of cron's grammar: windows open on the hour, the
    // year is '*', at most every four hours, at most every 999 days
    // (https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_schedule.html).
    for bad in [
      "rate(3 hours)", "rate(5 weeks)", "cron(0 8 * * * *)", "cron(0 8 1 * ?)", "every day",
      "cron(61 8 1 * ? *)", "cron(30 4 * * ? *)", "cron(0 4 1 JAN ? 2027)", "cron(0 * * * ? *)",
      "cron(0 0,2 * * ? *)", "cron(0 22,1 * * ? *)", "rate(1000 days)",
    ] {
      #expect(throws: StoreError.self) {
        _ = try RotationSchedule(RotationRules(scheduleExpression: bad))
      }
    }
    #expect(throws: StoreError.self) {
      _ = try RotationSchedule(RotationRules(duration: "8h", scheduleExpression: "rate(6 hours)"))
    }
    // Not into the next UTC day, nor into the next window.
    for (duration, expression, valid) in [
      ("2h", "cron(0 23 * * ? *)", false), ("4h", "cron(0 20 * * ? *)", true),
      ("12h", "cron(0 4/12 * * ? *)", false), ("8h", "cron(0 4/12 * * ? *)", true),
      ("7h", "cron(0 0/6 * * ? *)", false), ("6h", "cron(0 0/6 * * ? *)", true),
    ] {
      let rules = RotationRules(duration: duration, scheduleExpression: expression)
      #expect(((try? RotationSchedule(rules)) != nil) == valid, "\(expression) \(duration)")
    }
    #expect(throws: StoreError.self) {
      _ = try RotationSchedule(RotationRules(automaticallyAfterDays: 1, duration: "25h"))
    }
    #expect(throws: StoreError.self) {
      _ = try RotationSchedule(RotationRules(automaticallyAfterDays: 1, duration: "2d"))
    }
  }
}
