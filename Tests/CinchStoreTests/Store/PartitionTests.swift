import CinchStore
import Testing

/// The embedded store's ARNs take the partition of the region they are made for, from the same
/// table as the evaluator's `AWS::Partition` and the AWS backend's endpoints.
@Suite struct StorePartitionTests {
  @Test(arguments: [
    ("us-east-1", "aws"), ("cn-north-1", "aws-cn"), ("us-gov-west-1", "aws-us-gov"),
    ("us-iso-east-1", "aws-iso"), ("us-isob-east-1", "aws-iso-b"),
    ("eu-isoe-west-1", "aws-iso-e"), ("us-isof-south-1", "aws-iso-f"),
    ("eusc-de-east-1", "aws-eusc"),
  ])
  func arnsFollowTheRegionsPartition(region: String, partition: String) {
    let configuration = StoreConfiguration(region: region, accountID: "111122223333")
    #expect(configuration.partition == partition)
    #expect(
      configuration.parameterARNPrefix
        == "arn:\(partition):ssm:\(region):111122223333:parameter/")
    #expect(
      configuration.secretARNPrefix
        == "arn:\(partition):secretsmanager:\(region):111122223333:secret:")
  }
}
