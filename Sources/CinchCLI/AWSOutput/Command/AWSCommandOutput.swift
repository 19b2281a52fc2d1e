import ArgumentParser
package import CinchAWS
package import CinchJSON
import CinchStore
import Foundation

/// Turns an operation's response into what the aws CLI prints on stdout for the same response,
/// `--query` and `--output`.
package struct AWSCommandOutput: Sendable {
  package var format: AWSOutputFormat
  package var query: JMESPathExpression?
  package var pagination: AWSPagination?
  /// The items of each page the CLI read (`Paging.pageSizes`), for the outputs written page
  /// by page (text, yaml-stream).
  package var pageSizes: [Int] = []
  /// The token each page came with (`Paging.pageTokens`), for yaml-stream.
  package var pageTokens: [String?] = []
  /// Columns available to `--output table` (the aws CLI uses 80 when stdout is no terminal).
  package var terminalWidth: Int
  package var colored: Bool
  package var encoder: JSONValueEncoder

  package init(
    format: AWSOutputFormat = .json, query: JMESPathExpression? = nil,
    pagination: AWSPagination? = nil,
    terminalWidth: Int = 80, colored: Bool = false, encoder: JSONValueEncoder = JSONValueEncoder()
  ) {
    self.format = format
    self.query = query
    self.pagination = pagination
    self.terminalWidth = terminalWidth
    self.colored = colored
    self.encoder = encoder
  }

  /// The stdout text for `response` of `operation` (`GetParameter`, the table's title).
  package func render(operation: String, response: some Encodable) throws -> String {
    try render(
      operation: operation,
      document: Self.decodingPolicies(encoder.encode(response), operation: operation))
  }

  /// botocore's `json_decode_policies`: an IAM policy document the service answers as text is
  /// printed as the JSON it holds, so `--query PolicyDocument.Statement` reaches into it.
  static func decodingPolicies(_ document: JSONValue, operation: String) -> JSONValue {
    guard operation == "GetUserPolicy", case .object(var members) = document,
      let text = members["PolicyDocument"]?.stringValue,
      let parsed = try? JSONValueParser.parse(text)
    else { return document }
    members["PolicyDocument"] = parsed
    return .object(members)
  }

  package func render(operation: String, document: JSONValue) throws -> String {
    switch format {
    case .text:
      guard let pagination else { return AWSTextFormatter.format(try applyQuery(document)) }
      var output = ""
      for page in pagination.textPages(document, sizes: pageSizes) {
        output += AWSTextFormatter.format(try applyQuery(page))
      }
      if let token = pagination.resumeToken(document) {
        output += AWSTextFormatter.format(try applyQuery(["NextToken": ["NextToken": token]]))
      }
      return output
    case .yamlStream:
      // The aws CLI's `StreamedYAMLFormatter` writes each page as it arrives, `--query` run on
      // each, as one item of a top-level sequence.
      guard let pagination else {
        return AWSYAMLFormatter.formatStream(pages: [try applyQuery(document)])
      }
      let pages = pagination.streamPages(document, sizes: pageSizes, tokens: pageTokens)
      return AWSYAMLFormatter.formatStream(pages: try pages.map(applyQuery))
    case .off:
      // awscli's `OffFormatter` prints nothing and never runs `--query` (only a query that does
      // not parse fails, before the call).
      return ""
    case .json, .yaml, .table:
      let result = try applyQuery(pagination?.fullResult(document) ?? document)
      switch format {
      case .json:
        return result == .object(JSONObject()) ? "" : PythonJSONWriter.awsCLI.string(result) + "\n"
      case .yaml:
        return result == .object(JSONObject()) ? "" : AWSYAMLFormatter.format(result)
      default:
        return try AWSTableFormatter(terminalWidth: terminalWidth, colored: colored).format(
          result, title: operation)
      }
    }
  }

  private func applyQuery(_ document: JSONValue) throws(JMESPathError) -> JSONValue {
    guard let query else { return document }
    return try query.search(document)
  }
}

