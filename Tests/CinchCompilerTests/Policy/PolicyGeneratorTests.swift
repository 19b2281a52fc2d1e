import CinchJSON
import CinchPartitions
import CinchTemplate
import Testing
import _CinchTestSupport

@testable import CinchCompiler

/// What a security review found missing or wrong in generated policies, one case each (the
/// golden files hold the whole output; these name the lines that matter).
@Suite struct PolicyGeneratorTests {
  /// A secret the template creates under a customer-managed key needs `kms:Decrypt` on it
  /// (GetSecretValue "Required permissions": https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html).
  @Test func secretUnderTheTemplatesKeyGetsDecrypt() async throws {
    let output = try await PolicyFixture("managed-secret-keys").run()
    let yaml = output.cloudFormation
    #expect(yaml.contains("- Sid: DecryptSecretsWithCustomerManagedKey"))
    #expect(yaml.contains("- !GetAtt Key.Arn"))
    // A key ARN the template writes is that region's and account's key wherever the stack
    // goes: kept as written, with its region's endpoint.
    #expect(
      yaml.contains("- arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab")
    )
    #expect(yaml.contains("- secretsmanager.eu-west-1.amazonaws.com"))
    #expect(yaml.contains("- !Sub 'secretsmanager.${AWS::Region}.${AWS::URLSuffix}'"))
    #expect(output.diagnostics.contains("alias 'alias/app'"))
    // The IAM JSON cannot name the template's key: a note says so, naming it.
    #expect(output.diagnostics.contains("I6002"))
    #expect(output.diagnostics.contains("key 'Key'"))
    let deploy = output.documents["deploy"] ?? ""
    #expect(deploy.contains("arn:aws:kms:eu-west-1:123456789012:key/1234abcd"))
  }

  /// An ARN from a mapping or a parameter's value is the template's text: the consumers'
  /// CloudFormation output keeps it (it had `${AWS::Region}` where the mapping wrote
  /// eu-west-1, and `${AWS::Partition}` beside the us-east-1 a value named). Only what the
  /// pseudo-parameters gave follows the stack.
  @Test func arnsFromMappingsAndParameterValuesAreKeptAsWritten() async throws {
    let yaml = try await PolicyFixture("consumers-arns-from-inputs").run().cloudFormation
    for kept in [
      "- arn:aws:secretsmanager:eu-west-1:123456789012:secret:central/db-AbCdEf",
      "- arn:aws:ssm:eu-west-1:123456789012:parameter/app/x",
      "- arn:aws:ssm:us-east-1:123456789012:parameter/app/z",
      "- !Sub 'arn:aws:ssm:us-east-1:${AWS::AccountId}:parameter/app/v'",
      "- !Sub 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/app/w'",
      "- !Sub 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/app/named'",
      // The mapped entries' key and endpoint are those of the region the mapping names.
      "- arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-4000-8000-000000000001",
      "- ssm.eu-west-1.amazonaws.com",
    ] {
      #expect(yaml.contains(kept + "\n"), "\(kept)")
    }
    #expect(!yaml.contains("secret:central/db-AbCdEf'"))
    #expect(!yaml.contains("parameter/app/x'"))
    #expect(!yaml.contains("parameter/app/z'"))
  }

  /// With a lock and no store, the key each pinned version is under is the lock's `keyId`:
  /// kms:Decrypt for a customer-managed key (through the entry's service, for the entry and the
  /// pinned secret version), none for aws/ssm and aws/secretsmanager, and a note for an alias,
  /// which only KMS resolves. A secret of another account gets the key its lock entry records;
  /// W6001 says so, or that no statement grants the key.
  @Test func theLocksKeysWithoutAStore() async throws {
    let output = try await PolicyFixture("pinned-keys-from-lock").run()
    let policies = try JSONValueParser.parse(output.json)
    let deploy = policies["deploy"]?["Statement"]?.arrayValue ?? []
    let decrypts = deploy.filter {
      $0["Action"]?.arrayValue?.contains(.string("kms:Decrypt")) == true
    }
    let keys = decrypts.flatMap { $0["Resource"]?.arrayValue?.compactMap(\.stringValue) ?? [] }
    #expect(
      Set(keys) == [
        "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "arn:aws:kms:eu-west-1:123456789012:key/0987dcba-09fe-87dc-65ba-ab0987654321",
        "arn:aws:kms:eu-west-1:999988887777:key/5555eeee-12ab-34cd-56ef-1234567890ab",
      ])
    #expect(output.json.contains("\"arn:aws:ssm:eu-west-1:123456789012:parameter/app/cmk\""))
    #expect(output.json.contains("\"a1b2c3d4-5678-90ab-cdef-111111111111\""))
    #expect(output.json.contains("\"secretsmanager.eu-west-1.amazonaws.com\""))
    #expect(!output.diagnostics.contains("no store was read"))
    #expect(output.diagnostics.contains("alias 'alias/app'"))
    #expect(output.diagnostics.contains("kms:Decrypt on that key too, which is granted"))
    #expect(output.diagnostics.contains("kms:Decrypt on that key too, and no statement grants it"))
  }

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

  /// AWS's public parameters are String parameters no customer key encrypts: a runtime path
  /// under `/aws/service/` asks the store for no key (Parameter Store refuses such a query).
  @Test func aPublicRuntimePathAsksForNoKey() throws {
    let options = PolicyGenerator.Options(
      profiles: [.consumers],
      runtimePaths: [
        try #require(
          PolicyGenerator.RuntimePath(argument: "/aws/service/ami-amazon-linux-latest/")),
        try #require(PolicyGenerator.RuntimePath(argument: "/myapp/prod/")),
      ])
    let queries = PolicyGenerator.keyQueries(
      for: [], target: PolicyTarget(region: "eu-west-1", accountID: "123456789012"),
      options: options, pins: nil)
    #expect(queries.paths == ["/myapp/prod"])
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

  /// A region named as `aws`'s are is `aws`'s: `--partition aws-foo` cannot move it, while a
  /// region of a partition cinch does not know may be given one.
  /// A file or role name with a line break would end its comment in the CloudFormation output
  /// and start YAML of its own.
  @Test func commentsHoldOneLine() {
    #expect(
      PolicyCloudFormationRenderer.commentText("nl\nX: y.yaml\r\u{2028}ok")
        == "nl\\u{a}X: y.yaml\\u{d}\\u{2028}ok")
    #expect(PolicyCloudFormationRenderer.commentText("templates/app.yaml") == "templates/app.yaml")
  }

  @Test func standardRegionNames() {
    for region in ["us-east-1", "eu-west-3", "ap-southeast-7", "mx-central-1", "il-central-1"] {
      #expect(Partition.isStandardRegion(region), "\(region)")
    }
    for region in ["cn-north-1", "us-gov-west-1", "us-isof-south-1", "eusc-de-east-1", "xx-new-1"] {
      #expect(!Partition.isStandardRegion(region), "\(region)")
    }
  }

  /// `Null` is a YAML 1.1 null literal as a plain key: written quoted.
  @Test func nullConditionKeyIsQuotedInYAML() async throws {
    let output = try await PolicyFixture("ecs-parameter-selector").run()
    #expect(output.cloudFormation.contains("'Null':"))
    #expect(!output.cloudFormation.contains(" Null:"))
  }

  /// An ECS secret naming a parameter version reads the parameter: no selector in its ARN.
  @Test func parameterVersionSelectorLeavesTheARN() async throws {
    let output = try await PolicyFixture("ecs-parameter-selector").run()
    #expect(!output.json.contains("db-host:"))
    #expect(
      output.json.contains("\"arn:aws:ssm:eu-west-1:123456789012:parameter/myapp/prod/db-host\""))
    // Version 1 is under alias/old (key 1), the latest under alias/new (key 2).
    #expect(output.json.contains("00000000-0000-4000-8000-000000000001"))
  }

  /// A secret read without a stage reads AWSCURRENT: the same condition as naming it.
  @Test func unstagedSecretReadIsConditionedLikeAWSCURRENT() async throws {
    let output = try await PolicyFixture("ecs-parameter-selector").run()
    let policies = try JSONValueParser.parse(output.json)
    let statements = policies["deploy"]?["Statement"]?.arrayValue ?? []
    let reads = statements.filter {
      $0["Action"]?.arrayValue?.contains(.string("secretsmanager:GetSecretValue")) == true
    }
    #expect(reads.count == 1)
    #expect(reads.first?["Condition"]?["Null"]?["secretsmanager:VersionId"] == .string("true"))
    #expect(!output.explanation.contains("ReadSecretValues:"))
  }
}
