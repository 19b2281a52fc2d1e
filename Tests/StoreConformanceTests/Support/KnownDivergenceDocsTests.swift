import Foundation
import Testing
import _CinchTestSupport

/// Docs/AWS.md lists the same divergences as `KnownDivergence`, no more, no fewer.
@Suite struct KnownDivergenceDocsTests {
  @Test func theDocsTableListsEveryDivergence() throws {
    let docs = try String(
      contentsOf: Fixtures.packageRoot.appendingPathComponent("Docs/AWS.md"), encoding: .utf8)
    // The rows of the table headed `| divergence | moto | AWS |`.
    let lines = docs.split(separator: "\n", omittingEmptySubsequences: false)
    guard let header = lines.firstIndex(where: { $0.hasPrefix("| divergence |") }) else {
      Issue.record("Docs/AWS.md has no divergence table")
      return
    }
    let rows = lines[(header + 2)...].prefix { $0.hasPrefix("|") }.compactMap { line -> String? in
      let cell = line.dropFirst(3)
      return cell.firstIndex(of: "`").map { String(cell[..<$0]) }
    }
    #expect(rows.sorted() == KnownDivergence.allCases.map(\.rawValue).sorted())
  }
}
