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

/// In a loop's body, the language extensions replace `${Identifier}` and `&{Identifier}` in
/// every string before anything reads it, so a name written with them names, per iteration,
/// what the element makes: `DependsOn: Topic${N}` (DependsOn takes no function), `!Ref
/// 'Topic${N}'`, `!Sub '${Topic${N}.TopicName}'` and `!GetAtt Topic${N}.TopicArn` are edges
/// to what makes those names, as `!GetAtt [!Sub 'Topic${N}', …]` is; so are `Condition:
/// Is${N}` and a use of a condition an `Fn::ForEach` loop of `Conditions` makes.
@Suite struct LoopNameEdgeTests {
  static let template = """
    Transform: AWS::LanguageExtensions
    Parameters:
      Stage: {Type: String, Default: a}
    Conditions:
      Fn::ForEach::Conds:
        - N
        - [a, b]
        - Is${N}: !Equals [!Ref Stage, '${N}']
    Resources:
      Fn::ForEach::Topics:
        - N
        - [a, b]
        - Topic${N}:
            Type: AWS::SNS::Topic
            Condition: Is${N}
      Fn::ForEach::Subs:
        - N
        - [a, b]
        - Sub${N}:
            Type: AWS::SNS::Subscription
            DependsOn: Topic${N}
            Properties:
              Protocol: sqs
      Fn::ForEach::Subs2:
        - N
        - [a, b]
        - Sub2${N}:
            Type: AWS::SNS::Subscription
            Properties:
              TopicArn: !GetAtt [!Sub 'Topic${N}', TopicArn]
              Protocol: !Sub '${Topic${N}.TopicName}'
              Endpoint: !Ref 'Topic${N}'
              Region: !GetAtt Topic&{N}.TopicArn
      Q:
        Type: AWS::SQS::Queue
        Condition: Isb
      R:
        Type: AWS::SQS::Queue
        Properties:
          QueueName: !If [Isa, x, y]
    """

  /// The edges of the uses of what the loops make.
  static let usesOfLoops: Set<String> = [
    "resource:Fn::ForEach::Topics condition condition:Fn::ForEach::Conds",
    "resource:Fn::ForEach::Subs dependsOn resource:Fn::ForEach::Topics",
    "resource:Fn::ForEach::Subs2 getAtt resource:Fn::ForEach::Topics",
    "resource:Fn::ForEach::Subs2 sub resource:Fn::ForEach::Topics",
    "resource:Fn::ForEach::Subs2 ref resource:Fn::ForEach::Topics",
    "resource:Q condition condition:Fn::ForEach::Conds",
    "resource:R condition condition:Fn::ForEach::Conds",
  ]

  static func edges(_ text: String) throws -> (Set<String>, TemplateGraph, Diagnostics) {
    let (analysis, diagnostics) = analyzed(text)
    let graph = try #require(analysis.graph)
    return (Set(graph.edges.map { "\($0.from) \($0.kind.rawValue) \($0.to)" }), graph, diagnostics)
  }

  @Test func namesBuiltFromTheIdentifierAreEdges() throws {
    let (edges, graph, diagnostics) = try Self.edges(Self.template)
    #expect(edges == Self.usesOfLoops.union(["condition:Fn::ForEach::Conds ref parameter:Stage"]))
    let order = graph.order
    for user in ["resource:Fn::ForEach::Subs", "resource:Fn::ForEach::Subs2"] {
      #expect(order.firstIndex(of: "resource:Fn::ForEach::Topics")! < order.firstIndex(of: user)!)
    }
    #expect(
      order.firstIndex(of: "condition:Fn::ForEach::Conds")! < order.firstIndex(of: "resource:Q")!)
    #expect(!diagnostics.items.contains { $0.code == .danglingReference }, "\(diagnostics.items)")
    // A loop-made condition is decided: Q's is false with the default stage.
    #expect(graph.node("resource:Q")?.isActive == false)
  }

  /// A name no iteration makes is dangling, said of the first element that misses; so is a
  /// condition no loop makes, written in a loop's body or outside one.
  @Test func aNameNoIterationMakesIsDangling() throws {
    let text = Self.template.replacingOccurrences(
      of: "DependsOn: Topic${N}", with: "DependsOn: Topc${N}"
    )
    .replacingOccurrences(of: "!Ref 'Topic${N}'", with: "!Ref 'Tpc${N}'")
    .replacingOccurrences(of: "${Topic${N}.TopicName}", with: "${Tpic${N}.TopicName}")
    .replacingOccurrences(of: "Condition: Is${N}", with: "Condition: Iz${N}")
    .replacingOccurrences(of: "Condition: Isb", with: "Condition: IsTypo")
    let (_, _, diagnostics) = try Self.edges(text)
    let dangling = diagnostics.items.filter { $0.code == .danglingReference }
    #expect(
      dangling.map { "\($0.range?.start.line ?? 0) \($0.message)" } == [
        "15 condition 'Iza' is not defined",
        "21 'DependsOn' names 'Topca', which is not a resource",
        "31 '${Tpica.TopicName}' names no variable, parameter, pseudo-parameter or resource",
        "32 'Tpca' is not a parameter, pseudo-parameter or resource of this template",
        "36 condition 'IsTypo' is not defined",
      ], "\(dangling)")
  }

  /// A collection known only at deploy: a name is read by its shape, an edge to the loop whose
  /// keys are written alike, and no name is said to be dangling.
  @Test func anUnknownCollectionLinksByShape() throws {
    let text = Self.template.replacingOccurrences(of: "- [a, b]", with: "- !Ref Names")
      .replacingOccurrences(
        of: "Stage: {Type: String, Default: a}",
        with: "Stage: {Type: String, Default: a}\n  Names: {Type: CommaDelimitedList}")
    let (edges, _, diagnostics) = try Self.edges(text)
    #expect(edges.isSuperset(of: Self.usesOfLoops), "\(edges)")
    #expect(!diagnostics.items.contains { $0.code == .danglingReference }, "\(diagnostics.items)")
  }
}
