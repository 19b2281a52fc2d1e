import Testing

@testable import CinchTemplate

/// `TemplateAnalyzer` builds the graph of a large template in two steps, the first on a thread
/// of its own beside the reference evaluation (`GraphBuilder.Pending`). What it makes must be
/// what one call on one thread makes: the same nodes, edges, order, consumers and findings.
@Suite struct GraphSplitTests {
  /// Resources that use each other through `Ref`, `Fn::GetAtt`, `Fn::Sub` and `DependsOn`,
  /// conditions, references of all three kinds (some composed from a parameter), a consumer
  /// that reads a secret at run time, one dangling name and one unused parameter.
  static func template(resources: Int) -> String {
    var yaml = """
      Parameters:
        Env: {Type: String, Default: prod}
        Unused: {Type: String, Default: x}
      Conditions:
        IsProd: !Equals [!Ref Env, prod]
      Resources:

      """
    for index in 0..<resources {
      let previous = index == 0 ? "Missing" : "Topic\(index - 1)"
      switch index % 4 {
      case 0:
        yaml += """
            Topic\(index):
              Type: AWS::SNS::Topic
              Condition: IsProd
              Properties:
                TopicName: !Sub '{{resolve:ssm:/app/${Env}/topic\(index)}}'
                DisplayName: !Ref \(previous)

          """
      case 1:
        yaml += """
            Topic\(index):
              Type: AWS::SNS::Topic
              DependsOn: \(previous)
              Properties:
                TopicName: '{{resolve:secretsmanager:app/\(index):SecretString:password}}'
                DisplayName: !GetAtt \(previous).TopicName

          """
      case 2:
        yaml += """
            Topic\(index):
              Type: AWS::SNS::Topic
              Properties:
                TopicName: !Join ['', ['{{resolve:ssm-secure:/app/', !Ref Env, '/key\(index)}}']]
                DisplayName: !Sub '${\(previous)}-${AWS::Region}'

          """
      default:
        yaml += """
            Topic\(index):
              Type: AWS::ECS::TaskDefinition
              Properties:
                ContainerDefinitions:
                  - Name: app
                    Image: app
                    Secrets:
                      - Name: DB
                        ValueFrom: !Sub 'arn:aws:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:app/\(index)'
                    Environment:
                      - Name: PREVIOUS
                        Value: !Ref \(previous)

          """
      }
    }
    return yaml
  }

  @Test(arguments: [8, TemplateAnalyzer.graphThreadMinimumResources + 40])
  func theGraphBuiltInTwoStepsIsTheGraphBuiltAtOnce(resources: Int) throws {
    let file = SourceFile(
      path: "split.yaml", bytes: Array(Self.template(resources: resources).utf8))
    var parsing = Diagnostics()
    let document = TemplateParser.parse(file, into: &parsing)
    var analysing = Diagnostics()
    let analysis = TemplateAnalyzer.analyze(
      document, inputs: EvaluationInputs(), into: &analysing)
    let split = try #require(analysis.graph)

    var once = Diagnostics()
    let whole = GraphBuilder.build(
      analysis.template, reads: analysis.references.compactMap(DeployRead.init), into: &once)
    let renderer = GraphJSONRenderer()
    #expect(renderer.render(split) == renderer.render(whole))
    #expect(split.runtimeConsumers.count == whole.runtimeConsumers.count)
    #expect(!split.runtimeConsumers.isEmpty)
    // The graph's own findings (the dangling `Missing`, the unused `Unused`) are in both.
    for diagnostic in once.items {
      #expect(analysing.items.contains(diagnostic), "\(diagnostic.message)")
    }
    #expect(once.items.contains { $0.code == .danglingReference })
  }
}
