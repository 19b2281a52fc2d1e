import Testing

@testable import CinchTemplate

/// CloudFormation reads a plain scalar that YAML 1.1 calls an integer as that integer, written
/// in decimal: an account id with a leading zero is octal (`012345670123` is `1402433619`:
/// cloudformation-coverage-roadmap#745), a version `010` is 8. Quoted text is as written.
@Suite struct YAML11IntegerTests {
  @Test(arguments: [
    ("010", "8"), ("012345670123", "1402433619"), ("0x1A", "26"), ("0b101", "5"),
    ("1_000", "1000"), ("+5", "5"), ("-12", "-12"), ("-0", "0"), ("0", "0"), ("00", "0"),
    ("1:20", "80"), ("190:20:30", "685230"), ("8080", "8080"),
    ("123456789012345678901234567890", "123456789012345678901234567890"),
    ("0x_FF_FF", "65535"), ("07_7", "63"),
  ])
  func integersReadInDecimal(_ text: String, _ decimal: String) {
    #expect(YAML11Integer.decimal(text) == decimal)
  }

  /// Not integers in YAML 1.1: left as written.
  @Test(arguments: [
    "09", "08", "0b", "0b2", "0x", "0xG", "1.5", "1e3", "1:60", "01:20", "1:", "1:123", "--1",
    "+", "12ab", "0o17", "", "v1", "1 2",
  ])
  func otherTextIsNone(_ text: String) {
    #expect(YAML11Integer.decimal(text) == nil)
  }

  @Test func namesAndVersionsBuiltFromThemReadThem() throws {
    let (analysis, diagnostics) = analyzed(
      """
      Parameters:
        Ver: {Type: Number, Default: 010}
        Quoted: {Type: String, Default: '010'}
      Mappings:
        Accounts:
          shared: {Id: 012345670123}
      Resources:
        Db:
          Type: AWS::RDS::DBInstance
          Properties:
            MasterUserPassword: !Sub
              - '{{resolve:secretsmanager:arn:aws:secretsmanager:us-east-1:${Acct}:secret:db}}'
              - Acct: !FindInMap [Accounts, shared, Id]
            DBName: !Sub '{{resolve:ssm:/app/db:${Ver}}}'
            Port: !Sub '{{resolve:ssm:/app/${Quoted}/port}}'
      """)
    // The account read is no account: said where the ARN is built, before a deploy fails.
    #expect(
      diagnostics.items.map(\.message) == [
        "'{{resolve:secretsmanager:arn:aws:secretsmanager:us-east-1:1402433619:secret:db}}' "
          + "(evaluated): account '1402433619' in secret ARN is not a 12-digit account id"
      ])
    let read = analysis.references.compactMap(\.concrete)
    #expect(read.map(\.name) == ["/app/db", "/app/010/port"])
    #expect(read[0].version == 8)
  }

  /// The pieces of an `Fn::Join` are read so too, also where the join assembles a reference,
  /// and in a piece an `Fn::If` chooses.
  @Test func joinPiecesReadThem() {
    let (analysis, diagnostics) = analyzed(
      """
      Conditions:
        Always: !Equals [a, a]
      Resources:
        P:
          Type: AWS::SSM::Parameter
          Properties:
            Type: String
            Value: !Join ['', ['{{resolve:ssm:/m/8:', 0x1, '}}']]
            Name: !Join ['', ['{{resolve:ssm:/m/', !If [Always, 0b11, x], '}}']]
      """)
    #expect(!diagnostics.hasErrors, "\(diagnostics.items.map(\.message))")
    let read = analysis.references.compactMap(\.concrete)
    #expect(read.map(\.name) == ["/m/8", "/m/3"])
    #expect(read.first?.version == 1)
  }
}
