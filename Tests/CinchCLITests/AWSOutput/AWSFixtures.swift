import CinchJSON
import Foundation
import Testing

@testable import CinchCLI

/// Golden files made by the aws CLI's own code (`Tests/Fixtures/aws-output/generate.py`). They
/// are compared, never recorded from Swift: the point is to match what the aws CLI prints.
enum AWSFixtures {
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures")

  static func cases(_ stage: String, containing file: String) -> [String] {
    let directory = root.appendingPathComponent(stage)
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    return names.filter {
      FileManager.default.fileExists(
        atPath: directory.appendingPathComponent($0).appendingPathComponent(file).path)
    }.sorted()
  }

  static func read(_ stage: String, _ name: String, _ file: String) -> String? {
    let url = root.appendingPathComponent(stage).appendingPathComponent(name)
      .appendingPathComponent(file)
    guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
    return String(decoding: data, as: UTF8.self)
  }

  static func json(_ stage: String, _ name: String, _ file: String) throws -> JSONValue {
    guard let text = read(stage, name, file) else {
      throw FixtureMissing(path: "\(stage)/\(name)/\(file)")
    }
    return try JSONValueParser.parse(text)
  }

  struct FixtureMissing: Error, CustomStringConvertible {
    var path: String
    var description: String { "missing fixture \(path); run Tests/Fixtures/aws-output/generate.py" }
  }

  /// The first differing line, to see what changed without a diff tool.
  static func firstDifference(_ expected: String, _ actual: String) -> String {
    let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let b = actual.split(separator: "\n", omittingEmptySubsequences: false)
    for index in 0..<max(a.count, b.count) {
      let left = index < a.count ? String(a[index]) : "<end>"
      let right = index < b.count ? String(b[index]) : "<end>"
      if left != right {
        return
          "line \(index + 1):\n  expected: \(left.debugDescription)\n  actual:   \(right.debugDescription)"
      }
    }
    return "identical lines"
  }
}
