import CinchTemplate
import Testing

@testable import CinchCompiler

/// Exact outputs for the cases the issue names, and the reasons sites are left as written.
@Suite struct TemplateRendererTests {
  /// Renders `text` with one replacement for every site found in it (in order).
  static func render(
    _ text: String, path: String = "t.yaml", cloudFormation: Bool = true,
    _ replacements: [Substitution.Replacement]
  ) -> (String, RenderedTemplate) {
    let file = SourceFile(path: path, text: text)
    var diagnostics = Diagnostics()
    let document = TemplateParser.parse(file, into: &diagnostics)
    let sites = ReferenceFinder.find(in: document, into: &diagnostics)
    let substitutions = zip(sites, replacements).map {
      Substitution(site: $0, replacement: $1)
    }
    let rendered = TemplateRenderer(isCloudFormation: cloudFormation).render(
      document, substitutions)
    RenderHarness.verify(
      rendered, of: document, substitutions: substitutions, isCloudFormation: cloudFormation)
    return (String(decoding: rendered.bytes, as: UTF8.self), rendered)
  }

  static func pin(_ version: Int) -> Substitution.Replacement { .pin(.version(version)) }
  static func pin(_ id: String) -> Substitution.Replacement { .pin(.versionId(id)) }

  // MARK: Pin mode

  @Test(arguments: [
    ("k: '{{resolve:ssm:/a/b}}'\n", "k: '{{resolve:ssm:/a/b:7}}'\n"),
    ("k: \"{{resolve:ssm-secure:/a/b:3}}\"\n", "k: \"{{resolve:ssm-secure:/a/b:7}}\"\n"),
    ("k: x {{resolve:ssm:/a}} y # c\n", "k: x {{resolve:ssm:/a:7}} y # c\n"),
    (
      "k: !Sub '{{resolve:ssm:/myapp/${Env}/dbpassword}}'\n",
      "k: !Sub '{{resolve:ssm:/myapp/${Env}/dbpassword:7}}'\n"
    ),
    // `<<…>>` compiles to `{{…}}`; a plain scalar is quoted only when it would start with `{`.
    ("k: <<resolve:ssm:/a>>\n", "k: '{{resolve:ssm:/a:7}}'\n"),
    ("k: x <<resolve:ssm:/a>>\n", "k: x {{resolve:ssm:/a:7}}\n"),
    ("k: [<<resolve:ssm:/a>>, b]\n", "k: ['{{resolve:ssm:/a:7}}', b]\n"),
    ("k: [x <<resolve:ssm:/a>>]\n", "k: ['x {{resolve:ssm:/a:7}}']\n"),
    ("k: '<<resolve:ssm:/a>>'\n", "k: '{{resolve:ssm:/a:7}}'\n"),
    // A plain scalar over lines keeps its lines, empty ones (folded to a line break) too.
    ("k: plain\n\n  {{resolve:ssm:/a}}\n", "k: plain\n\n  {{resolve:ssm:/a:7}}\n"),
    (
      "k: plain\n  \n  {{resolve:ssm:/a}} x\nz: 1\n",
      "k: plain\n  \n  {{resolve:ssm:/a:7}} x\nz: 1\n"
    ),
    ("k: a\n  b\n\n\n  c {{resolve:ssm:/a}}\n", "k: a\n  b\n\n\n  c {{resolve:ssm:/a:7}}\n"),
    // libyaml reads NEL, LS and PS as line breaks: NEL folds to a space in the value, LS and
    // PS stay. Only the reference's bytes change; the break stays as written.
    ("k: \"a\u{85}b {{resolve:ssm:/a}}\"\n", "k: \"a\u{85}b {{resolve:ssm:/a:7}}\"\n"),
    ("k: 'a\u{85}b {{resolve:ssm:/a}}'\n", "k: 'a\u{85}b {{resolve:ssm:/a:7}}'\n"),
    ("k: \"a \u{2028} b {{resolve:ssm:/a}}\"\n", "k: \"a \u{2028} b {{resolve:ssm:/a:7}}\"\n"),
  ])
  func pinsParameters(_ input: String, _ expected: String) {
    #expect(Self.render(input, [Self.pin(7)]).0 == expected)
  }

