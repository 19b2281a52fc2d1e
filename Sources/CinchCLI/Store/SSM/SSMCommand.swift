import ArgumentParser

/// `cinch ssm …`: Parameter Store's operations with the aws CLI's names, flags, output and
/// exit codes, against the embedded store.
struct SSMCommand: AWSCommandGroup {
  static let configuration = CommandConfiguration(
    commandName: "ssm",
    abstract: "Parameter Store operations, as 'aws ssm' runs them, against the cinch store.",
    subcommands: [
      PutParameterCommand.self,
      GetParameterCommand.self,
      GetParametersCommand.self,
      GetParametersByPathCommand.self,
      GetParameterHistoryCommand.self,
      LabelParameterVersionCommand.self,
      UnlabelParameterVersionCommand.self,
      DeleteParameterCommand.self,
      DeleteParametersCommand.self,
      DescribeParametersCommand.self,
      AddTagsToResourceCommand.self,
      RemoveTagsFromResourceCommand.self,
      ListTagsForResourceCommand.self,
      PutPublicParameterCommand.self,
    ])
}
