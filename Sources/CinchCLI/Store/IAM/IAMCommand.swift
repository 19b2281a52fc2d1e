import ArgumentParser

/// `cinch iam …`: the access keys `cinch serve` accepts and the policies that limit them, with
/// the aws CLI's names and output.
struct IAMCommand: AWSCommandGroup {
  static let configuration = CommandConfiguration(
    commandName: "iam",
    abstract: "Access keys and user policies for 'cinch serve', as 'aws iam' manages them.",
    subcommands: [
      CreateAccessKeyCommand.self,
      ListAccessKeysCommand.self,
      UpdateAccessKeyCommand.self,
      DeleteAccessKeyCommand.self,
      PutUserPolicyCommand.self,
      GetUserPolicyCommand.self,
      ListUserPoliciesCommand.self,
      DeleteUserPolicyCommand.self,
    ])
}

/// What an aws command that answers nothing prints: nothing.
struct EmptyIAMResponse: Encodable {}
