import ArgumentParser
import CinchJSON
import CinchStore
import CinchVault
import Foundation

/// `cinch audit enable file file_path=…`, as `vault audit enable`.
struct AuditEnableCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "enable",
    abstract: "Enable a Vault audit device: 'file file_path=PATH' (or stdout, or discard).")

  @OptionGroup var storeOptions: StoreOptions
  @Option(
    name: [.customLong("path", withSingleDash: true), .customLong("path")],
    help: "Where to enable it (default: the type).")
  var path: String?
  @Argument(help: "The device type: file.") var type: String
  @Argument(help: "Options: file_path=PATH, mode=0600.") var options: [String] = []

  func run() async throws {
    // audit_enable.go: an empty -path is the type, as no -path is.
    let devicePath = GenericPath.clean(path.flatMap { $0.isEmpty ? nil : $0 } ?? type)
    let parsed = try VaultArguments.parse(options)
    let session = try await VaultSession.open(storeOptions)
    let reply = await session.send(
      "PUT", "sys/audit/" + devicePath,
      .object([("type", .string(type)), ("options", .object(parsed))]))
    guard reply.status < 400 else {
      throw VaultSession.apiError(
        "Error enabling audit device", method: "PUT", url: "sys/audit/" + devicePath, reply)
    }
    let slashed = devicePath.hasSuffix("/") ? devicePath : devicePath + "/"
    Output.stdout("Success! Enabled the \(type) audit device at: \(slashed)\n")
  }
}

struct AuditDisableCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "disable", abstract: "Disable a Vault audit device (its salt is gone for good).")

  @OptionGroup var storeOptions: StoreOptions
  @Argument(help: "The device's path.") var path: String

  func run() async throws {
    let devicePath = GenericPath.clean(path)
    let session = try await VaultSession.open(storeOptions)
    let reply = await session.send("DELETE", "sys/audit/" + devicePath)
    guard reply.status < 400 else {
      throw VaultSession.apiError(
        "Error disabling audit device", method: "DELETE", url: "sys/audit/" + devicePath, reply)
    }
    let slashed = devicePath.hasSuffix("/") ? devicePath : devicePath + "/"
    Output.stdout("Success! Disabled audit device (if it was enabled) at: \(slashed)\n")
  }
}

/// `cinch audit hash STRING`: the `hmac-sha256:` form a known value takes in a device's log,
/// to find its entries (`sys/audit-hash`). The value is read from stdin with `-`.
struct AuditHashCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "hash",
    abstract: "Print how a device hashes STRING ('-' reads it from stdin), to grep its log.")

  @OptionGroup var storeOptions: StoreOptions
  @Option(
    name: [.customLong("path", withSingleDash: true), .customLong("path")],
    help: "The device (default: the only one enabled).")
  var path: String?
  @Argument(help: "The string, or '-' for stdin (keeps it out of the process list).")
  var input: String

  func run() async throws {
    var value = input
    if input == "-" {
      value = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
      if value.hasSuffix("\n") { value.removeLast() }
    }
    let session = try await VaultSession.open(storeOptions)
    var device = path.map(GenericPath.clean)
    if device == nil {
      let devices = try await session.store.vaultAuditDevices()
      guard devices.count == 1, let only = devices.first else {
        throw VaultExit.usage(
          devices.isEmpty
            ? "no audit device is enabled" : "several audit devices are enabled: pass -path")
      }
      device = String(only.path.dropLast())
    }
    let reply = await session.send(
      "PUT", "sys/audit-hash/" + (device ?? ""), .object([("input", .string(value))]))
    guard reply.status < 400, let hash = reply.data?["hash"]?.stringValue else {
      throw VaultSession.apiError(
        "Error hashing", device ?? "", method: "PUT",
        url: "sys/audit-hash/" + (device ?? ""), reply)
    }
    Output.stdout(hash + "\n")
  }
}
