import ArgumentParser
import CinchPartitions
import CinchTemplate
import Foundation

/// What a deploy would be told: parameter values and the pseudo-parameters that depend on where
/// the stack goes. Shared by every command that evaluates templates.
struct EvaluationOptions: ParsableArguments {
  @Option(
    name: .customLong("parameters"),
    help: ArgumentHelp(
      "Parameter values: CloudFormation's [{\"ParameterKey\",\"ParameterValue\"}] list or a {\"Key\": \"Value\"} object, JSON or YAML. Repeatable; later files win.",
      valueName: "file"))
  var parameterFiles: [String] = []

  @Option(
    parsing: .upToNextOption,
    help: ArgumentHelp(
      "Parameter values as Key=Value pairs, over the files.", valueName: "key=value"))
  var parameterOverrides: [String] = []

  @Option(
    help: ArgumentHelp(
      "AWS::Region (default: AWS_REGION, AWS_DEFAULT_REGION, else us-east-1); a command that reads a store reads the embedded one and a bare aws:// as in that region. policy takes no default: give it, or a --lock that records it.",
      valueName: "region")
  )
  var region: String?

  @Option(
    help: ArgumentHelp(
      "AWS::AccountId (default: CINCH_ACCOUNT_ID, else 123456789012), and the embedded store's where one is read. policy takes no default: give it, or a --lock that records it.",
      valueName: "id"))
  var accountId: String?

  @Option(
    help: ArgumentHelp(
      "AWS::StackName (unset: names built from it stay symbolic).", valueName: "name"))
  var stackName: String?

  /// Reads the parameter files (their problems become diagnostics) and builds the inputs.
  func inputs(into diagnostics: inout Diagnostics) throws -> EvaluationInputs {
    try settings().inputs(into: &diagnostics)
  }

  /// Whether no evaluation flag was given (so a lockfile's recorded inputs may stand in).
  var isEmpty: Bool {
    parameterFiles.isEmpty && parameterOverrides.isEmpty && region == nil && accountId == nil
      && stackName == nil
  }

  /// The flags as plain values, `--parameter-overrides file://…` read into its pairs: as the
  /// command runs, so that a file that does not read is an I/O failure (exit 2) said as
  /// `--parameters` says it, not a usage error of the parser's.
  func settings() throws -> EvaluationSettings {
    EvaluationSettings(
      parameterFiles: parameterFiles,
      parameterOverrides: try Self.expandingFiles(parameterOverrides), region: region,
      accountID: accountId, stackName: stackName)
  }

  mutating func validate() throws {
    if let accountId, !EvaluationSettings.isAccountID(accountId) {
      throw ValidationError("--account-id must be 12 digits; got '\(accountId)'")
    }
    if let region, !Partition.isRegionName(region) {
      throw ValidationError(
        "--region must be a region name such as us-east-1 (lowercase letters, digits and "
          + "hyphens); got '\(region)'")
    }
  }
}

extension EvaluationOptions {
  /// `--parameter-overrides file://PATH` as `aws cloudformation deploy` reads it: the pairs the
  /// file holds (`["Env=prod"]`, CloudFormation's `[{ParameterKey, ParameterValue}]`, or
  /// `{"Parameters": {…}}`), each in its place among the other pairs, so a lock records the
  /// values, not a path relative to where it ran.
  static func expandingFiles(_ overrides: [String]) throws -> [String] {
    guard overrides.contains(where: { $0.hasPrefix("file://") }) else { return overrides }
    var expanded: [String] = []
    for argument in overrides {
      guard argument.hasPrefix("file://") else {
        expanded.append(argument)
        continue
      }
      let path = String(argument.dropFirst("file://".count))
      let file: SourceFile
      do {
        file = try SourceFile(path: path)
      } catch {
        throw CommandFailure(message: "--parameter-overrides \(argument): \(error.description)")
      }
      var parameters: [String: EvaluationInputs.ParameterInput] = [:]
      var diagnostics = Diagnostics()
      ParameterInputsReader.read(file, into: &parameters, diagnostics: &diagnostics)
      if let problem = diagnostics.items.first(where: { $0.severity == .error }) {
        let at = problem.range.map { ":\($0.start.line):\($0.start.column)" } ?? ""
        // What the file says is wrong, as a `--parameters` file's problems are (exit 1); a
        // file that cannot be read at all is an I/O failure (exit 2).
        throw CommandFailure(
          message: "--parameter-overrides \(argument)\(at): \(problem.message)",
          status: ExitStatus.findings)
      }
      // In the file's order, as the pairs would be typed.
      expanded += parameters.sorted {
        ($0.value.range?.start.offset ?? 0) < ($1.value.range?.start.offset ?? 0)
      }
      .map { "\($0.key)=\($0.value.value)" }
    }
    return expanded
  }
}

