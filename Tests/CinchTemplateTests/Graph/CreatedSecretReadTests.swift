import Testing

@testable import CinchTemplate

/// A `secretsmanager` reference by the `Name` of a secret the template creates reads the stack's
/// own secret: the graph draws the read to that resource, as for `${AppSecret}`, and no store
/// entry. The same name with the secret under a false condition is read from the store.
@Suite struct CreatedSecretReadTests {
  static func template(condition: String) -> String {
    """
    Parameters:
      Env: {Type: String, Default: prod}
    Conditions:
      Creates: !Equals [!Ref Env, \(condition)]
    Resources:
      AppSecret:
        Type: AWS::SecretsManager::Secret
        Condition: Creates
        Properties:
          Name: prod/app/db
          GenerateSecretString: {SecretStringTemplate: '{"username":"admin"}', GenerateStringKey: password}
      Db:
        Type: AWS::RDS::DBInstance
        Properties:
          MasterUsername: '{{resolve:secretsmanager:prod/app/db:SecretString:username}}'
          MasterUserPassword: '{{resolve:secretsmanager:prod/app/db:SecretString:password}}'
    """
  }

  @Test func aReadByTheNameOfACreatedSecretIsOfThatResource() throws {
    let graph = try #require(analyzed(Self.template(condition: "prod")).analysis.graph)
    #expect(!graph.nodes.contains { $0.kind == .store })
    let read = try #require(
      graph.edges.first { $0.from == "resource:Db" && $0.kind == .readsAtDeploy })
    #expect(read.to == "resource:AppSecret")
    #expect(read.sites.count == 2)
    #expect(
      graph.order.firstIndex(of: "resource:AppSecret")! < graph.order.firstIndex(of: "resource:Db")!
    )
  }

  @Test func aSecretNotCreatedOnThisDeployIsReadFromTheStore() throws {
    let graph = try #require(analyzed(Self.template(condition: "dev")).analysis.graph)
    let read = try #require(
      graph.edges.first { $0.from == "resource:Db" && $0.kind == .readsAtDeploy })
    #expect(read.to == "store:secretsmanager:prod/app/db")
  }
}

/// `cinch consumers` of a secret the template creates: its readers read the resource, so they
/// are found by the name it is created with, and by its logical ID (a `${DbSecret}` read has no
/// other name), but not by another secret's name.
@Suite struct CreatedSecretConsumerTests {
  static let template = """
    Parameters:
      Env: {Type: String, Default: prod}
    Resources:
      Named: {Type: AWS::SecretsManager::Secret, Properties: {Name: mysecret}}
      Built: {Type: AWS::SecretsManager::Secret, Properties: {Name: !Sub 'app/${Env}/db'}}
      Unnamed: {Type: AWS::SecretsManager::Secret}
      Param: {Type: AWS::SSM::Parameter, Properties: {Name: /app/host, Type: String, Value: x}}
      ByName:
        Type: AWS::SQS::Queue
        Properties: {QueueName: '{{resolve:secretsmanager:mysecret:SecretString:k}}'}
      ByRef:
        Type: AWS::SQS::Queue
        Properties: {QueueName: !Sub '{{resolve:secretsmanager:${Built}:SecretString:k}}'}
      ByUnnamed:
        Type: AWS::SQS::Queue
        Properties: {QueueName: !Sub '{{resolve:secretsmanager:${Unnamed}}}'}
    """

  @Test(arguments: [
    ("mysecret", ["ByName"]), ("Named", ["ByName"]), ("app/prod/db", ["ByRef"]),
    ("Built", ["ByRef"]), ("Unnamed", ["ByUnnamed"]), ("app/dev/db", []), ("Param", []),
    ("ByName", []),
  ])
  func readersAreFoundByNameAndLogicalID(asked: String, readers: [String]) throws {
    let graph = try #require(analyzed(Self.template).analysis.graph)
    let consumers = graph.consumers(named: asked)
    #expect(consumers.map(\.name) == readers, "\(asked)")
    #expect(consumers.allSatisfy { $0.timing == .deploy && $0.entry.kind == .secret })
  }
}