  @Test func keepsAngleDelimitersOutsideCloudFormation() {
    let (output, rendered) = Self.render(
      "k: <<resolve:ssm:/a>>\nl: [<<resolve:ssm-secure:/b:2>>]\n", cloudFormation: false,
      [Self.pin(7), Self.pin(3)])
    #expect(output == "k: <<resolve:ssm:/a:7>>\nl: [<<resolve:ssm-secure:/b:3>>]\n")
    #expect(rendered.edits.map(\.source) == [19..<19, 50..<51])
  }

  @Test func aPinEqualToTheWrittenVersionChangesNothing() {
    let input = "k: '{{resolve:ssm:/a:4}}'\n"
    let (output, rendered) = Self.render(input, [Self.pin(4)])
    #expect(output == input)
    #expect(rendered.edits.isEmpty && rendered.issues.isEmpty)
  }

  @Test(arguments: [
    ("{{resolve:secretsmanager:db}}", "{{resolve:secretsmanager:db:SecretString:::ID-1}}"),
    ("{{resolve:secretsmanager:db::password}}", "{{resolve:secretsmanager:db::password::ID-1}}"),
    (
      "{{resolve:secretsmanager:db:SecretString:password:AWSPREVIOUS}}",
      "{{resolve:secretsmanager:db:SecretString:password::ID-1}}"
    ),
    (
      "{{resolve:secretsmanager:db:SecretString:password::OLD-ID}}",
      "{{resolve:secretsmanager:db:SecretString:password::ID-1}}"
    ),
    (
      "{{resolve:secretsmanager:arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbC:SecretString:k}}",
      "{{resolve:secretsmanager:arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbC:SecretString:k::ID-1}}"
    ),
  ])
  func pinsSecretsByVersionId(_ written: String, _ pinned: String) {
    #expect(Self.render("k: '\(written)'\n", [Self.pin("ID-1")]).0 == "k: '\(pinned)'\n")
  }

  @Test func takesPinsFromLockEntries() {
    let parameter = Pin(
      arn: "arn:aws:ssm:us-east-1:123456789012:parameter/a", version: 7, type: "String",
      fingerprint: "f")
    let secret = Pin(
      arn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:s", versionId: "ID-1",
      type: "SecretString", fingerprint: "f")
    let neither = Pin(arn: "arn", type: "String", fingerprint: "f")
    #expect(PinnedReference(parameter) == .version(7))
    #expect(PinnedReference(secret) == .versionId("ID-1"))
    #expect(PinnedReference(neither) == nil)
  }

