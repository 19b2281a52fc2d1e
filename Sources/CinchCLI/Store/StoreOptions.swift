import ArgumentParser
import CinchAWS
import CinchStore
import Foundation

/// Where the store is and how to unlock it, shared by every command that opens the store:
/// `--store` / `CINCH_STORE` (default `.cinch/store.db`) and `--key-file` /
/// `CINCH_MASTER_KEY_FILE` (default `master.key` beside the store), or `CINCH_MASTER_KEY`
/// (base64), or `CINCH_PASSPHRASE` (or a prompt on a terminal). The region and account of ARNs
/// come from `AWS_REGION` / `AWS_DEFAULT_REGION` and `CINCH_ACCOUNT_ID`.
///
/// `--store aws://REGION` (or `aws://`) is AWS itself: Parameter Store and Secrets Manager in
/// that region, reached with the aws CLI's credentials, region and endpoint settings.
struct StoreOptions: ParsableArguments {
  @Option(
    name: .customLong("store"),
    help: ArgumentHelp(
      "The store: a file (default: $CINCH_STORE or .cinch/store.db), or aws://REGION for AWS itself; init, rekey, serve, audit, rotate, rotation, iam and the Vault commands work on a file only.",
      valueName: "path|aws://REGION"))
  var store: String?

  @Option(
    name: .customLong("key-file"),
    help: "The master key file (default: $CINCH_MASTER_KEY_FILE or master.key beside the store).")
  var keyFile: String?

  static let defaultStore = ".cinch/store.db"

  func storePath(_ environment: [String: String]) -> String {
    Self.storePath(flag: store, environment)
  }

  /// The key file named by the flag or the environment, or the default beside the store.
  func keyFilePath(_ environment: [String: String]) -> (path: String, explicit: Bool) {
    Self.keyFilePath(flag: keyFile, storeFlag: store, environment)
  }

  /// `storePath` for the flag's value (nil: not given); usable before the command line is
  /// parsed, when the option wrappers cannot be read yet.
  static func storePath(flag: String?, _ environment: [String: String]) -> String {
    flag ?? environment["CINCH_STORE"].flatMap { $0.isEmpty ? nil : $0 } ?? defaultStore
  }

  static func keyFilePath(flag: String?, storeFlag: String?, _ environment: [String: String])
    -> (path: String, explicit: Bool)
  {
    if let flag { return (flag, true) }
    if let path = environment["CINCH_MASTER_KEY_FILE"], !path.isEmpty { return (path, true) }
    return (PathFolder.containing(storePath(flag: storeFlag, environment)) + "/master.key", false)
  }

  /// Region, account and caller for ARNs, `LastModifiedUser` and the audit log: the region
  /// `--region` gives (`regionFlag`), else the environment's. A bad region is refused naming
  /// where it came from, the flag or the variable.
  static func configuration(_ environment: [String: String], regionFlag: String? = nil) throws
    -> StoreConfiguration
  {
    let target = EvaluationSettings(region: regionFlag)
    try target.checkTarget(environment)
    let (region, account) = target.deployTarget(environment)
    return StoreConfiguration(region: region, accountID: account, caller: caller(environment))
  }

  /// Who is calling a command that opens the store itself: the system's name for the user
  /// running it (`USER` or `LOGNAME` only where the system has none). Not an access key id
  /// from the environment: nothing checks one here (only `cinch serve` verifies the key a
  /// request is signed with), so any text there would be recorded as the caller.
  static func caller(_ environment: [String: String]) -> String? {
    if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name {
      return String(cString: name)
    }
    if let user = environment["USER"] ?? environment["LOGNAME"], !user.isEmpty { return user }
    return nil
  }

  /// The key source to try, in order: `--key-file`, `CINCH_MASTER_KEY`, `CINCH_PASSPHRASE`,
  /// `CINCH_MASTER_KEY_FILE`, the default key file, and a passphrase prompt on a terminal.
  func keySource(_ environment: [String: String]) throws -> MasterKeySource {
    if let source = try unattendedKeySource(environment) { return source }
    if let passphrase = try PassphrasePrompt.read(
      "Passphrase for store '\(storePath(environment))': ")
    {
      return .passphrase(passphrase, origin: "the prompt")
    }
    // A folder named as the store is the problem to name, not the key that is not beside it.
    if let notAFile = StoreAccessError.ifNotARegularFile(storePath(environment)) { throw notAFile }
    throw StoreAccessError.noMasterKey(
      store: storePath(environment), keyFile: keyFilePath(environment).path,
      empty: ["CINCH_MASTER_KEY", "CINCH_PASSPHRASE"].filter { environment[$0] == "" })
  }

  /// The key source when nothing has to be typed: every source of `keySource` but the prompt.
  func unattendedKeySource(_ environment: [String: String]) throws -> MasterKeySource? {
    try Self.unattendedKeySource(keyFileFlag: keyFile, storeFlag: store, environment)
  }

  static func unattendedKeySource(
    keyFileFlag: String?, storeFlag: String?, _ environment: [String: String]
  ) throws -> MasterKeySource? {
    if let keyFileFlag { return .keyFile(path: keyFileFlag) }
    if let key = environment["CINCH_MASTER_KEY"], !key.isEmpty {
      return try MasterKeySource.base64Key(key, origin: "CINCH_MASTER_KEY")
    }
    if let passphrase = environment["CINCH_PASSPHRASE"], !passphrase.isEmpty {
      return .passphrase(SecretBytes(utf8: passphrase), origin: "CINCH_PASSPHRASE")
    }
    let (path, explicit) = keyFilePath(flag: keyFileFlag, storeFlag: storeFlag, environment)
    if explicit || FileManager.default.fileExists(atPath: path) { return .keyFile(path: path) }
    return nil
  }

