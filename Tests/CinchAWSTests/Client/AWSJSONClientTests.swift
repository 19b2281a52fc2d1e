import CinchStore
import Foundation
import Testing

@testable import CinchAWS

@Suite struct AWSJSONClientTests {
  static let credentials = AWSCredentials(
    accessKeyID: "AKIDEXAMPLE", secretAccessKey: SecretBytes(utf8: "secret"),
    sessionToken: SecretBytes(utf8: "token"), source: "tests")

  static let endpoint =
    URL(string: "https://ssm.eu-west-1.amazonaws.com") ?? URL(fileURLWithPath: "/")

  /// A client over `transport` whose waits are recorded, not slept.
  static func client(
    _ transport: FakeTransport, waits: Box<[Double]>? = nil, maxAttempts: Int = 3,
    provider: (any AWSCredentialProvider)? = nil
  ) -> AWSJSONClient {
    let recorded = waits
    return AWSJSONClient(
      service: .ssm, region: "eu-west-1",
      endpoint: endpoint,
      credentials: AWSCredentialsCache(provider: provider ?? StaticCredentials(credentials)),
      transport: transport,
      retry: AWSRetryPolicy(
        maxAttempts: maxAttempts, baseDelay: 0.5, maxDelay: 20,
        sleep: { seconds in recorded?.update { $0.append(seconds) } }, random: { 0.5 }),
      now: { Date(timeIntervalSince1970: 1_440_938_160) })
  }

