import CinchStore
import Foundation
import PropertyBased
import Testing
import _CinchTestSupport

@testable import CinchAWS

/// Cases of AWS's Signature Version 4 test suite (the `aws-sig-v4-test-suite` published with the
/// SigV4 documentation): credentials `AKIDEXAMPLE`, date 2015-08-30T12:36:00Z, region
/// `us-east-1`, service `service`. Each gives the request, and the canonical request, string to
/// sign and signature the suite expects.
@Suite struct SigV4SuiteTests {
  struct Case: Sendable, CustomTestStringConvertible {
    var name: String
    var method: String
    var path = "/"
    var query: [(name: String, value: String)] = []
    var headers: [(name: String, value: String)] = []
    var body = ""
    var sessionToken: String?
    var canonicalRequest: String?
    var stringToSignHash: String?
    var signedHeaders: String
    var signature: String

    var testDescription: String { name }
  }

  static let accessKey = "AKIDEXAMPLE"
  static let secretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
  static let date = Date(timeIntervalSince1970: 1_440_938_160)  // 20150830T123600Z
  static let stsToken =
    "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA=="

  static let cases: [Case] = [
    Case(
      name: "get-vanilla", method: "GET",
      canonicalRequest:
        "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
        + SigV4.emptyBodyHash,
      stringToSignHash: "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
      signedHeaders: "host;x-amz-date",
      signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
    Case(
      name: "post-vanilla", method: "POST",
      canonicalRequest:
        "POST\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
        + SigV4.emptyBodyHash,
      stringToSignHash: "553f88c9e4d10fc9e109e2aeb65f030801b70c2f6468faca261d401ae622fc87",
      signedHeaders: "host;x-amz-date",
      signature: "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"),
    Case(
      name: "get-vanilla-with-session-token", method: "GET",
      sessionToken: "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267",
      canonicalRequest:
        "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n"
        + "x-amz-security-token:6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267\n\n"
        + "host;x-amz-date;x-amz-security-token\n" + SigV4.emptyBodyHash,
      stringToSignHash: "067b36aa60031588cea4a4cde1f21215227a047690c72247f1d70b32fbbfad2b",
      signedHeaders: "host;x-amz-date;x-amz-security-token",
      signature: "07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8"),
    Case(
      name: "post-sts-header-before", method: "POST", sessionToken: stsToken,
      stringToSignHash: "c237e1b440d4c63c32ca95b5b99481081cb7b13c7e40434868e71567c1a882f6",
      signedHeaders: "host;x-amz-date;x-amz-security-token",
      signature: "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead"),
    Case(
      name: "post-x-www-form-urlencoded", method: "POST",
      headers: [("Content-Type", "application/x-www-form-urlencoded")], body: "Param1=value1",
      signedHeaders: "content-type;host;x-amz-date",
      signature: "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"),
    Case(
      name: "get-vanilla-query-order-key-case", method: "GET",
      query: [("Param2", "value2"), ("Param1", "value1")],
      stringToSignHash: "816cd5b414d056048ba4f7c5386d6e0533120fb1fcfa93762cf0fc39e2cf19e0",
      signedHeaders: "host;x-amz-date",
      signature: "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"),
    Case(
      name: "get-vanilla-utf8-query", method: "GET", query: [("ሴ", "bar")],
      signedHeaders: "host;x-amz-date",
      signature: "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"),
    Case(
      name: "get-header-value-trim", method: "GET",
      headers: [("My-Header1", " value1"), ("My-Header2", " \"a   b   c\"")],
      signedHeaders: "host;my-header1;my-header2;x-amz-date",
      signature: "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"),
    Case(
      name: "get-header-value-order", method: "GET",
      headers: [
        ("My-Header1", "value4"), ("My-Header1", "value1"), ("My-Header1", "value3"),
        ("My-Header1", "value2"),
      ],
      signedHeaders: "host;my-header1;x-amz-date",
      signature: "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01"),
    Case(
      name: "get-utf8", method: "GET", path: "/ሴ", signedHeaders: "host;x-amz-date",
      signature: "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"),
    Case(
      name: "get-space-normalized", method: "GET", path: "/example space/",
      signedHeaders: "host;x-amz-date",
      signature: "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"),
    Case(
      name: "get-relative-relative-normalized", method: "GET", path: "/example1/example2/../..",
      signedHeaders: "host;x-amz-date",
      signature: "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"),
    Case(
      name: "get-slashes-normalized", method: "GET", path: "//example//",
      signedHeaders: "host;x-amz-date",
      signature: "9a624bd73a37c9a373b5312afbebe7a714a789de108f0bdfe846570885f57e84"),
  ]

  static func credentials(_ token: String?) -> AWSCredentials {
    AWSCredentials(
      accessKeyID: accessKey, secretAccessKey: SecretBytes(utf8: secretKey),
      sessionToken: token.map { SecretBytes(utf8: $0) }, source: "the test suite")
  }

  static func request(_ testCase: Case) -> SigV4Request {
    SigV4Request(
      method: testCase.method, path: testCase.path, query: testCase.query,
      headers: [("Host", "example.amazonaws.com")] + testCase.headers,
      body: Array(testCase.body.utf8))
  }

  @Test(arguments: cases) func signsLikeTheSuite(_ testCase: Case) throws {
    var request = Self.request(testCase)
    SigV4Signer(region: "us-east-1", service: "service").sign(
      &request, credentials: Self.credentials(testCase.sessionToken), at: Self.date)
    #expect(request.header("X-Amz-Date") == "20150830T123600Z")
    #expect(request.header("X-Amz-Security-Token") == testCase.sessionToken)
    #expect(
      request.header("Authorization")
        == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
        + "SignedHeaders=\(testCase.signedHeaders), Signature=\(testCase.signature)")

    let withoutAuthorization = SigV4Request(
      method: request.method, path: request.path, query: request.query,
      headers: request.headers.filter { $0.name != "Authorization" },
      payloadHash: request.payloadHash)
    let canonical = SigV4.canonicalRequest(withoutAuthorization)
    if let expected = testCase.canonicalRequest { #expect(canonical.text == expected) }
    #expect(canonical.signedHeaders == testCase.signedHeaders)
    if let hash = testCase.stringToSignHash {
      let scope = SigV4.Scope(date: "20150830", region: "us-east-1", service: "service")
      #expect(
        SigV4.stringToSign(
          canonicalRequest: canonical.text, amzDate: "20150830T123600Z", scope: scope)
          == "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n" + hash)
    }
  }

