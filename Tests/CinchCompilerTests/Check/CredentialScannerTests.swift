import Foundation
import PropertyBased
import Testing
import _CinchTestSupport

@testable import CinchCompiler
@testable import CinchTemplate

@Suite struct CredentialScannerTests {
  /// Credential-shaped text (made up, never a live key) and what the scanner calls it.
  static let shapes: [(String, CredentialScanner.Kind)] = [
    ("\(FakeCredentials.awsAccessKeyID)", .awsAccessKeyID),
    ("\(FakeCredentials.awsSessionKeyID)", .awsAccessKeyID),
    ("ghp_Zq3Lm8Rt2Vx6Nb1Kc4Hd7Fj9Gs5Pw0Ye3Ua8", .gitHubToken),
    ("ghs_Zq3Lm8Rt2Vx6Nb1Kc4Hd7Fj9Gs5Pw0Ye3Ua8", .gitHubToken),
    (
      "github_pat_" + String(repeating: "Zq3Lm8Rt2Vx6Nb1Kc4Hd7F_", count: 4).prefix(82),
      .gitHubToken
    ),
    ("xoxb-482716350912-5827361940283-Rk3Ld9Pq2Wx7Zm4Nc8Vb6Tj1", .slackToken),
    (
      "https://hooks.slack.com/services/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", .slackWebhook
    ),
    ("sk_live_51Hx8Kd2Lq9Zp3Vr6Wm4Tn7Xb", .stripeKey),
    ("rk_test_51Hx8Kd2Lq9Zp3Vr6Wm4Tn7Xb", .stripeKey),
    ("AIzaSyD3k8Lq2Zp6Vr3Wm9Tn4Xb7Yc1Qd5Jh0Fs", .googleAPIKey),
    ("npm_Zq3Lm8Rt2Vx6Nb1Kc4Hd7Fj9Gs5Pw0Ye3Ua8", .npmToken),
    (
      "eyJhbGciOiJSUzI1NiIsImtpZCI6Imsx.eyJzdWIiOiJzdmMtMTIzIiwiZXhwIjo5OTk5.Zq3Lm8Rt2Vx6Nb1Kc4Hd7Fj9Gs5Pw0Ye",
      .jsonWebToken
    ),
  ]

  /// Text that looks like the above but is not a credential.
  static let lookalikes: [String] =
    [
      "AKIAIOSFODNN7EXAMPLE",  // AWS's documented example
      "AKIAI44QH8DHBEXAMPLE",
      "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    ] + FakeCredentials.fillerAccessKeyIDs + [
      "\(FakeCredentials.awsAccessKeyID)X",  // one byte too long
      "x\(FakeCredentials.awsAccessKeyID)",  // glued to a word
      FakeCredentials.roleUniqueID,  // a role's unique id, not a key
      "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "ghp_short",
      "sk_test_4eC39HqLyjWDarjtT1zdp7dc",  // Stripe's documented test key
      "pk_live_51Hx8Kd2Lq9Zp3Vr6Wm4Tn7Xb",  // publishable, meant to be public
      "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
      "eyJhbGciOiJub25lIn0.eyJzdWIiOiJzdmMtMTIzIn0.",  // unsigned
      "postgres://${DbUser}:${DbPassword}@db:5432/app", "redis://cache.internal:6379/0",
      "https://user:{{resolve:secretsmanager:x}}@host", "https://github.com/org/repo.git",
      "http://admin:password@localhost", "3f786850e387550fdab836ed7e6dc881de23001b",
      "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----",
      "-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onLRnrq0\n-----END PUBLIC KEY-----",
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf",
    ]