  @Test func reportsPinsThatDoNotFit() {
    let (output, rendered) = Self.render(
      "a: '{{resolve:ssm:/a}}'\nb: '{{resolve:secretsmanager:s}}'\nc: '{{resolve:ssm:/c}}'\n"
        + "d: '{{resolve:secretsmanager:d}}'\n",
      [Self.pin("ID"), Self.pin(3), Self.pin(0), Self.pin("bad:id")])
    #expect(output.hasPrefix("a: '{{resolve:ssm:/a}}'"))
    #expect(rendered.issues.map(\.kind) == [.invalidPin, .invalidPin, .invalidPin, .invalidPin])
    #expect(
      rendered.issues.map(\.reason) == [
        "pin for '{{resolve:ssm:/a}}' is a version id; a parameter is pinned by version number",
        "pin for '{{resolve:secretsmanager:s}}' is a parameter version; a secret is pinned by version id",
        "pin for '{{resolve:ssm:/c}}' is version 0; parameter versions start at 1",
        "the version id pinned for '{{resolve:secretsmanager:d}}' holds characters a reference "
          + "cannot carry (blanks, ':', braces, angle brackets or '$')",
      ])
  }

  // MARK: Inline mode

  /// Strings that YAML 1.1 or 1.2 would read as another type are quoted.
  @Test(arguments: [
    "true", "yes", "No", "on", "~", "null", "", "1e3", "012", "0x1F", "0o17", "1_000", "12:30",
    "-1", "+.5", ".inf", ".NaN", "2024-01-02", "2001-12-14 21:59:43.10 -5", "<<", "=",
  ])
  func quotesValuesThatReadAsOtherTypes(_ value: String) throws {
    let (output, _) = Self.render("k: <<resolve:ssm:/a>>\n", [.value(value)])
    #expect(output == "k: '\(value)'\n")
  }

  @Test(arguments: [
    ("k: <<resolve:ssm:/a>>\n", "plain text", "k: plain text\n"),
    ("k: <<resolve:ssm:/a>>\n", "a: b", "k: 'a: b'\n"),
    ("k: <<resolve:ssm:/a>>\n", "a #b", "k: 'a #b'\n"),
    ("k: <<resolve:ssm:/a>>\n", " lead", "k: ' lead'\n"),
    ("k: <<resolve:ssm:/a>>\n", "- x", "k: '- x'\n"),
    ("k: <<resolve:ssm:/a>>\n", "it's", "k: it's\n"),
    ("k: <<resolve:ssm:/a>>\n", "'q'", "k: '''q'''\n"),
    ("k: <<resolve:ssm:/a>>\n", "tab\there", "k: tab\there\n"),
    ("k: <<resolve:ssm:/a>>\n", "bell\u{7}", "k: \"bell\\a\"\n"),
    ("k: [<<resolve:ssm:/a>>]\n", "a,b", "k: ['a,b']\n"),
    ("k: 'x {{resolve:ssm:/a}}'\n", "it's", "k: 'x it''s'\n"),
    ("k: 'x {{resolve:ssm:/a}}'\n", "two\nlines", "k: \"x two\\nlines\"\n"),
    ("k: \"x {{resolve:ssm:/a}}\"\n", "q\"\\\u{85}\u{FEFF}é", "k: \"x q\\\"\\\\\\N\\uFEFFé\"\n"),
    ("{\"k\": \"x {{resolve:ssm:/a}}\"}", "q\"\\\n\u{1}é", "{\"k\": \"x q\\\"\\\\\\n\\u0001é\"}"),
  ])
  func quotesValuesForWhereTheyLand(_ input: String, _ value: String, _ expected: String) {
    let path = input.hasPrefix("{\"") ? "t.json" : "t.yaml"
    #expect(Self.render(input, path: path, [.value(value)]).0 == expected)
  }

  static let pem = "-----BEGIN FAKE KEY-----\nQUJD\n-----END FAKE KEY-----\n"

  @Test(arguments: [
    // A whole-reference scalar in block context becomes a literal block scalar.
    (
      "a:\n  k: '{{resolve:ssm:/a}}'\n  z: 1\n", pem,
      "a:\n  k: |\n    -----BEGIN FAKE KEY-----\n    QUJD\n    -----END FAKE KEY-----\n  z: 1\n"
    ),
    ("- '{{resolve:ssm:/a}}'\n", "one\ntwo", "- |-\n  one\n  two\n"),
    ("k: '{{resolve:ssm:/a}}'\nz: 1\n", "one\n\n", "k: |+\n  one\n\nz: 1\n"),
    ("k: '{{resolve:ssm:/a}}'\n", "  indented\nnext\n", "k: |2\n    indented\n  next\n"),
    ("k: '{{resolve:ssm:/a}}'", "one\ntwo\n", "k: |\n  one\n  two\n"),
    // With a comment after it, or in flow context, it is double-quoted.
    ("k: '{{resolve:ssm:/a}}'  # note\n", "one\ntwo", "k: \"one\\ntwo\"  # note\n"),
    ("k: ['{{resolve:ssm:/a}}']\n", "one\ntwo", "k: [\"one\\ntwo\"]\n"),
    // Keep chomping would take in the empty line that follows.
    ("k: '{{resolve:ssm:/a}}'\n\nz: 1\n", "one\n\n", "k: \"one\\n\\n\"\n\nz: 1\n"),
    // Inside a literal block, new lines take the block's indentation.
    (
      "k: |\n  first {{resolve:ssm:/a}} end\n  last\n", "x\ny",
      "k: |\n  first x\n  y end\n  last\n"
    ),
    ("k: |\r\n  first {{resolve:ssm:/a}} end\r\n", "x\ny", "k: |\r\n  first x\r\n  y end\r\n"),
  ])
  func writesMultiLineValues(_ input: String, _ value: String, _ expected: String) {
    #expect(Self.render(input, [.value(value)]).0 == expected)
  }

  @Test func escapesVariablesInSubStrings() {
    let (output, rendered) = Self.render(
      "a: !Sub 'x {{resolve:ssm:/a}} ${Env}'\nb: !Sub 'x {{resolve:ssm:/b}} ${Env}'\n",
      [.value("cost ${x} and ${y}"), .value("open ${ only")])
    #expect(
      output == "a: !Sub 'x cost ${!x} and ${!y} ${Env}'\nb: !Sub 'x {{resolve:ssm:/b}} ${Env}'\n")
    #expect(rendered.issues.map(\.kind) == [.notWritable])
    #expect(
      rendered.issues.first?.reason
        == "the value of '{{resolve:ssm:/b}}' holds '${' that would change how the 'Fn::Sub' string around it reads"
    )
  }

  /// A reference whose closer an input writes: the input may bring text after the closer,
  /// which a value written over the reference's text would drop.
  @Test func aReferenceAnInputClosesIsNotInlined() {
    let input = "k: !Sub '{{resolve:ssm:${N}'\nj: !Join ['', ['{{resolve:ssm:', !Ref N]]\n"
    let (output, rendered) = Self.render(input, [.value("v"), .value("w")])
    #expect(output == input)
    #expect(rendered.issues.map(\.kind) == [.notWritable, .notWritable])
    #expect(
      rendered.issues.first?.reason
        == "reference '{{resolve:ssm:${N}' is closed by an input ('}}' is not written); its "
        + "value cannot replace it")
  }

  // MARK: Fn::Join

  /// A piece that an alias repeats has its anchor's bytes, at another place of the file: the
  /// pieces cannot be written over as one.
  @Test(arguments: [
    "c: &close '}}'\nk: !Join ['', ['{{resolve:ssm:/a', *close]]\n",
    "k: !Join ['', [&close '}}', '{{resolve:ssm:/a', *close]]\n",
  ])
  func inlineRefusesAJoinPieceThatAnAliasRepeats(_ input: String) {
    let (output, rendered) = Self.render(input, [.value("v")])
    #expect(output == input)
    #expect(rendered.issues.map(\.kind) == [.notWritable])
  }

  /// The text at an anchor is read at every alias of it (`aws cloudformation package` and SAM
  /// expand them): a piece that a pin or a value changes must change nowhere but in the
  /// references that ask for that change. Elsewhere (a plain property, another place in the
  /// same join) the site is refused and every piece left as written; an inlined join would
  /// also drop the anchor and leave the alias dangling.
  @Test(arguments: [
    (
      "k: !Join ['', ['{{resolve:ssm:/', !Ref P, &e '}}']]\nn: *e\n", "n",
      "{{resolve:ssm:/${P}}}"
    ),
    (
      "c: &close '}}'\nk: !Join ['', ['{{resolve:ssm:/a', *close]]\n", "c",
      "{{resolve:ssm:/a}}"
    ),
    (
      "k: !Join ['', ['{{resolve:ssm:/', !Ref P, &e '}}', '-', *e]]\n", "k/Fn::Join/1/4",
      "{{resolve:ssm:/${P}}}"
    ),
  ])
  func pinRefusesAPieceThatAnAliasRepeatsOutsideTheReference(
    _ input: String, _ alias: String, _ reference: String
  ) {
    let (output, rendered) = Self.render(input, [Self.pin(7)])
    #expect(output == input)
    #expect(rendered.issues.map(\.kind) == [.notPinnable])
    #expect(
      rendered.issues.map(\.reason) == [
        "reference '\(reference)' is assembled by 'Fn::Join' from a piece that an alias repeats "
          + "at '\(alias)', outside this reference, where its pin would change the piece too; "
          + "write the piece out at each place to render it"
      ])
  }

  /// Inlining writes the value over the pieces from the first to the last the reference
  /// touches: an anchor among them that an alias repeats would be dropped (the closer) or
  /// would take the value (the opener, whose anchor stays before the new text).
  @Test(arguments: [
    ("k: !Join ['', ['{{resolve:ssm:/', !Ref P, &e '}}']]\nn: *e\n", "n"),
    ("k: !Join ['', [&o '{{resolve:ssm:/', !Ref P, '}}']]\nn: *o\n", "n"),
    ("k: !Join ['', ['{{resolve:ssm:/', &r !Ref P, '}}']]\nn: *r\n", "n"),
    ("k: !Join ['', ['{{resolve:ssm:/', !Ref &p P, '}}']]\nn: [*p]\n", "n/0"),
  ])
  func inlineRefusesPiecesThatAnAliasRepeatsOutsideTheReference(_ input: String, _ alias: String) {
    let (output, rendered) = Self.render(input, [.value("v")])
    #expect(output == input)
    #expect(rendered.issues.map(\.kind) == [.notWritable])
    #expect(
      rendered.issues.map(\.reason) == [
        "reference '{{resolve:ssm:/${P}}}' is assembled by 'Fn::Join' from a piece that an alias "
          + "repeats at '\(alias)', outside this reference, where its value would change the "
          + "piece too; write the piece out at each place to render it"
      ])
  }

  /// Pinning leaves the opening piece as it is, so an alias of it reads the same.
  @Test func pinLeavesAnAliasOfAnUnchangedPieceAlone() {
    let input = "k: !Join ['', [&o '{{resolve:ssm:/', !Ref P, '}}']]\nn: *o\n"
    let (output, rendered) = Self.render(input, [Self.pin(7)])
    #expect(output == "k: !Join ['', [&o '{{resolve:ssm:/', !Ref P, ':7}}']]\nn: *o\n")
    #expect(rendered.issues.isEmpty)
  }

  static let sharedCloser = """
    a: !Join ['', ['{{resolve:ssm:/a/', !Ref P, &e '}}']]
    b: !Join ['', ['{{resolve:ssm:/b/', !Ref P, *e]]

    """

  /// Two joins share the closing piece: when both take the same pin, the piece is pinned once
  /// and serves both.
  @Test func aSharedPieceTakesOnePinThatServesEveryJoin() {
    let (output, rendered) = Self.render(Self.sharedCloser, [Self.pin(7), Self.pin(7)])
    #expect(
      output == """
        a: !Join ['', ['{{resolve:ssm:/a/', !Ref P, &e ':7}}']]
        b: !Join ['', ['{{resolve:ssm:/b/', !Ref P, *e]]

        """)
    #expect(rendered.issues.isEmpty)
  }

  /// Two pins for one piece: neither is written (the first would pin the second's reference
  /// to its version).
  @Test func aSharedPieceThatNeedsTwoPinsIsLeftAsWritten() {
    let (output, rendered) = Self.render(Self.sharedCloser, [Self.pin(7), Self.pin(3)])
    #expect(output == Self.sharedCloser)
    #expect(rendered.issues.map(\.kind) == [.notPinnable, .conflict])
    #expect(rendered.issues.first?.reason.contains("at 'b/Fn::Join/1/2'") == true)
  }

  /// A change shared by two joins is made for both or for neither: the first cannot pin its
  /// closer, so the opener both change from `<<` to `{{` stays, and the second is left as
  /// written too (its opener would read `<<` and its closer `:7>>`).
  @Test func aJoinThatSharesAChangeWithARefusedOneIsLeftAsWritten() {
    let input = """
      a: !Join ['', [&o '<<resolve:ssm:/a/', !Ref P, &c '>>']]
      b: !Join ['', [*o, !Ref Q, '>>']]
      n: *c

      """
    let (output, rendered) = Self.render(input, [Self.pin(7), Self.pin(7)])
    #expect(output == input)
    #expect(rendered.issues.map(\.kind) == [.notPinnable, .conflict])
    #expect(
      rendered.issues.last?.reason
        == "reference '<<resolve:ssm:/a/${Q}>>' shares a changed piece of 'Fn::Join' with a "
        + "reference that cannot be rendered, so it is left as written")
  }

  /// Inlined, the first join would drop the anchor the second reads.
  @Test func inlineRefusesASharedPiece() {
    let (output, rendered) = Self.render(Self.sharedCloser, [.value("v"), .value("v")])
    #expect(output == Self.sharedCloser)
    #expect(rendered.issues.map(\.kind) == [.notWritable, .notWritable])
  }

  /// Still written once for every use: a whole join an alias repeats, and a reference scalar an
  /// alias repeats in the same kind of place.
  @Test(arguments: [
    (
      "a: &j !Join ['', ['{{resolve:ssm:/', !Ref P, '}}']]\nb: *j\n",
      "a: &j !Join ['', ['{{resolve:ssm:/', !Ref P, ':7}}']]\nb: *j\n",
      "a: &j !Join ['', ['v']]\nb: *j\n"
    ),
    (
      "a: &v '{{resolve:ssm:/a}}'\nb: *v\n", "a: &v '{{resolve:ssm:/a:7}}'\nb: *v\n",
      "a: &v 'v'\nb: *v\n"
    ),
    (
      "a: !Join ['', [&v '{{resolve:ssm:/a}}', !Ref P]]\nb: *v\n",
      "a: !Join ['', [&v '{{resolve:ssm:/a:7}}', !Ref P]]\nb: *v\n",
      "a: !Join ['', [&v 'v', !Ref P]]\nb: *v\n"
    ),
  ])
  func aliasesOfTheWholeReferenceAreRenderedOnce(
    _ input: String, _ pinned: String, _ inlined: String
  ) {
    let (pinOutput, pinRendered) = Self.render(input, [Self.pin(7), Self.pin(7)])
    #expect(pinOutput == pinned)
    #expect(pinRendered.issues.isEmpty)
    let (inlineOutput, inlineRendered) = Self.render(input, [.value("v"), .value("v")])
    #expect(inlineOutput == inlined)
    #expect(inlineRendered.issues.isEmpty)
  }

  static let join = """
    a: !Join ['', ['{{resolve:secretsmanager:', !Ref S, ':SecretString:pw}}']]
    b: !Join ['', ['{{resolve:ssm:/x:', !Ref V, '}}']]
    c: !Join ['', ['pre {{resolve:ssm:', !Ref N, '}}', ' post']]

    """

  @Test func pinsJoinedReferencesInTheirLiteralPieces() {
    let (output, rendered) = Self.render(Self.join, [Self.pin("ID-9"), Self.pin(2), Self.pin(5)])
    #expect(
      output == """
        a: !Join ['', ['{{resolve:secretsmanager:', !Ref S, ':SecretString:pw::ID-9}}']]
        b: !Join ['', ['{{resolve:ssm:/x:', !Ref V, '}}']]
        c: !Join ['', ['pre {{resolve:ssm:', !Ref N, ':5}}', ' post']]

        """)
    #expect(rendered.issues.map(\.kind) == [.notPinnable])
    #expect(rendered.issues.first?.site.reference.text == "{{resolve:ssm:/x:${V}}}")
  }

  /// A piece that chooses its text (`!If`, `!Select`, a nested `!Join`) is read as the finder
  /// read it and never edited: the version goes into the literal piece that closes; when the
  /// choice itself holds the closer, the version would go into it, and the site is refused.
  @Test func pinsJoinedReferencesAroundChoosingPieces() {
    let (output, rendered) = Self.render(
      """
      a: !Join ['', [!If [C, '{{resolve:ssm:/a', '{{resolve:ssm:/b'], '/x}}']]
      b: !Join ['', [!Select [0, ['{{resolve:ssm:/s']], '/j}}']]
      c: !Join ['', ['{{resolve:ssm:/c', !If [C, ':2}}', '}}']]]

      """, [Self.pin(3), Self.pin(4), Self.pin(5)])
    #expect(
      output == """
        a: !Join ['', [!If [C, '{{resolve:ssm:/a', '{{resolve:ssm:/b'], '/x:3}}']]
        b: !Join ['', [!Select [0, ['{{resolve:ssm:/s']], '/j:4}}']]
        c: !Join ['', ['{{resolve:ssm:/c', !If [C, ':2}}', '}}']]]

        """)
    #expect(rendered.issues.map(\.kind) == [.notPinnable])
  }

  /// In a CloudFormation template the opener changes in the first piece and the version goes
  /// into the last; elsewhere `<<…>>` stays.
  @Test(arguments: [
    (true, "'{{resolve:ssm:/x/'", "':3}}'"), (false, "'<<resolve:ssm:/x/'", "':3>>'"),
  ])
  func pinsJoinedAngleReferences(_ cloudFormation: Bool, _ first: String, _ last: String) {
    let (output, rendered) = Self.render(
      "k: !Join ['', ['<<resolve:ssm:/x/', !Ref N, '>>']]\n", cloudFormation: cloudFormation,
      [Self.pin(3)])
    #expect(output == "k: !Join ['', [\(first), !Ref N, \(last)]]\n")
    #expect(rendered.issues.isEmpty)
  }

  @Test func inlinesJoinedReferencesIntoOnePiece() {
    let (output, rendered) = Self.render(Self.join, [.value("p'w"), .value("v"), .value("1")])
    #expect(
      output == """
        a: !Join ['', ['p''w']]
        b: !Join ['', ['v']]
        c: !Join ['', ['pre 1', ' post']]

        """)
    #expect(rendered.issues.isEmpty)
  }

  // MARK: What is left as written

  @Test func reportsParameterTypesInBothModes() throws {
    let text = """
      AWSTemplateFormatVersion: '2010-09-09'
      Parameters:
        Host:
          Type: AWS::SSM::Parameter::Value<String>
          Default: /app/host
      Resources: {}

      """
    let harness = RenderHarness(file: SourceFile(path: "t.yaml", text: text))
    #expect(harness.sites.count == 1)
    for mode in RenderHarness.Mode.allCases {
      let (rendered, _) = harness.render(mode)
      #expect(rendered.bytes == Array(text.utf8))
      #expect(rendered.issues.map(\.kind) == [.parameterType])
    }
  }

  @Test func reportsSitesOfOtherFilesAndConflicts() throws {
    let file = SourceFile(path: "t.yaml", text: "k: '{{resolve:ssm:/a}}'\n")
    var diagnostics = Diagnostics()
    let document = TemplateParser.parse(file, into: &diagnostics)
    let site = try #require(ReferenceFinder.find(in: document, into: &diagnostics).first)
    var elsewhere = site
    elsewhere.file = "other.yaml"
    let rendered = TemplateRenderer(isCloudFormation: true).render(
      document,
      [.value(site, "one"), .value(site, "two"), .value(elsewhere, "three"), .value(site, "one")])
    #expect(String(decoding: rendered.bytes, as: UTF8.self) == "k: 'one'\n")
    #expect(rendered.issues.map(\.kind) == [.conflict, .siteNotFound])
    #expect(
      rendered.issues.map(\.reason) == [
        "another substitution changes the text of '{{resolve:ssm:/a}}' differently",
        "site is in 'other.yaml', not in 't.yaml'",
      ])
  }

  /// No value reaches an issue, a description or a mirror.
  @Test func valuesStayOutOfEveryMessage() throws {
    let secret = "s3cr3t-VALUE-do-not-print"
    let input = "a: !Sub '{{resolve:ssm:/a}} ${Env}'\nb: '{{resolve:ssm:/b}}'\n"
    let (_, rendered) = Self.render(input, [.value(secret + "${"), .value(secret)])
    #expect(!rendered.issues.isEmpty)
    let file = SourceFile(path: "t.yaml", text: input)
    var diagnostics = Diagnostics()
    let document = TemplateParser.parse(file, into: &diagnostics)
    let site = try #require(ReferenceFinder.find(in: document, into: &diagnostics).first)
    let substitution = Substitution.value(site, secret)
    var dumped = ""
    dump(substitution, to: &dumped)
    dump(rendered, to: &dumped)
    let texts =
      rendered.issues.map(\.description) + [
        "\(substitution)", String(reflecting: substitution), "\(substitution.replacement)",
        "\(rendered)", dumped,
      ]
    for text in texts { #expect(!text.contains("s3cr3t"), "\(text)") }
  }
}
