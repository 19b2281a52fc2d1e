import CinchStore
import Testing

@testable import CinchAWS

@Suite struct AWSWireCodecTests {
  /// An empty `NextToken` (moto's end of a listing) decodes as none, so every caller's loop
  /// ends there; a real token is kept.
  @Test func anEmptyNextTokenEndsAListing() throws {
    let last = try AWSWireCodec.decode(
      DescribeParametersResponse.self, from: Array(#"{"Parameters":[],"NextToken":""}"#.utf8))
    #expect(last.nextToken == nil)
    let secrets = try AWSWireCodec.decode(
      ListSecretsResponse.self, from: Array(#"{"SecretList":[],"NextToken":""}"#.utf8))
    #expect(secrets.nextToken == nil)
    let more = try AWSWireCodec.decode(
      GetParametersByPathResponse.self, from: Array(#"{"Parameters":[],"NextToken":"t1"}"#.utf8))
    #expect(more.nextToken == "t1")
  }

  /// Every member of an AWS response is optional in its model, and moto leaves `Tier` out for
  /// AWS's public parameters: a tier or data type left out is PutParameter's default, so one
  /// public AMI reference does not sink `check`.
  @Test func aTierOrDataTypeLeftOutIsTheDefault() throws {
    let history = try AWSWireCodec.decode(
      GetParameterHistoryResponse.self,
      from: Array(
        #"{"Parameters":[{"Name":"/aws/service/ami","Type":"String","Value":"ami-1","#
          .utf8) + Array(#""Version":1,"LastModifiedDate":1700000000}]}"#.utf8))
    #expect(history.parameters.first?.tier == .standard)
    #expect(history.parameters.first?.dataType == .text)
    let described = try AWSWireCodec.decode(
      DescribeParametersResponse.self,
      from: Array(
        #"{"Parameters":[{"Name":"/aws/service/ami","Type":"String","Version":1,"#.utf8)
        + Array(#""LastModifiedDate":1700000000,"Tier":"Advanced"}]}"#.utf8))
    #expect(described.parameters.first?.tier == .advanced)
    #expect(described.parameters.first?.dataType == .text)
  }

  /// A map of version ids to stages keeps the server's order whatever the decoder's dictionary
  /// does: `describe-secret` prints what the aws CLI prints, and the same thing twice; in a
  /// listing's entries too.
  @Test func versionStagesKeepTheServersOrder() throws {
    let body =
      Array(
        #"{"ARN":"arn:aws:secretsmanager:us-east-1:1:secret:s-AbCdEf","Name":"s","#.utf8)
      + Array(#""VersionIdsToStages":{"9f":["AWSPREVIOUS"],"1a":["AWSCURRENT"],"5c":[]}}"#.utf8)
    for _ in 0..<5 {
      let described = try AWSWireCodec.decode(DescribeSecretResponse.self, from: body)
      #expect(described.versionIDsToStages?.versionIDs == ["9f", "1a", "5c"])
    }
    let listed = try AWSWireCodec.decode(
      ListSecretsResponse.self,
      from: Array(
        #"{"SecretList":[{"ARN":"arn:a","Name":"a"},{"ARN":"arn:b","Name":"b","SecretVersionsToStages":{"z":["AWSCURRENT"],"a":[]}}]}"#
          .utf8))
    #expect(listed.secretList[1].secretVersionsToStages?.versionIDs == ["z", "a"])
  }

  /// Secrets Manager's `Tag` has no required member (its API reference: `Key` and `Value`,
  /// "Required: No"), and a secret tagged `Key=team` in the console has no `Value`: such a tag
  /// reads as the empty value instead of failing `describe-secret` and `list-secrets`.
  @Test func aSecretTagWithoutAValueReadsAsEmpty() throws {
    let described = try AWSWireCodec.decode(
      DescribeSecretResponse.self,
      from: Array(
        #"{"ARN":"arn:aws:secretsmanager:us-east-1:1:secret:s-AbCdEf","Name":"s","#.utf8)
        + Array(#""Tags":[{"Key":"team"},{"Key":"env","Value":"prod"}]}"#.utf8))
    #expect(described.tags == [Tag(key: "team", value: ""), Tag(key: "env", value: "prod")])
    let listed = try AWSWireCodec.decode(
      ListSecretsResponse.self,
      from: Array(
        #"{"SecretList":[{"ARN":"arn:aws:secretsmanager:us-east-1:1:secret:s-AbCdEf","Name":"s","#
          .utf8) + Array(#""Tags":[{"Key":"team"}]}]}"#.utf8))
    #expect(listed.secretList.first?.tags == [Tag(key: "team", value: "")])
  }
}
