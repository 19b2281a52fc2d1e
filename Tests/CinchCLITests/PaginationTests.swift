import Foundation
import Testing

@testable import CinchCLI

/// `--max-items`, `--page-size` and `--starting-token` as botocore's PageIterator runs them
/// (botocore/paginate.py): pages cut at `--max-items`, and the `NextToken` printed is botocore's,
/// byte for byte, so a token from the aws CLI resumes here and one from here resumes there.
@Suite struct PaginationTests {
  /// A listing of `count` items whose service tokens are the index of the next item, and which
  /// answers `serves` items a call whatever it is asked for (nil: what it is asked for, else 4),
  /// as a server that ignores `MaxResults` does.
  struct Listing {
    var count: Int
    var serves: Int?
    var calls: [(size: Int?, token: String?)] = []

    mutating func page(_ size: Int?, _ token: String?) -> (items: [Int], next: String?) {
      calls.append((size, token))
      let start = token.flatMap(Int.init) ?? 0
      let end = min(count, start + (serves ?? size ?? 4))
      return (Array(start..<end), end < count ? String(end) : nil)
    }
  }

  static func options(maxItems: Int? = nil, pageSize: Int? = nil, startingToken: String? = nil)
    -> PaginationOptions
  {
    var options = PaginationOptions()
    options.maxItems = maxItems
    options.pageSize = pageSize
    options.startingToken = startingToken
    return options
  }

  static func collect(_ options: PaginationOptions, _ listing: inout Listing) async throws
    -> Collected<Int>
  {
    var source = listing
    defer { listing = source }
    return try await options.collect(noPaginate: false, serviceToken: nil, serviceLimit: nil) {
      source.page($0, $1)
    }
  }

  static func decoded(_ token: String?) -> String? {
    token.flatMap { Data(base64Encoded: $0) }.map { String(decoding: $0, as: UTF8.self) }
  }

  /// The tokens Python's `base64.b64encode(json.dumps(token).encode())` writes.
  @Test func tokensAreBotocoresByteForByte() {
    #expect(
      ResumeToken(serviceToken: nil, skip: 3).encoded(inputToken: "NextToken")
        == "eyJOZXh0VG9rZW4iOiBudWxsLCAiYm90b190cnVuY2F0ZV9hbW91bnQiOiAzfQ==")
    #expect(
      ResumeToken(serviceToken: "2", skip: 1).encoded(inputToken: "NextToken")
        == "eyJOZXh0VG9rZW4iOiAiMiIsICJib3RvX3RydW5jYXRlX2Ftb3VudCI6IDF9")
    #expect(
      ResumeToken(serviceToken: "2", skip: 0).encoded(inputToken: "NextToken")
        == "eyJOZXh0VG9rZW4iOiAiMiJ9")
    #expect(
      ResumeToken.tokenJSON.string(.string("a\"b\\c\né/\u{1F600}"))
        == #""a\"b\\c\n\u00e9/\ud83d\ude00""#)
  }

  @Test func startingTokensInEveryFormBotocoreReads() throws {
    let botocore = "eyJOZXh0VG9rZW4iOiAiMiIsICJib3RvX3RydW5jYXRlX2Ftb3VudCI6IDF9"
    #expect(
      try ResumeToken(botocore, inputToken: "NextToken")
        == ResumeToken(serviceToken: "2", skip: 1))
    #expect(
      try ResumeToken("abc___2", inputToken: "NextToken")
        == ResumeToken(serviceToken: "abc", skip: 2))
    #expect(
      try ResumeToken("None___5", inputToken: "NextToken")
        == ResumeToken(serviceToken: nil, skip: 5))
    // A service token as the service gave it (moto's and AWS's are not base64 JSON).
    #expect(
      try ResumeToken("AAIAAX2f==", inputToken: "NextToken")
        == ResumeToken(serviceToken: "AAIAAX2f==", skip: 0))
    // botocore's JSON for another operation's token is refused, as botocore refuses it.
    let marker = ResumeToken(serviceToken: "m", skip: 0).encoded(inputToken: "Marker")
    #expect(throws: AWSUsageError.self) { try ResumeToken(marker, inputToken: "NextToken") }
  }

  /// A server that sends more than it was asked for is cut at `--max-items`, and the token
  /// resumes inside that page.
  @Test func aPageLongerThanAskedIsCut() async throws {
    var listing = Listing(count: 10, serves: 4)
    let first = try await Self.collect(Self.options(maxItems: 3, pageSize: 2), &listing)
    #expect(first.items == [0, 1, 2])
    #expect(first.paging.pageSizes == [3])
    #expect(Self.decoded(first.next) == #"{"NextToken": null, "boto_truncate_amount": 3}"#)
    let second = try await Self.collect(
      Self.options(maxItems: 3, startingToken: first.next), &listing)
    #expect(second.items == [3, 4, 5])
    #expect(Self.decoded(second.next) == #"{"NextToken": "4", "boto_truncate_amount": 2}"#)
    let rest = try await Self.collect(Self.options(startingToken: second.next), &listing)
    #expect(rest.items == [6, 7, 8, 9])
    #expect(rest.next == nil)
  }

  /// As botocore: every call asks for `--page-size` (not fewer because `--max-items` wants
  /// fewer); a listing that ends on `--max-items` resumes at the next page's token.
  @Test func pagesAskForThePageSize() async throws {
    var listing = Listing(count: 7)
    let cut = try await Self.collect(Self.options(maxItems: 3, pageSize: 2), &listing)
    #expect(cut.items == [0, 1, 2])
    #expect(listing.calls.map(\.size) == [2, 2])
    #expect(cut.paging.pageSizes == [2, 1])
    #expect(Self.decoded(cut.next) == #"{"NextToken": "2", "boto_truncate_amount": 1}"#)
    let boundary = try await Self.collect(Self.options(maxItems: 4, pageSize: 2), &listing)
    #expect(Self.decoded(boundary.next) == #"{"NextToken": "4"}"#)
    let all = try await Self.collect(Self.options(startingToken: boundary.next), &listing)
    #expect(all.items == [4, 5, 6])
    // Exactly the items there are: nothing to resume.
    let exact = try await Self.collect(Self.options(maxItems: 7, pageSize: 7), &listing)
    #expect(exact.items.count == 7 && exact.next == nil)
  }
}