/// Evaluation inputs as plain values: from the command line, or recorded in a lockfile.
struct EvaluationSettings: Sendable, Hashable {
  var parameterFiles: [String] = []
  var parameterOverrides: [String] = []
  var region: String?
  var accountID: String?
  var stackName: String?
  /// The lockfile the recorded part of `parameterOverrides` came from, and that part: named
  /// as their origin, since the user typed none of them this time.
  var recordedIn: String?
  var recordedOverrides: Set<String> = []
  /// Whether `parameterFiles` are the lock's (none were given).
  var parameterFilesRecorded = false

  /// The parameter names a `--parameters` file gives values for; none when it cannot be read
  /// (reading it for the inputs reports why).
  static func parameterKeys(in path: String) -> Set<String> {
    guard let file = try? SourceFile(path: path) else { return [] }
    var parameters: [String: EvaluationInputs.ParameterInput] = [:]
    var ignored = Diagnostics()
    ParameterInputsReader.read(file, into: &parameters, diagnostics: &ignored)
    return Set(parameters.keys)
  }

  func inputs(into diagnostics: inout Diagnostics) throws -> EvaluationInputs {
    var parameters: [String: EvaluationInputs.ParameterInput] = [:]
    for path in parameterFiles {
      do {
        let file = try SourceFile(path: path)
        ParameterInputsReader.read(file, into: &parameters, diagnostics: &diagnostics)
      } catch {
        let source = parameterFilesRecorded ? recordedIn.map { " (recorded in '\($0)')" } : nil
        throw CommandFailure(message: error.description + (source ?? ""))
      }
    }
    let recorded = parameterOverrides.filter(recordedOverrides.contains)
    if let recordedIn, !recorded.isEmpty {
      let malformed = ParameterInputsReader.readOverrides(
        recorded, into: &parameters, origin: "the inputs '\(recordedIn)' records")
      if let first = malformed.first {
        throw CommandFailure(
          message: "\(recordedIn): a recorded parameter override is not Key=Value: '\(first)'")
      }
    }
    let given = parameterOverrides.filter { !recordedOverrides.contains($0) }
    let malformed = ParameterInputsReader.readOverrides(given, into: &parameters)
    if let first = malformed.first {
      throw ValidationError("--parameter-overrides takes Key=Value pairs; got '\(first)'")
    }
    let environment = ProcessEnvironment.current
    try checkTarget(environment)
    let deploy = deployTarget(environment)
    var inputs = EvaluationInputs(
      parameters: parameters, region: deploy.region, accountID: deploy.accountID,
      stackName: stackName)
    if givenRegion(environment) == nil { inputs.assumed.insert("AWS::Region") }
    if givenAccountID(environment) == nil { inputs.assumed.insert("AWS::AccountId") }
    return inputs
  }

  /// `AWS::Region` as given: the flag (or the lock's), else `AWS_REGION`, else
  /// `AWS_DEFAULT_REGION`; a variable set empty is unset, as the aws CLI reads it.
  func givenRegion(_ environment: [String: String]) -> String? {
    region
      ?? [environment["AWS_REGION"], environment["AWS_DEFAULT_REGION"]]
      .lazy.compactMap { $0 }.first { !$0.isEmpty }
  }

  /// `AWS::AccountId` as given: the flag (or the lock's), else `CINCH_ACCOUNT_ID`.
  func givenAccountID(_ environment: [String: String]) -> String? {
    accountID ?? environment["CINCH_ACCOUNT_ID"].flatMap { $0.isEmpty ? nil : $0 }
  }

