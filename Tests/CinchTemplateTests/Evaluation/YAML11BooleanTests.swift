import Testing

@testable import CinchTemplate

/// CloudFormation reads YAML as YAML 1.1: a plain `yes`, `Off` or `TRUE` is a boolean, which a
/// string property, a parameter default or a condition sees as `true` or `false`
/// (aws/aws-cli#5245). Quoted text is as written; JSON has only `true` and `false`.
@Suite struct YAML11BooleanTests {
  static let template = """
    Parameters:
      Flag: {Type: String, Default: yes, AllowedValues: ['true', 'false']}
      Kept: {Type: String, Default: 'yes'}
    Conditions:
      FeatureOn: !Equals [!Ref Flag, 'on']
      FlagIsTrue: !Equals [!Ref Flag, on]
    Resources:
      Topic:
        Type: AWS::SNS::Topic
        Properties:
          DisplayName: !Join ['', ['{{resolve:ssm:/y/', yes, '/', Off, '/', !Ref Flag, '/', !Ref Kept, '/', 'no', '}}']]
          TopicName: !If [FeatureOn, '{{resolve:ssm:/y/feature}}', '{{resolve:ssm:/y/plain}}']
          KmsMasterKeyId: !If [FlagIsTrue, '{{resolve:ssm:/y/flag-true}}', !Ref AWS::NoValue]
    """

  @Test func plainBooleansReadAsTrueOrFalse() {
    let (analysis, diagnostics) = analyzed(Self.template)
    #expect(!diagnostics.hasErrors, "\(diagnostics.items.map(\.message))")
    let live = analysis.references.compactMap(\.concrete?.name)
    #expect(live == ["/y/true/false/true/yes/no", "/y/plain", "/y/flag-true"])
  }

  /// A plain `yes:` key is `true` too: the same word on both sides of a lookup matches, and
  /// the entry's reference is read.
  @Test func mappingKeysReadAsBooleansToo() {
    let (analysis, diagnostics) = analyzed(
      """
      Mappings:
        Flags:
          yes: {Name: '{{resolve:ssm:/flags/on}}'}
          'no': {Name: '{{resolve:ssm:/flags/off}}'}
      Resources:
        Topic:
          Type: AWS::SNS::Topic
          Properties:
            DisplayName: !FindInMap [Flags, yes, Name]
      """)
    #expect(!diagnostics.hasErrors, "\(diagnostics.items.map(\.message))")
    #expect(analysis.references.compactMap(\.concrete?.name) == ["/flags/on"])
  }

  @Test func onlyThePlainUntaggedSpellingsYAML11Knows() {
    func node(_ text: String, _ style: NodeStyle, tag: String? = nil) -> Node {
      let start = SourcePosition(offset: 0, line: 1, column: 1)
      return Node(
        .scalar(text), style: style, tag: tag, range: SourceRange(start: start, end: start))
    }
    for (text, read) in [
      ("yes", "true"), ("Yes", "true"), ("YES", "true"), ("On", "true"), ("TRUE", "true"),
      ("no", "false"), ("OFF", "false"), ("False", "false"), ("y", "y"), ("n", "n"),
      ("yEs", "yEs"), ("onward", "onward"),
    ] {
      #expect(node(text, .plain).scalarAsRead == read, "\(text)")
    }
    #expect(node("yes", .singleQuoted).scalarAsRead == "yes")
    #expect(node("yes", .plain, tag: "!!str").scalarAsRead == "yes")
  }
}
