import ArgumentParser
import CinchJSON
import CinchStore
import CinchVault
import Foundation

/// How the Vault-style commands end: the message for stderr (or nothing) and Vault's exit
/// code (1 for local errors such as flags and arguments, 2 for errors the API returned).
struct VaultExit: Error {
  var message: String
  var status: Int32

  static func usage(_ message: String) -> VaultExit { VaultExit(message: message, status: 1) }
  static func remote(_ message: String) -> VaultExit { VaultExit(message: message, status: 2) }
}

/// `-format` and `-field`, as every `vault` command that prints a secret takes them.
struct VaultOutputOptions: ParsableArguments {
  @Option(
    name: [.customLong("format", withSingleDash: true), .customLong("format")],
    help: "Print as 'table' or 'json' (default: $VAULT_FORMAT or table).")
  var format: String?

  @Option(
    name: [.customLong("field", withSingleDash: true), .customLong("field")],
    help: "Print only this field, with no trailing newline.")
  var field: String?

  func resolvedFormat() throws -> String { try VaultFormatOption.resolved(format) }
}

/// `-format` alone, for the commands that print only a success line (`kv delete`,
/// `kv metadata put`): with a format other than table they print nothing, as Vault's do.
struct VaultFormatOption: ParsableArguments {
  @Option(
    name: [.customLong("format", withSingleDash: true), .customLong("format")],
    help: "'table' or 'json' (default: $VAULT_FORMAT or table); json prints nothing on success.")
  var format: String?

  func resolvedFormat() throws -> String { try Self.resolved(format) }

  /// The flag's format, or `VAULT_FORMAT`'s, or table; one cinch does not print is an error.
  static func resolved(_ format: String?) throws -> String {
    let format = (format ?? ProcessEnvironment.current["VAULT_FORMAT"] ?? "table")
      .lowercased()
    guard format == "table" || format == "json" else {
      throw VaultExit.usage("Invalid output format: \(format)")
    }
    return format
  }

  /// Prints a success line in table format only.
  func success(_ line: String) throws {
    if try resolvedFormat() == "table" { Output.stdout(line + "\n") }
  }
}

/// A reply from the API, parsed.
struct VaultReply {
  var status: Int
  var json: JSONValue?

  var errors: [String]? { json?["errors"]?.arrayValue?.compactMap(\.stringValue) }
  var data: JSONValue? { json?["data"] }

  /// Warnings go to stderr the way the vault CLI prints them.
  var hasWarnings: Bool { json?["warnings"]?.arrayValue?.isEmpty == false }

  func printWarnings() {
    guard let warnings = json?["warnings"]?.arrayValue, !warnings.isEmpty else { return }
    var text = "WARNING! The following warnings were returned from Vault:\n\n"
    for warning in warnings.compactMap(\.stringValue) { text += "  * \(warning)\n" }
    Output.stderr(text + "\n")
  }
}

/// An open store and the Vault API over it, acting with the command line's root authority.
struct VaultSession {
  let store: SQLiteStore
  let api: VaultAPI

  static func open(_ options: StoreOptions) async throws -> VaultSession {
    do {
      let store = try await options.open()
      return VaultSession(store: store, api: VaultAPI(store: store, serving: false))
    } catch let error as StoreAccessError {
      throw VaultExit.usage("cinch: \(error)")
    } catch let error as StoreLocationError {
      throw VaultExit.usage("cinch: \(error)")
    }
  }

  /// Sends one request; `body` nil sends none. The path is the one typed, escaped into the
  /// request's URL as the vault CLI's `api.Client` puts it in `URL.Path` (and `query` in
  /// `URL.RawQuery`): the API decodes it back to what was typed, so `secret/pct%41` is the key
  /// `pct%41`, not `pctA`, and a `?` is part of the path, not the start of a query.
  func send(
    _ method: String, _ path: String, _ body: JSONValue? = nil,
    query: [(name: String, value: String)] = []
  ) async -> VaultReply {
    var headers: [String: String] = [:]
    if method == "PATCH" { headers["Content-Type"] = "application/merge-patch+json" }
    let response = await api.handleLocal(
      VaultHTTPRequest(
        method: method, target: Self.target(path, query: query), headers: headers,
        body: body.map { Array($0.compact().utf8) } ?? []))
    let text = response.bodyText
    return VaultReply(
      status: response.status, json: text.isEmpty ? nil : try? JSONValueParser.parse(text))
  }