  /// Refuses a region or account from the environment (or a lockfile) that is no region name
  /// or no 12-digit account, naming where it came from, as the flags are refused: it would
  /// go into every ARN (`arn:aws:ssm:not a region:…`) of a lock or a policy.
  func checkTarget(_ environment: [String: String]) throws {
    // Where a value came from: the flag (or the lock's record), else the first variable set.
    func source(given: String?, flag: String, noun: String, _ variables: [String]) -> String {
      if given != nil { return recordedIn.map { "the \(noun) '\($0)' records" } ?? flag }
      return variables.first { environment[$0].map { !$0.isEmpty } ?? false } ?? flag
    }
    if let region = givenRegion(environment), !Partition.isRegionName(region) {
      let named = source(
        given: self.region, flag: "--region", noun: "region", ["AWS_REGION", "AWS_DEFAULT_REGION"])
      throw CommandFailure(
        message: "\(named) must be a region name such as us-east-1 (lowercase letters, digits "
          + "and hyphens); got '\(region)'")
    }
    if let account = givenAccountID(environment), !Self.isAccountID(account) {
      let named = source(
        given: accountID, flag: "--account-id", noun: "account", ["CINCH_ACCOUNT_ID"])
      throw CommandFailure(message: "\(named) must be 12 digits; got '\(account)'")
    }
    if let stackName, !Self.isStackName(stackName) {
      let named = recordedIn.map { "the stack name '\($0)' records" } ?? "--stack-name"
      throw CommandFailure(
        message: "\(named) must start with a letter and hold only letters, digits and hyphens, "
          + "at most 128 characters, as CloudFormation's are; got '\(stackName)'")
    }
  }

  /// A stack name CloudFormation takes: `[a-zA-Z][-a-zA-Z0-9]*`, at most 128 characters.
  /// https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_CreateStack.html
  static func isStackName(_ text: String) -> Bool {
    guard let first = text.utf8.first, text.utf8.count <= 128,
      (0x41...0x5A).contains(first) || (0x61...0x7A).contains(first)
    else { return false }
    return text.utf8.allSatisfy {
      (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0)
        || $0 == 0x2D
    }
  }

  /// Twelve ASCII digits, as AWS writes an account id.
  static func isAccountID(_ text: String) -> Bool {
    text.utf8.count == 12 && text.utf8.allSatisfy { (0x30...0x39).contains($0) }
  }

  /// Where the stack goes: the region and account given, else AWS's defaults for a template
  /// evaluated without them (`us-east-1`, `123456789012`, reported where a name is built from
  /// them). The embedded store is read as from there (`OpenStore.deployed`).
  func deployTarget(_ environment: [String: String]) -> (region: String, accountID: String) {
    (givenRegion(environment) ?? "us-east-1", givenAccountID(environment) ?? "123456789012")
  }
}

/// A command failed for a reason that is not a finding (I/O, configuration): one line on
/// stderr, exit 2.
struct CommandFailure: Error, CustomStringConvertible {
  var message: String
  /// Where in a file the failure is, when it has a place (a lockfile's bad entry): for the
  /// formats that carry a location (`check --format json|sarif|github`).
  var place: Place?

  struct Place {
    var file: String
    var line: Int
    var column: Int
    /// The message without its `file:line:column:` prefix.
    var reason: String
  }

  /// The exit status: a failure of the run (2) unless the input it read was wrong (1).
  var status = ExitStatus.failure

  init(message: String, place: Place? = nil, status: Int32 = ExitStatus.failure) {
    self.message = message
    self.place = place
    self.status = status
  }

  var description: String { message }

  /// The failure as a finding, located when it has a place.
  func diagnostic(_ code: DiagnosticCode) -> Diagnostic {
    guard let place, let file = try? SourceFile(path: place.file) else {
      return Diagnostic(code, message)
    }
    let offset = file.byteOffset(line: place.line, scalarColumn: place.column - 1)
    return Diagnostic(
      code, place.reason, file: place.file, range: file.range(fromByte: offset, toByte: offset))
  }
}
