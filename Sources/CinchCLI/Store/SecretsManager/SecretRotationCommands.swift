import ArgumentParser
import CinchStore
import Foundation

struct RotateSecretCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rotate-secret",
    abstract:
      "Configure rotation and rotate now: createSecret, setSecret, testSecret, finishSecret.",
    discussion: """
      The rotator is the built-in 'password' (--rotator password, with --password-policy) or a \
      command registered with 'cinch rotation register NAME -- COMMAND'; \
      --rotation-lambda-arn arn:aws:lambda:REGION:ACCOUNT:function:NAME selects the rotator NAME. \
      A failed step exits 254 naming the step and the rotator's message; AWSCURRENT stays where \
      it was, and the next rotate-secret resumes the unfinished rotation. With --store aws://… \
      AWS rotates: --rotation-lambda-arn names the Lambda function, which runs the steps after \
      the call returns; --rotator and --password-policy are the embedded store's.
      """)

  @OptionGroup var global: AWSGlobalOptions
  @OptionGroup var storeOptions: StoreOptions

  @Option(name: .customLong("secret-id"), help: "The name, ARN or partial ARN.")
  var secretID: String?
  @Option(help: "The pending version's VersionId (a UUID by default).")
  var clientRequestToken: String?
  @Option(
    name: .customLong("rotation-lambda-arn"),
    help: "arn:aws:lambda:REGION:ACCOUNT:function:NAME: the rotator registered as NAME.")
  var rotationLambdaARN: String?
  @Option(help: "The rotator by name: password (built in) or a registered command.")
  var rotator: String?
  @Option(
    help: "AutomaticallyAfterDays=N, or ScheduleExpression='rate(…)|cron(…)', and Duration=Nh.")
  var rotationRules: String?
  @Flag(
    inversion: .prefixedNo,
    help: "Rotate now (default); --no-rotate-immediately only runs testSecret.")
  var rotateImmediately: Bool?
  @Option(
    help:
      "The password rotator's policy: PasswordLength=N,ExcludeCharacters=…,ExcludePunctuation=true,…"
  )
  var passwordPolicy: String?

  func run() async throws {
    try await AWSCommand.run("RotateSecret", global) { input in
      try input.requireParameters([("SecretId", "--secret-id", secretID != nil)])
      try input?.validateKeys(allowed: [
        "SecretId", "ClientRequestToken", "RotationLambdaARN", "RotationRules",
        "RotateImmediately", "CinchPasswordPolicy",
      ])
      if rotator != nil && rotationLambdaARN != nil {
        throw AWSUsageError.arguments(
          "argument --rotator: not allowed with argument --rotation-lambda-arn")
      }
      let policy = try AWSStructures.passwordPolicy(
        input.structure(
          "CinchPasswordPolicy", flag: passwordPolicy, option: "--password-policy",
          scalars: AWSStructures.passwordPolicyScalars))
      let id = try input.string("SecretId", flag: secretID, option: "--secret-id") ?? ""
      let token = try input.string(
        "ClientRequestToken", flag: clientRequestToken, option: "--client-request-token")
      // Checked before the store is opened, as botocore checks before it signs.
      try ParameterMinimums.check(
        "RotateSecret", strings: ["SecretId": id, "ClientRequestToken": token])
      let store: any SecretStore
      let lambdaARN: String?
      if case .aws = try storeOptions.location(ProcessEnvironment.current) {
        // AWS rotates with its own Lambda function; local rotators are the embedded store's.
        if rotator != nil || policy != nil {
          throw AWSUsageError(
            "cinch: \(rotator != nil ? "--rotator" : "--password-policy") is for cinch's local "
              + "rotators, which work on the embedded store only; on aws:// AWS rotates with a "
              + "Lambda function: use --rotation-lambda-arn")
        }
        store = try await storeOptions.openSecretStore(global)
        lambdaARN = try input.string(
          "RotationLambdaARN", flag: rotationLambdaARN, option: "--rotation-lambda-arn")
      } else {
        let embedded = try await storeOptions.openForSecrets(regionFlag: global.region)
        store = embedded
        lambdaARN =
          try rotator.map { try Self.lambdaARN(rotator: $0, embedded.configuration) }
          ?? input.string(
            "RotationLambdaARN", flag: rotationLambdaARN, option: "--rotation-lambda-arn")
      }
      let request = try RotateSecretRequest(
        secretID: id, clientRequestToken: token, rotationLambdaARN: lambdaARN,
        rotationRules: try AWSStructures.rotationRules(
          input.structure(
            "RotationRules", flag: rotationRules, option: "--rotation-rules",
            scalars: AWSStructures.rotationRulesScalars)),
        rotateImmediately: try input.bool("RotateImmediately", flag: rotateImmediately),
        passwordPolicy: policy
      ).checked(for: "RotateSecret")
      return try await store.rotateSecret(request)
    }
  }

  static func lambdaARN(rotator: String, _ configuration: StoreConfiguration) throws -> String {
    guard !rotator.isEmpty, rotator.count <= 64,
      rotator.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
    else {
      throw AWSUsageError.parsingParameter(
        "--rotator", "a rotator name is 1 to 64 letters, digits, '-' and '_'")
    }
    return "arn:\(configuration.partition):lambda:\(configuration.region):"
      + "\(configuration.accountID):function:\(rotator)"
  }
}

struct CancelRotateSecretCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cancel-rotate-secret",
    abstract: "Turn automatic rotation off; reports the version an unfinished rotation left.")

  @OptionGroup var global: AWSGlobalOptions
  @OptionGroup var storeOptions: StoreOptions

  @Option(name: .customLong("secret-id"), help: "The name, ARN or partial ARN.")
  var secretID: String?

  func run() async throws {
    try await AWSCommand.run("CancelRotateSecret", global) { input in
      try input.requireParameters([("SecretId", "--secret-id", secretID != nil)])
      try input?.validateKeys(allowed: ["SecretId"])
      let request = try CancelRotateSecretRequest(
        secretID: try input.string("SecretId", flag: secretID, option: "--secret-id") ?? ""
      ).checked(for: "CancelRotateSecret")
      return try await storeOptions.openSecretStore(global).cancelRotateSecret(request)
    }
  }
}
