import Testing

@testable import CinchStore

/// A secret named by the full ARN of another region or account is not in a store read as
/// from here: `elsewhere` says where each is, and says nothing for a name or a local ARN.
@Suite struct SecretHomeTests {
  let home = SecretHome(region: "eu-west-1", accountID: "111122223333")
  let local = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/db-AbCdEf"

  @Test func anARNOfThisRegionAndAccountIsHome() {
    #expect(home.elsewhere(local) == nil)
    #expect(home.elsewhere("arn:aws:secretsmanager:eu-west-1:111122223333:secret:prod/db") == nil)
    #expect(home.elsewhere("prod/db") == nil)
    #expect(home.elsewhere("arn:aws:ssm:us-east-1:111122223333:parameter/x") == nil)
    #expect(home.elsewhere("arn:aws:secretsmanager:us-east-1") == nil)
  }

  @Test func anotherRegionOrAccountIsNamed() {
    #expect(
      home.elsewhere(local.replacingOccurrences(of: "eu-west-1", with: "us-east-1"))
        == SecretHome.Elsewhere(
          secret: "account 111122223333 in us-east-1", store: "account 111122223333 in eu-west-1"))
    #expect(
      home.elsewhere(local.replacingOccurrences(of: "111122223333", with: "444455556666"))
        == SecretHome.Elsewhere(
          secret: "account 444455556666 in eu-west-1", store: "account 111122223333 in eu-west-1"))
  }

  /// AWS: the account is the credentials', unknown to the store; only the region can differ.
  @Test func aStoreOfUnknownAccountComparesRegions() {
    let aws = SecretHome(region: "eu-west-1", accountID: nil)
    #expect(
      aws.elsewhere(local.replacingOccurrences(of: "111122223333", with: "444455556666")) == nil)
    #expect(
      aws.elsewhere(local.replacingOccurrences(of: "eu-west-1", with: "ap-south-1"))
        == SecretHome.Elsewhere(secret: "ap-south-1", store: "eu-west-1"))
  }
}
