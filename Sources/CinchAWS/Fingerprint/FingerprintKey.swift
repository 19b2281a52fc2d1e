package import CinchStore
import Foundation

/// The key of lockfile fingerprints for a store that holds none of its own (AWS): 32 random
/// bytes, never the AWS credentials, so a fingerprint tells nothing about a value to anyone
/// without the key, and the same value of the same entry gives the same fingerprint on every
/// machine that shares it. Taken from `CINCH_FINGERPRINT_KEY` (base64, for CI secrets), else the file
/// `CINCH_FINGERPRINT_KEY_FILE` names, else `.cinch/fingerprint.key` in the project, created with
/// mode 0600 the first time it is needed.
package struct FingerprintKey: ValueFingerprinter {
  package static let defaultPath = ".cinch/fingerprint.key"

  private let key: SecretBytes
  /// Where the key came from, for messages.
  package let origin: String

  package init(key: SecretBytes, origin: String) {
    self.key = key
    self.origin = origin
  }

  /// The key the environment names, or the project's key file (created when `create` is set
  /// and it does not exist yet). `directory` is the project directory the default path is
  /// relative to.
  package static func load(
    environment: [String: String], directory: String, create: Bool = true
  ) throws -> FingerprintKey {
    if let text = environment["CINCH_FINGERPRINT_KEY"], !text.isEmpty {
      guard let data = Data(base64Encoded: text), data.count == Crypto.keyLength else {
        throw FingerprintKeyError(
          "CINCH_FINGERPRINT_KEY is not a base64 32-byte key (make one with "
            + "'head -c 32 /dev/urandom | base64')")
      }
      return FingerprintKey(key: SecretBytes(copying: data), origin: "CINCH_FINGERPRINT_KEY")
    }
    if let path = environment["CINCH_FINGERPRINT_KEY_FILE"], !path.isEmpty {
      return FingerprintKey(key: try read(path), origin: "key file '\(path)'")
    }
    let path = directory.isEmpty || directory == "." ? defaultPath : directory + "/" + defaultPath
    if FileManager.default.fileExists(atPath: path) || !create {
      return FingerprintKey(key: try read(path), origin: "key file '\(path)'")
    }
    do {
      try SecureFile.createParentDirectories(of: path)
      return FingerprintKey(key: try KeyFile.create(at: path), origin: "key file '\(path)'")
    } catch StoreAccessError.keyFileExists {
      // Another process created it first: use theirs.
      return FingerprintKey(key: try read(path), origin: "key file '\(path)'")
    }
  }

  private static func read(_ path: String) throws -> SecretBytes {
    do {
      return try KeyFile.read(at: path)
    } catch StoreAccessError.keyFileNotFound {
      throw FingerprintKeyError("fingerprint key file '\(path)' not found")
    } catch StoreAccessError.keyFileInvalid(_, let reason) {
      throw FingerprintKeyError("'\(path)' is not a fingerprint key: \(reason)")
    }
  }

  /// `hmac-sha256:<hex>`, the form the embedded store's fingerprints take.
  package func fingerprint(of value: SecretBytes, entry: String) -> String {
    ValueFingerprint.of(value, entry: entry) { Crypto.hmacSHA256(key: key, $0, $1) }
  }
}

/// A fingerprint key that cannot be used; names the variable or file, never the key.
package struct FingerprintKeyError: Error, Equatable, CustomStringConvertible {
  package var description: String
  package init(_ description: String) { self.description = description }
}
