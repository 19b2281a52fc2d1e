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
}
