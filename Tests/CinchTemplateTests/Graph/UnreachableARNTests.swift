import CinchPartitions
import Testing

@testable import CinchTemplate

/// A run-time read's ARN names nothing when its partition or region is not written as AWS
/// writes them, or it is of another partition than the stack's; a partition cinch does not
/// know is not second-guessed, nor an evaluation as if deployed elsewhere.
@Suite struct UnreachableARNTests {
  static func problem(_ name: String, region: String, standIn: Bool = false) -> String? {
    var inputs = EvaluationInputs(region: region)
    if standIn { inputs.partitionStandIn = Partition(name: "cinchzz", urlSuffix: "example") }
    return RuntimeConsumerFinder.unreachableARN(
      name, kind: .parameter, by: "AWS::ECS::TaskDefinition", inputs: inputs)?.1
  }

  @Test func shapesAndPartitions() {
    let good = "arn:aws:ssm:us-east-1:123456789012:parameter/app/db"
    #expect(Self.problem(good, region: "eu-west-1") == nil)
    #expect(Self.problem(good + ":3", region: "eu-west-1") == nil)
    #expect(
      Self.problem("arn:aws:ssm:us-east-:123456789012:parameter/a", region: "eu-west-1")?
        .contains("names the region 'us-east-'") == true)
    #expect(
      Self.problem("arn:aws--cn:ssm:cn-north-1:123456789012:parameter/a", region: "eu-west-1")?
        .contains("names the partition 'aws--cn'") == true)
    #expect(
      Self.problem("arn:aws-cn:ssm:cn-north-1:123456789012:parameter/a", region: "eu-west-1")?
        .contains("is in partition 'aws-cn'") == true)
    #expect(
      Self.problem("arn:aws-cn:ssm:cn-north-1:123456789012:parameter/a", region: "cn-north-1")
        == nil)
  }

  @Test func anUnknownPartitionsRegionIsNotSecondGuessed() {
    #expect(
      Self.problem(
        "arn:aws-sov:ssm:xx-sov-east-1:123456789012:parameter/a", region: "xx-sov-east-1") == nil)
    #expect(
      Self.problem(
        "arn:aws-cn:ssm:cn-north-1:123456789012:parameter/a", region: "eu-west-1", standIn: true)
        == nil)
  }
}
