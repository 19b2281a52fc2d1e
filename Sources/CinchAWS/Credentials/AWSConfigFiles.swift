import Foundation

/// The aws CLI's shared files: `~/.aws/credentials` (sections named by profile) and
/// `~/.aws/config` (`[default]`, `[profile NAME]`), or the files `AWS_SHARED_CREDENTIALS_FILE`
/// and `AWS_CONFIG_FILE` name. Values are kept as text; the INI dialect is botocore's: `#` and
/// `;` start comments, `key = value`; a key with no value opens a nested block of indented
/// `key = value` lines, kept as `key.subkey` (a `[services NAME]` section's `ssm =` block).
package struct AWSConfigFiles: Sendable {
  package var credentials: [String: [String: String]]
  package var config: [String: [String: String]]
  package var credentialsPath: String
  package var configPath: String

  package init(
    credentials: [String: [String: String]] = [:], config: [String: [String: String]] = [:],
    credentialsPath: String = "~/.aws/credentials", configPath: String = "~/.aws/config"
  ) {
    self.credentials = credentials
    self.config = config
    self.credentialsPath = credentialsPath
    self.configPath = configPath
  }

  /// Reads both files (a missing file is empty); with `credentials` false the config file only,
  /// for settings that are not credentials (`output`), so no secret key is read for them.
  package static func load(
    environment: [String: String], home: String, credentials readsCredentials: Bool = true
  ) -> AWSConfigFiles {
    func path(_ variable: String, _ fallback: String) -> String {
      let raw = environment[variable].flatMap { $0.isEmpty ? nil : $0 } ?? fallback
      return expandingUser(raw, home: home)
    }
    let credentialsPath = path("AWS_SHARED_CREDENTIALS_FILE", home + "/.aws/credentials")
    let configPath = path("AWS_CONFIG_FILE", home + "/.aws/config")
    func read(_ path: String) -> [String: [String: String]] {
      guard let data = FileManager.default.contents(atPath: path) else { return [:] }
      return parse(String(decoding: data, as: UTF8.self))
    }
    return AWSConfigFiles(
      credentials: readsCredentials ? read(credentialsPath) : [:], config: read(configPath),
      credentialsPath: credentialsPath, configPath: configPath)
  }

  /// `~` and `~/…` from `home`, `~user/…` from the user's entry, as Python's
  /// `os.path.expanduser` (which the aws CLI calls on every path it takes) reads them.
  package static func expandingUser(_ path: String, home: String) -> String {
    guard path.hasPrefix("~") else { return path }
    if path == "~" || path.hasPrefix("~/") { return home + path.dropFirst() }
    return NSString(string: path).expandingTildeInPath
  }

  /// Sections of an INI text, keys lower-cased.
  package static func parse(_ text: String) -> [String: [String: String]] {
    var sections: [String: [String: String]] = [:]
    var current: String?
    // The key whose nested block the indented lines below it belong to.
    var nested: String?
    for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
      let line = String(rawLine)
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
      if trimmed.hasPrefix("[") && trimmed.hasSuffix("]") {
        let name = String(trimmed.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
        current = name
        nested = nil
        if sections[name] == nil { sections[name] = [:] }
        continue
      }
      let indented = line.first == " " || line.first == "\t"
      if indented && nested == nil { continue }
      guard let section = current,
        let equals = trimmed.firstIndex(where: { $0 == "=" || $0 == ":" })
      else { continue }
      var key = trimmed[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
      if indented, let nested {
        key = nested + "." + key
      } else {
        nested = nil
      }
      var value = trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces)
      // An inline comment needs whitespace before it, as botocore reads it.
      for marker in [" #", " ;", "\t#", "\t;"] {
        if let range = value.range(of: marker) {
          value = String(value[..<range.lowerBound]).trimmingCharacters(in: .whitespaces)
        }
      }
      sections[section, default: [:]][key] = value
      if !indented, value.isEmpty { nested = key }
    }
    return sections
  }

  /// The config file's section for `profile`: `[default]` or `[profile NAME]` (botocore also
  /// accepts `[profile default]`).
  package func configSection(_ profile: String) -> [String: String]? {
    if profile == "default" { return config["default"] ?? config["profile default"] }
    return config["profile \(profile)"]
  }

  package func credentialsSection(_ profile: String) -> [String: String]? {
    credentials[profile]
  }

  /// A service's `endpoint_url` in the `[services NAME]` section the profile's `services`
  /// names (`configKey`: `ssm`, `secrets_manager`, `kms`, `sts`).
  /// https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
  package func serviceEndpoint(_ configKey: String, profile: String) -> String? {
    guard let name = setting("services", profile: profile),
      let value = config["services \(name)"]?["\(configKey).endpoint_url"], !value.isEmpty
    else { return nil }
    return value
  }

  /// Whether either file has the profile.
  package func hasProfile(_ profile: String) -> Bool {
    configSection(profile) != nil || credentialsSection(profile) != nil
  }

  /// A setting of the profile: the credentials file first for credential keys, else the config.
  package func setting(_ key: String, profile: String) -> String? {
    let value = configSection(profile)?[key]
    return value.flatMap { $0.isEmpty ? nil : $0 }
  }
}
