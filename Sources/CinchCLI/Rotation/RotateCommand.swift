import ArgumentParser
import CinchStore
import Foundation

/// `cinch rotate --due [--dry-run]`: every rotation whose schedule has come, one line per
/// secret, for cron or a systemd timer.
struct RotateCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rotate",
    abstract: "Run every rotation whose schedule has come (for cron or a systemd timer).",
    // Written out: --due is a flag, which ArgumentParser shows as optional, and without it
    // the command refuses to run (it is the one selection there is, named for what it does).
    usage:
      "cinch rotate --due [--dry-run] [--at <at>] [--store <path|aws://REGION>] [--key-file <key-file>]",
    discussion: """
      One line per secret: 'rotated NAME version ID', 'failed NAME CODE: MESSAGE' (the \
      message names the step that failed), 'skipped NAME …' (another run is rotating it, or \
      has rotated it since), or with --dry-run 'due NAME …'. Exit status 1 when any rotation \
      failed. A rotation that failed stays due and is resumed the next time.
      """)

  @OptionGroup var storeOptions: StoreOptions

  @Flag(help: "Rotate the secrets whose rotation window has opened (required).")
  var due = false

  @Flag(help: "Only list what is due.")
  var dryRun = false

  @Option(
    help:
      "Take as due what is due by this time (ISO 8601, e.g. 2026-12-24 or 2026-12-24T18:00:00Z): rotate ahead of a freeze."
  )
  var at: String?

  func run() async throws {
    guard due else {
      throw ValidationError(
        "say which secrets to rotate: --due (those whose schedule has come); to rotate one now, "
          + "use 'cinch secretsmanager rotate-secret --secret-id ID'")
    }
    let store = try await RotationCLI.storeCall {
      try await storeOptions.open().withRotationHost(
        storeOptions.rotationHost(ProcessEnvironment.current))
    }
    let date = try at.map(Self.parseDate)
    let dueRotations = try await RotationCLI.storeCall { try await store.dueRotations(by: date) }
    if dueRotations.isEmpty {
      if isatty(STDOUT_FILENO) == 1 { Output.stdout("no rotation is due\n") }
      return
    }
    let width = dueRotations.map(\.name.count).max() ?? 0
    func padded(_ name: String) -> String {
      name + String(repeating: " ", count: width - name.count)
    }
    var failures = 0
    for rotation in dueRotations {
      if dryRun {
        Output.stdout("due      \(padded(rotation.name))  \(Self.dueDetail(rotation))\n")
        continue
      }
      do {
        switch try await store.rotateDue(rotation, by: date) {
        case .rotated(let versionID):
          Output.stdout("rotated  \(padded(rotation.name))  version \(versionID ?? "-")\n")
        case .inProgress:
          Output.stdout(
            "skipped  \(padded(rotation.name))  in progress (another run is rotating it)\n")
        case .noLongerDue:
          Output.stdout(
            "skipped  \(padded(rotation.name))  no longer due (another run rotated it)\n")
        }
      } catch let error as StoreError {
        failures += 1
        Output.stdout("failed   \(padded(rotation.name))  \(error.code): \(error.message)\n")
        if let output = error.rotatorOutput { Output.stderr(RotatorOutput.text(output)) }
      }
    }
    if failures > 0 { throw ExitCode(ExitStatus.findings) }
  }

  /// What a `--dry-run` line says of a due rotation: its rotator, its window, and the last
  /// attempt's failure (in cinch's words, which hold no value), which the run resumes.
  static func dueDetail(_ rotation: DueRotation) -> String {
    var detail = "rotator \(rotation.rotator ?? "-")"
    if let start = rotation.windowStart { detail += ", window opened \(timestamp(start))" }
    if let failure = rotation.lastFailure {
      detail +=
        ", last attempt failed at \(failure.step) on \(timestamp(failure.failedDate)): "
        + failure.message
      if rotation.resumesFailedAttempt { detail += " (resumed)" }
    }
    return detail
  }

  static func parseDate(_ text: String) throws -> Date {
    // Foundation's ISO 8601 parsing rolls a day or hour past its end over (2027-02-29 reads
    // as March 1st, T25:00 as the next day): the fields are held to the calendar first.
    guard fieldsExist(text) else {
      throw ValidationError("--at: '\(text)' names no such date or time")
    }
    if let date = try? Date(text, strategy: .iso8601) { return date }
    if let date = try? Date(
      text, strategy: .iso8601.year().month().day().dateSeparator(.dash))
    {
      return date
    }
    throw ValidationError("--at: '\(text)' is not an ISO 8601 date or time")
  }

  /// Whether the date and time fields at the start of `text` (`YYYY-MM-DD`, then `Thh:mm`
  /// and `:ss`) name a day of the Gregorian calendar and a time of day, and a UTC offset after
  /// them (`+01:00`, `-0530`, which Foundation ignores when out of range) is within ±18:00;
  /// true when the fields are not there to check (the parse then decides).
  static func fieldsExist(_ text: String) -> Bool {
    guard let fields = text.prefixMatch(of: Self.dateFields) else { return true }
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = .gmt
    let components = DateComponents(
      year: Int(fields.1), month: Int(fields.2), day: Int(fields.3),
      hour: fields.4.flatMap { Int($0) } ?? 0, minute: fields.5.flatMap { Int($0) } ?? 0,
      second: fields.6.flatMap { Int($0) } ?? 0)
    guard components.isValidDate(in: calendar) else { return false }
    let rest = text[fields.range.upperBound...]
    guard rest.contains(where: { $0 == "+" || $0 == "-" }) else { return true }
    guard let offset = rest.firstMatch(of: Self.utcOffset),
      let hours = Int(offset.1), hours <= 18, (offset.2.flatMap { Int($0) } ?? 0) <= 59
    else { return false }
    return true
  }

  nonisolated(unsafe) private static let dateFields =
    #/(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2})(?::(\d{2})(?::(\d{2}))?)?)?/#
  nonisolated(unsafe) private static let utcOffset = #/[+-](\d{2})(?::?(\d{2}))?$/#

  static func timestamp(_ date: Date) -> String {
    date.formatted(
      .iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false)
        .timeSeparator(.colon).timeZone(separator: .omitted))
  }
}
