import Testing

@testable import CinchTemplate

/// `Fn::Select` and `Fn::If` pick one operand: a reference written in another is part of the
/// template but not read on deploy, so it must not be resolved, locked or reported missing.
/// An index or condition not known yet leaves every operand live (it may be read).
@Suite struct ChoiceLivenessTests {
  static let template = """
    Parameters:
      Index: {Type: Number, Default: 1}
      Env: {Type: String, Default: prod}
    Conditions:
      IsProd: !Equals [!Ref Env, prod]
    Resources:
      Fn:
        Type: AWS::Lambda::Function
        Properties:
          Environment:
            Variables:
              Picked: !Select [!Ref Index, ['{{resolve:ssm:/first}}', '{{resolve:ssm:/second}}']]
              Literal: !Select ['0', ['{{resolve:ssm:/zero}}', '{{resolve:ssm:/one}}']]
              Nested: !If
                - IsProd
                - !Select [1, ['{{resolve:ssm:/prod/a}}', '{{resolve:ssm:/prod/b}}']]
                - !Select [0, ['{{resolve:ssm:/dev/a}}', '{{resolve:ssm:/dev/b}}']]
              Split: !Select [0, !Split [',', '{{resolve:ssm:/listed}}']]
    """

  /// The names read on deploy, and those written but not read.
  static func reads(_ inputs: EvaluationInputs = EvaluationInputs()) -> (
    live: [String], inactive: [String]
  ) {
    let (analysis, _) = analyzed(template, inputs: inputs)
    var live: [String] = []
    var inactive: [String] = []
    for reference in analysis.references {
      if let concrete = reference.concrete {
        live.append(concrete.name)
      } else if reference.state == .inactive {
        inactive.append(reference.site.reference.name)
      }
    }
    return (live, inactive)
  }

  @Test func onlyTheSelectedElementIsRead() {
    let (live, inactive) = Self.reads()
    #expect(live == ["/second", "/zero", "/prod/b", "/listed"])
    #expect(inactive == ["/first", "/one", "/prod/a", "/dev/a", "/dev/b"])
  }

  @Test func theIndexFollowsItsParameter() {
    var inputs = EvaluationInputs()
    inputs.parameters["Index"] = .init(value: "0", origin: "--parameter-overrides")
    inputs.parameters["Env"] = .init(value: "dev", origin: "--parameter-overrides")
    let (live, inactive) = Self.reads(inputs)
    #expect(live == ["/first", "/zero", "/dev/a", "/listed"])
    #expect(inactive == ["/second", "/one", "/prod/a", "/prod/b", "/dev/b"])
  }

