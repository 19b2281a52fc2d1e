import Testing
import _CinchTestSupport

@testable import CinchTemplate

/// `consumers(of:)` across templates, and the order and cycle queries on small graphs.
@Suite struct GraphQueryTests {
  static func graph(
    _ path: String, _ text: String, reads: [(StoreEntry, String)] = [],
    inputs: EvaluationInputs = EvaluationInputs()
  ) throws -> (TemplateGraph, Diagnostics) {
    var diagnostics = Diagnostics()
    let file = SourceFile(path: path, text: text)
    let template = TemplateReader.read(
      TemplateParser.parse(file, into: &diagnostics), into: &diagnostics)
    var deployReads: [DeployRead] = []
    for (entry, pathText) in reads {
      let syntaxPath = TemplatePath(pathText.split(separator: "/").map(String.init))
      let node = try #require(GraphFixture.node(at: syntaxPath, in: template.document.root))
      deployReads.append(
        DeployRead(
          entry: entry, file: path, range: node.range,
          path: GraphFixture.placementPath(syntaxPath), syntaxPath: syntaxPath))
    }
    let graph = GraphBuilder.build(template, reads: deployReads, inputs: inputs, into: &diagnostics)
    return (graph, diagnostics)
  }

  static let database = """
    Parameters:
      Env: {Type: String, Default: prod}
      Token: {Type: 'AWS::SSM::Parameter::Value<String>', Default: /shared/token}
    Conditions:
      Never: !Equals [a, b]
    Resources:
      Db:
        Type: AWS::RDS::DBInstance
        Properties:
          MasterUserPassword: '{{resolve:secretsmanager:prod/db:SecretString:password}}'
      Replica:
        Type: AWS::RDS::DBInstance
        Condition: Never
        Properties:
          MasterUserPassword: '{{resolve:secretsmanager:prod/db:SecretString:password}}'
      Hook:
        Type: AWS::SNS::Subscription
        Properties:
          Endpoint: !Sub 'https://hooks.example/${Token}'
    Outputs:
      Env: {Value: !Ref Env}
    """

  static let service = """
    Resources:
      Role: {Type: AWS::IAM::Role, Properties: {AssumeRolePolicyDocument: {}}}
      Task:
        Type: AWS::ECS::TaskDefinition
        Properties:
          ExecutionRoleArn: !GetAtt Role.Arn
          ContainerDefinitions:
            - Name: app
              Secrets:
                - Name: DB
                  ValueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf:password::'
                - Name: TOKEN
                  ValueFrom: arn:aws:ssm:us-east-1:123456789012:parameter/shared/token
    """

