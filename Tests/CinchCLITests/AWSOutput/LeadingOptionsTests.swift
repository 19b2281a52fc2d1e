import Testing

@testable import CinchCLI

/// The aws CLI takes its global options before the service and the operation too
/// (`aws --region eu-west-1 ssm get-parameter …`); so does cinch, for every command.
@Suite struct LeadingOptionsTests {
  func moved(_ arguments: [String]) -> [String] {
    AWSCommandLine.leadingOptionsMoved(root: CinchMain.self, arguments)
  }

  @Test func optionsBeforeTheServiceGoAfterTheOperation() {
    #expect(
      moved(["--region", "eu-west-1", "ssm", "get-parameter", "--name", "/a"])
        == ["ssm", "get-parameter", "--region", "eu-west-1", "--name", "/a"])
    #expect(
      moved(["--output=text", "ssm", "--query", "Parameter.Value", "get-parameter", "--name", "/a"])
        == ["ssm", "get-parameter", "--output=text", "--query", "Parameter.Value", "--name", "/a"])
    #expect(moved(["--store", "s.db", "lock", "t.yaml"]) == ["lock", "--store", "s.db", "t.yaml"])
  }

  @Test func aFlagDoesNotTakeTheCommandAsItsValue() {
    #expect(
      moved(["--debug", "ssm", "get-parameter", "--name", "/a"])
        == ["ssm", "get-parameter", "--debug", "--name", "/a"])
    #expect(
      moved(["--debug", "--no-cli-pager", "secretsmanager", "list-secrets"])
        == ["secretsmanager", "list-secrets", "--debug", "--no-cli-pager"])
  }

  @Test func aMistypedOperationIsWhatIsReported() {
    #expect(
      moved(["--output", "text", "ssm", "get-parameterz", "--name", "/a"])
        == ["ssm", "get-parameterz", "--output", "text", "--name", "/a"])
  }

  @Test func otherCommandLinesAreUnchanged() {
    for arguments in [
      ["ssm", "get-parameter", "--name", "/a", "--region", "eu-west-1"], ["--help"],
      ["--version"], ["--region", "eu-west-1"], ["help", "ssm"], [],
      ["--store", "s.db", "--help", "lock"], ["check", "--", "--odd-file-name.yaml"],
    ] {
      #expect(moved(arguments) == arguments, "\(arguments)")
    }
  }

  /// argparse takes a negative number after an option as its value, and an empty value after
  /// `=`; ArgumentParser reads the first as an option and refuses the second.
  @Test func negativeNumbersAndEmptyValuesAreOptionValues() {
    func joined(_ arguments: [String]) -> [String] {
      AWSCommandLine.optionValuesJoined(root: CinchMain.self, arguments)
    }
    #expect(
      joined(["ssm", "put-parameter", "--name", "/a", "--value", "-1", "--type", "String"])
        == ["ssm", "put-parameter", "--name", "/a", "--value=-1", "--type", "String"])
    #expect(
      joined(["ssm", "put-parameter", "--value", "-1.5", "--description="])
        == ["ssm", "put-parameter", "--value=-1.5", "--description", ""])
    // A word with a space or a line break is a value to argparse: a PEM key, which
    // ArgumentParser would refuse as an unknown option and print.
    let pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----"
    #expect(
      joined(["secretsmanager", "create-secret", "--name", "k", "--secret-string", pem])
        == ["secretsmanager", "create-secret", "--name", "k", "--secret-string=" + pem])
    #expect(
      joined(["ssm", "put-parameter", "--value", "- x"]) == ["ssm", "put-parameter", "--value=- x"])
    // Not a number (argparse refuses it too), a value after `--`, another command group.
    #expect(
      joined(["ssm", "put-parameter", "--value", "-x"])
        == ["ssm", "put-parameter", "--value", "-x"])
    #expect(
      joined(["ssm", "put-parameter", "--", "--value", "-1"])
        == ["ssm", "put-parameter", "--", "--value", "-1"])
    #expect(joined(["lock", "--region", "-1"]) == ["lock", "--region", "-1"])
  }
}