  /// `/v1/PATH?QUERY` with the path and the query's names and values percent-encoded.
  static func target(_ path: String, query: [(name: String, value: String)]) -> String {
    var target =
      "/v1/" + (path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path)
    guard !query.isEmpty else { return target }
    var allowed = CharacterSet.urlQueryAllowed
    allowed.remove(charactersIn: "&=+")
    func escaped(_ text: String) -> String {
      text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
    target += "?" + query.map { escaped($0.name) + "=" + escaped($0.value) }.joined(separator: "&")
    return target
  }

  /// Vault's API error text: `Error <verb> <path>: Error making API request. …`; `url` is the
  /// API path when `path` is not one (a lease id).
  static func apiError(
    _ verb: String, _ path: String, method: String, url: String? = nil, _ reply: VaultReply
  ) -> VaultExit {
    apiError("\(verb) \(path)", method: method, url: url ?? path, reply)
  }

  /// The same for messages that name no path (`Error revoking token: Error making API …`).
  static func apiError(_ message: String, method: String, url: String, _ reply: VaultReply)
    -> VaultExit
  {
    var text = "\(message): Error making API request.\n\n"
    // A body that is not JSON (the local API's is empty then): Vault's api/response.go keeps
    // it as a raw message; a JSON body without `errors` has an empty list.
    guard reply.json != nil else {
      return .remote(text + "URL: \(method) /v1/\(url)\nCode: \(reply.status). Raw Message:\n\n")
    }
    let errors = reply.errors ?? []
    text += "URL: \(method) /v1/\(url)\nCode: \(reply.status). Errors:\n\n"
    text += errors.map { "* \($0)" }.joined(separator: "\n")
    return .remote(text)
  }
}

/// `KEY=VALUE` arguments as the vault CLI reads them (its `kv-builder`): `KEY=@file` reads a
/// file, `KEY=\@text` is the literal `@text`, `KEY=-` reads stdin; a lone `-` or `@file`
/// merges a JSON object from stdin or the file; a key given twice collects its values in a
/// list.
enum VaultArguments {
  static func parse(_ arguments: [String]) throws -> JSONObject {
    var object = JSONObject()
    var stdinUsed = false
    func readStdin() throws -> String {
      guard !stdinUsed else {
        throw VaultExit.usage("Failed to parse K=V data: stdin already consumed")
      }
      stdinUsed = true
      return String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
    }
    func read(_ path: String) throws -> String {
      // One open, so `@<(…)` (a FIFO) reads; Go's wording of the error, as vault prints it.
      switch Paramfile.contents(of: path) {
      case .success(let contents): return String(decoding: contents, as: UTF8.self)
      case .failure(let error):
        let step = error.code == EISDIR ? "read" : "open"
        throw VaultExit.usage(
          "Failed to parse K=V data: \(step) \(path): \(error.message.lowercased())")
      }
    }
    func merge(_ text: String, from source: String) throws {
      guard case .object(let parsed)? = try? JSONValueParser.parse(text) else {
        throw VaultExit.usage("Failed to parse K=V data: \(source) is not a JSON object")
      }
      for member in parsed.members { object[member.key] = member.value }
    }
    for argument in arguments where !argument.isEmpty {
      guard let equals = argument.firstIndex(of: "=") else {
        if argument == "-" {
          try merge(try readStdin(), from: "stdin")
        } else if argument.hasPrefix("@") {
          try merge(try read(String(argument.dropFirst())), from: "'\(argument.dropFirst())'")
        } else {
          throw VaultExit.usage("Failed to parse K=V data: format must be key=value")
        }
        continue
      }
      let key = String(argument[..<equals])
      var value = String(argument[argument.index(after: equals)...])
      if value == "-" {
        // Kept exactly as read, a final newline too, as kv-builder keeps it.
        value = try readStdin()
      } else if value.hasPrefix("@") {
        value = try read(String(value.dropFirst()))
      } else if value.hasPrefix("\\@") {
        value.removeFirst()
      }
      switch object[key] {
      case nil: object[key] = .string(value)
      case .array(let values)?: object[key] = .array(values + [.string(value)])
      case let existing?: object[key] = .array([existing, .string(value)])
      }
    }
    return object
  }
}

/// Exit codes for the Vault-style command groups: argument errors are 1, as in Vault.
enum VaultCommandLine {
  static let groups: Set<String> = [
    "kv", "transit", "token", "read", "write", "delete", "list",
    "secrets", "lease",
  ]

  /// Whether the command line's first word is a command group that mirrors the vault CLI.
  static func isVaultStyle(_ arguments: [String]) -> Bool {
    arguments.first.map(groups.contains) ?? false
  }

  static func exitCode(for error: any Error, arguments: [String]) -> Int32? {
    if let exit = error as? VaultExit {
      if !exit.message.isEmpty { Output.stderr(exit.message + "\n") }
      return exit.status
    }
    guard isVaultStyle(arguments) else { return nil }
    let code = CinchMain.exitCode(for: error)
    guard code != .success else { return nil }
    let message = CinchMain.fullMessage(for: error)
    if !message.isEmpty { Output.stderr(message + "\n") }
    return 1
  }
}
