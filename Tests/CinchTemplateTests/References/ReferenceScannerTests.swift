import Testing

@testable import CinchTemplate

/// Spans checked against positions marked in the input (1️⃣ … 2️⃣ is the expected span).
@Suite struct ReferenceScannerTests {
  private func issue(_ marked: MarkedText, mode: ReferenceScanner.Mode = .plain)
    -> ReferenceIssue?
  {
    let scan = ReferenceScanner.scan(marked.text, mode: mode)
    #expect(scan.issues.count == 1)
    return scan.issues.first
  }

  @Test(arguments: [
    ("{{resolve:ssm:/a:1️⃣prod2️⃣}}", DiagnosticCode.versionNotANumber),
    ("x {{resolve:1️⃣SSM2️⃣:/a}} y", .unknownService),
    ("{{resolve:ssm:/my1️⃣ 2️⃣app}}", .invalidName),
    ("{{resolve:ssm:/b:1:2}}", .tooManySegments),
    ("{{resolve:secretsmanager:s:1️⃣SecretBinary2️⃣}}", .secretStringSegment),
    ("{{resolve:secretsmanager:s:SecretString:k:1️⃣AWSCURRENT:abc2️⃣}}", .stageAndVersionId),
    ("{{resolve:ssm:1️⃣{{resolve:ssm:/in}}2️⃣}}", .nestedReference),
    ("{{resolve:secretsmanager:s:SecretString:k1️⃣\\2️⃣}}", .trailingBackslash),
    ("ok 1️⃣{{resolve:2️⃣ssm:/a", .unterminatedReference),
    ("{{resolve:ssm:/a1️⃣:2️⃣}}", .emptyVersion),
    (
      "{{resolve:secretsmanager:arn:aws:secretsmanager:us-east-1:1️⃣12345678901x2️⃣:secret:s}}",
      .invalidSecretARN
    ),
  ])
  func issueSpans(_ input: String, _ code: DiagnosticCode) throws {
    let marked = MarkedText(input)
    let found = try #require(issue(marked))
    #expect(found.code == code)
    if marked.offset(1) >= 0 { #expect(found.span == marked.span(1, 2)) }
  }

  /// Parameter Store's shape of a name, which CloudFormation's `GetParameters` call refuses
  /// otherwise: a hierarchy starts with '/', has no empty level and at most fifteen levels.
  @Test(arguments: [
    (
      "{{resolve:ssm:1️⃣qa/secure2️⃣}}",
      "parameter name 'qa/secure' is hierarchical but does not start with '/'; write '/qa/secure'"
    ),
    ("{{resolve:ssm-secure:/a/1️⃣/2️⃣b}}", "parameter name '/a//b' has an empty level"),
    ("{{resolve:ssm:/x1️⃣/2️⃣}}", "parameter name '/x/' has an empty level"),
    ("{{resolve:ssm:1️⃣/2️⃣}}", "parameter name '/' has an empty level"),
    (
      "{{resolve:ssm:1️⃣/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/162️⃣}}",
      "parameter name '/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16' has 16 levels; Parameter Store allows 15"
    ),
    (
      "{{resolve:ssm:1️⃣ssmfoo2️⃣}}",
      "parameter name 'ssmfoo' starts with 'ssm': Parameter Store refuses names prefixed with "
        + "'aws' or 'ssm' in any case, so none can exist ('/aws/…' is AWS's public namespace)"
    ),
    (
      "{{resolve:ssm-secure:1️⃣/SSM/db/password2️⃣}}",
      "parameter name '/SSM/db/password' starts with 'SSM': Parameter Store refuses names "
        + "prefixed with 'aws' or 'ssm' in any case, so none can exist ('/aws/…' is AWS's public "
        + "namespace)"
    ),
    (
      "{{resolve:ssm:1️⃣AWSfoo2️⃣:2}}",
      "parameter name 'AWSfoo' starts with 'AWS': Parameter Store refuses names prefixed with "
        + "'aws' or 'ssm' in any case, so none can exist ('/aws/…' is AWS's public namespace)"
    ),
  ])
  func parameterNamesHaveParameterStoresShape(_ input: String, _ message: String) throws {
    let marked = MarkedText(input)
    let found = try #require(issue(marked))
    #expect(found.code == .invalidName)
    #expect(found.message == message)
    #expect(found.span == marked.span(1, 2))
  }

  @Test func aNameLongerThanAnyARNAllowsIsReported() throws {
    let name = "/" + String(repeating: "n", count: 1_011)
    let found = try #require(issue(MarkedText("{{resolve:ssm:\(name)}}")))
    #expect(found.code == .invalidName)
    #expect(
      found.message
        == "parameter name is 1012 characters; with its ARN a name has at most 1011")
  }

