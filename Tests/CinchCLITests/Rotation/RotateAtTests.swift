import Foundation
import Testing

@testable import CinchCLI

/// `cinch rotate --at`: a date that does not exist is refused, not rolled over into the next
/// day or month (Foundation's ISO 8601 parsing reads 2027-02-29 as March 1st).
@Suite struct RotateAtTests {
  @Test(arguments: [
    "2026-11-31", "2027-02-29", "2026-12-07T25:00:00Z", "2026-12-07T23:60:00Z",
    "2026-12-07T23:59:60Z", "2026-13-01", "2026-00-10", "2026-12-00",
    "2027-01-05T00:30:00+19:00", "2027-01-05T00:30:00+01:60", "2027-01-05T00:30:00+99:99",
  ])
  func datesThatDoNotExistAreRefused(_ text: String) {
    #expect(throws: (any Error).self) { _ = try RotateCommand.parseDate(text) }
  }

  @Test func realDatesAndTimesAreRead() throws {
    let leapDay = try RotateCommand.parseDate("2028-02-29")
    #expect(RotateCommand.timestamp(leapDay).hasPrefix("2028-02-29T00:00:00"))
    let evening = try RotateCommand.parseDate("2026-12-24T18:00:00Z")
    #expect(RotateCommand.timestamp(evening) == "2026-12-24T18:00:00Z")
    let offset = try RotateCommand.parseDate("2027-01-05T00:30:00+05:30")
    #expect(RotateCommand.timestamp(offset) == "2027-01-04T19:00:00Z")
    #expect(throws: (any Error).self) { _ = try RotateCommand.parseDate("tomorrow") }
  }
}
