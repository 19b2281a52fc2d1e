import Testing

@testable import CinchTemplate

/// A reference under a condition that is false is not read on this deploy, but it is part of
/// the template: the graph keeps its store entry, grey ("not read"), behind an edge not taken,
/// as it keeps the resource's other edges. An entry that any live path reads stays live.
@Suite struct InactiveReadTests {
  static let template = """
    Parameters:
      Env: {Type: String, Default: prod}
    Conditions:
      NotProd: !Not [!Equals [!Ref Env, prod]]
    Resources:
      Bastion:
        Type: AWS::EC2::Instance
        Condition: NotProd
        Properties:
          ImageId: '{{resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-arm64}}'
          KeyName: '{{resolve:ssm:/app/key-name}}'
      Web:
        Type: AWS::EC2::Instance
        Properties:
          KeyName: '{{resolve:ssm:/app/key-name}}'
    """

  @Test func aReadUnderAFalseConditionIsDrawnNotTaken() throws {
    let graph = try #require(analyzed(Self.template).analysis.graph)
    let ami = "store:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-arm64"
    let keyName = "store:ssm:/app/key-name"
    let node = { (id: String) in graph.nodes.first { $0.id == id } }
    #expect(try #require(node(ami)).isActive == false)
    #expect(try #require(node(keyName)).isActive)
    func edge(_ from: String, _ to: String) -> GraphEdge? {
      graph.edges.first { $0.from == from && $0.to == to }
    }
    #expect(try #require(edge("resource:Bastion", ami)).isActive == false)
    #expect(try #require(edge("resource:Bastion", keyName)).isActive == false)
    #expect(try #require(edge("resource:Web", keyName)).isActive)
  }
}