  /// Whether the store opens without asking for anything at a terminal (AWS, or a key source
  /// other than the prompt). Only such a store is opened ahead of the work that precedes its
  /// use, so that a prompt never comes before an error that work reports.
  func opensUnattended(_ environment: [String: String]) -> Bool {
    if case .aws? = try? location(environment) { return true }
    return (try? unattendedKeySource(environment)) != nil
  }

  /// Where the store is.
  func location(_ environment: [String: String]) throws(StoreLocationError) -> StoreLocation {
    try StoreLocation.parse(storePath(environment))
  }

  /// Opens the store of either kind: the embedded file, or AWS for `aws://`.
  func openAny(_ flags: StoreConnector.AWSFlags, connector: StoreConnector) async throws
    -> OpenStore
  {
    switch try location(connector.environment) {
    case .aws(let region):
      return .aws(try connector.aws(region: region, flags: flags))
    case .file:
      // The region of the embedded store's ARNs, as --region overrides AWS_REGION for aws.
      return .embedded(try await open(connector.environment, regionFlag: flags.region))
    }
  }

  /// `--endpoint-url` and `--profile` on a command whose store is the embedded file (an
  /// aws-style command, or a template command: `refuseAWSAccessFlags`): meant for AWS, they
  /// would silently read and write the local file instead, or change nothing and look as if
  /// they had. (`cinch sync` takes them for its AWS side, beside a file on the other.)
  func refuseAWSOnlyFlags(endpointURL: String?, profile: String?) throws(StoreLocationError) {
    let environment = ProcessEnvironment.current
    guard case .file = try location(environment) else { return }
    for (flag, value) in [("--endpoint-url", endpointURL), ("--profile", profile)]
    where value != nil {
      throw StoreLocationError(
        description:
          "\(flag) applies to an aws:// store, and this command uses the embedded store "
          + "'\(storePath(environment))'; name AWS with --store aws://REGION (or CINCH_STORE)")
    }
  }

  /// The store for a `cinch ssm …` command: the embedded file or AWS, errors as the aws CLI
  /// reports them (exit 253 for a store or configuration that cannot be used).
  func openParameterStore(_ global: AWSGlobalOptions) async throws -> any ParameterStore {
    do {
      try refuseAWSOnlyFlags(endpointURL: global.endpointURL, profile: global.profile)
      return try await openAny(.init(global), connector: .process()).parameters
    } catch let error as StoreAccessError {
      throw AWSConfigurationError("cinch: \(error)")
    } catch let error as StoreLocationError {
      throw AWSConfigurationError("cinch: \(error)")
    }
  }

  /// The store for a `cinch secretsmanager …` command: the embedded file or AWS Secrets
  /// Manager, errors as the aws CLI reports them.
  func openSecretStore(_ global: AWSGlobalOptions) async throws -> any SecretStore {
    do {
      try refuseAWSOnlyFlags(endpointURL: global.endpointURL, profile: global.profile)
      return try await openAny(.init(global), connector: .process()).secrets
    } catch let error as StoreAccessError {
      throw AWSConfigurationError("cinch: \(error)")
    } catch let error as StoreLocationError {
      throw AWSConfigurationError("cinch: \(error)")
    }
  }

  /// The store for a `cinch kms …` command: the embedded store's keys, or AWS KMS.
  func openKeyStore(_ global: AWSGlobalOptions) async throws -> any KeyStore {
    do {
      try refuseAWSOnlyFlags(endpointURL: global.endpointURL, profile: global.profile)
      return try await openAny(.init(global), connector: .process()).keys
    } catch let error as StoreAccessError {
      throw AWSConfigurationError("cinch: \(error)")
    } catch let error as StoreLocationError {
      throw AWSConfigurationError("cinch: \(error)")
    }
  }

  /// Opens the embedded store, printing its warnings (loose file modes) on stderr; its region
  /// is `regionFlag` (`--region`) when given, else the environment's.
  func open(
    _ environment: [String: String] = ProcessEnvironment.current, regionFlag: String? = nil
  ) async throws -> SQLiteStore {
    // The flag stands for `AWS_REGION`, so that a store opened ahead for the environment's
    // region is not taken; passed on as well, so that a bad one is named as the flag.
    var environment = environment
    let regionFlag = regionFlag.flatMap { $0.isEmpty ? nil : $0 }
    if let regionFlag { environment["AWS_REGION"] = regionFlag }
    if case .aws = try location(environment) {
      throw StoreLocationError(
        description: "this command works on the embedded store, not on '\(storePath(environment))'")
    }
    let path = storePath(environment)
    guard FileManager.default.fileExists(atPath: path) else {
      throw StoreLink.loop(at: path) ?? StoreAccessError.storeNotFound(path: path)
    }
    if self.store == nil, self.keyFile == nil,
      let opened = try StoreOpenedAhead.take(environment: environment)
    {
      for warning in opened.warnings { Output.stderr("cinch: warning: \(warning)\n") }
      return opened
    }
    let store = try await SQLiteStore.open(
      at: path, master: try keySource(environment),
      configuration: try Self.configuration(environment, regionFlag: regionFlag))
    for warning in store.warnings { Output.stderr("cinch: warning: \(warning)\n") }
    return store
  }

  /// `open` for the aws-style commands: a store that cannot be opened is a configuration
  /// error (exit 253), reported on one line. `regionFlag` is the command's `--region`.
  func openForAWSCommand(regionFlag: String? = nil) async throws -> SQLiteStore {
    do {
      return try await open(regionFlag: regionFlag)
    } catch let error as StoreAccessError {
      throw AWSConfigurationError("cinch: \(error)")
    } catch let error as StoreLocationError {
      throw AWSConfigurationError("cinch: \(error)")
    }
  }
}
