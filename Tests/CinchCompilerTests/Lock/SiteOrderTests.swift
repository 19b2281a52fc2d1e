import PropertyBased
import Testing
import _CinchTestSupport

@testable import CinchCompiler

/// Lock sites are ordered by file, then line and column as numbers.
@Suite struct SiteOrderTests {
  @Test func linesAndColumnsCompareAsNumbers() {
    #expect(
      LockEntry.sorted(["a.yaml:10:1", "a.yaml:9:12", "a.yaml:9:2", "C:/t/a.yaml:1:1", "b:x"])
        == ["C:/t/a.yaml:1:1", "a.yaml:9:2", "a.yaml:9:12", "a.yaml:10:1", "b:x"])
    #expect(LockEntry.sorted([]) == [])
    #expect(LockEntry.sorted([":2:1", ":1:1"]) == [":1:1", ":2:1"])
  }

  /// The straightforward definition: split on ':', the last two fields as numbers.
  static func oracle(_ sites: [String]) -> [String] {
    func parts(_ site: String) -> (String, Int, Int) {
      let fields = site.split(separator: ":", omittingEmptySubsequences: false)
      guard fields.count >= 3, let line = Int(fields[fields.count - 2]),
        let column = Int(fields[fields.count - 1])
      else { return (site, 0, 0) }
      return (fields.dropLast(2).joined(separator: ":"), line, column)
    }
    return sites.enumerated().sorted {
      let (a, b) = (parts($0.element), parts($1.element))
      return a < b || (!(b < a) && $0.offset < $1.offset)
    }.map(\.element)
  }

  @Test func agreesWithSplittingOnColons() {
    let pieces = Gen<Int>.value(in: 0...9).map { pick -> String in
      ["templates/app.yaml", "C:", "ü", "", "7", "12", "-3", "x", "a:b", "9"][pick]
    }
    let site = zip(pieces.array(of: 1...5), Gen<Bool>.bool).map { parts, colons in
      parts.joined(separator: colons ? ":" : "")
    }
    seededCheck(site.array(of: 0...12), count: 2_000) { sites in
      #expect(LockEntry.sorted(sites) == Self.oracle(sites))
    }
  }
}
