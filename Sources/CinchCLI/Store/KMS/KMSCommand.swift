import ArgumentParser

/// `cinch kms …`: the KMS-style keys that protect sealed values, with the aws CLI's names.
struct KMSCommand: AWSCommandGroup {
  static let configuration = CommandConfiguration(
    commandName: "kms",
    abstract: "KMS-style keys of the cinch store, as 'aws kms' manages them.",
    subcommands: [
      CreateKeyCommand.self,
      DescribeKeyCommand.self,
      ListKeysCommand.self,
      CreateAliasCommand.self,
      ListAliasesCommand.self,
    ])
}
