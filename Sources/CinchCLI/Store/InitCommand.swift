import ArgumentParser
import CinchStore
import Foundation
import GRDB

/// `cinch init`: creates the store and its master key, refusing to overwrite either. An init
/// killed part way is finished or undone by the next one (`SQLiteStore.create`).
struct InitCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "init",
    abstract: "Create an encrypted store and its master key (never overwrites either).",
    discussion: """
      By default a new key file (32 random bytes, mode 0600) is written beside the store. With \
      CINCH_MASTER_KEY set, that key is used instead; with --passphrase, the key is derived \
      from CINCH_PASSPHRASE (or a passphrase typed at the terminal) with scrypt.
      """)

  @OptionGroup var storeOptions: StoreOptions

  @Flag(
    help: "Lock the store with a passphrase (CINCH_PASSPHRASE or a prompt) instead of a key file.")
  var passphrase = false

  func run() async throws {
    let environment = ProcessEnvironment.current
    let path = storeOptions.storePath(environment)
    if case .aws = try storeOptions.location(environment) {
      throw CLIFailure(
        "'\(path)' is AWS itself: there is nothing to create; 'cinch init' creates an embedded store"
      )
    }
    let provision: MasterKeyProvision
    var described: String
    // Two locks named at once: the store takes one, and the other would be silently dropped.
    if passphrase, storeOptions.keyFile != nil {
      throw ValidationError(
        "--passphrase and --key-file name two different locks; give one (a passphrase store "
          + "has no key file)")
    }
    if passphrase {
      guard let secret = try Self.newPassphrase(environment, for: "store '\(path)'") else {
        throw CLIFailure("--passphrase needs CINCH_PASSPHRASE or a terminal to type it at")
      }
      provision = .passphrase(secret, origin: "CINCH_PASSPHRASE")
      described = "locked with a passphrase"
    } else if let key = environment["CINCH_MASTER_KEY"], !key.isEmpty, storeOptions.keyFile == nil {
      guard
        case .key(let bytes, let origin) = try MasterKeySource.base64Key(
          key, origin: "CINCH_MASTER_KEY")
      else { throw CLIFailure("CINCH_MASTER_KEY holds no key") }
      provision = .key(bytes, origin: origin)
      described = "locked with the key in CINCH_MASTER_KEY"
    } else {
      let keyPath = storeOptions.keyFilePath(environment).path
      provision = .newKeyFile(path: keyPath)
      described = "key file '\(keyPath)' (mode 0600: keep it out of version control)"
    }
    var named = "'\(path)'"
    do {
      let store = try await SQLiteStore.create(
        at: path, master: provision, configuration: try StoreOptions.configuration(environment))
      // Said when it finished the store of an init that was interrupted.
      for warning in store.warnings { Output.stderr("cinch: warning: \(warning)\n") }
      // A symbolic link to a file yet to be made: the store is made where it leads.
      if store.path != path { named += " (a link to '\(store.path)')" }
      try store.close()
    } catch let error as StoreAccessError {
      throw CLIFailure("\(error)")
    } catch let error as DatabaseError {
      // Nothing is left behind (the store removes what it began); say why in one line.
      let reason =
        error.resultCode == .SQLITE_FULL
        ? "the disk is full" : "SQLite error \(error.resultCode.rawValue): \(error.message ?? "")"
      throw CLIFailure("cannot create the store '\(path)': \(reason)")
    }
    Output.stdout("created store \(named), \(described)\n")
  }

  /// `CINCH_PASSPHRASE`, or one typed twice at the terminal.
  static func newPassphrase(_ environment: [String: String], for what: String) throws
    -> SecretBytes?
  {
    if let text = environment["CINCH_PASSPHRASE"], !text.isEmpty { return SecretBytes(utf8: text) }
    return try PassphrasePrompt.readNew(what)
  }
}
