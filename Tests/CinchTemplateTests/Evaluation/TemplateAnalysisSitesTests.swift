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
    let text = """
      Parameters:
        Env: {Type: String, Default: prod}
      Resources:
        Db:
          Type: AWS::RDS::DBInstance
          Properties:
            DBName: !Join ['', ['{{resolve:ssm:/app/other}}', '-', '{{resolve:ssm:/app/', !Ref Env, '/host}}']]
      """
    var diagnostics = Diagnostics()
    let document = TemplateParser.parse(SourceFile(path: "t.yaml", text: text), into: &diagnostics)
    let analysis = TemplateAnalyzer.analyze(
      document, inputs: EvaluationInputs(), into: &diagnostics)
    let reads = analysis.references.map { reference -> String in
      let place: String
      if case .join = reference.site.context { place = "join" } else { place = "piece" }
      return "\(place) \(reference.concrete?.name ?? "-")"
    }
    #expect(reads == ["piece /app/other", "join /app/prod/host"])
  }
}