  @Test(arguments: shapes.indices)
  func findsEachShapeStandingAlone(_ index: Int) {
    let (text, kind) = Self.shapes[index]
    for (before, after) in [
      ("", ""), ("KEY: ", "\n"), ("'", "'"), ("\"", "\","), ("x=", " # note"),
    ] {
      let bytes = Array((before + text + after).utf8)
      let matches = CredentialScanner.matches(bytes)
      #expect(
        matches == [
          .init(kind: kind, start: before.utf8.count, end: before.utf8.count + text.utf8.count)
        ],
        "\(kind) in \(before)…\(after)")
    }
  }

  @Test(arguments: lookalikes)
  func leavesLookalikesAlone(_ text: String) {
    #expect(CredentialScanner.matches(Array("value: \(text)\n".utf8)).isEmpty, "\(text)")
  }

  @Test func findsASecretKeyNearAnAccessKeyIDOrAfterItsName() {
    let pair = """
      [deploy]
      aws_access_key_id = \(FakeCredentials.awsAccessKeyID)
      aws_secret_access_key = k9Jd8sLmQ2pXzR7vT4bN1cW6yH3fG5aE0uI/oP+s
      """
    #expect(
      CredentialScanner.matches(Array(pair.utf8)).map(\.kind) == [
        .awsAccessKeyID, .awsSecretAccessKey,
      ])
    let named = "SecretAccessKey: k9Jd8sLmQ2pXzR7vT4bN1cW6yH3fG5aE0uI/oP+s\n"
    #expect(CredentialScanner.matches(Array(named.utf8)).map(\.kind) == [.awsSecretAccessKey])
    // Shell and INI assignments glue the key to its name with `=`: `KEY=value`, one line
    // holding both halves of a pair, an export with quotes.
    let key = "k9Jd8sLmQ2pXzR7vT4bN1cW6yH3fG5aE0uI/oP+s"
    for line in [
      "# AWS_SECRET_ACCESS_KEY=\(key)\n",
      "# aws_access_key_id=\(FakeCredentials.awsAccessKeyID) aws_secret_access_key=\(key)\n",
      "export AWS_SECRET_ACCESS_KEY=\"\(key)\"\n",
      "aws_secret_access_key=\(key)",
    ] {
      let found = CredentialScanner.matches(Array(line.utf8))
      let text = found.filter { $0.kind == .awsSecretAccessKey }.map {
        String(decoding: Array(line.utf8)[$0.start..<$0.end], as: UTF8.self)
      }
      #expect(text == [key], "\(line)")
    }
    // Base64 padding still ends a longer run: forty bytes before `=` are not a key.
    let padded = "SecretAccessKey: \(key)==\n"
    #expect(CredentialScanner.matches(Array(padded.utf8)).isEmpty)
    // Forty base64 bytes with nothing to say they are a key: a digest, a token of some
    // other service; too common to call.
    let alone = "Checksum: k9Jd8sLmQ2pXzR7vT4bN1cW6yH3fG5aE0uI/oP+s\n"
    #expect(CredentialScanner.matches(Array(alone.utf8)).isEmpty)
  }

  @Test func aPrivateKeyBlockIsOneMatchFromHeaderToFooter() {
    let body = "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun"
    for newline in ["\n", "\\n"] {  // YAML block scalar, or a JSON string with escapes
      let block =
        "-----BEGIN EC PRIVATE KEY-----\(newline)\(body)\(newline)\(body)\(newline)-----END EC PRIVATE KEY-----"
      let text = "Value: \"\(block)\"\n"
      let matches = CredentialScanner.matches(Array(text.utf8))
      #expect(matches == [.init(kind: .privateKey, start: 8, end: 8 + block.utf8.count)])
    }
  }

  /// Any bytes: no trap, and every match lies inside the text, in order, without overlap.
  @Test func anyBytesScanSafely() {
    let pieces = Gen<Int>.value(in: 0...(Self.shapes.count + 6)).map { pick -> String in
      switch pick {
      case Self.shapes.count...:
        ["-----BEGIN ", "://", ":", "@", "eyJ", "\n", "AKIA"][pick - Self.shapes.count]
      default: Self.shapes[pick].0
      }
    }
    let generator = zip(pieces.array(of: 0...6), Gen<UInt8>.value(in: 0...255).array(of: 0...40))
    seededCheck(generator) { pieces, noise in
      var bytes: [UInt8] = []
      for (index, piece) in pieces.enumerated() {
        bytes += Array(piece.utf8)
        bytes += noise.prefix(index * 3 % 11)
      }
      var end = 0
      for match in CredentialScanner.matches(bytes) {
        #expect(match.start >= end && match.start < match.end && match.end <= bytes.count)
        end = match.end
      }
    }
  }

  /// A real-looking key set among any words is found exactly where it was put.
  @Test func aKeyAmongWordsIsFoundWhereItIs() {
    let word = Gen<Character>.letterOrNumber.string(of: 0...12)
    seededCheck(zip(word.array(of: 0...8), Gen<Int>.value(in: 0...(Self.shapes.count - 1)))) {
      words, pick in
      let (key, kind) = Self.shapes[pick]
      let before = words.joined(separator: " ") + (words.isEmpty ? "" : " ")
      let text = before + key + " " + words.reversed().joined(separator: " ")
      let matches = CredentialScanner.matches(Array(text.utf8)).filter { $0.kind == kind }
      #expect(
        matches.contains(
          .init(kind: kind, start: before.utf8.count, end: before.utf8.count + key.utf8.count)))
    }
  }
}

@Suite struct SensitiveRenderingTests {
  /// A sensitive finding's text never reaches the human format, in its own excerpt or in
  /// another finding's that shows the same line.
  @Test func theHumanFormatMasksASecretInEveryExcerpt() throws {
    let text =
      "Resources:\n  Fn: {Type: AWS::Lambda::Function, Properties: {Code: \(FakeCredentials.awsAccessKeyID)}}\n"
    var diagnostics = Diagnostics()
    let document = TemplateParser.parse(SourceFile(path: "t.yaml", text: text), into: &diagnostics)
    CredentialScanner.scan(document, into: &diagnostics)
    let secret = try #require(diagnostics.items.first)
    #expect(secret.sensitive && secret.path == ["Resources", "Fn", "Properties", "Code"])
    diagnostics.report(
      Diagnostic(
        .unknownTag, "another finding on the line", file: "t.yaml",
        range: secret.range.map {
          SourceRange(
            start: SourcePosition(
              offset: $0.start.offset - 8, line: 2, column: $0.start.column - 8), end: $0.start)
        }))
    let output = HumanDiagnosticRenderer().render(
      diagnostics.sorted, sources: ["t.yaml": document.file])
    #expect(!output.contains("\(FakeCredentials.awsAccessKeyID)"))
    #expect(output.contains("Code: ********************}}"))
    for renderer in [JSONDiagnosticRenderer().render(diagnostics.sorted, sources: [:])] {
      #expect(!renderer.contains("AKIAZ7Q2"))
    }
  }
}
