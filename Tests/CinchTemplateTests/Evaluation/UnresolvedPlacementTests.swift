import Testing

@testable import CinchTemplate

/// A reference CloudFormation never resolves where it is written (E2022, E2027, E2039), or one
/// whose text the template's functions drop, is reported but not read: it is neither checked
/// against the store, locked, nor granted.
@Suite struct UnresolvedPlacementTests {
  static let template = """
    Resources:
      Host:
        Type: AWS::EC2::Instance
        Properties:
          ImageId: ami-12345678
          UserData: !Base64 '{{resolve:ssm:/userdata}}'
          KeyName: !Ref '{{resolve:ssm:/logical}}'
      P:
        Type: AWS::SSM::Parameter
        Properties:
          Type: String
          Value: !Base64 '{{resolve:ssm:/encoded}}'
          Description: !Join ['', !Split ['/', '{{resolve:ssm:/re/joined}}']]
          AllowedPattern: !Join ['/', !Split ['/', '{{resolve:ssm:/same/joiner}}']]
          Name: !Select [0, !Split [':', '{{resolve:ssm:/cut:1}}']]
          Tier: !Sub ['plain', {V: '{{resolve:ssm:/unused}}'}]
          DataType: !Sub ['${V}', {V: '{{resolve:ssm:/used}}'}]
      Q:
        Type: AWS::SSM::Parameter
        Properties:
          Type: String
          Value: !Select [1, !Split [',', '{{resolve:ssm:/sel/a}},{{resolve:ssm:/sel/b}},x']]
    """

  @Test func onlyWhatCloudFormationResolvesIsRead() {
    let (analysis, _) = analyzed(Self.template)
    let live = analysis.references.compactMap { $0.concrete?.name }
    let inactive = analysis.references.filter { $0.state == .inactive }.map(
      \.site.reference.name)
    #expect(live == ["/same/joiner", "/used", "/sel/b"])
    #expect(
      inactive == [
        "/userdata", "/logical", "/encoded", "/re/joined", "/cut", "/unused", "/sel/a",
      ])
  }
}
