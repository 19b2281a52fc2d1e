public import Foundation
public import Testing

/// Golden files under `Tests/Fixtures/<stage>/<case>/`: each case folder holds its input and an
/// `expected/` folder. `RECORD_FIXTURES=1 swift test` rewrites the expected files and fails with
/// "recorded new baseline" so a recording run is never mistaken for a passing one.
public enum Fixtures {
  /// `Tests/Fixtures` in the package (this file is `Sources/_CinchTestSupport/Fixtures.swift`).
  public static let root: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Tests").appendingPathComponent("Fixtures")

  /// The package root, for tests that run the built binary or read `templates/`.
  public static var packageRoot: URL {
    root.deletingLastPathComponent().deletingLastPathComponent()
  }

  public static var recording: Bool {
    ProcessInfo.processInfo.environment["RECORD_FIXTURES"] == "1"
  }

  /// The case folders of a stage, sorted by name.
  public static func cases(_ stage: String) -> [String] {
    let directory = root.appendingPathComponent(stage)
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    return names.filter { name in
      var isDirectory: ObjCBool = false
      return FileManager.default.fileExists(
        atPath: directory.appendingPathComponent(name).path, isDirectory: &isDirectory)
        && isDirectory.boolValue
    }.sorted()
  }

  public static func directory(_ stage: String, _ name: String) -> URL {
    root.appendingPathComponent(stage).appendingPathComponent(name)
  }

  /// The first file in a case folder whose name starts with `prefix` (`input.yaml`, `input.json`).
  public static func file(_ stage: String, _ name: String, prefix: String) -> URL? {
    let directory = directory(stage, name)
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    return names.sorted().first { $0.hasPrefix(prefix) }.map {
      directory.appendingPathComponent($0)
    }
  }

  /// Compares `actual` with `<case>/expected/<expectedName>`, or records it.
  public static func assertMatches(
    _ actual: String, stage: String, name: String, expected expectedName: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let url = directory(stage, name).appendingPathComponent("expected")
      .appendingPathComponent(expectedName)
    if recording {
      try? FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      let existing = try? String(contentsOf: url, encoding: .utf8)
      if existing != actual {
        try? actual.write(to: url, atomically: true, encoding: .utf8)
        Issue.record(
          "recorded new baseline for \(stage)/\(name)/\(expectedName)",
          sourceLocation: sourceLocation)
      }
      return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
      Issue.record(
        "missing golden file \(stage)/\(name)/expected/\(expectedName); run with RECORD_FIXTURES=1",
        sourceLocation: sourceLocation)
      return
    }
    if expected != actual {
      Issue.record(
        "output differs from \(stage)/\(name)/expected/\(expectedName):\n\(lineDiff(expected, actual))",
        sourceLocation: sourceLocation)
    }
  }

  /// The first differing lines, enough to see what changed without a diff tool.
  public static func lineDiff(_ expected: String, _ actual: String) -> String {
    let a = expected.split(separator: "\n", omittingEmptySubsequences: false)
    let b = actual.split(separator: "\n", omittingEmptySubsequences: false)
    var lines: [String] = []
    for index in 0..<max(a.count, b.count) where lines.count < 12 {
      let left = index < a.count ? String(a[index]) : "<end>"
      let right = index < b.count ? String(b[index]) : "<end>"
      if left != right { lines.append("line \(index + 1):\n  - \(left)\n  + \(right)") }
    }
    return lines.joined(separator: "\n")
  }
}