  @Test func sendsAJSON11RequestSignedForTheService() async throws {
    let transport = FakeTransport([
      FakeTransport.json(
        200,
        #"{"Parameter":{"Name":"/a","Type":"String","Value":"v","Version":3,"LastModifiedDate":1582155479.205,"ARN":"arn:aws:ssm:eu-west-1:1:parameter/a","DataType":"text"}}"#
      )
    ])
    let response: GetParameterResponse = try await Self.client(transport).send(
      "GetParameter", GetParameterRequest(name: "/a", withDecryption: true))
    #expect(response.parameter.version == 3)
    #expect(response.parameter.lastModifiedDate == Date(timeIntervalSince1970: 1_582_155_479.205))
    let request = try #require(transport.sent.first)
    #expect(request.method == "POST")
    #expect(request.url.absoluteString == "https://ssm.eu-west-1.amazonaws.com")
    #expect(request.header("X-Amz-Target") == "AmazonSSM.GetParameter")
    #expect(request.header("Content-Type") == "application/x-amz-json-1.1")
    #expect(request.header("X-Amz-Date") == "20150830T123600Z")
    #expect(request.header("X-Amz-Security-Token") == "token")
    #expect(request.bodyText == #"{"Name":"/a","WithDecryption":true}"#)
    let authorization = try #require(request.header("Authorization"))
    #expect(
      authorization.hasPrefix(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-1/ssm/aws4_request, "
          + "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, "))
    // The signature verifies over what was sent, with the Host the HTTP client adds.
    let received = SigV4Request(
      method: "POST", headers: request.headers + [("Host", "ssm.eu-west-1.amazonaws.com")],
      body: request.body)
    try SigV4Verifier.verify(
      received, authorization: try SigV4Verifier.authorization(of: received),
      secretAccessKey: SecretBytes(utf8: "secret"), now: Date(timeIntervalSince1970: 1_440_938_160))
  }

  @Test func errorsKeepAWSsCodeAndMessage() async throws {
    let transport = FakeTransport([
      FakeTransport.json(
        400, #"{"__type":"com.amazonaws.ssm#ParameterNotFound","message":""}"#),
      FakeTransport.json(
        400,
        #"{"__type":"ResourceNotFoundException","Message":"Secrets Manager can't find the specified secret."}"#
      ),
      FakeTransport.json(
        403, "<html>denied</html>",
        headers: ["x-amzn-errortype": "AccessDeniedException:http://internal"]),
    ])
    let client = Self.client(transport)
    for expected in [
      StoreError(code: "ParameterNotFound", message: ""),
      StoreError(
        code: "ResourceNotFoundException",
        message: "Secrets Manager can't find the specified secret."),
      StoreError(code: "AccessDeniedException", message: "", httpStatus: 403),
    ] {
      await expectThrows(expected) {
        let _: GetParameterResponse = try await client.send(
          "GetParameter", GetParameterRequest(name: "/a"))
      }
    }
    #expect(transport.sent.count == 3)
  }

  @Test func throttlingAndServerFaultsAreRetriedWithGrowingJitteredWaits() async throws {
    let transport = FakeTransport([
      FakeTransport.json(400, #"{"__type":"ThrottlingException","message":"Rate exceeded"}"#),
      FakeTransport.json(429, ""),
      FakeTransport.json(503, ""),
      .failure(HTTPTransportError(reason: "connection lost")),
      FakeTransport.json(200, #"{"Version":1,"Tier":"Standard"}"#),
    ])
    let waits = Box<[Double]>([])
    let response: PutParameterResponse = try await Self.client(
      transport, waits: waits, maxAttempts: 5
    ).send("PutParameter", PutParameterRequest(name: "/a", value: "v", type: .string))
    #expect(response.version == 1)
    #expect(transport.sent.count == 5)
    // random() is 0.5 here: half of 0.5, 1, 2, 4 seconds.
    #expect(waits.value == [0.25, 0.5, 1, 2])
  }

  @Test func retriesAreBounded() async throws {
    let transport = FakeTransport(fallback: { _ in
      FakeTransport.json(400, #"{"__type":"ThrottlingException","message":"Rate exceeded"}"#)
    })
    let waits = Box<[Double]>([])
    // The answer every attempt got, and how many retries were spent on it (botocore's
    // "(reached max retries: 2)").
    var exhausted = StoreError(code: "ThrottlingException", message: "Rate exceeded")
    exhausted.maxRetriesReached = 2
    await expectThrows(exhausted) {
      let _: PutParameterResponse = try await Self.client(transport, waits: waits).send(
        "PutParameter", PutParameterRequest(name: "/a", value: "v"))
    }
    #expect(transport.sent.count == 3)
    #expect(waits.value.count == 2)
    // Full jitter: the wait is random() times the cap, capped at maxDelay.
    let policy = AWSRetryPolicy(baseDelay: 1, maxDelay: 20, random: { 0.999 })
    #expect(policy.delay(beforeRetry: 1) < 1)
    #expect(policy.delay(beforeRetry: 10) < 20)
    #expect(AWSRetryPolicy(random: { 0 }).delay(beforeRetry: 3) == 0)
  }

  @Test func clientErrorsAreNotRetried() async throws {
    let transport = FakeTransport([
      FakeTransport.json(400, #"{"__type":"ParameterAlreadyExists","message":"x"}"#)
    ])
    await expectThrows(StoreError.self) {
      let _: PutParameterResponse = try await Self.client(transport).send(
        "PutParameter", PutParameterRequest(name: "/a", value: "v"))
    }
    #expect(transport.sent.count == 1)
  }

  /// botocore's standard mode retries the transient statuses 500, 502, 503 and 504 only: a 501
  /// (the endpoint does not implement the call) or a 505 will not answer otherwise next time.
  @Test func onlyTransientServerStatusesAreRetried() {
    for status in [500, 502, 503, 504] {
      #expect(
        AWSRetryPolicy.isRetryable(StoreError(code: "\(status)", message: "", httpStatus: status)))
    }
    for status in [501, 505, 511] {
      #expect(
        !AWSRetryPolicy.isRetryable(StoreError(code: "\(status)", message: "", httpStatus: status)))
    }
  }

  @Test func anExpiredTokenLoadsFreshCredentialsOnce() async throws {
    struct Counting: AWSCredentialProvider {
      let count = Box(0)
      var name: String { "counting" }
      func load() async throws -> AWSCredentials? {
        let number = count.update { value -> Int in
          value += 1
          return value
        }
        return AWSCredentials(
          accessKeyID: "KEY\(number)", secretAccessKey: SecretBytes(utf8: "s"),
          sessionToken: SecretBytes(utf8: "t\(number)"), source: "counting")
      }
    }
    let transport = FakeTransport([
      FakeTransport.json(400, #"{"__type":"ExpiredTokenException","message":"expired"}"#),
      FakeTransport.json(200, "{}"),
    ])
    let _: DeleteParameterResponse = try await Self.client(transport, provider: Counting()).send(
      "DeleteParameter", DeleteParameterRequest(name: "/a"))
    #expect(transport.sent.map { $0.header("X-Amz-Security-Token") } == ["t1", "t2"])
  }

  @Test func transportFailuresNameTheEndpointNotTheBody() async throws {
    let transport = FakeTransport(fallback: { _ in
      .failure(HTTPTransportError(reason: "timed out", timedOut: true))
    })
    do {
      let _: PutParameterResponse = try await Self.client(transport).send(
        "PutParameter", PutParameterRequest(name: "/a", value: "hunter2", type: .secureString))
      Issue.record("no error")
    } catch let error as AWSClientError {
      #expect(
        "\(error)"
          == #"Could not connect to the endpoint URL: "https://ssm.eu-west-1.amazonaws.com" (timed out)"#
      )
      #expect(!"\(error)".contains("hunter2"))
    }
  }

  @Test func malformedResponsesNameTheFieldNotTheValue() async throws {
    let transport = FakeTransport([
      FakeTransport.json(200, #"{"Parameter":{"Name":"/a","Value":"hunter2"}}"#)
    ])
    do {
      let _: GetParameterResponse = try await Self.client(transport).send(
        "GetParameter", GetParameterRequest(name: "/a"))
      Issue.record("no error")
    } catch let error as AWSClientError {
      #expect(!"\(error)".contains("hunter2"))
      #expect("\(error)".contains("'Parameter'"))
    }
  }
}

/// A call still throttled, or a server still failing, after its retries: botocore's reading
/// of a bare 5xx (the status and its reason phrase), and each reference of the call failed
/// with AWS's error so that `lock` says so at its sites instead of ending the run.
@Suite struct ExhaustedRetryTests {
  static func store(_ transport: FakeTransport) throws -> AWSStore {
    try AWSStore.connect(
      AWSStoreOptions(
        storeRegion: "eu-west-1", environment: [:], homeDirectory: "/nonexistent",
        transport: transport, credentialProvider: StaticCredentials(AWSJSONClientTests.credentials),
        retry: AWSRetryPolicy(maxAttempts: 2, sleep: { _ in })))
  }

  @Test func aBareServerFaultReadsAsBotocoreReadsIt() {
    #expect(
      AWSWireCodec.decodeError(status: 500, headers: [:], body: [])
        == StoreError(code: "500", message: "Internal Server Error", httpStatus: 500))
    #expect(
      AWSWireCodec.decodeError(status: 503, headers: [:], body: Array(" <html>busy".utf8))
        == StoreError(code: "503", message: "Service Unavailable", httpStatus: 503))
    #expect(
      AWSWireCodec.decodeError(
        status: 500, headers: [:], body: Array(#"{"__type":"InternalServerError"}"#.utf8)
      ).code
        == "InternalServerError")
  }

  /// A body that is not AWS's JSON (a proxy's page, a compatible server's XML error) still
  /// says something: the code and message an XML `<Error>` holds, else the status's reason
  /// phrase, never an empty message after the colon.
  @Test func aBodyThatIsNotJSONStillSaysWhatWentWrong() {
    let xml =
      #"<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match</Message></Error></ErrorResponse>"#
    #expect(
      AWSWireCodec.decodeError(status: 403, headers: [:], body: Array(xml.utf8))
        == StoreError(
          code: "SignatureDoesNotMatch",
          message: "The request signature we calculated does not match", httpStatus: 403))
    #expect(
      AWSWireCodec.decodeError(
        status: 500, headers: [:], body: Array("<!DOCTYPE html><title>oops</title>".utf8))
        == StoreError(code: "500", message: "Internal Server Error", httpStatus: 500))
    #expect(
      AWSWireCodec.decodeError(status: 403, headers: [:], body: Array("denied".utf8))
        == StoreError(code: "403", message: "Forbidden", httpStatus: 403))
  }

  @Test func aThrottledCallFailsEachReferenceItAskedFor() async throws {
    let throttled = FakeTransport(fallback: { _ in
      FakeTransport.json(400, #"{"__type":"ThrottlingException","message":"Rate exceeded"}"#)
    })
    let store = try Self.store(throttled)
    let parameters = try await store.resolveParameters(["/a", "/b:2"])
    #expect(parameters.count == 2)
    for answer in parameters {
      guard case .failed(_, let error) = answer else {
        Issue.record("\(answer) resolved")
        continue
      }
      #expect(error.code == "ThrottlingException")
    }
    let secrets = try await store.resolveSecrets([
      SecretSelector(secretID: "one"), SecretSelector(secretID: "two"),
    ])
    #expect(secrets.count == 2)
    for answer in secrets {
      guard case .failed(_, let error) = answer else {
        Issue.record("\(answer) resolved")
        continue
      }
      #expect(error.code == "ThrottlingException")
    }
  }
}
