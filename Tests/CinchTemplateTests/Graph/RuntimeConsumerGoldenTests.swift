import Foundation
import Testing
import _CinchTestSupport

@testable import CinchTemplate

/// Run-time consumers, golden: `Tests/Fixtures/consumers/<case>/input.yaml` (optional
/// `inputs.txt`) → `expected/consumers.txt`, a block per consumer, then the diagnostics.
@Suite struct RuntimeConsumerGoldenTests {
  static let stage = "consumers"

  @Test(arguments: Fixtures.cases(stage))
  func golden(_ name: String) throws {
    var fixture = try GraphFixture(stage: Self.stage, name: name)
    let consumers = RuntimeConsumerFinder.find(
      fixture.template, inputs: fixture.inputs, into: &fixture.diagnostics)
    var output = ""
    for consumer in consumers {
      output += Self.render(consumer)
    }
    output += "--\n" + DiagnosticLines.render(fixture.diagnostics)
    Fixtures.assertMatches(output, stage: Self.stage, name: name, expected: "consumers.txt")
  }

  static func render(_ consumer: RuntimeConsumer) -> String {
    let property = TemplatePath(Array(consumer.property.components.dropFirst(3)))
    var output =
      "\(consumer.resource) (\(consumer.resourceType)) \(property) @\(consumer.range.start)"
    if !consumer.iteration.isEmpty {
      output += " for " + consumer.iteration.joined(separator: ", ")
    }
    output += consumer.isLive ? "\n" : " (not live)\n"
    let kind = consumer.kind?.rawValue ?? "parameter or secret"
    output += "  reads \(kind) '\(consumer.name)'"
    if let managed = consumer.managedBy { output += " created by '\(managed)'" }
    output += "\n"
    var options: [String] = []
    if let key = consumer.jsonKey { options.append("json-key=\(key)") }
    if let stage = consumer.versionStage { options.append("version-stage=\(stage)") }
    if let id = consumer.versionID { options.append("version-id=\(id)") }
    if !options.isEmpty { output += "  " + options.joined(separator: " ") + "\n" }
    if !consumer.waitsOn.isEmpty {
      output += "  waits on " + consumer.waitsOn.map(\.description).joined(separator: ", ") + "\n"
    }
    if let entry = consumer.entry {
      output += "  entry \(entry.id)\(entry.isConcrete ? "" : " (not concrete)")\n"
    }
    output += "  as \(consumer.role)\n"
    return output
  }
}
