import ArgumentParser
import CinchStore
import Foundation

/// `cinch rekey`: replaces the master key by re-wrapping key material in one transaction.
struct RekeyCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rekey",
    abstract: "Replace the master key; values are not re-encrypted, only keys re-wrapped.",
    discussion: """
      The store is opened with its current key (--key-file, CINCH_MASTER_KEY, CINCH_PASSPHRASE \
      or the default key file). The new key is a new key file (--new-key-file, created with mode \
      0600, never over an existing file) or a new passphrase (--new-passphrase: \
      CINCH_NEW_PASSPHRASE or a prompt).
      """)

  @OptionGroup var storeOptions: StoreOptions

  @Option(help: "Write a new key file here and lock the store with it.")
  var newKeyFile: String?

  @Flag(help: "Lock the store with a new passphrase (CINCH_NEW_PASSPHRASE or a prompt).")
  var newPassphrase = false

  func validate() throws {
    guard (newKeyFile != nil) != newPassphrase else {
      throw ValidationError("give exactly one of --new-key-file PATH or --new-passphrase")
    }
  }

  func run() async throws {
    let environment = ProcessEnvironment.current
    let provision: MasterKeyProvision
    if let newKeyFile {
      provision = .newKeyFile(path: newKeyFile)
    } else {
      let secret: SecretBytes?
      if let text = environment["CINCH_NEW_PASSPHRASE"], !text.isEmpty {
        secret = SecretBytes(utf8: text)
      } else {
        secret = try PassphrasePrompt.readNew("store '\(storeOptions.storePath(environment))'")
      }
      guard let secret else {
        throw CLIFailure("--new-passphrase needs CINCH_NEW_PASSPHRASE or a terminal to type it at")
      }
      provision = .passphrase(secret, origin: "CINCH_NEW_PASSPHRASE")
    }
    do {
      let store = try await storeOptions.open(environment)
      try await store.rekey(to: provision)
      try store.close()
    } catch let error as StoreAccessError {
      throw CLIFailure("\(error)")
    }
    if let newKeyFile {
      Output.stdout(
        "store '\(storeOptions.storePath(environment))' is now locked with key file '\(newKeyFile)'; "
          + "use --key-file or CINCH_MASTER_KEY_FILE to name it, and remove the old key\n")
    } else {
      Output.stdout(
        "store '\(storeOptions.storePath(environment))' is now locked with the new passphrase\n")
    }
  }
}
