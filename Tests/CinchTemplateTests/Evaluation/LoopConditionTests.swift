import Testing

@testable import CinchTemplate

/// A loop of `Fn::ForEach` in `Conditions` makes a condition per element of its collection,
/// its identifier replaced in the key and in the definition (`${N}` in any string, `&{N}`
/// without the element's other characters, `!Ref N`). Where the collection is known, each
/// condition is evaluated as if written out, so a reference the deploy does not read is not
/// checked, and a name no iteration makes is dangling (E3002); where it is not, the conditions
/// are undecided (what they guard may be read) and any name the loop's keys can make is taken.
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-foreach-example-conditions.html
@Suite struct LoopConditionTests {
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
      Q:
        Type: AWS::SQS::Queue
        Condition: Isb
        Properties:
          QueueName: '{{resolve:ssm:/q/name}}'
      R:
        Type: AWS::SQS::Queue
        Properties:
          QueueName: !If [Isa, '{{resolve:ssm:/r/a}}', '{{resolve:ssm:/r/b}}']
    """

  /// The names read on deploy, and those written but not read.
  static func reads(_ text: String, _ inputs: EvaluationInputs = EvaluationInputs()) -> (
    live: [String], inactive: [String], diagnostics: Diagnostics
  ) {
    let (analysis, diagnostics) = analyzed(text, inputs: inputs)
    var live: [String] = []
    var inactive: [String] = []
    for reference in analysis.references {
      if reference.state == .inactive {
        inactive.append(reference.site.reference.name)
      } else {
        live.append(reference.site.reference.name)
      }
    }
    return (live, inactive, diagnostics)
  }

  static func stage(_ value: String) -> EvaluationInputs {
    var inputs = EvaluationInputs()
    inputs.parameters["Stage"] = .init(value: value, origin: "--parameter-overrides")
    return inputs
  }

  @Test func aLoopMadeConditionIsEvaluatedPerElement() {
    let (live, inactive, diagnostics) = Self.reads(Self.template)
    #expect(live == ["/r/a"])
    #expect(inactive == ["/q/name", "/r/b"])
    #expect(!diagnostics.items.contains { $0.code == .danglingReference }, "\(diagnostics.items)")
    let other = Self.reads(Self.template, Self.stage("b"))
    #expect(other.live == ["/q/name", "/r/b"])
    #expect(other.inactive == ["/r/a"])
  }

  /// The same template with the conditions written out reads the same.
  @Test func aLoopReadsAsItsConditionsWrittenOut() {
    let written = Self.template.replacingOccurrences(
      of: """
          Fn::ForEach::Conds:
            - N
            - [a, b]
            - Is${N}: !Equals [!Ref Stage, '${N}']
        """,
      with: """
          Isa: !Equals [!Ref Stage, a]
          Isb: !Equals [!Ref Stage, b]
        """)
    #expect(written != Self.template)
    for value in ["a", "b", "c"] {
      let loop = Self.reads(Self.template, Self.stage(value))
      let plain = Self.reads(written, Self.stage(value))
      #expect(loop.live == plain.live, "\(value)")
      #expect(loop.inactive == plain.inactive, "\(value)")
    }
  }

  /// A collection given by a parameter is known when the parameter is; `&{N}` keeps the
  /// element's letters and digits; `!Ref N` and `!Sub '${N}'` give the element; nested loops
  /// make a condition per pair.
  @Test func collectionsFromParametersNestedLoopsAndIdentifierForms() {
    let (live, inactive, diagnostics) = Self.reads(
      """
      Transform: AWS::LanguageExtensions
      Parameters:
        Stage: {Type: String, Default: eu-west}
        Names: {Type: CommaDelimitedList, Default: 'eu-west,us-east'}
      Conditions:
        Fn::ForEach::Regions:
          - R
          - !Ref Names
          - In&{R}: !Equals [!Ref Stage, !Ref R]
            Fn::ForEach::Tiers:
              - T
              - [gold, free]
              - ${T}&{R}: !Equals [!Sub '${T}-${R}', gold-eu-west]
      Resources:
        P:
          Type: AWS::SSM::Parameter
          Properties:
            Type: String
            Value: !If [Ineuwest, '{{resolve:ssm:/eu}}', '{{resolve:ssm:/not-eu}}']
            Description: !If [Inuseast, '{{resolve:ssm:/us}}', '{{resolve:ssm:/not-us}}']
        Q:
          Type: AWS::SQS::Queue
          Condition: freeeuwest
          Properties:
            QueueName: '{{resolve:ssm:/free}}'
        S:
          Type: AWS::SQS::Queue
          Condition: goldeuwest
          Properties:
            QueueName: '{{resolve:ssm:/gold}}'
      """)
    #expect(live == ["/eu", "/not-us", "/gold"])
    #expect(inactive == ["/not-eu", "/us", "/free"])
    #expect(!diagnostics.items.contains { $0.code == .danglingReference }, "\(diagnostics.items)")
  }

  /// A condition no iteration makes is dangling when the collection is known: the deploy
  /// fails on it.
  @Test func aNameNoIterationMakesIsDangling() {
    let text = Self.template.replacingOccurrences(of: "Condition: Isb", with: "Condition: IsTypo")
    let (_, _, diagnostics) = Self.reads(text)
    let dangling = diagnostics.items.filter { $0.code == .danglingReference }
    #expect(dangling.map(\.message) == ["condition 'IsTypo' is not defined"], "\(dangling)")
    #expect(dangling.first?.range?.start.line == 12)
  }

  /// A collection known only at deploy (a parameter without a value): the loop's conditions
  /// are undecided, so what they guard may be read, and a name its keys can make is no
  /// dangling name; one they cannot make still is.
  @Test func anUnknownCollectionLeavesItsConditionsUndecided() {
    let text =
      Self.template.replacingOccurrences(of: "- [a, b]", with: "- !Ref Names")
      .replacingOccurrences(
        of: "Stage: {Type: String, Default: a}",
        with: "Stage: {Type: String, Default: a}\n  Names: {Type: CommaDelimitedList}")
        + """

          S:
            Type: AWS::SQS::Queue
            Condition: HasTypo
            Properties:
              QueueName: '{{resolve:ssm:/s}}'
        """
    let (live, inactive, diagnostics) = Self.reads(text)
    #expect(live == ["/q/name", "/r/a", "/r/b", "/s"])
    #expect(inactive.isEmpty)
    let dangling = diagnostics.items.filter { $0.code == .danglingReference }
    #expect(dangling.map(\.message) == ["condition 'HasTypo' is not defined"], "\(dangling)")
  }
}