  @Test(arguments: cases) func verifiesWhatItSigned(_ testCase: Case) throws {
    var request = Self.request(testCase)
    SigV4Signer(region: "us-east-1", service: "service").sign(
      &request, credentials: Self.credentials(testCase.sessionToken), at: Self.date)
    let authorization = try SigV4Verifier.authorization(of: request)
    #expect(authorization.accessKeyID == "AKIDEXAMPLE")
    #expect(authorization.signature == testCase.signature)
    try SigV4Verifier.verify(
      request, authorization: authorization, secretAccessKey: SecretBytes(utf8: Self.secretKey),
      now: Self.date.addingTimeInterval(60), region: "us-east-1", service: "service")
    // The same with the signing key from a cache every case shares.
    try SigV4Verifier.verify(
      request, authorization: authorization, secretAccessKey: SecretBytes(utf8: Self.secretKey),
      now: Self.date.addingTimeInterval(60), region: "us-east-1", service: "service",
      signingKeys: Self.sharedCache)
  }

  static let sharedCache = SigV4SigningKeyCache()
}

/// What the verifier refuses, with AWS's codes.
@Suite struct SigV4VerifierTests {
  static func signed(body: String = "{}") -> SigV4Request {
    var request = SigV4Request(
      method: "POST", headers: [("Host", "ssm.us-east-1.amazonaws.com")], body: Array(body.utf8))
    SigV4Signer(region: "us-east-1", service: "ssm").sign(
      &request, credentials: SigV4SuiteTests.credentials(nil), at: SigV4SuiteTests.date)
    return request
  }

  static func verify(
    _ request: SigV4Request, secret: String = SigV4SuiteTests.secretKey,
    now: Date = SigV4SuiteTests.date, region: String? = "us-east-1"
  ) throws(SigV4Error) {
    let authorization = try SigV4Verifier.authorization(of: request)
    try SigV4Verifier.verify(
      request, authorization: authorization, secretAccessKey: SecretBytes(utf8: secret), now: now,
      region: region, service: "ssm")
  }

  @Test func aChangedBodyOrWrongSecretFails() throws {
    var tampered = Self.signed()
    tampered.payloadHash = SigV4.hex(SigV4.sha256(Array("{\"x\":1}".utf8)))
    #expect(throws: SigV4Error.signatureMismatch) { try Self.verify(tampered) }
    #expect(throws: SigV4Error.signatureMismatch) { try Self.verify(Self.signed(), secret: "nope") }
    try Self.verify(Self.signed())
  }

