import ArgumentParser
import CinchStore
import Foundation

/// `cinch rotate --due [--dry-run]`: every rotation whose schedule has come, one line per
/// secret, for cron or a systemd timer.
struct RotateCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rotate",
    abstract: "Run every rotation whose schedule has come (for cron or a systemd timer).",
    discussion: """
      One line per secret: 'rotated NAME version ID', 'failed NAME: STEP …', or with --dry-run \
      'due NAME …'. Exit status 1 when any rotation failed. A rotation that failed stays due and \
      is resumed the next time.
      """)

  @OptionGroup var storeOptions: StoreOptions

  @Flag(help: "Rotate the secrets whose rotation window has opened.")
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
        var line =
          "due      \(padded(rotation.name))  rotator \(rotation.rotator ?? "-"), "
          + "window opened \(Self.timestamp(rotation.windowStart))"
        if let failure = rotation.lastFailure {
          line += ", last attempt failed at \(failure.step)"
        }
        Output.stdout(line + "\n")
        continue
      }
      do {
        let response = try await store.rotateSecret(RotateSecretRequest(secretID: rotation.arn))
        Output.stdout(
          "rotated  \(padded(rotation.name))  version \(response.versionID ?? "-")\n")
      } catch let error as StoreError {
        failures += 1
        Output.stdout("failed   \(padded(rotation.name))  \(error.code): \(error.message)\n")
        if let output = error.rotatorOutput { Output.stderr(RotatorOutput.text(output)) }
      }
    }
    if failures > 0 { throw ExitCode(ExitStatus.findings) }
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
  /// and `:ss`) name a day of the Gregorian calendar and a time of day; true when they are not
  /// there to check (the parse then decides).
  static func fieldsExist(_ text: String) -> Bool {
    let digits = Array(text.utf8)
    func number(_ range: Range<Int>) -> Int? {
      guard range.upperBound <= digits.count,
        digits[range].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
      else { return nil }
      return digits[range].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }
    guard let year = number(0..<4), digits.count >= 10, digits[4] == UInt8(ascii: "-"),
      digits[7] == UInt8(ascii: "-"), let month = number(5..<7), let day = number(8..<10)
    else { return true }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    guard (1...12).contains(month), (1...lengths[month - 1]).contains(day) else { return false }
    guard digits.count > 10, digits[10] == UInt8(ascii: "T") || digits[10] == UInt8(ascii: " ")
    else { return true }
    if let hour = number(11..<13), hour > 23 { return false }
    if digits.count > 13, digits[13] == UInt8(ascii: ":"), let minute = number(14..<16),
      minute > 59
    {
      return false
    }
    if digits.count > 16, digits[16] == UInt8(ascii: ":"), let second = number(17..<19),
      second > 59
    {
      return false
    }
    // A UTC offset (`+01:00`, `-0530`) Foundation ignores when it is out of range.
    if let sign = digits.lastIndex(where: { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }),
      sign > 10
    {
      let offset = digits[(sign + 1)...].filter { $0 != UInt8(ascii: ":") }
      guard offset.count == 2 || offset.count == 4,
        offset.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
      else { return false }
      let values = offset.map { Int($0 - UInt8(ascii: "0")) }
      let hours = values[0] * 10 + values[1]
      let minutes = values.count == 4 ? values[2] * 10 + values[3] : 0
      guard hours <= 18, minutes <= 59 else { return false }
    }
    return true
  }

  static func timestamp(_ date: Date) -> String {
    date.formatted(
      .iso8601.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false)
        .timeSeparator(.colon).timeZone(separator: .omitted))
  }
}