/// The body of an aws-style command: reads the global options, runs the operation, prints the
/// response, and turns every failure into the aws CLI's message and exit code.
///
/// ```swift
/// struct GetParameter: AsyncParsableCommand {
///   static let configuration = CommandConfiguration(commandName: "get-parameter")
///   @OptionGroup var global: AWSGlobalOptions
///   @Option var name: String?
///   @Flag(inversion: .prefixedNo) var withDecryption: Bool?
///
///   func run() async throws {
///     try await AWSCommand.run("GetParameter", global) { input in
///       try input.requireParameters([("Name", "--name", name != nil)])
///       try input?.validateKeys(allowed: ["Name", "WithDecryption"])
///       let name = try input.string("Name", flag: name) ?? ""
///       let decrypt = try input.bool("WithDecryption", flag: withDecryption) ?? false
///       return try await store.getParameter(name, withDecryption: decrypt)  // Encodable
///     }
///   }
/// }
/// ```
package enum AWSCommand {
  /// What an aws-style command produced: stdout, stderr and the exit code.
  package struct Outcome: Sendable, Equatable {
    package var standardOutput: String
    package var standardError: String
    package var exitCode: Int32
  }

  /// Runs the operation, prints its output or error, and on failure throws `ExitCode` with the
  /// aws CLI's code (252 usage, 253 configuration, 254 service error, 255 anything else).
  package static func run<Response: Encodable>(
    _ operation: String, _ options: AWSGlobalOptions, pagination: AWSPagination? = nil,
    _ body: (AWSCLIInput?) async throws -> Response
  ) async throws {
    let onTerminal = isatty(STDOUT_FILENO) == 1
    let outcome = await execute(
      operation, options, pagination: pagination, environment: ProcessEnvironment.current,
      terminalWidth: onTerminal ? terminalColumns() ?? 80 : 80, isTerminal: onTerminal, body)
    write(outcome.standardOutput, to: FileHandle.standardOutput)
    write(outcome.standardError, to: FileHandle.standardError)
    // Printed already; ArgumentParser's `exit(withError:)` ends with this code silently.
    if outcome.exitCode != AWSExitCode.success { throw ExitCode(outcome.exitCode) }
  }

  /// `run` without the process: what would be printed, and the exit code.
  package static func execute<Response: Encodable>(
    _ operation: String, _ options: AWSGlobalOptions, pagination: AWSPagination? = nil,
    environment: [String: String] = [:], terminalWidth: Int = 80, isTerminal: Bool = false,
    _ body: (AWSCLIInput?) async throws -> Response
  ) async -> Outcome {
    // Resolved once (it may read the config file): a bad value is reported below, in the
    // default format.
    let resolvedErrorFormat = Result { () throws(AWSUsageError) in
      try options.resolvedErrorFormat(environment: environment)
    }
    let errorFormat = (try? resolvedErrorFormat.get()) ?? .enhanced
    do {
      let format = try options.resolvedOutput(environment: environment)
      let query = try options.compiledQuery()
      let color = try options.resolvedColor()
      _ = try resolvedErrorFormat.get()
      try options.checkConnection()
      if let skeleton = try options.skeletonFormat() {
        let noSkeleton = AWSUsageError(
          "\(operation) is cinch's own operation: it has no skeleton; see its --help")
        guard skeleton == .output else {
          guard let text = AWSInputSkeleton.text(for: operation, format: skeleton) else {
            throw noSkeleton
          }
          return Outcome(standardOutput: text, standardError: "", exitCode: AWSExitCode.success)
        }
        guard let sample = AWSInputSkeleton.sampleOutput(for: operation) else { throw noSkeleton }
        let output = AWSCommandOutput(
          format: format, query: query, pagination: nil, terminalWidth: terminalWidth,
          colored: color == .on || (color == .auto && isTerminal))
        return Outcome(
          standardOutput: try output.render(operation: operation, document: sample),
          standardError: "", exitCode: AWSExitCode.success)
      }
      let input = try options.cliInput()
      let response = try await body(input)
      // One call printed as the service answered it: nothing to combine.
      let paging = (response as? any PagingAware)?.paging
      var output = AWSCommandOutput(
        format: format, query: query, pagination: paging?.paginated == false ? nil : pagination,
        terminalWidth: terminalWidth,
        colored: color == .on || (color == .auto && isTerminal))
      output.pageSizes = paging?.pageSizes ?? []
      output.pageTokens = paging?.pageTokens ?? []
      return Outcome(
        standardOutput: try output.render(operation: operation, response: response),
        standardError: "",
        exitCode: AWSExitCode.success)
    } catch {
      let (text, code) = AWSErrorPresenter(operation: operation, errorFormat: errorFormat).present(
        error)
      return Outcome(standardOutput: "", standardError: text, exitCode: code)
    }
  }

  static func write(_ text: String, to handle: FileHandle) {
    guard !text.isEmpty else { return }
    Output.write(
      text, to: handle === FileHandle.standardOutput ? STDOUT_FILENO : STDERR_FILENO)
  }

  /// The width of the terminal on stdout, as the aws CLI reads it for tables.
  static func terminalColumns() -> Int? {
    var size = winsize()
    guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
    return Int(size.ws_col)
  }
}

