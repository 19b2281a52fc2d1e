import Testing

@testable import CinchTemplate

/// Names a template does not write may still exist at deploy: SAM's generated resources, a
/// module's resources, what `Fn::ForEach` makes, a name `Ref` computes under
/// `AWS::LanguageExtensions`, another stack's output. None of them is dangling (E3002).
@Suite struct GeneratedNamesTests {
  static func findings(_ text: String) -> [String] {
    analyzed(text).diagnostics.items.filter { $0.severity == .error || $0.code == .unusedParameter }
      .map { "\($0.code.id) \($0.message)" }
  }

  @Test func samGeneratedResources() {
    #expect(
      Self.findings(
        """
        Transform: AWS::Serverless-2016-10-31
        Resources:
          Hello:
            Type: AWS::Serverless::Function
            Properties: {Handler: app.handler, Runtime: python3.12, CodeUri: .}
        Outputs:
          Api:
            Value: !Sub 'https://${ServerlessRestApi}.execute-api.${AWS::Region}.amazonaws.com/'
          Role:
            Value: !GetAtt HelloRole.Arn
        """) == [])
  }

  @Test func moduleResources() {
    #expect(
      Self.findings(
        """
        Resources:
          MyBucket:
            Type: My::S3::SampleBucket::MODULE
            Properties: {BucketName: x}
        Outputs:
          A: {Value: !Ref MyBucket.S3Bucket}
          B: {Value: !GetAtt MyBucketS3Bucket.Arn}
        """) == [])
  }

  @Test func anotherStacksOutput() {
    #expect(
      Self.findings(
        """
        Resources:
          P:
            Type: AWS::SSM::Parameter
            Properties:
              Type: String
              Value: !GetStackOutput {StackName: network, OutputName: VpcId, Region: eu-west-1}
        """) == [])
    #expect(
      Self.findings(
        """
        Resources:
          P:
            Type: AWS::SSM::Parameter
            Properties: {Type: String, Value: !GetStackOutput {StackName: network}}
        """)
        == ["E1002 'Fn::GetStackOutput' takes {StackName, OutputName, Region, RoleArn}"])
  }

  @Test func languageExtensionsLoopsAndComputedRefs() {
    #expect(
      Self.findings(
        """
        Transform: AWS::LanguageExtensions
        Parameters:
          ParamA: {Type: String, AllowedValues: ['true', 'false']}
          ParamB: {Type: String, AllowedValues: ['true', 'false']}
        Conditions:
          Fn::ForEach::Flags:
            - Identifier
            - [A, B]
            - Is${Identifier}:
                Fn::Equals: [{Ref: {Fn::Sub: 'Param${Identifier}'}}, 'true']
        Resources:
          Topic:
            Type: AWS::SNS::Topic
            Condition: IsA
        """) == [])
  }

  /// A loop makes the names its keys give, element by element where its list is written out,
  /// and its identifier names the element inside it: a name no loop can make is still dangling.
  @Test func loopsMakeOnlyWhatTheirKeysSay() {
    let findings = Self.findings(
      """
      Transform: AWS::LanguageExtensions
      Parameters:
        Names: {Type: CommaDelimitedList, Default: 'x,y'}
      Resources:
        Fn::ForEach::Topics:
          - Name
          - [a, b-c]
          - Q${Name}:
              Type: AWS::SNS::Topic
              Properties: {TopicName: !Ref Name}
            R&{Name}:
              Type: AWS::SNS::Topic
            Fn::ForEach::Inner:
              - Other
              - !Ref Names
              - S${Name}${Other}End: {Type: AWS::SNS::Topic}
        User:
          Type: AWS::SNS::Topic
          Properties:
            TopicName: !Ref Totally
            DisplayName: !GetAtt Qc.TopicName
            Tags:
              - {Key: a, Value: !GetAtt Qa.TopicName}
              - {Key: b, Value: !GetAtt Qb-c.TopicName}
              - {Key: c, Value: !GetAtt Rbc.TopicName}
              - {Key: d, Value: !Ref SaAnythingEnd}
              - {Key: e, Value: !Ref SbEnd}
              - {Key: f, Value: !Ref Rb-c}
      """)
    // `b-c` makes no logical ID through `${Name}` (E1014, `LoopKeyRules`), but a name all the
    // same, which a use must match.
    #expect(
      findings == [
        "E1014 resource 'Qb-c' made by 'Q${Name}' of 'Fn::ForEach::Topics' (Name 'b-c') has a "
          + "logical ID CloudFormation rejects: letters and digits only (A-Za-z0-9); "
          + "'Q&{Name}' leaves out what is not a letter or digit",
        "E1014 resource 'Sb-cxEnd' made by 'S${Name}${Other}End' of 'Fn::ForEach::Inner' "
          + "(Name 'b-c', Other 'x') has a logical ID CloudFormation rejects: letters and digits "
          + "only (A-Za-z0-9); 'S&{Name}&{Other}End' leaves out what is not a letter or digit",
        "E3002 'Totally' is not a parameter, pseudo-parameter or resource of this template",
        "E3002 'Fn::GetAtt' names 'Qc', which is not a resource",
        "E3002 'SbEnd' is not a parameter, pseudo-parameter or resource of this template",
        "E3002 'Rb-c' is not a parameter, pseudo-parameter or resource of this template",
      ], "\(findings)")
    #expect(
      Template.LoopNames.parts("A${B}&{C}d") == [
        .text("A"), .placeholder("B", alphanumeric: false), .placeholder("C", alphanumeric: true),
        .text("d"),
      ])
  }

  /// Each loop makes its keys from its own list, though another loop has an identifier of the
  /// same name: `Topic${N}` over `[a]` makes `Topica` only, so `TopicTypo` is dangling.
  @Test func siblingLoopsSharingAnIdentifierKeepTheirOwnLists() {
    let findings = Self.findings(
      """
      Transform: AWS::LanguageExtensions
      Resources:
        Fn::ForEach::A:
          - N
          - [a]
          - Topic${N}: {Type: AWS::SNS::Topic}
        Fn::ForEach::B:
          - N
          - [b]
          - Queue${N}: {Type: AWS::SQS::Queue}
        U:
          Type: AWS::SQS::Queue
          Properties:
            QueueName: !Ref TopicTypo
            Tags:
              - {Key: a, Value: !GetAtt Topica.TopicName}
              - {Key: b, Value: !GetAtt Queueb.QueueName}
              - {Key: c, Value: !GetAtt Topicb.TopicName}
      """)
    #expect(
      findings == [
        "E3002 'TopicTypo' is not a parameter, pseudo-parameter or resource of this template",
        "E3002 'Fn::GetAtt' names 'Topicb', which is not a resource",
      ], "\(findings)")
  }

  /// A loop's identifier names the element inside the loop's body (a property's loop too), and
  /// nothing outside it (Fn::ForEach: "All instances of ${Identifier} … in the OutputKey and
  /// OutputValue parameters will be replaced").
  @Test func aLoopsIdentifierNamesNothingOutsideIt() {
    let findings = Self.findings(
      """
      Transform: AWS::LanguageExtensions
      Resources:
        Fn::ForEach::Topics:
          - N
          - [a, b]
          - Topic${N}:
              Type: AWS::SNS::Topic
              Properties:
                TopicName: !Ref N
                DisplayName: !Sub ['${V}-x', {V: !Ref N}]
        Q:
          Type: AWS::SQS::Queue
          Properties:
            QueueName: !Ref N
            Tags:
              Fn::ForEach::Tags:
                - T
                - [x, y]
                - Tag${T}:
                    Key: !Ref T
                    Value: !Sub ['${V}', {V: !Ref T}]
      Outputs:
        O:
          Value: !Sub '${N}-${T}'
      """)
    #expect(
      findings == [
        "E3002 'N' is not a parameter, pseudo-parameter or resource of this template",
        "E3002 '${N}' names no variable, parameter, pseudo-parameter or resource",
        "E3002 '${T}' names no variable, parameter, pseudo-parameter or resource",
      ], "\(findings)")
  }

  /// Without a transform, module or loop, a name nothing defines is still dangling.
  @Test func aMisspeltNameIsStillReported() {
    #expect(
      Self.findings(
        """
        Resources:
          Bucket: {Type: AWS::S3::Bucket}
        Outputs:
          A: {Value: !GetAtt Buckt.Arn}
        """
      ).contains(
        "E3002 'Fn::GetAtt' names 'Buckt', which is not a resource (did you mean 'Bucket'?)"))
  }
}