  @Test func consumersAcrossTemplates() throws {
    let secret = StoreEntry(kind: .secret, name: "prod/db")
    let (database, _) = try Self.graph(
      "database.yaml", Self.database,
      reads: [
        (secret, "Resources/Db/Properties/MasterUserPassword"),
        (secret, "Resources/Replica/Properties/MasterUserPassword"),
      ])
    let (service, _) = try Self.graph("service.yaml", Self.service)

    let readers = TemplateGraph.consumers(named: "prod/db", in: [service, database])
    #expect(
      readers.map { "\($0.file) \($0.node) \($0.timing.rawValue) \($0.isActive)" } == [
        "database.yaml resource:Db deploy true",
        "database.yaml resource:Replica deploy false",
        "service.yaml resource:Task runtime true",
      ])
    #expect(readers.last?.role == .resource("Role"))
    #expect(
      readers.last?.path.description
        == "Resources/Task/Properties/ContainerDefinitions/0/Secrets/0/ValueFrom")

    // By ARN: the complete ARN meets the name the database template uses.
    let byARN = TemplateGraph.consumers(
      of: StoreEntry(
        kind: .secret, name: "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf"),
      in: [database, service])
    #expect(byARN.map(\.node) == ["resource:Db", "resource:Replica", "resource:Task"])

    // A parameter read through an SSM-typed template parameter, and directly at run time.
    let token = TemplateGraph.consumers(named: "/shared/token", in: [database, service])
    #expect(
      token.map { "\($0.node) \($0.via ?? "-") \($0.timing.rawValue)" } == [
        "resource:Hook Token deploy", "resource:Task - runtime",
      ])
    #expect(TemplateGraph.consumers(named: "/nothing", in: [database, service]).isEmpty)
  }

  /// An ECS secret naming a parameter's version or label (`/v/p:1`, `/v/p:live`, an ARN with
  /// `:3`) reads the parameter: `consumers /v/p` lists it, as the policy grants the parameter.
  @Test func parameterReadWithASelectorIsAConsumerOfTheParameter() throws {
    let (graph, _) = try Self.graph(
      "t.yaml",
      """
      Resources:
        Role: {Type: AWS::IAM::Role, Properties: {AssumeRolePolicyDocument: {}}}
        Task:
          Type: AWS::ECS::TaskDefinition
          Properties:
            ExecutionRoleArn: !GetAtt Role.Arn
            ContainerDefinitions:
              - Name: app
                Secrets:
                  - {Name: A, ValueFrom: '/v/p:1'}
                  - {Name: B, ValueFrom: '/v/p:live'}
                  - {Name: C, ValueFrom: 'arn:aws:ssm:us-east-1:123456789012:parameter/v/p:3'}
                  - {Name: D, ValueFrom: /v/other:2}
      """)
    let readers = TemplateGraph.consumers(named: "/v/p", in: [graph])
    #expect(readers.map { $0.path.components[6] } == ["0", "1", "2"])
    #expect(readers.allSatisfy { $0.role == .resource("Role") })
    // The store node is the parameter itself, as a reference's `{{resolve:ssm:/v/p:1}}` is.
    #expect(graph.storeEntries.map(\.name) == ["/v/p", "/v/other"])
  }

  @Test func orderPutsDependenciesFirstAndKeepsTemplateOrderOtherwise() throws {
    let (graph, diagnostics) = try Self.graph(
      "t.yaml",
      """
      Resources:
        C: {Type: AWS::SNS::Topic, Properties: {TopicName: !GetAtt A.TopicName}}
        B: {Type: AWS::SNS::Topic}
        A: {Type: AWS::SNS::Topic, DependsOn: B}
        D: {Type: AWS::SNS::Topic}
      """)
    #expect(diagnostics.isEmpty)
    #expect(graph.order == ["resource:B", "resource:A", "resource:C", "resource:D"])
  }

  @Test func cyclesThroughUntakenBranchesAreNotCycles() throws {
    let (graph, diagnostics) = try Self.graph(
      "t.yaml",
      """
      Conditions:
        Off: !Equals [a, b]
      Resources:
        A: {Type: AWS::SNS::Topic, Properties: {TopicName: !If [Off, !Ref B, plain]}}
        B: {Type: AWS::SNS::Topic, Properties: {TopicName: !Ref A}}
      """)
    #expect(graph.cycles.isEmpty && diagnostics.isEmpty)
    #expect(
      graph.edges.first { $0.from == "resource:A" && $0.to == "resource:B" }?.isActive == false)
    #expect(graph.order.suffix(2) == ["resource:A", "resource:B"])
  }

  @Test func danglingReferencesAreReportedOnce() throws {
    let (_, diagnostics) = try Self.graph(
      "t.yaml",
      """
      Resources:
        A:
          Type: AWS::ECS::TaskDefinition
          Properties:
            ExecutionRoleArn: !GetAtt Missing.Arn
            ContainerDefinitions:
              - Name: app
                Secrets: [{Name: X, ValueFrom: !Ref Nowhere}]
      Outputs:
        O: {Value: !Ref Nowhere}
      """)
    let dangling = diagnostics.items.filter { $0.code == .danglingReference }
    #expect(
      dangling.map { "\($0.range?.start.description ?? "-") \($0.message)" } == [
        "5:33 'Fn::GetAtt' names 'Missing', which is not a resource",
        "8:47 'Nowhere' is not a parameter, pseudo-parameter or resource of this template",
        "10:19 'Nowhere' is not a parameter, pseudo-parameter or resource of this template",
      ])
  }

  /// A dynamic reference where a logical ID or condition belongs is E2027 alone: not also a
  /// dangling name.
  @Test func aReferenceInALogicalIDsPlaceIsNotAlsoDangling() throws {
    let (_, diagnostics) = analyzed(
      """
      Conditions:
        IsProd: !Equals [a, a]
      Resources:
        Queue:
          Type: AWS::SQS::Queue
          DependsOn: ['{{resolve:ssm:/depends/on}}']
          Condition: '{{resolve:ssm:/condition}}'
          Properties:
            QueueName: !Ref '{{resolve:ssm:/ref/target}}'
            Tags:
              - {Key: arn, Value: !GetAtt ['{{resolve:ssm:/getatt/target}}', Arn]}
              - {Key: pick, Value: !If ['{{resolve:ssm:/if/condition}}', a, b]}
              - {Key: plain, Value: !Ref Nowhere}
      """)
    #expect(diagnostics.items.filter { $0.code == .referenceInLogicalID }.count == 5)
    #expect(
      diagnostics.items.filter { $0.code == .danglingReference }.map(\.message) == [
        "'Nowhere' is not a parameter, pseudo-parameter or resource of this template"
      ])
  }

  @Test func unusedChecksStandDownForMacros() throws {
    let template = """
      Transform: [MyMacro]
      Parameters:
        Maybe: {Type: String}
      Resources:
        A: {Type: AWS::SNS::Topic}
      """
    let (_, diagnostics) = try Self.graph("t.yaml", template)
    #expect(diagnostics.isEmpty)
    let (_, plain) = try Self.graph(
      "t.yaml", template.replacingOccurrences(of: "Transform: [MyMacro]\n", with: ""))
    #expect(plain.items.map(\.code) == [.unusedParameter])
  }
}