  @Test(arguments: [
    "{{resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64}}",
    "{{resolve:ssm:plain-name}}", "{{resolve:ssm:/a/b:3}}", "{{resolve:ssm:/as/ws}}",
    "{{resolve:ssm:/app/ssm/aws}}", "{{resolve:ssm:sm}}",
    "{{resolve:ssm:/aws/reference/secretsmanager/app-db}}",
    "{{resolve:ssm:/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15}}",
  ])
  func wellShapedNamesPass(_ input: String) {
    #expect(ReferenceScanner.scan(input, mode: .plain).issues.isEmpty)
  }

  @Test func aNameWithPlaceholdersIsLeftToItsEvaluation() {
    #expect(ReferenceScanner.scan("{{resolve:ssm:${Prefix}/db}}", mode: .sub).issues.isEmpty)
    #expect(ReferenceScanner.scan("{{resolve:ssm:/${Env}//db}}", mode: .sub).issues.isEmpty)
  }

  @Test func tooManySegmentsPointsAtTheExtraSegments() throws {
    let marked = MarkedText("{{resolve:ssm:/b:11️⃣:22️⃣}}")
    #expect(try #require(issue(marked)).span == marked.span(1, 2))
  }

  @Test func subPlaceholderBraceIsNotHalfTheCloser() throws {
    // AWS's own RDS samples: the reference ends at the third brace.
    let marked = MarkedText("1️⃣{{resolve:secretsmanager:${DBCredential}}}2️⃣")
    let scan = ReferenceScanner.scan(marked.text, mode: .sub)
    let found = try #require(scan.references.first)
    #expect(scan.issues.isEmpty)
    #expect(found.span == marked.span(1, 2))
    #expect(found.reference.name == "${DBCredential}")
    #expect(found.placeholders.map(\.name) == ["DBCredential"])
  }

  @Test func outsideSubTheSameTextIsNotAPlaceholder() throws {
    let marked = MarkedText("{{resolve:secretsmanager:1️⃣${2️⃣DBCredential}}}")
    let found = try #require(issue(marked))
    #expect(found.code == .invalidName)
    #expect(found.span == marked.span(1, 2))
    #expect(found.referenceSpan == 0..<(marked.text.utf8.count - 1))
  }

