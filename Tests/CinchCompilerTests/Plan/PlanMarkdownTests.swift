import CinchCompiler
import CinchStore
import CinchTemplate
import Testing

/// `plan --format markdown` is pasted into pull-request comments: a file name with a `|` or a
/// backtick must stay inside its table cell and its code span.
@Suite struct PlanMarkdownTests {
  @Test func pipesAndBackticksInSitesStayInTheirCell() async throws {
    let fixture = try await CompilerFixture()
    try await fixture.put("/m/host", "db.internal")
    let template = """
      Resources:
        Topic: {Type: AWS::SNS::Topic, Properties: {TopicName: '{{resolve:ssm:/m/host}}'}}
      """
    let (index, _) = fixture.analyze(template, path: "a|b`c.yaml", pinning: true)
    var diagnostics = Diagnostics()
    let lock = try await Locker(resolver: fixture.resolver, paths: fixture.paths)
      .lock(index, previous: nil, update: .none, into: &diagnostics).lock
    try await fixture.put("/m/host", "db2.internal")
    let plan = try await Planner(resolver: fixture.resolver, paths: fixture.paths).plan(
      index, planned: ["a|b`c.yaml"], against: lock, named: "cinch.lock", into: &diagnostics)
    #expect(diagnostics.isEmpty)

    let markdown = PlanRenderer(format: .markdown).render(plan)
    let row = try #require(markdown.split(separator: "\n").first { $0.contains("/m/host") })
    #expect(row.hasSuffix("| ``a\\|b`c.yaml:2:59`` |"), "\(row)")
    // Seven cells: the table's own `|`s are the unescaped ones.
    let separators = row.indices.filter { row[$0] == "|" && (row[..<$0].last != "\\") }
    #expect(separators.count == 8, "\(row)")
  }
}
