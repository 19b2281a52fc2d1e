import ArgumentParser
import CinchStore

/// `cinch ssm put-public-parameter`: a cinch extension with no aws equivalent. AWS's public
/// parameters (`/aws/service/ami-amazon-linux-latest/…`) belong to AWS; templates read them
/// (`{{resolve:ssm:/aws/service/…}}`), so the embedded store can hold copies for offline use.
struct PutPublicParameterCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "put-public-parameter",
    abstract: "Put a copy of one of AWS's public /aws/service/… parameters (cinch only).",
    discussion: """
      Adds a version each time, as put-parameter --overwrite does. Its ARN has no account, like \
      AWS's: arn:aws:ssm:REGION::parameter/aws/service/…
      """)

  @OptionGroup var global: AWSGlobalOptions
  @OptionGroup var storeOptions: StoreOptions

  @Option(help: "The parameter's name, under /aws/service/.")
  var name: String
  @Option(help: "The value (file://PATH reads it from a file).")
  var value: String
  @Option(help: "text or aws:ec2:image.")
  var dataType: String?

  func run() async throws {
    try await AWSCommand.run("PutPublicParameter", global) { _ in
      let request = try PutParameterRequest(
        name: name, value: try Paramfile.load(value, option: "--value"), type: .string,
        overwrite: true,
        dataType: dataType.map(ParameterDataType.init(rawValue:))
      ).checked(for: "PutParameter")
      return try await storeOptions.openForAWSCommand(regionFlag: global.region)
        .putPublicParameter(request)
    }
  }
}