/// Prints an error the way the aws CLI v2 does and returns the exit code.
package struct AWSErrorPresenter: Sendable {
  package var operation: String
  package var errorFormat: AWSErrorFormat

  package init(operation: String, errorFormat: AWSErrorFormat = .enhanced) {
    self.operation = operation
    self.errorFormat = errorFormat
  }

  /// The stderr text and exit code for `error`.
  package func present(_ error: any Error) -> (text: String, code: Int32) {
    var error = error
    if let store = error as? StoreError {
      error = store.inService(StoreService(operation: operation), operation: operation)
    }
    switch error {
    case let service as any AWSServiceError:
      return ((service.localDetail ?? "") + serviceErrorText(service), AWSExitCode.serviceError)
    case let usage as AWSUsageError:
      return ("\n\(usage.message)\n", AWSExitCode.usage)
    case let configuration as AWSConfigurationError:
      return ("\n\(configuration.message)\n", AWSExitCode.configuration)
    case let client as AWSClientError:
      return ("\n\(client)\n", client.awsExitCode)
    case let exit as ExitCode:
      return ("", exit.rawValue)
    case let query as JMESPathError:
      return ("\n\(query.redactedDescription)\n", AWSExitCode.general)
    default:
      return ("\n\(error)\n", AWSExitCode.general)
    }
  }

  /// Writes the message to stderr and returns the exit code.
  package func report(_ error: any Error) -> Int32 {
    let (text, code) = present(error)
    AWSCommand.write(text, to: FileHandle.standardError)
    return code
  }

  private func serviceErrorText(_ error: any AWSServiceError) -> String {
    let message = error.clientErrorMessage(operation: operation)
    switch errorFormat {
    case .legacy:
      return "\n\(message)\n"
    case .enhanced:
      return message + "\n" + enhancedDetails(error.additionalFields)
    case .json, .yaml, .text, .table:
      // botocore's error dictionary holds `Message` before `Code` (the json format keeps the
      // order; yaml, text and table sort the keys).
      var document = JSONObject([
        ("Message", .string(error.message)), ("Code", .string(error.code)),
      ])
      for member in error.additionalFields { document[member.key] = member.value }
      let format = AWSOutputFormat(rawValue: errorFormat.rawValue) ?? .json
      return
        (try? AWSCommandOutput(format: format).render(
          operation: "error", document: .object(document)))
        ?? "\n\(message)\n"
    }
  }

  /// The extra members of an error response, after the message line.
  private func enhancedDetails(_ fields: JSONObject) -> String {
    guard !fields.isEmpty else { return "" }
    func simple(_ value: JSONValue) -> Bool { value.isScalar }
    func line(_ key: String, _ value: JSONValue, indent: String) -> String {
      if simple(value) { return "\(indent)\(key): \(PythonText.str(value))\n" }
      if let list = value.arrayValue, list.count < 5, list.allSatisfy(simple) {
        return "\(indent)\(key): [" + list.map(PythonText.str).joined(separator: ", ") + "]\n"
      }
      if let object = value.objectValue, object.count < 5, object.values.allSatisfy(simple) {
        return "\(indent)\(key): {"
          + object.map { "\($0.key): \(PythonText.str($0.value))" }.joined(separator: ", ") + "}\n"
      }
      return "\(indent)\(key): <complex value>\n\(indent)\(indent.isEmpty ? "" : "  ")"
        + "(Use --cli-error-format json or --cli-error-format yaml to see full details)\n"
    }
    if fields.count == 1, let member = fields.first {
      return "\n" + line(member.key, member.value, indent: "")
    }
    return "\nAdditional error details:\n"
      + fields.map { line($0.key, $0.value, indent: "  ") }.joined()
  }
}
