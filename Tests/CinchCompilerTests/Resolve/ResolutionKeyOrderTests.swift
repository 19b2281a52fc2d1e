import CinchTemplate
import PropertyBased
import Testing
import _CinchTestSupport

@testable import CinchCompiler

/// `ResolutionKey.<` compares field by field and spells the selector only on a tie; it must
/// order keys exactly as the tuple of (name, kind, JSON key, selector spelling) does.
@Suite struct ResolutionKeyOrderTests {
  static let names = ["/a", "/a/b", "/b", "a", "prod/db", "arn:aws:ssm:x", ""]
  static let selectors: [ResolutionKey.Selector] = [
    .latest, .version(1), .version(2), .version(10), .stage("AWSCURRENT"), .stage("AWSPREVIOUS"),
    .versionId("1"), .versionId("abc"),
  ]
  static let jsonKeys: [String?] = [nil, "", "password", "user"]

  static let keys = zip(
    Gen<Int>.value(in: 0...(names.count - 1)), Gen<Int>.value(in: 0...2),
    Gen<Int>.value(in: 0...(jsonKeys.count - 1)), Gen<Int>.value(in: 0...(selectors.count - 1))
  ).map { name, kind, json, selector in
    ResolutionKey(
      kind: Reference.Kind.allCases[kind], name: names[name], selector: selectors[selector],
      jsonKey: jsonKeys[json])
  }

  static func tupleOrder(_ lhs: ResolutionKey, _ rhs: ResolutionKey) -> Bool {
    (lhs.name, lhs.kind.rawValue, lhs.jsonKey ?? "", lhs.selector.description)
      < (rhs.name, rhs.kind.rawValue, rhs.jsonKey ?? "", rhs.selector.description)
  }

  @Test func ordersAsTheTupleOfItsSpellings() {
    seededCheck(zip(Self.keys, Self.keys), count: 3_000) { lhs, rhs in
      #expect((lhs < rhs) == Self.tupleOrder(lhs, rhs), "\(lhs) < \(rhs)")
      #expect((rhs < lhs) == Self.tupleOrder(rhs, lhs), "\(rhs) < \(lhs)")
    }
  }
}
