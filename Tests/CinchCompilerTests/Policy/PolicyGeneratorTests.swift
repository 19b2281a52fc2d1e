import CinchCompiler
import CinchJSON
import CinchTemplate
import Testing
import _CinchTestSupport

/// What a security review found missing or wrong in generated policies, one case each (the
/// golden files hold the whole output; these name the lines that matter).
@Suite struct PolicyGeneratorTests {
  /// Public parameters have no account, under a runtime path too; `/x/*` is the path `/x`.
  @Test func runtimePathUnderPublicParametersAndWithAWildcard() async throws {
    let output = try await PolicyFixture("runtime-path-public").run()
    #expect(output.json.contains("\"arn:aws:ssm:eu-west-1::parameter/aws/service/*\""))
    #expect(output.json.contains("\"arn:aws:ssm:eu-west-1::parameter/aws/service\""))
    #expect(!output.json.contains(":123456789012:parameter/aws/service"))
    #expect(output.json.contains("\"arn:aws:ssm:eu-west-1:123456789012:parameter/x/*\""))
    #expect(!output.json.contains("parameter/x/*/*"))
    #expect(PolicyGenerator.RuntimePath(argument: "/x/*")?.path == "/x")
    #expect(PolicyGenerator.RuntimePath(argument: "/x/*/y") == nil)
  }

  /// The European Sovereign Cloud: https://docs.aws.amazon.com/general/latest/gr/aws-arns-and-namespaces.html
  @Test func europeanSovereignCloudPartition() async throws {
    #expect(Partition.of(region: "eusc-de-east-1").name == "aws-eusc")
    #expect(Partition.of(region: "eusc-de-east-1").urlSuffix == "amazonaws.eu")
    #expect(PolicyTarget.urlSuffix(ofPartition: "aws-eusc") == "amazonaws.eu")
    let output = try await PolicyFixture("partition-aws-eusc").run()
    #expect(
      output.json.contains("\"arn:aws-eusc:ssm:eusc-de-east-1:123456789012:parameter/app/db\""))
    #expect(output.json.contains("\"ssm.eusc-de-east-1.amazonaws.eu\""))
  }
}
