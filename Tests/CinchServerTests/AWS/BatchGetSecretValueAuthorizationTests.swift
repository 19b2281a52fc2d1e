import CinchAWS
import CinchJSON
import CinchStore
import Foundation
import Testing
import _CinchTestSupport

@testable import CinchServer

/// `BatchGetSecretValue` asks IAM for `secretsmanager:GetSecretValue` on each secret before the
/// store reads it: a secret the caller may not read is listed in `Errors` with IAM's message, and
/// is neither decrypted, nor marked accessed, nor recorded in the audit log as read.
struct BatchGetSecretValueAuthorizationTests {
  static let allowRead = #"""
    {"Statement": [
      {"Effect": "Allow", "Action": ["secretsmanager:BatchGetSecretValue",
       "secretsmanager:ListSecrets"], "Resource": "*"},
      {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
       "Resource": "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/open-??????"}]}
    """#

  final class Fixture: Sendable {
    let directory: URL
    let store: SQLiteStore
    let root: AccessKey
    let ci: AccessKey
    /// In the value of `app/closed`, which `ci` may not read.
    let canary: String
    let closedARN: String

    init(policy: String = BatchGetSecretValueAuthorizationTests.allowRead) async throws {
      directory = try CinchProcess.temporaryDirectory()
      store = try await SQLiteStore.create(
        at: directory.path + "/store.db", master: .newKeyFile(path: directory.path + "/master.key"))
      root = try await store.createAccessKey(userName: nil).accessKey
      ci = try await store.createAccessKey(userName: "ci").accessKey
      try await store.putUserPolicy(userName: "ci", policyName: "batch", policyDocument: policy)
      canary = "canary-\(UUID().uuidString.prefix(8))"
      _ = try await store.createSecret(
        CreateSecretRequest(name: "app/open", secretString: "value-of-app/open"))
      closedARN = try await store.createSecret(
        CreateSecretRequest(name: "app/closed", secretString: "\(canary)/app/closed")
      ).arn
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// `body` for `BatchGetSecretValue`, signed by `key`, answered by the endpoint; the canary
    /// is in neither the body nor the access log's line.
    func batch(_ body: String, key: AccessKey, status: Int = 200) async throws -> JSONValue {
      let request = ServerRequest.signed(
        "secretsmanager.BatchGetSecretValue", body, key: key)
      let response = await AWSJSONEndpoint(store: store).handle(request)
      let text = String(decoding: response.body, as: UTF8.self)
      #expect(response.status == status, "\(text)")
      if key.accessKeyID != root.accessKeyID {
        #expect(!text.contains(canary), "the refused secret's value was answered")
      }
      #expect(response.logDetail?.contains(canary) == false)
      return try JSONValueParser.parse(text)
    }

    /// When `app/closed` and its current version were last read, as the store (not a caller)
    /// sees them: nil while nothing has read it.
    func lastAccessed() async throws -> (secret: Date?, version: Date?) {
      let store = self.store.withCaller("test")
      let secret = try await store.describeSecret(DescribeSecretRequest(secretID: "app/closed"))
      let versions = try await store.listSecretVersionIds(
        ListSecretVersionIdsRequest(secretID: "app/closed"))
      return (secret.lastAccessedDate, versions.versions.first?.lastAccessedDate)
    }

    /// The `BatchGetSecretValue` rows the audit log has for `app/closed`.
    func closedBatchRows() async throws -> [AuditRecord] {
      try await store.auditRecords(name: "app/closed", limit: nil).filter {
        $0.operation == "BatchGetSecretValue"
      }
    }

    var deniedMessage: String {
      "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: "
        + "secretsmanager:GetSecretValue on resource: \(closedARN) because no identity-based "
        + "policy allows the secretsmanager:GetSecretValue action"
    }
  }

  /// The answer's values by name, and its errors as (SecretId, ErrorCode, Message).
  static func split(_ body: JSONValue) -> (values: [String: String], errors: [[String]]) {
    var values: [String: String] = [:]
    for item in body["SecretValues"]?.arrayValue ?? [] {
      values[item["Name"]?.stringValue ?? "?"] = item["SecretString"]?.stringValue
    }
    let errors = (body["Errors"]?.arrayValue ?? []).map { error in
      ["SecretId", "ErrorCode", "Message"].map { error[$0]?.stringValue ?? "" }
    }
    return (values, errors)
  }

  /// Nothing about `app/closed` changed but one audit row saying it was refused to `ci`.
  func expectClosedUnread(_ fixture: Fixture, refusals: Int) async throws {
    let accessed = try await fixture.lastAccessed()
    #expect(accessed.secret == nil, "the refused secret was marked accessed")
    #expect(accessed.version == nil, "the refused secret's version was marked accessed")
    let rows = try await fixture.closedBatchRows()
    #expect(!rows.contains { $0.result == "ok" }, "the audit log says the refused secret was read")
    #expect(rows.count == refusals)
    #expect(
      rows.allSatisfy {
        $0.result == "AccessDeniedException" && $0.caller == fixture.ci.accessKeyID
          && $0.version == nil
      })
  }

  @Test func aSecretRefusedByIDIsNeitherReadNorTouched() async throws {
    let fixture = try await Fixture()
    #expect(try await fixture.lastAccessed() == (nil, nil))
    let answer = try await fixture.batch(
      #"{"SecretIdList": ["app/open", "app/closed"]}"#, key: fixture.ci)
    let (values, errors) = Self.split(answer)
    #expect(values == ["app/open": "value-of-app/open"])
    #expect(errors == [["app/closed", "AccessDeniedException", fixture.deniedMessage]])
    try await expectClosedUnread(fixture, refusals: 1)
    let open = try await fixture.store.auditRecords(name: "app/open", limit: nil)
    #expect(open.contains { $0.operation == "BatchGetSecretValue" && $0.result == "ok" })

    // Asked for by ARN, the error names the secret as it was asked for.
    let byARN = try await fixture.batch(
      #"{"SecretIdList": ["\#(fixture.closedARN)"]}"#, key: fixture.ci)
    #expect(
      Self.split(byARN).errors == [
        [fixture.closedARN, "AccessDeniedException", fixture.deniedMessage]
      ])
    try await expectClosedUnread(fixture, refusals: 2)
  }

  /// A secret that does not exist is refused like one that does, on its partial ARN (as
  /// `GetSecretValue` refuses it): a caller who may not read it cannot learn whether it exists.
  /// One who may gets `ResourceNotFoundException`.
  @Test func aMissingSecretIsRefusedBeforeItIsLookedFor() async throws {
    let fixture = try await Fixture()
    let missingARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:app/missing"
    let refused = try await fixture.batch(
      #"{"SecretIdList": ["app/open", "app/missing"]}"#, key: fixture.ci)
    #expect(Self.split(refused).values.keys.sorted() == ["app/open"])
    #expect(
      Self.split(refused).errors == [
        [
          "app/missing", "AccessDeniedException",
          "User: arn:aws:iam::123456789012:user/ci is not authorized to perform: "
            + "secretsmanager:GetSecretValue on resource: \(missingARN) because no "
            + "identity-based policy allows the secretsmanager:GetSecretValue action",
        ]
      ])
    let everything = try await Fixture(
      policy: #"""
        {"Statement": [{"Effect": "Allow", "Action": ["secretsmanager:BatchGetSecretValue",
         "secretsmanager:GetSecretValue"], "Resource": "*"}]}
        """#)
    let missing = try await everything.batch(
      #"{"SecretIdList": ["app/missing"]}"#, key: everything.ci)
    #expect(
      Self.split(missing).errors.map { $0.prefix(2) } == [
        ["app/missing", "ResourceNotFoundException"]
      ])
  }

  @Test func aSecretRefusedByFiltersIsNeitherReadNorTouched() async throws {
    let fixture = try await Fixture()
    let answer = try await fixture.batch(
      #"{"Filters": [{"Key": "name", "Values": ["app/"]}]}"#, key: fixture.ci)
    let (values, errors) = Self.split(answer)
    #expect(values == ["app/open": "value-of-app/open"])
    #expect(errors == [[fixture.closedARN, "AccessDeniedException", fixture.deniedMessage]])
    try await expectClosedUnread(fixture, refusals: 1)
  }

  /// One secret a page: the refused one is still a page's worth, answered in `Errors`.
  @Test func aSecretRefusedOnALaterPageIsNeitherReadNorTouched() async throws {
    let fixture = try await Fixture()
    var values: [String: String] = [:]
    var errors: [[String]] = []
    var token: String?
    var pages = 0
    repeat {
      let next = token.map { #", "NextToken": "\#($0)""# } ?? ""
      let page = try await fixture.batch(
        #"{"Filters": [{"Key": "name", "Values": ["app/"]}], "MaxResults": 1\#(next)}"#,
        key: fixture.ci)
      let (pageValues, pageErrors) = Self.split(page)
      #expect(pageValues.count + pageErrors.count == 1)
      values.merge(pageValues) { first, _ in first }
      errors += pageErrors
      token = page["NextToken"]?.stringValue
      pages += 1
    } while token != nil && pages < 5
    #expect(pages == 2)
    #expect(values == ["app/open": "value-of-app/open"])
    #expect(errors == [[fixture.closedARN, "AccessDeniedException", fixture.deniedMessage]])
    try await expectClosedUnread(fixture, refusals: 1)
  }

  /// `secretsmanager:SecretId` is the secret as the list names it, and for a filter listing its
  /// ARN: the `SecretId` an error for it would carry.
  @Test func theSecretIdConditionIsTheSecretAsTheRequestNamesIt() async throws {
    let fixture = try await Fixture(
      policy: #"""
        {"Statement": [
          {"Effect": "Allow", "Action": ["secretsmanager:BatchGetSecretValue",
           "secretsmanager:ListSecrets"], "Resource": "*"},
          {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*",
           "Condition": {"StringLike": {"secretsmanager:SecretId": ["app/open", "arn:*:app/open-*"]}}}]}
        """#)
    let byName = try await fixture.batch(
      #"{"SecretIdList": ["app/open", "app/closed"]}"#, key: fixture.ci)
    #expect(Self.split(byName).values.keys.sorted() == ["app/open"])
    #expect(Self.split(byName).errors.map(\.first) == ["app/closed"])
    let byFilter = try await fixture.batch(
      #"{"Filters": [{"Key": "name", "Values": ["app/"]}]}"#, key: fixture.ci)
    #expect(Self.split(byFilter).values.keys.sorted() == ["app/open"])
    #expect(Self.split(byFilter).errors.map(\.first) == [fixture.closedARN])
    try await expectClosedUnread(fixture, refusals: 2)
  }

  /// Filters also need `secretsmanager:ListSecrets`, as AWS documents: without it the whole
  /// request is refused and nothing is read.
  @Test func filtersNeedListSecrets() async throws {
    let fixture = try await Fixture(
      policy: #"""
        {"Statement": [
          {"Effect": "Allow", "Action": ["secretsmanager:BatchGetSecretValue",
           "secretsmanager:GetSecretValue"], "Resource": "*"}]}
        """#)
    let refused = try await fixture.batch(
      #"{"Filters": [{"Key": "name", "Values": ["app/"]}]}"#, key: fixture.ci, status: 400)
    #expect(refused["__type"]?.stringValue == "AccessDeniedException")
    #expect(refused["Message"]?.stringValue?.contains("secretsmanager:ListSecrets") == true)
    #expect(try await fixture.lastAccessed() == (nil, nil))
    // The list of ids needs no ListSecrets.
    let byID = try await fixture.batch(#"{"SecretIdList": ["app/open"]}"#, key: fixture.ci)
    #expect(Self.split(byID).values.keys.sorted() == ["app/open"])
  }

  /// The root key is limited by no policy: both secrets, as before.
  @Test func theRootKeyReadsBoth() async throws {
    let fixture = try await Fixture()
    let answer = try await fixture.batch(
      #"{"Filters": [{"Key": "name", "Values": ["app/"]}]}"#, key: fixture.root)
    let (values, errors) = Self.split(answer)
    #expect(values.keys.sorted() == ["app/closed", "app/open"])
    #expect(errors.isEmpty)
    #expect(try await fixture.lastAccessed().secret != nil)
  }
}
