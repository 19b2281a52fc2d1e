import Testing

@testable import CinchTemplate

/// A function whose argument has a shape CloudFormation refuses is reported where it is
/// written, evaluated or not; a function call is accepted where a list or string belongs.
@Suite struct IntrinsicShapeTests {
  static func malformed(_ value: String) -> [String] {
    let (_, diagnostics) = analyzed(
      """
      Parameters:
        Subnets: {Type: CommaDelimitedList, Default: 'a,b'}
      Conditions:
        Always: !Equals [a, a]
      Resources:
        Fn:
          Type: AWS::Lambda::Function
          Properties:
            Description: \(value)
      """)
    return diagnostics.items.filter { $0.code == .malformedIntrinsic }.map(\.message)
  }

  @Test(arguments: [
    ("!Select [0, 'not a list']", "'Fn::Select' needs a list of values"),
    ("!Join ['', 'string']", "'Fn::Join' needs a list of values"),
    ("!Join [[x], [a, b]]", "'Fn::Join' takes a string as its delimiter"),
    ("!Join [!Ref Subnets, [a, b]]", "'Fn::Join' takes a string as its delimiter, not a function"),
    ("!Sub []", "'Fn::Sub' takes a string or [string, {variables}]"),
    ("!If [Always, a]", "'Fn::If' takes [condition, value if true, value if false]"),
    ("!Ref [a]", "'Ref' takes a logical name"),
    ("!Split [',']", "'Fn::Split' takes [delimiter, string]"),
    (
      "!Sub '{{resolve:ssm:/a/${Subnets}}}'",
      "'${Subnets}' is a list: 'Fn::Sub' substitutes strings (join it first)"
    ),
  ])
  func aMalformedArgumentIsReportedOnce(_ value: String, _ message: String) {
    #expect(Self.malformed(value) == [message])
  }

  @Test(arguments: [
    "!Join ['', !Split [',', 'a,b']]",
    "!Select [0, !GetAZs '']",
    "!Select [1, !Ref Subnets]",
    "!Sub ['${A}', {A: !Join [',', !Ref Subnets]}]",
    "!If [Always, a, !Ref 'AWS::NoValue']",
    "!GetAtt Fn.Arn",
    "!Join [',', !Ref Subnets]",
  ])
  func wellFormedArgumentsAreNotReported(_ value: String) {
    #expect(Self.malformed(value) == [])
  }
}