  /// A template parameter without a value: the index is unknown, so both elements may be read.
  @Test func anUnknownIndexLeavesEveryElementLive() {
    let text = Self.template.replacingOccurrences(
      of: "Index: {Type: Number, Default: 1}", with: "Index: {Type: Number}")
    let (analysis, _) = analyzed(text)
    let picked = analysis.references.filter { $0.site.path.description.hasSuffix("/Picked") }
    #expect(
      picked.map(\.state) == [
        .concrete(picked[0].site.reference), .concrete(picked[1].site.reference),
      ])
  }

  /// A condition the template does not define is reported once, at its name, however many
  /// references sit in the `Fn::If` that names it.
  @Test func anUndefinedConditionIsReportedOnceWhereItIsNamed() {
    let (_, diagnostics) = analyzed(
      """
      Resources:
        P:
          Type: AWS::SSM::Parameter
          Condition: AlsoMissing
          Properties:
            Type: String
            Value: !If [Missing, '{{resolve:ssm:/a}}', '{{resolve:ssm:/b}}']
      """)
    let undefined = diagnostics.items.filter { $0.code == .danglingReference }
    #expect(
      undefined.map(\.message).sorted() == [
        "condition 'AlsoMissing' is not defined", "condition 'Missing' is not defined",
      ])
    #expect(undefined.allSatisfy { $0.range != nil })
  }

  /// An index CloudFormation would refuse is reported where it is written, also when the
  /// list is written out (then the elements are not evaluated, only chosen among).
  @Test func aSelectIndexOutOfRangeOrNotANumberIsReported() {
    let (_, diagnostics) = analyzed(
      """
      Resources:
        Fn:
          Type: AWS::Lambda::Function
          Properties:
            Environment:
              Variables:
                A: !Select [2, ['{{resolve:ssm:/a}}', '{{resolve:ssm:/b}}']]
                B: !Select ['1a', ['{{resolve:ssm:/a}}', '{{resolve:ssm:/b}}']]
                C: !Select [-1, ['{{resolve:ssm:/a}}', '{{resolve:ssm:/b}}']]
      """)
    let malformed = diagnostics.items.filter { $0.code == .malformedIntrinsic }
    #expect(
      malformed.map(\.message) == [
        "'Fn::Select' index 2 is out of range for a list of 2",
        "'Fn::Select' index '1a' is not a non-negative integer",
        "'Fn::Select' index '-1' is not a non-negative integer",
      ])
    #expect(malformed.map { $0.range?.start.line } == [7, 8, 9])
  }

  /// A reference written in a mapping is read only where `Fn::FindInMap` puts it: the entry a
  /// live lookup picks, any entry of a map whose keys are not known yet, none of a mapping no
  /// live lookup names.
  @Test func aMappingEntryIsReadOnlyWhenALookupPicksIt() {
    let template = """
      Parameters:
        Env: {Type: String, Default: prod}
        Tier: {Type: String}
      Conditions:
        Never: !Equals [a, b]
      Mappings:
        Hosts:
          prod: {Db: '{{resolve:ssm:/prod/db}}'}
          dev: {Db: '{{resolve:ssm:/dev/db}}'}
        Tiers:
          gold: {Key: '{{resolve:ssm:/gold/key}}'}
          free: {Key: '{{resolve:ssm:/free/key}}'}
        Hidden:
          x: {y: '{{resolve:ssm:/hidden}}'}
      Resources:
        P:
          Type: AWS::SSM::Parameter
          Properties:
            Type: String
            Value: !FindInMap [Hosts, !Ref Env, Db]
            Description: !FindInMap [Tiers, !Ref Tier, Key]
            AllowedPattern: !If [Never, !FindInMap [Hidden, x, y], !Ref 'AWS::NoValue']
      """
    let (analysis, _) = analyzed(template)
    let read = analysis.references.compactMap { $0.concrete?.name }
    #expect(read == ["/prod/db", "/gold/key", "/free/key"])
    // The reader is where the lookup puts the value.
    let graph = analysis.graph
    let consumers = graph?.consumers(named: "/prod/db") ?? []
    #expect(consumers.map { "\($0.name) \($0.path)" } == ["P Resources/P/Properties/Value"])
    #expect(consumers.first?.range?.start.line == 20)
    #expect(graph?.consumers(named: "/dev/db").isEmpty == true)
  }
}

/// CloudFormation returns a `secretsmanager` reference in `Outputs` as its literal text
/// (W2026): nothing is read at deploy, so nothing is locked, granted or drawn as a read. An
/// `ssm` reference there is resolved.
@Suite struct OutputsReadTests {
  @Test func aSecretInOutputsIsNotReadAndAParameterIs() {
    let (analysis, diagnostics) = analyzed(
      """
      Resources: {A: {Type: AWS::SQS::Queue}}
      Outputs:
        Secret: {Value: '{{resolve:secretsmanager:onlyout:SecretString:k}}'}
        Plain: {Value: '{{resolve:ssm:/shown}}'}
      """)
    let states = analysis.references.map { ($0.site.reference.name, $0.state == .inactive) }
    #expect(states.map(\.0) == ["onlyout", "/shown"])
    #expect(states.map(\.1) == [true, false])
    #expect(diagnostics.items.map(\.code).contains(.secretInOutputs))
  }
}
