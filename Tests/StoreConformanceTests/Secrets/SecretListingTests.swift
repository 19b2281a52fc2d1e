import CinchStore
import Foundation
import Testing

/// `ListSecrets` filters and pages, `BatchGetSecretValue` (`reference: aws-store-semantics
/// §2.5, §2.8`).
@Suite struct SecretListingTests {
  func seeded(_ backend: Backend) async throws -> any TestedStore {
    let store = try await backend.makeStore().store
    for (name, description, team) in [
      ("prod/app/db", "Database of the App", "core"), ("prod/app/api", "API key", "edge"),
      ("dev/app/db", "database for dev", "core"),
    ] {
      _ = try await store.createSecret(
        CreateSecretRequest(
          name: name, description: description, secretString: "value-of-\(name)",
          tags: [Tag(key: "team", value: team)]))
    }
    return store
  }

  func names(_ store: any TestedStore, _ filters: [SecretsFilter]) async throws -> Set<String> {
    Set(try await store.listSecrets(ListSecretsRequest(filters: filters)).secretList.map(\.name))
  }

  @Test(arguments: Backend.allCases) func filtersSelectAsListSecretsDoes(_ backend: Backend)
    async throws
  {
    let store = try await seeded(backend)
    #expect(try await names(store, []) == ["prod/app/db", "prod/app/api", "dev/app/db"])
    await conforming(.listSecretsSortIgnored, on: backend) {
      let sorted = try await store.listSecrets(
        ListSecretsRequest(sortOrder: "asc", sortBy: "name"))
      #expect(sorted.secretList.map(\.name) == ["dev/app/db", "prod/app/api", "prod/app/db"])
    }
    #expect(
      try await names(store, [SecretsFilter(key: "name", values: ["prod/"])]) == [
        "prod/app/db", "prod/app/api",
      ])
    #expect(
      try await names(store, [SecretsFilter(key: "description", values: ["DATABASE"])]) == [
        "prod/app/db", "dev/app/db",
      ])
    // Words of a description, in any order, each the start of one of its words.
    #expect(
      try await names(store, [SecretsFilter(key: "description", values: ["app of"])]) == [
        "prod/app/db"
      ])
    #expect(
      try await names(store, [SecretsFilter(key: "description", values: ["DEV data"])]) == [
        "dev/app/db"
      ])
    #expect(try await names(store, [SecretsFilter(key: "description", values: ["ata"])]).isEmpty)
    // `all` breaks the value into words and selects a secret with any of them at the start
    // of a word of its name, description or tags: "searching for My_Secret matches secrets
    // with the word my or secret in the name, description, or tags"
    // (https://docs.aws.amazon.com/secretsmanager/latest/userguide/manage_search-secret.html).
    #expect(
      try await names(store, [SecretsFilter(key: "all", values: ["api"])]) == ["prod/app/api"])
    let anyWord = try await names(store, [SecretsFilter(key: "all", values: ["api dev"])])
    let tagWord = try await names(store, [SecretsFilter(key: "all", values: ["Edge_Nothing"])])
    await conforming(.listSecretsAllNeedsEveryWord, on: backend) {
      #expect(anyWord == ["prod/app/api", "dev/app/db"])
      #expect(tagWord == ["prod/app/api"])
    }
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
    // Name is case-sensitive.
    #expect(try await names(store, [SecretsFilter(key: "name", values: ["PROD/"])]).isEmpty)
    // A value outside `FilterValueStringType`'s characters is refused, not matched against.
    await conforming(.secretInputValidation, on: backend) {
      await expectStoreError("ValidationException") {
        _ = try await names(store, [SecretsFilter(key: "name", values: ["prod/", "a$b"])])
      }
    }
    // `FilterValueStringType` has no minimum length: an empty value is an empty prefix,
    // which every name has (https://docs.aws.amazon.com/secretsmanager/latest/apireference/
    // API_Filter.html: "Maximum length of 512", pattern `…*$`). Over 512 is the model's
    // constraint, a ValidationException.
    #expect(
      try await names(store, [SecretsFilter(key: "name", values: [""])]) == [
        "prod/app/db", "prod/app/api", "dev/app/db",
      ])
    await conforming(.secretInputValidation, on: backend) {
      await expectStoreError("ValidationException") {
        _ = try await names(
          store, [SecretsFilter(key: "name", values: [String(repeating: "a", count: 513)])])
      }
    }
    var seen: [String] = []
    var token: String?
    repeat {
      let page = try await store.listSecrets(ListSecretsRequest(maxResults: 2, nextToken: token))
      #expect(page.secretList.count <= 2)
      seen += page.secretList.map(\.name)
      token = page.nextToken
    } while token != nil
    #expect(seen.sorted() == ["dev/app/db", "prod/app/api", "prod/app/db"])
  }

  @Test(arguments: Backend.allCases) func batchGetAnswersEachSecretAndListsFailures(
    _ backend: Backend
  ) async throws {
    let store = try await seeded(backend)
    _ = try await store.deleteSecret(DeleteSecretRequest(secretID: "dev/app/db"))
    let batch = try await store.batchGetSecretValue(
      BatchGetSecretValueRequest(secretIDList: ["prod/app/db", "missing", "prod/app/api"]))
    #expect(
      Set(batch.secretValues.map(\.secretString)) == [
        "value-of-prod/app/db", "value-of-prod/app/api",
      ])
    #expect(batch.errors.map(\.secretID) == ["missing"])
    #expect(batch.errors.map(\.errorCode) == ["ResourceNotFoundException"])
    // A secret marked for deletion is an error of its own.
    let deleted = try await store.batchGetSecretValue(
      BatchGetSecretValueRequest(secretIDList: ["dev/app/db"]))
    #expect(deleted.secretValues.isEmpty)
    #expect(deleted.errors.map(\.secretID) == ["dev/app/db"])
    let filtered = try await store.batchGetSecretValue(
      BatchGetSecretValueRequest(filters: [SecretsFilter(key: "name", values: ["prod/"])]))
    #expect(Set(filtered.secretValues.map(\.name)) == ["prod/app/db", "prod/app/api"])
    await expectStoreError("InvalidParameterException") {
      _ = try await store.batchGetSecretValue(
        BatchGetSecretValueRequest(
          secretIDList: ["a"], filters: [SecretsFilter(key: "name", values: ["a"])]))
    }
  }
}