  @Test func oldOrFutureRequestsExpire() throws {
    let request = Self.signed()
    try Self.verify(request, now: SigV4SuiteTests.date.addingTimeInterval(14 * 60))
    #expect(throws: SigV4Error.self) {
      try Self.verify(request, now: SigV4SuiteTests.date.addingTimeInterval(16 * 60))
    }
    do {
      try Self.verify(request, now: SigV4SuiteTests.date.addingTimeInterval(-16 * 60))
      Issue.record("a request from the future passed")
    } catch {
      #expect(error.code == "InvalidSignatureException")
    }
  }

  @Test func aMissingOrMalformedDateIsSaidApart() {
    var request = Self.signed()
    request.headers.removeAll { $0.name.lowercased() == "x-amz-date" }
    #expect(throws: SigV4Error.missingDate) { try Self.verify(request) }
    request.headers.append(("X-Amz-Date", "garbage"))
    do {
      try Self.verify(request)
      Issue.record("a malformed date passed")
    } catch {
      #expect(error.code == "IncompleteSignatureException")
      #expect(
        error.message
          == "Date must be in ISO-8601 'basic format'. Got 'garbage'. See http://en.wikipedia.org/wiki/ISO_8601"
      )
    }
  }

  @Test func malformedOrMissingAuthorization() {
    var request = Self.signed()
    request.headers.removeAll { $0.name == "Authorization" }
    #expect(throws: SigV4Error.missingAuthentication) { try Self.verify(request) }
    request.headers.append(
      ("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/ssm/aws4_request"))
    do {
      try Self.verify(request)
      Issue.record("an incomplete header passed")
    } catch {
      #expect(error.code == "IncompleteSignatureException")
      #expect(error.message.contains("'SignedHeaders'"))
      #expect(error.message.contains("'Signature'"))
    }
    #expect(throws: SigV4Error.wrongRegion("us-east-1")) {
      try Self.verify(Self.signed(), region: "eu-west-1")
    }
  }

  @Test func signingKeysAreCachedPerKeyScopeAndSecret() throws {
    let cache = SigV4SigningKeyCache(capacity: 3)
    let secret = SecretBytes(utf8: SigV4SuiteTests.secretKey)
    let scope = SigV4.Scope(date: "20150830", region: "us-east-1", service: "ssm")
    let first = cache.signingKey(accessKeyID: "AKID", secretAccessKey: secret, scope: scope)
    #expect(first.constantTimeEquals(SigV4.signingKey(secretAccessKey: secret, scope: scope)))
    #expect(
      cache.signingKey(
        accessKeyID: "AKID", secretAccessKey: SecretBytes(utf8: SigV4SuiteTests.secretKey),
        scope: scope) === first)
    // Another secret under the same key id is derived again, never served the cached key.
    let other = SecretBytes(utf8: "another secret")
    let otherKey = cache.signingKey(accessKeyID: "AKID", secretAccessKey: other, scope: scope)
    #expect(!otherKey.constantTimeEquals(first))
    #expect(otherKey.constantTimeEquals(SigV4.signingKey(secretAccessKey: other, scope: scope)))
    var nextDay = scope
    nextDay.date = "20150831"
    let later = cache.signingKey(accessKeyID: "AKID", secretAccessKey: other, scope: nextDay)
    #expect(later.constantTimeEquals(SigV4.signingKey(secretAccessKey: other, scope: nextDay)))
    #expect(cache.count == 2)
    for region in ["eu-west-1", "eu-west-2"] {
      var elsewhere = scope
      elsewhere.region = region
      _ = cache.signingKey(accessKeyID: "AKID", secretAccessKey: other, scope: elsewhere)
    }
    #expect(cache.count <= 3)
  }

  @Test func aCachedKeyDoesNotLetAWrongSecretThrough() throws {
    let cache = SigV4SigningKeyCache()
    let request = Self.signed()
    let authorization = try SigV4Verifier.authorization(of: request)
    try SigV4Verifier.verify(
      request, authorization: authorization,
      secretAccessKey: SecretBytes(utf8: SigV4SuiteTests.secretKey), now: SigV4SuiteTests.date,
      region: "us-east-1", service: "ssm", signingKeys: cache)
    #expect(throws: SigV4Error.signatureMismatch) {
      try SigV4Verifier.verify(
        request, authorization: authorization, secretAccessKey: SecretBytes(utf8: "wrong"),
        now: SigV4SuiteTests.date, region: "us-east-1", service: "ssm", signingKeys: cache)
    }
  }

  @Test func authorizationHeadersWithLooseWhitespace() throws {
    let parsed = try SigV4Authorization(
      parsing: "\t\u{00A0}AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/ssm/aws4_request ,"
        + "\tSignedHeaders=Host;X-Amz-Date,  Signature=ABC123 \u{2003}")
    #expect(parsed.accessKeyID == "AKID")
    #expect(parsed.scope == SigV4.Scope(date: "20150830", region: "us-east-1", service: "ssm"))
    #expect(parsed.signedHeaders == ["host", "x-amz-date"])
    #expect(parsed.signature == "abc123")
    #expect(throws: SigV4Error.self) { try SigV4Authorization(parsing: " \u{00A0} ") }
  }

  /// The byte-level reading of ASCII headers finds the same fields as the general one, on
  /// headers built from the pieces that matter: spaces, tabs, commas, equals signs, the
  /// algorithm, field names.
  @Test func asciiFieldsMatchTheGeneralReading() {
    let pieces = [
      " ", "\t", ",", "=", ", ", "AWS4-HMAC-SHA256 ", "AWS4-HMAC-SHA256", "Credential",
      "SignedHeaders", "Signature", "AKID/20150830/us-east-1/ssm/aws4_request", "host;x-amz-date",
      "abc", "==", "a b",
    ]
    seededCheck(Gen<UInt64>.value(in: .min ... .max), count: 2_000, seed: (31, 2, 3, 4)) { seed in
      var state = seed
      var header = ""
      for _ in 0..<Int(seed % 12) {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        header += pieces[Int((state >> 33) % UInt64(pieces.count))]
      }
      let general = Result { () throws(SigV4Error) in try SigV4Authorization.fields(of: header) }
      let ascii = Result { () throws(SigV4Error) in try SigV4Authorization.fieldsOfASCII(header) }
      switch (general, ascii) {
      case (.success(let a), .success(let b)): #expect(a == b, "\(header.debugDescription)")
      case (.failure(let a), .failure(let b)): #expect(a == b, "\(header.debugDescription)")
      default: Issue.record("readings differ on \(header.debugDescription)")
      }
    }
  }

  /// A received request carries headers it did not sign, and may repeat one it did: only the
  /// signed ones count, repeats joined in order with their whitespace collapsed.
  @Test func unsignedAndRepeatedHeaders() throws {
    let request = SigV4Request(
      method: "POST",
      headers: [
        ("Host", "h"), ("X-Amz-Date", "20150830T123600Z"), ("User-Agent", "  x  y "),
        ("X-Custom", " a   b "), ("x-custom", "c\t d"),
      ], body: [])
    let canonical = SigV4.canonicalRequest(
      request, signedHeaders: ["x-custom", "host", "x-amz-date"])
    #expect(
      canonical.text
        == "POST\n/\n\nhost:h\nx-amz-date:20150830T123600Z\nx-custom:a b,c d\n\n"
        + "host;x-amz-date;x-custom\n" + SigV4.emptyBodyHash)
    #expect(SigV4.canonicalHeaderValue("already canonical") == "already canonical")
    #expect(SigV4.canonicalHeaderValue(" lead") == "lead")
    #expect(SigV4.canonicalHeaderValue("trail ") == "trail")
    #expect(SigV4.canonicalHeaderValue("") == "")
    #expect(SigV4.hex([0x00, 0x0f, 0xa5, 0xff]) == "000fa5ff")
  }

  @Test func amzDatesRoundTrip() {
    #expect(SigV4.amzDate(SigV4SuiteTests.date) == "20150830T123600Z")
    #expect(SigV4.parseAmzDate("20150830T123600Z") == SigV4SuiteTests.date)
    #expect(SigV4.parseAmzDate("20150830T123600") == nil)
    #expect(SigV4.parseAmzDate("20151330T123600Z") == nil)
    // Calendar rules, and every second of four centuries checked against the formatter (one
    // sample a day at a varying time).
    #expect(SigV4.parseAmzDate("20150229T000000Z") == nil)
    #expect(SigV4.parseAmzDate("20160229T000000Z") != nil)
    #expect(SigV4.parseAmzDate("19000229T000000Z") == nil)
    #expect(SigV4.parseAmzDate("20000229T000000Z") != nil)
    #expect(SigV4.parseAmzDate("20150431T000000Z") == nil)
    #expect(SigV4.parseAmzDate("20150830T123660Z") == nil)
    #expect(SigV4.parseAmzDate("20150830T246000Z") == nil)
    #expect(SigV4.parseAmzDate("2015083OT123600Z") == nil)
    var day = Date(timeIntervalSince1970: -2_208_988_800)  // 1900-01-01
    while day.timeIntervalSince1970 < 10_413_792_000 {  // 2300-01-01
      let text = SigV4.amzDate(day)
      #expect(SigV4.parseAmzDate(text) == day, "\(text)")
      day += 86_400 + 3_607
    }
  }
}
