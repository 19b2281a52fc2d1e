import ArgumentParser
import CinchAWS
import CinchStore
import Foundation
import Synchronization

/// `cinch sync --from STORE --to STORE`: copies parameters and secrets between any two stores
/// (the embedded file, AWS), with their history and labels, and reports each on its own line.
/// Values never print.
struct SyncCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sync",
    abstract:
      "Copy parameters and secrets from one store to another (the embedded file or aws://REGION).",
    discussion: """
      Each parameter is copied with its history: every version the source retains, oldest first, \
      then its labels (where the target accepts them), its tags, type, key, tier and data type. \
      Version numbers start again at 1 in the target. Each secret is copied with every version \
      that carries a staging label (AWSCURRENT, AWSPREVIOUS, custom labels), oldest first under \
      its own VersionId, then its labels as the source has them, its description, key and tags; \
      unlabelled versions, secrets scheduled for deletion and rotation settings are not copied. \
      When the target holds the start of an entry's history and nothing else (a sync that \
      stopped partway, or a copy the source has moved on from), the entry is resumed: the \
      missing versions are added in order, then the labels set as the source has them, with \
      --overwrite or without (a secret holding every version, with labels moved in the target \
      since, such as a rollback of AWSCURRENT, only with --overwrite). An entry whose history in the target is its own is skipped, or \
      with --overwrite given the source's latest value (a secret's AWSCURRENT value) as a new \
      version, nothing when the values already match; its earlier versions cannot be carried. \
      A sync that stops midway is finished by running it again. Exit status: 0 when everything \
      was copied or skipped, 1 when the target refused something, 2 when a store cannot be \
      opened or listed, or stops answering.
      """)

  @Option(help: ArgumentHelp("The store to copy from.", valueName: "path|aws://REGION"))
  var from: String

  @Option(help: ArgumentHelp("The store to copy to.", valueName: "path|aws://REGION"))
  var to: String

  @Option(help: "The master key file of an embedded --from store (default: beside it).")
  var fromKeyFile: String?

  @Option(help: "The master key file of an embedded --to store (default: beside it).")
  var toKeyFile: String?

  @Option(
    help:
      "Only parameters under this path (recursively), e.g. /myapp/prod, and secrets named under it."
  )
  var path: String?

  @Flag(help: "Write the latest value over entries whose history in the target is its own.")
  var overwrite = false

  @Flag(help: "Report what would be copied; write nothing.")
  var dryRun = false

  @Option(
    help:
      "The KMS key for SecureString parameters and secrets in the target (default: each one's own)."
  )
  var keyID: String?

  @Option(help: "The AWS region of an aws:// store without one.")
  var region: String?

  @Option(help: "The aws CLI profile for aws:// stores.")
  var profile: String?

  @Option(name: .customLong("endpoint-url"), help: "The endpoint for aws:// stores.")
  var endpointURL: String?

  @OptionGroup var connectionOptions: AWSConnectionOptions

  func run() async throws {
    // A store copied onto itself skips everything, or with --overwrite adds a version of every
    // value that has not changed.
    if Self.areTheSameStore(from, to) {
      throw CLIFailure("--from and --to name the same store ('\(from)'): nothing to copy")
    }
    let connector = StoreConnector.process()
    if let problem = connectionOptions.problem { throw CLIFailure(problem) }
    let flags = StoreConnector.AWSFlags(
      region: region, profile: profile, endpointURL: endpointURL,
      connection: connectionOptions.connection)
    let source = try await open(from, keyFile: fromKeyFile, flags, connector)
    let target = try await open(to, keyFile: toKeyFile, flags, connector)
    // `aws://` and `aws://us-east-1` are one store when the region resolves to it.
    if case .aws(let one) = source, case .aws(let other) = target, one.region == other.region,
      one.ssm.endpoint == other.ssm.endpoint
    {
      throw CLIFailure(
        "--from and --to name the same store (AWS in \(one.region)): nothing to copy")
    }
    var sync = StoreSync(
      options: StoreSync.Options(path: path, overwrite: overwrite, dryRun: dryRun, keyID: keyID),
      targetKeys: target.keys)
    // Each entry is said as it ends; one a signal interrupts is named for what it may be.
    let inFlight = InFlightEntry()
    let dryRun = self.dryRun
    sync.onStart = { kind, name in inFlight.set("\(kind) '\(name)'") }
    sync.onEntry = { entry in
      inFlight.set(nil)
      Output.stdout(Self.line(entry, dryRun: dryRun) + "\n")
    }
    let signals = StopSignals([SIGINT, SIGTERM])
    let interruption = Task.detached {
      guard let number = await signals.next() else { return }
      let name = number == SIGINT ? "SIGINT" : "SIGTERM"
      Output.stderr(
        "cinch: sync interrupted (\(name))"
          + (inFlight.get().map {
            dryRun
              ? " while planning \($0); nothing was written"
              : " while copying \($0), which the target may hold part of: run the same sync "
                + "again to finish it"
          } ?? "") + "\n")
      Foundation.exit(128 + number)
    }
    defer { interruption.cancel() }
    var report: StoreSync.Report
    do {
      report = try await sync.syncParameters(from: source.parameters, to: target.parameters)
    } catch let error as StoreError {
      throw CLIFailure("cannot list the parameters of '\(from)': \(error)")
    } catch let error as AWSClientError {
      throw CLIFailure("\(error)")
    }
    // A target that stopped answering ends the sync: what was done until then is said.
    func stopped(_ report: StoreSync.Report) throws {
      guard let reason = report.stoppedBy else { return }
      Output.stdout(Self.summary(report, dryRun: dryRun))
      throw CLIFailure("the sync stopped: \(reason) (the entries above were done before it did)")
    }
    try stopped(report)
    do {
      let secrets = try await sync.syncSecrets(from: source.secrets, to: target.secrets)
      report.entries += secrets.entries
      report.stoppedBy = secrets.stoppedBy
      try stopped(report)
    } catch let error as StoreError {
      Output.stdout(Self.summary(report, dryRun: dryRun))
      throw CLIFailure("cannot list the secrets of '\(from)': \(error)")
    } catch let error as AWSClientError {
      Output.stdout(Self.summary(report, dryRun: dryRun))
      throw CLIFailure("\(error)")
    }
    Output.stdout(Self.summary(report, dryRun: dryRun))
    if report.failures > 0 { throw ExitCode(ExitStatus.findings) }
  }

  /// The same file (by device and inode, so `./a.db`, `a.db` and a link to it are one), or the
  /// same `aws://` region reached with the same settings.
  static func areTheSameStore(_ one: String, _ other: String) -> Bool {
    if one.hasPrefix("aws://") || other.hasPrefix("aws://") {
      func trimmed(_ text: String) -> String {
        text.hasSuffix("/") ? String(text.dropLast()) : text
      }
      return trimmed(one) == trimmed(other)
    }
    guard let first = FileIdentity(path: one), let second = FileIdentity(path: other) else {
      return false
    }
    return first == second
  }

  private func open(
    _ location: String, keyFile: String?, _ flags: StoreConnector.AWSFlags,
    _ connector: StoreConnector
  ) async throws -> OpenStore {
    var options = StoreOptions()
    options.store = location
    options.keyFile = keyFile
    do {
      return try await options.openAny(flags, connector: connector)
    } catch let error as StoreAccessError {
      throw CLIFailure("\(error)")
    } catch let error as StoreLocationError {
      throw CLIFailure("\(error)")
    } catch let error as AWSClientError {
      throw CLIFailure("\(error)")
    }
  }

  /// One line per parameter, then the totals.
  /// The whole report: a line per entry, then the summary.
  static func render(_ report: StoreSync.Report, dryRun: Bool) -> String {
    report.entries.map { line($0, dryRun: dryRun) + "\n" }.joined()
      + summary(report, dryRun: dryRun)
  }

  /// `copied parameter '/a': 3 versions`.
  static func line(_ entry: StoreSync.Entry, dryRun: Bool) -> String {
    let (word, detail) = words(entry, dryRun: dryRun)
    return "\(word) \(entry.kind) '\(entry.name)': \(detail)"
  }

  /// `sync: 3 copied, 1 unchanged`.
  static func summary(_ report: StoreSync.Report, dryRun: Bool) -> String {
    var counts: [String: Int] = [:]
    for entry in report.entries { counts[words(entry, dryRun: dryRun).word, default: 0] += 1 }
    let order = [
      "copied", "would copy", "resumed", "would resume", "updated", "would update", "unchanged",
      "skipped", "failed",
    ]
    let summary = order.compactMap { word in counts[word].map { "\($0) \(word)" } }
    return "sync: " + (summary.isEmpty ? "nothing to copy" : summary.joined(separator: ", "))
      + (dryRun ? " (dry run: nothing written)" : "") + "\n"
  }

  private static func words(_ entry: StoreSync.Entry, dryRun: Bool) -> (
    word: String, detail: String
  ) {
    let word: String
    let detail: String
    switch entry.outcome {
    case .copied(let versions, let first, let last, let labels, let refused):
      word = dryRun ? "would copy" : "copied"
      var text = versions == 1 ? "1 version" : "\(versions) versions"
      if first != 1 || last != versions {
        text += " (source versions \(first)-\(last) become 1-\(versions))"
      }
      detail = text + labelled(labels, refused: refused)
    case .copiedSecret(let versions, let labels, let refused, let empty):
      word = dryRun ? "would copy" : "copied"
      detail =
        (versions == 1 ? "1 version" : "\(versions) versions")
        + labelled(labels, refused: refused, empty: empty)
    case .resumed(let versions, let held, let labels, let refused, let empty):
      word = dryRun ? "would resume" : "resumed"
      if versions == 0 {
        detail =
          "every version was there; labels set as the source has them: "
          + labels.joined(separator: ", ") + labelled([], refused: refused, empty: empty)
      } else {
        detail =
          "\(versions) \(versions == 1 ? "version" : "versions") added after the \(held) the "
          + "target held" + labelled(labels, refused: refused, empty: empty)
      }
    case .updated(let labels, let refused):
      word = dryRun ? "would update" : "updated"
      detail =
        "latest value written as a new version" + labelled(labels, refused: refused)
        + "; the target's history is its own, so the earlier versions are not carried"
    case .unchanged:
      word = "unchanged"
      detail = "the target has the same latest value"
    case .skipped:
      word = "skipped"
      detail =
        "exists in the target with a history of its own (use --overwrite to write the latest "
        + "value over it; the earlier versions cannot be carried)"
    case .labelsMoved:
      word = "skipped"
      detail =
        "the target has every version, with labels moved since it was copied (use --overwrite "
        + "to set them as the source has them)"
    case .publicParameter:
      word = "skipped"
      detail = "one of AWS's public parameters, which AWS provides in every account"
    case .failed(let error, let copied):
      word = "failed"
      detail =
        "\(error.code)" + (error.message.isEmpty ? "" : ": \(error.message)")
        + (copied > 0
          ? " (its first \(copied) \(copied == 1 ? "version is" : "versions are") in the "
            + "target: the next sync adds the rest)" : "")
    }
    return (word, detail)
  }

  /// `, labels a, b; the target refused labels c; not copied: labels d on a version without a
  /// value`, each part only when it names a label.
  private static func labelled(_ labels: [String], refused: [String], empty: [String] = [])
    -> String
  {
    var text = labels.isEmpty ? "" : ", labels " + labels.joined(separator: ", ")
    if !refused.isEmpty { text += "; the target refused labels " + refused.joined(separator: ", ") }
    if !empty.isEmpty {
      text +=
        "; not copied: labels " + empty.joined(separator: ", ") + " on a version without a value"
    }
    return text
  }
}

/// The entry a sync is copying, for a signal that interrupts it (set and read from different
/// threads).
final class InFlightEntry: Sendable {
  private let name = Mutex<String?>(nil)

  func set(_ name: String?) { self.name.withLock { $0 = name } }
  func get() -> String? { name.withLock { $0 } }
}
