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

/// What a loop's body uses, the loop uses: its `Ref`, `Fn::GetAtt`, `${…}` and `DependsOn` are
/// edges from the loop's node (a name of the template misspelt there is E3002, as anywhere),
/// its identifier names the element and nothing else, and a name built from the identifier
/// (`!Ref {Fn::Sub: Subnet${Id}}`) reaches the loop that makes such names.
@Suite struct LoopBodyEdgeTests {
  static let template = """
    Transform: AWS::LanguageExtensions
    Parameters:
      Size: {Type: Number, Default: 5}
      Zones: {Type: CommaDelimitedList, Default: 'A,B'}
    Conditions:
      Big: !Equals [!Ref Size, 5]
    Resources:
      Vpc:
        Type: AWS::EC2::VPC
        Properties: {CidrBlock: 10.0.0.0/16}
      Fn::ForEach::Subnets:
        - Id
        - !Ref Zones
        - Subnet${Id}:
            Type: AWS::EC2::Subnet
            Condition: Big
            DependsOn: [Vpc]
            Properties:
              VpcId: !Ref Vpc
              CidrBlock: !GetAtt Vpc.CidrBlock
              AvailabilityZone: !Ref Id
              Tags: [{Key: size, Value: !Sub '${Size}-${Id}'}]
      Fn::ForEach::Routes:
        - Id
        - !Ref Zones
        - Route${Id}:
            Type: AWS::EC2::SubnetRouteTableAssociation
            Properties:
              SubnetId: !Ref {Fn::Sub: 'Subnet${Id}'}
              RouteTableId: rtb-1
    Outputs:
      Fn::ForEach::Out:
        - Id
        - !Ref Zones
        - Out${Id}:
            Value: !GetAtt [!Sub 'Subnet${Id}', SubnetId]
            Condition: Big
    """

  @Test func aLoopsBodyUsesAreTheLoopsEdges() throws {
    let (analysis, diagnostics) = analyzed(Self.template)
    let graph = try #require(analysis.graph)
    let edges = graph.edges.map { "\($0.from) \($0.kind.rawValue) \($0.to)" }
    #expect(
      Set(edges) == [
        "condition:Big ref parameter:Size",
        "resource:Fn::ForEach::Subnets ref parameter:Zones",
        "resource:Fn::ForEach::Subnets condition condition:Big",
        "resource:Fn::ForEach::Subnets dependsOn resource:Vpc",
        "resource:Fn::ForEach::Subnets ref resource:Vpc",
        "resource:Fn::ForEach::Subnets getAtt resource:Vpc",
        "resource:Fn::ForEach::Subnets sub parameter:Size",
        "resource:Fn::ForEach::Routes ref parameter:Zones",
        "resource:Fn::ForEach::Routes ref resource:Fn::ForEach::Subnets",
        "output:Fn::ForEach::Out ref parameter:Zones",
        "output:Fn::ForEach::Out condition condition:Big",
        "output:Fn::ForEach::Out getAtt resource:Fn::ForEach::Subnets",
      ], "\(edges)")
    let order = graph.order
    #expect(
      order.firstIndex(of: "resource:Vpc")! < order.firstIndex(of: "resource:Fn::ForEach::Subnets")!
    )
    #expect(
      order.firstIndex(of: "resource:Fn::ForEach::Subnets")!
        < order.firstIndex(of: "resource:Fn::ForEach::Routes")!)
    #expect(!diagnostics.items.contains { $0.code == .danglingReference }, "\(diagnostics.items)")
  }

  @Test func aMisspeltNameInALoopsBodyIsDangling() {
    let misspelt = Self.template.replacingOccurrences(of: "!Ref Vpc", with: "!Ref Vcp")
      .replacingOccurrences(of: "DependsOn: [Vpc]", with: "DependsOn: [Vcp]")
      .replacingOccurrences(of: "!GetAtt Vpc.CidrBlock", with: "!GetAtt Vcp.CidrBlock")
    let (_, diagnostics) = analyzed(misspelt)
    let dangling = diagnostics.items.filter { $0.code == .danglingReference }
    #expect(dangling.map { $0.range?.start.line } == [17, 19, 20], "\(dangling)")
  }

  /// Two resources of one iteration using each other (`NatGateway${Id}` the `EIP${Id}`) are
  /// both the loop: no edge to itself, no cycle. A loop among a resource's properties names its
  /// element by its identifier there.
  @Test func aLoopUsingItsOwnMakingsIsNoCycle() throws {
    let (analysis, diagnostics) = analyzed(
      """
      Transform: AWS::LanguageExtensions
      Mappings:
        Sizes: {A: {InstanceType: t3.micro}, B: {InstanceType: t3.large}}
      Resources:
        Fn::ForEach::Nat:
          - Id
          - [A, B]
          - Eip${Id}:
              Type: AWS::EC2::EIP
            Gateway${Id}:
              Type: AWS::EC2::NatGateway
              Properties:
                AllocationId: !GetAtt [!Sub 'Eip${Id}', AllocationId]
                SubnetId: subnet-1
            Host${Id}:
              Type: AWS::EC2::Instance
              Properties:
                Fn::ForEach::Properties:
                  - Property
                  - [InstanceType]
                  - ${Property}: !FindInMap [Sizes, !Ref Id, !Ref Property]
      """)
    let graph = try #require(analysis.graph)
    #expect(!graph.edges.contains { $0.from == $0.to }, "\(graph.edges)")
    #expect(graph.cycles.isEmpty)
    #expect(
      graph.edges.map { "\($0.from) \($0.kind.rawValue) \($0.to)" } == [
        "resource:Fn::ForEach::Nat findInMap mapping:Sizes"
      ])
    #expect(diagnostics.items.filter { $0.severity == .error }.isEmpty, "\(diagnostics.items)")
  }
}
