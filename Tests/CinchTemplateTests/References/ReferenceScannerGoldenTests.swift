import Foundation
import Testing
import _CinchTestSupport

@testable import CinchTemplate

/// Golden scans: `Tests/Fixtures/scanner/<case>/input.txt` (a scalar value as CloudFormation
/// sees it, without the file's final line break) or `input.sub.txt` (the string of an
/// `Fn::Sub`) → `expected/scan.txt`.
@Suite struct ReferenceScannerGoldenTests {
  static let stage = "scanner"

  @Test(arguments: Fixtures.cases(stage))
  func golden(_ name: String) throws {
    let url = try #require(Fixtures.file(Self.stage, name, prefix: "input"))
    var text = try String(contentsOf: url, encoding: .utf8)
    if text.hasSuffix("\n") { text.removeLast() }
    let mode: ReferenceScanner.Mode = url.lastPathComponent.hasSuffix(".sub.txt") ? .sub : .plain
    let scan = ReferenceScanner.scan(text, mode: mode)
    Fixtures.assertMatches(
      ScanRendering.render(text, scan), stage: Self.stage, name: name, expected: "scan.txt")
    let bytes = Array(text.utf8)
    for found in scan.references {
      #expect(String(decoding: bytes[found.span], as: UTF8.self) == found.reference.text)
    }
    for issue in scan.issues {
      #expect(issue.referenceSpan.lowerBound <= issue.span.lowerBound)
      #expect(issue.span.upperBound <= issue.referenceSpan.upperBound)
    }
  }
}
