import Testing

@testable import CinchTemplate

/// A loop of `Fn::ForEach` stands in the graph for the resources it makes: a `Ref`, an
/// `Fn::GetAtt`, a `${…}` or a `DependsOn` of one of them (`TopicOrders` of a loop making
/// `Topic${Name}` over `[Orders, Payments]`) is an edge to the loop, which orders the deploy.
/// A name the loop cannot make stays dangling.
@Suite struct LoopMadeResourceTests {
  static let template = """
    Transform: AWS::LanguageExtensions
    Resources:
      Fn::ForEach::Topics:
        - Name
        - [Orders, Payments]
        - Topic${Name}:
            Type: AWS::SNS::Topic
            Properties:
              TopicName: !Sub '{{resolve:ssm:/topics/${Name}}}'
      Subscription:
        Type: AWS::SNS::Subscription
        DependsOn: TopicPayments
        Properties:
          TopicArn: !Ref TopicOrders
          Protocol: email
          Endpoint: !Sub '${TopicOrders.TopicName}@example.com'
    Outputs:
      Arn:
        Value: !GetAtt TopicOrders.TopicArn
    """

  @Test func usesOfWhatALoopMakesAreEdgesToTheLoop() throws {
    let (analysis, diagnostics) = analyzed(Self.template)
    let graph = try #require(analysis.graph)
    let loop = "resource:Fn::ForEach::Topics"
    let into = graph.edges.filter { $0.to == loop }.map { "\($0.from) \($0.kind.rawValue)" }
    #expect(
      into == [
        "resource:Subscription dependsOn", "resource:Subscription ref",
        "resource:Subscription sub", "output:Arn getAtt",
      ])
    #expect(
      graph.order.firstIndex(of: loop)! < graph.order.firstIndex(of: "resource:Subscription")!)
    #expect(!diagnostics.items.contains { $0.code == .danglingReference })
  }

  @Test func aNameTheLoopCannotMakeIsDangling() {
    let (_, diagnostics) = analyzed(
      Self.template.replacingOccurrences(of: "!Ref TopicOrders", with: "!Ref TopicRefunds"))
    #expect(diagnostics.items.filter { $0.code == .danglingReference }.count == 1)
  }

  /// A collection is read as YAML 1.1 too: a plain `010` is 8, so the loop makes `Topic8`.
  @Test func aCollectionIsReadAsYAML11() throws {
    let template = """
      Transform: AWS::LanguageExtensions
      Resources:
        Fn::ForEach::Topics:
          - N
          - [010, 0x1A]
          - Topic${N}: {Type: AWS::SNS::Topic}
        User:
          Type: AWS::SNS::Subscription
          Properties: {TopicArn: !Ref Topic8, Protocol: email, Endpoint: !Ref Topic26}
      """
    let (analysis, diagnostics) = analyzed(template)
    #expect(!diagnostics.items.contains { $0.code == .danglingReference })
    let graph = try #require(analysis.graph)
    #expect(
      graph.edges.contains { $0.from == "resource:User" && $0.to == "resource:Fn::ForEach::Topics" }
    )
    let (_, written) = analyzed(template.replacingOccurrences(of: "Topic8", with: "Topic010"))
    #expect(written.items.filter { $0.code == .danglingReference }.count == 1)
  }
}
