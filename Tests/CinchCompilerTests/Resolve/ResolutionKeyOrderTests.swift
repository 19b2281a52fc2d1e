import CinchTemplate
import PropertyBased
import Testing
import _CinchTestSupport

@testable import CinchCompiler

/// Resolution keys order by name, kind, JSON key, then the selector's text.
@Suite struct ResolutionKeyOrderTests {
  static let keys = zip(
    Gen<Int>.value(in: 0...3), Gen<Int>.value(in: 0...2), Gen<Int>.value(in: 0...2),
    Gen<Int>.value(in: 0...6)
  ).map { name, kind, jsonKey, selector -> ResolutionKey in
    let kinds: [Reference.Kind] = [.ssm, .ssmSecure, .secretsManager]
    let selectors: [ResolutionKey.Selector] = [
      .latest, .version(3), .version(12), .stage("AWSCURRENT"), .stage("AWSPENDING"),
      .versionId("EXAMPLE1-90ab"), .versionId("a"),
    ]
    return ResolutionKey(
      kind: kinds[kind], name: ["/a/b", "/a/b/c", "MyDatabaseSecret", "ü"][name],
      selector: selectors[selector], jsonKey: [nil, "password", ""][jsonKey])
  }

  @Test func fieldByFieldIsTheTupleOrder() {
    seededCheck(zip(Self.keys, Self.keys), count: 3_000) { lhs, rhs in
      let tuple =
        (lhs.name, lhs.kind.rawValue, lhs.jsonKey ?? "", lhs.selector.description)
        < (rhs.name, rhs.kind.rawValue, rhs.jsonKey ?? "", rhs.selector.description)
      #expect((lhs < rhs) == tuple)
    }
  }
}
