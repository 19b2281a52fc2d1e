import Foundation
import Testing
import _CinchTestSupport

/// `cinch check` of a file that is not text (`head -c 200 /dev/urandom > b.yaml`): the line it
/// shows is printed with nothing a terminal would act on or draw unpredictably.
@Suite struct BinaryFileTests {
  /// Bytes as random ones fall: not UTF-8 at the start, then what decodes to a right-to-left
  /// mark, a line separator, an unassigned code point, a byte-order mark, an escape and a NUL.
  static let bytes: [UInt8] =
    [0xFF, 0x9C, 0x41] + Array("\u{200F}B\u{2028}C\u{0378}D\u{FEFF}E\u{1B}[2JF\u{0}G".utf8)

  @Test func theLineShownHoldsOnlyWhatATerminalDrawsAsIs() async throws {
    let directory = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try Data(Self.bytes).write(to: directory.appendingPathComponent("b.yaml"))
    let result = try await CinchProcess.run(["check", "b.yaml"], in: directory)
    #expect(result.status == 1)
    let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
    #expect(lines.first == "b.yaml:1:1: error[E0002]: invalid UTF-8 at byte offset 0")
    #expect(
      lines.dropFirst().first
        == "\u{FFFD}\u{FFFD}A\u{FFFD}B\u{FFFD}C\u{FFFD}D\u{FFFD}E\u{FFFD}[2JF\u{FFFD}G")
  }
}
