/// The front end run once over a small template, so the Swift runtime's one-time work for its
/// types is done before a command needs them: the first use of a generic type such as
/// `Set<DiagnosticCode>` or `[TemplatePath: Int]` checks its requirements by scanning every
/// protocol conformance record of the binary (~8,700; ~0.5 M instructions a scan). `check` of
/// 500 resources made 45 such scans on its main thread, ~24 M instructions, most of them in the
/// front end. A command starts this on a thread of its own while swift-argument-parser parses
/// its command line (`ProcessSetup.startAhead`); what it computes is thrown away.
public enum FrontEndWarmUp {
  /// Parses and analyses `template` (YAML) and `json`, the graph included.
  public static func run() {
    for (path, text) in [("warm-up.yaml", template), ("warm-up.json", json)] {
      var diagnostics = Diagnostics()
      let document = TemplateParser.parse(SourceFile(path: path, text: text), into: &diagnostics)
      _ = TemplateAnalyzer.analyze(document, inputs: EvaluationInputs(), into: &diagnostics)
      // The order every command prints findings in (the template's unused parameters give
      // it some to sort).
      _ = diagnostics.sorted
    }
  }

  /// Every section, the short-form tags, and a reference of each kind, literal and composed.
  static let template = """
    Parameters:
      Env:
        Type: String
        Default: prod
        AllowedValues: [prod, dev]
      Password:
        Type: String
        NoEcho: true
      Host:
        Type: AWS::SSM::Parameter::Value<String>
        Default: /app/host
    Conditions:
      IsProd: !Equals [!Ref Env, prod]
    Mappings:
      Sizes:
        prod: {Class: db.m5.large}
    Resources:
      Role:
        Type: AWS::IAM::Role
        Properties:
          AssumeRolePolicyDocument: {}
          Policies:
            - PolicyName: read
              PolicyDocument:
                Statement:
                  - Effect: Allow
                    Action: ssm:GetParameter
                    Resource: !Sub 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/app/*'
      Db:
        Type: AWS::RDS::DBInstance
        Condition: IsProd
        Properties:
          DBInstanceClass: !FindInMap [Sizes, !Ref Env, Class]
          MasterUsername: '{{resolve:secretsmanager:app/db:SecretString:username}}'
          MasterUserPassword: !Sub '{{resolve:ssm-secure:/app/${Env}/password:1}}'
      Fn:
        Type: AWS::Lambda::Function
        Properties:
          Role: !GetAtt Role.Arn
          Environment:
            Variables:
              HOST: !If [IsProd, '{{resolve:ssm:/app/host}}', !Ref AWS::NoValue]
              URL: !Join ['', ['{{resolve:ssm:/app/', !Ref Env, '/url}}']]
              DB: !Select [0, !Split [',', !GetAtt Db.Endpoint.Address]]
    Outputs:
      Arn:
        Value: !GetAtt Fn.Arn
        Export: {Name: !Sub '${AWS::StackName}-fn'}
    """

  static let json = """
    {"Resources": {"P": {"Type": "AWS::SSM::Parameter", "Properties": {"Type": "String",
     "Value": {"Fn::Sub": "{{resolve:ssm:/app/${AWS::Region}/x}}"}}}}}
    """
}
