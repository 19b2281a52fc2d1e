import Testing

@testable import CinchTemplate

/// `TemplateAnalysis.sites` is derived from the evaluated references; it must stay what the
/// finder located, in the same order, whatever evaluation made of each site.
@Suite struct TemplateAnalysisSitesTests {
  static let cloudFormation = """
    AWSTemplateFormatVersion: '2010-09-09'
    Parameters:
      Env:
        Type: String
        Default: prod
      Ami:
        Type: AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>
        Default: /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64
    Conditions:
      IsProd: !Equals [!Ref Env, prod]
    Resources:
      Db:
        Type: AWS::RDS::DBInstance
        Properties:
          MasterUsername: '{{resolve:ssm:/app/db-user}}'
          MasterUserPassword: !Sub '{{resolve:ssm-secure:/app/${Env}/db-password}}'
          DBName: !If [IsProd, '{{resolve:ssm:/app/prod-name}}', '{{resolve:ssm:/app/dev-name}}']
          Port: !Join ['', ['{{resolve:ssm:/app/', !Ref Env, '/port}}']]
          Tags:
            - &owner {Key: owner, Value: '{{resolve:secretsmanager:team:SecretString:owner}}'}
            - *owner
          Twice: !Sub '{{resolve:ssm:/a/${Env}}} and {{resolve:ssm:/b/${Env}}}'
          Composed: !Join ['', ['{{resolve:ssm:/x/', !Ref Env, '}}{{resolve:ssm:/y/', !Ref Env, '}}']]
    """

  static let plainYAML = """
    database:
      host: '{{resolve:ssm:/app/db-host}}'
      password: '{{resolve:ssm-secure:/app/db-password:3}}'
    """

  @Test(arguments: [cloudFormation, plainYAML])
  func sitesAreWhatTheFinderLocated(_ text: String) {
    var diagnostics = Diagnostics()
    let document = TemplateParser.parse(
      SourceFile(path: "t.yaml", text: text), into: &diagnostics)
    let found = ReferenceFinder.find(in: document, into: &diagnostics)
    let analysis = TemplateAnalyzer.analyze(
      document, inputs: EvaluationInputs(), into: &diagnostics)
    #expect(!found.isEmpty)
    #expect(analysis.sites == found)
    // Evaluation adds the parameter-type read, and one site may read several references.
    #expect(analysis.references.count >= found.count)
    let composed = analysis.references.filter { $0.site.path.description.hasSuffix("Composed") }
    if text == Self.cloudFormation {
      // The composed `Fn::Join` has a site for each reference it assembles, each reading its own.
      #expect(composed.map { $0.concrete?.name } == ["/x/prod", "/y/prod"])
      #expect(Set(composed.map(\.site)).count == 2)
    }
  }

  /// A reference written whole in one piece of a `Fn::Join` is that piece's site; the join's
  /// composed site reads only what spans pieces (it read both, and render then refused the join
  /// as composing two references).
  @Test func aComposedJoinSiteReadsOnlyWhatItComposes() {
    let (reads, _) = Self.reads(
      properties: """
        DBName: !Join ['', ['{{resolve:ssm:/app/other}}', '-', '{{resolve:ssm:/app/', !Ref Env, '/host}}']]
        """)
    #expect(reads == ["piece /app/other", "join /app/prod/host"])
  }

  /// A `!Sub` piece may open a reference that a later piece closes; one holding a whole
  /// reference is that reference's site, not also the join's.
  @Test func aSubPieceOpensAReferenceTheJoinCloses() {
    let (reads, diagnostics) = Self.reads(
      properties: """
        MasterUserPassword: !Join ['', [!Sub '{{resolve:secretsmanager:${Env}/db', ':SecretString:password}}']]
        MasterUsername: !Join ['', [!Sub ['{{resolve:secretsmanager:${App}/db', {App: !Ref Env}], ':SecretString:username}}']]
        Port: !Join ['', [!Sub '{{resolve:ssm:/${Env}/port}}', '{{resolve:ssm:/a', '}}']]
        """)
    #expect(
      reads == [
        "join prod/db[password]", "join prod/db[username]", "sub /prod/port", "join /a",
      ])
    #expect(!diagnostics.items.contains { $0.severity == .error }, "\(diagnostics.items)")
  }

  /// A piece that chooses its text (`!If`, `!Select`) or joins it (a nested `!Join`) may
  /// carry a reference's opener or closer: the reference is found (not reported unterminated)
  /// and evaluation reads the choice the deploy takes. A whole reference in one choice stays
  /// that choice's own site.
  @Test func choosingPiecesOpenOrCloseAReferenceTheJoinAssembles() {
    let (reads, diagnostics) = Self.reads(
      properties: """
        MasterUserPassword: !Join ['', ['{{resolve:ssm-secure:/app/db', !If [IsDev, ':3}}', '}}']]]
        DBName: !Join ['', [!If [IsDev, '{{resolve:ssm:/app/prod', '{{resolve:ssm:/app/dev'], '/name}}']]
        Port: !Join ['', [!Select [1, ['{{resolve:ssm:/a', '{{resolve:ssm:/b']], '/port}}']]
        Engine: !Join ['', [!Join ['', ['{{resolve:', 'secretsmanager:']], 'prod/db', ':SecretString:engine}}']]
        MasterUsername: !Join ['', ['{{resolve:', !If [IsDev, 'secretsmanager:db:SecretString:user', 'ssm:/u'], '}}']]
        StorageType: !Join ['', ['{{resolve:ssm:/c', '}}', !If [IsDev, '{{resolve:ssm:/whole}}', '']]]
        """)
    #expect(
      reads == [
        "join /app/db", "join /app/dev/name", "join /b/port", "join prod/db[engine]",
        "join /u", "join /c", "piece -",
      ])
    #expect(!diagnostics.items.contains { $0.severity == .error }, "\(diagnostics.items)")
  }

  /// What a database's properties read, each as `CONTEXT NAME[KEY]` (the context of its site:
  /// `join`, `sub` or `piece`), with `Env` defaulting to `prod`.
  static func reads(properties: String, conditions: String = "IsDev: !Equals [!Ref Env, dev]")
    -> (reads: [String], diagnostics: Diagnostics)
  {
    let indented = properties.split(separator: "\n").map { "        " + $0 }.joined(separator: "\n")
    let text = """
      Parameters:
        Env: {Type: String, Default: prod}
      Conditions:
        \(conditions)
      Resources:
        Db:
          Type: AWS::RDS::DBInstance
          Properties:
      \(indented)
      """
    var diagnostics = Diagnostics()
    let document = TemplateParser.parse(SourceFile(path: "t.yaml", text: text), into: &diagnostics)
    let analysis = TemplateAnalyzer.analyze(
      document, inputs: EvaluationInputs(), into: &diagnostics)
    let reads = analysis.references.map { reference -> String in
      let place: String
      switch reference.site.context {
      case .join: place = "join"
      case .sub: place = "sub"
      default: place = "piece"
      }
      let key = reference.concrete?.jsonKey.map { "[\($0)]" } ?? ""
      return "\(place) \(reference.concrete?.name ?? "-")\(key)"
    }
    return (reads, diagnostics)
  }
}
