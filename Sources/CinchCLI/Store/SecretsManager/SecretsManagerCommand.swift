import ArgumentParser

/// `cinch secretsmanager …`: Secrets Manager's operations with the aws CLI's names, flags,
/// output and exit codes, against the embedded store.
struct SecretsManagerCommand: AWSCommandGroup {
  static let configuration = CommandConfiguration(
    commandName: "secretsmanager",
    abstract:
      "Secrets Manager operations, as 'aws secretsmanager' runs them, against the cinch store.",
    subcommands: [
      CreateSecretCommand.self,
      GetSecretValueCommand.self,
      PutSecretValueCommand.self,
      UpdateSecretCommand.self,
      DescribeSecretCommand.self,
      GetResourcePolicyCommand.self,
      DeleteResourcePolicyCommand.self,
      PutResourcePolicyCommand.self,
      ValidateResourcePolicyCommand.self,
      ListSecretsCommand.self,
      ListSecretVersionIdsCommand.self,
      UpdateSecretVersionStageCommand.self,
      DeleteSecretCommand.self,
      RestoreSecretCommand.self,
      TagResourceCommand.self,
      UntagResourceCommand.self,
      GetRandomPasswordCommand.self,
      BatchGetSecretValueCommand.self,
      RotateSecretCommand.self,
      CancelRotateSecretCommand.self,
    ])
}
