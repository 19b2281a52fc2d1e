import Testing

@testable import CinchTemplate

@Suite struct PlacementRulesTests {
  @Test func everyPasswordPropertyPassesTheQuickTest() {
    for name in PlacementRules.passwordProperties {
      #expect(PlacementRules.isPasswordProperty(name), "\(name)")
    }
    #expect(!PlacementRules.isPasswordProperty("PasswordPolicy"))
    #expect(!PlacementRules.isPasswordProperty("ManageMasterUserPassword"))
  }

  @Test func propertyPatternsMatchListIndexes() {
    let pattern = ["RdsDbInstances", "*", "DbPassword"]
    #expect(PlacementRules.matches(["RdsDbInstances", "12", "DbPassword"], pattern))
    #expect(!PlacementRules.matches(["RdsDbInstances", "x", "DbPassword"], pattern))
    #expect(!PlacementRules.matches(["RdsDbInstances", "0", "DbPassword", "x"], pattern))
    #expect(PlacementRules.ssmSecureProperties.values.map(\.count).reduce(0, +) == 11)
  }

  @Test func secretIdentifierNames() {
    for name in ["SecretArn", "CredentialsSecretArn", "SecretsManagerSecretId", "ValueFrom"] {
      #expect(PlacementRules.expectsSecretIdentifier(name), "\(name)")
    }
    #expect(!PlacementRules.expectsSecretIdentifier("SecretString"))
    #expect(!PlacementRules.expectsSecretIdentifier("MasterUserPassword"))
  }

  @Test func subVariablesSkipLiteralsAndAttributes() {
    #expect(
      PlacementChecker.subVariables("${Env}-${Db.Endpoint.Address}-${!Literal}-${AWS::Region}")
        == ["Env", "Db", "AWS::Region"])
    #expect(PlacementChecker.subVariables("${unclosed").isEmpty)
  }

  @Test func versionSuggestionKeepsTheDelimiter() {
    let reference = Reference(
      kind: .ssm, name: "/a", delimiter: .angles, text: "<<resolve:ssm:/a>>")
    #expect(PlacementChecker.withVersion(reference) == "<<resolve:ssm:/a:VERSION>>")
  }

  /// The limit counts every site, composed ones included, and fires once, on the 61st.
  @Test func limitFiresOnceOnTheSixtyFirst() {
    var text =
      "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      Tags:\n"
    for index in 0..<70 {
      text += "        - Value: !Join ['', ['{{resolve:ssm:', !Ref P\(index), '}}']]\n"
    }
    let diagnostics = PlacementRulesGoldenTests.check(SourceFile(path: "t.yaml", text: text))
    let limit = diagnostics.items.filter { $0.code == .tooManyReferences }
    #expect(limit.count == 1)
    #expect(limit.first?.message.hasPrefix("template has 70 dynamic references") == true)
    #expect(limit.first?.path?.description == "Resources/T/Properties/Tags/60/Value")
  }

  @Test func filesThatAreNotTemplatesHaveNoLimit() {
    var text = "values:\n"
    for index in 0..<70 { text += "  k\(index): '{{resolve:ssm:/v/\(index)}}'\n" }
    let diagnostics = PlacementRulesGoldenTests.check(SourceFile(path: "values.yaml", text: text))
    #expect(diagnostics.isEmpty)
  }
}