  @Test func colonsInsidePlaceholdersSplitNothing() throws {
    let scan = ReferenceScanner.scan(
      "{{resolve:secretsmanager:arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:db:SecretString:password}}",
      mode: .sub)
    let reference = try #require(scan.references.first).reference
    #expect(scan.issues.isEmpty)
    #expect(
      reference.name
        == "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:db")
    #expect(reference.jsonKey == "password")
  }

  @Test func delimitersAreReported() {
    let scan = ReferenceScanner.scan("<<resolve:ssm:/a>> {{resolve:ssm:/b}}")
    #expect(scan.references.map(\.reference.delimiter) == [.angles, .braces])
    #expect(scan.references.map(\.reference.text) == ["<<resolve:ssm:/a>>", "{{resolve:ssm:/b}}"])
  }

  @Test func stageAndVersionIdStillYieldsTheReference() {
    let scan = ReferenceScanner.scan("{{resolve:secretsmanager:s:SecretString:k:AWSCURRENT:v1}}")
    #expect(scan.references.count == 1)
    #expect(scan.issues.map(\.code) == [.stageAndVersionId])
  }

  @Test func braceLessTextIsNotAReference() {
    #expect(ReferenceScanner.scan("resolve:ssm:/golden/ami").isEmpty)
    #expect(ReferenceScanner.scan("resolve:ssm:/golden/ami:prod", mode: .sub).isEmpty)
  }

  /// `text` scanned as the finder scans a `Fn::Join`'s text, with one opaque piece.
  private static func scan(_ text: String, opaque name: String, at span: Range<Int>)
    -> ReferenceScan
  {
    var bytes = Array(text.utf8)
    return bytes.withUnsafeMutableBufferPointer { buffer in
      ReferenceScanner.scan(
        bytes: UnsafeBufferPointer(buffer), mode: .plain,
        opaque: [ReferencePlaceholder(name: name, span: span)])
    }
  }

  @Test func opaqueSpansReadLikePlaceholders() {
    let scan = Self.scan(
      "{{resolve:secretsmanager:${X}:SecretString:password}}", opaque: "X", at: 25..<29)
    #expect(scan.issues.isEmpty)
    #expect(scan.references.first?.reference.name == "${X}")
    #expect(scan.references.first?.placeholders.map(\.name) == ["X"])
  }

  /// An opener the written text never closes, followed by a piece known only after evaluation
  /// (an `Fn::Sub` variable, an `Fn::Join` piece): that piece's value may close it (`${N}` =
  /// `/x}}` makes `{{resolve:ssm:/x}}`, which CloudFormation resolves), so it is read as a
  /// reference ending with the last such piece, and the evaluated text judges it. Text after
  /// that piece is outside it. With no such piece after it, an opener is never closed (E2011).
  @Test func anOpenerAPieceMayCloseIsReadAsAReference() throws {
    let sub = ReferenceScanner.scan("{{resolve:ssm:${N}", mode: .sub)
    #expect(sub.issues.isEmpty)
    let found = try #require(sub.references.first)
    #expect(found.reference.text == "{{resolve:ssm:${N}")
    #expect(found.reference.name == "${N}")
    #expect(found.reference.isClosedByInput)
    #expect(found.span == 0..<18)
    #expect(found.placeholders.map(\.name) == ["N"])

    let after = ReferenceScanner.scan(
      "{{resolve:secretsmanager:${Id}:SecretString:${Key} then {{resolve:ssm:/b}}", mode: .sub)
    #expect(after.issues.isEmpty)
    #expect(
      after.references.map(\.reference.text) == [
        "{{resolve:secretsmanager:${Id}:SecretString:${Key}", "{{resolve:ssm:/b}}",
      ])
    #expect(after.references.map(\.reference.isClosedByInput) == [true, false])
    #expect(after.references.first?.reference.jsonKey == "${Key}")

    let joined = Self.scan("{{resolve:ssm:${N}", opaque: "N", at: 14..<18)
    #expect(joined.issues.isEmpty)
    #expect(joined.references.map(\.reference.isClosedByInput) == [true])

    // What is written before the piece is the reference's own, and judged as written.
    #expect(
      ReferenceScanner.scan("{{resolve:sssm:${N}", mode: .sub).issues.map(\.code) == [
        .unknownService
      ])
    #expect(
      ReferenceScanner.scan("{{resolve:ssm:/a b${N}", mode: .sub).issues.map(\.code) == [
        .invalidName
      ])
    // Written closed: not closed by an input.
    #expect(
      ReferenceScanner.scan("{{resolve:ssm:${N}}}", mode: .sub).references.map(
        \.reference.isClosedByInput) == [false])
  }

  @Test(arguments: [
    ("{{resolve:ssm:/x", ReferenceScanner.Mode.sub),
    // Outside `Fn::Sub`, `${N}` is text.
    ("{{resolve:ssm:${N}", .plain),
    // The piece comes before the opener.
    ("${N}{{resolve:ssm:/x", .sub),
    // A pseudo-parameter's value holds no brace.
    ("{{resolve:ssm:/app/${AWS::Region}/db", .sub),
  ])
  func anOpenerNothingAfterItMayCloseIsNeverClosed(_ text: String, _ mode: ReferenceScanner.Mode) {
    let scan = ReferenceScanner.scan(text, mode: mode)
    #expect(scan.references.isEmpty)
    #expect(scan.issues.map(\.code) == [.unterminatedReference])
  }

  /// Hostile shapes that would make a naive scanner quadratic: each must finish (no timing
  /// assertion; a quadratic scanner makes this test run for minutes instead of milliseconds).
  @Test func hostileTextStaysLinear() {
    let count = 20_000
    let openers = String(repeating: "{{resolve:", count: count)
    let scan = ReferenceScanner.scan(openers)
    #expect(scan.issues.count == count)
    #expect(scan.issues.allSatisfy { $0.code == .unterminatedReference })

    let spaced = String(repeating: "{{ resolve:x ", count: count)
    #expect(ReferenceScanner.scan(spaced).issues.count == count)

    let dollars = "{{resolve:ssm:" + String(repeating: "${", count: count * 5)
    #expect(
      ReferenceScanner.scan(dollars, mode: .sub).issues.map(\.code) == [.unterminatedReference])

    // Each opener closed only by the variable after it, none by the text.
    let variables = String(repeating: "{{resolve:ssm:${a}", count: count)
    #expect(ReferenceScanner.scan(variables, mode: .sub).references.count == count)
    let nested = String(repeating: "{{resolve:", count: count) + "ssm:${a}"
    #expect(ReferenceScanner.scan(nested, mode: .sub).issues.count == count - 1)

    let mixed = "{{resolve:" + String(repeating: "<<resolve:{{resolve:x}}", count: count)
    #expect(!ReferenceScanner.scan(mixed).isEmpty)

    let valid = String(repeating: "{{resolve:ssm:/a/b:1}}", count: count)
    #expect(ReferenceScanner.scan(valid).references.count == count)
  }
}
