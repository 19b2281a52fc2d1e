import Foundation
public import Testing

/// Validation against the SARIF 2.1.0 JSON schema with python3's `jsonschema`. The schema is
/// not part of the project: the test runs where `/work/shared/reference/sarif-schema-2.1.0.json`
/// (or `$SARIF_SCHEMA`) and the python module exist, and is skipped with the reason elsewhere.
public enum SARIFSchema {
  public static let path =
    ProcessInfo.processInfo.environment["SARIF_SCHEMA"]
    ?? "/work/shared/reference/sarif-schema-2.1.0.json"

  public static let unavailableReason: String? = {
    guard FileManager.default.fileExists(atPath: path) else {
      return "SARIF schema not found at \(path) (set SARIF_SCHEMA to validate against it)"
    }
    guard let result = try? python(["-c", "import jsonschema"], input: Data()), result.status == 0
    else {
      return "python3 with the 'jsonschema' module is not installed (pip install jsonschema)"
    }
    return nil
  }()

  private static let script = """
    import json, sys
    import jsonschema
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    document = json.load(sys.stdin)
    validator = jsonschema.validators.validator_for(schema)(schema, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(document), key=lambda e: [str(p) for p in e.absolute_path])
    for error in errors:
        print("/".join(str(p) for p in error.absolute_path) + ": " + error.message)
    sys.exit(1 if errors else 0)
    """

  /// The schema violations, one per line; empty when the document is valid.
  public static func validate(_ sarif: String) throws -> String {
    let result = try python(["-c", script, path], input: Data(sarif.utf8))
    if result.status != 0 && result.output.isEmpty {
      return "validator exited with status \(result.status)"
    }
    return result.output
  }

  private static func python(_ arguments: [String], input: Data) throws -> (
    status: Int32, output: String
  ) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3"] + arguments
    let stdin = Pipe()
    let stdout = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stdout
    try process.run()
    try stdin.fileHandleForWriting.write(contentsOf: input)
    try stdin.fileHandleForWriting.close()
    let output = try stdout.fileHandleForReading.readToEnd() ?? Data()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: output, as: UTF8.self))
  }
}

/// What GitHub code scanning requires of an uploaded SARIF file beyond the schema ("SARIF
/// support for code scanning": required properties, no empty strings, its limits). `codes` are
/// the diagnostic codes the log must have rules for (and no others); `located` findings become
/// results, `unlocated` ones tool notifications.
public enum SARIFRequirements {
  public static func check(
    _ sarif: String, codes: Set<String>, located: Int, unlocated: Int,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let log = try #require(
      try JSONSerialization.jsonObject(with: Data(sarif.utf8)) as? [String: Any])
    #expect(log["$schema"] as? String == "https://json.schemastore.org/sarif-2.1.0.json")
    #expect(log["version"] as? String == "2.1.0")
    let runs = try #require(log["runs"] as? [[String: Any]])
    try #require(runs.count == 1)
    let run = runs[0]
    #expect(run["columnKind"] as? String == "unicodeCodePoints")
    let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
    #expect(nonEmpty(driver["name"]))
    let rules = try #require(driver["rules"] as? [[String: Any]])
    #expect(rules.count <= 25_000)
    #expect(
      Set(rules.compactMap { $0["id"] as? String }).count == rules.count, "rule ids are unique")
    #expect(
      Set(rules.compactMap { $0["id"] as? String }) == codes,
      "a rule for every code used, and no other")
    for rule in rules {
      #expect(nonEmpty(rule["id"]))
      #expect(((rule["name"] as? String)?.count ?? 0) <= 255)
      for key in ["shortDescription", "fullDescription"] {
        let text = (rule[key] as? [String: Any])?["text"]
        #expect(nonEmpty(text), "rule \(rule["id"] ?? "?") has no \(key).text")
        #expect(((text as? String)?.count ?? 0) <= 1024)
      }
      #expect(nonEmpty((rule["help"] as? [String: Any])?["text"]))
      let level = ((rule["defaultConfiguration"] as? [String: Any])?["level"] as? String) ?? ""
      #expect(["note", "warning", "error"].contains(level))
      let tags = ((rule["properties"] as? [String: Any])?["tags"] as? [String]) ?? []
      #expect(tags.count <= 20 && tags.allSatisfy { !$0.isEmpty })
    }

    let results = try #require(run["results"] as? [[String: Any]])
    #expect(results.count <= 25_000)
    #expect(results.count == located)
    for result in results {
      let ruleId = try #require(result["ruleId"] as? String)
      let ruleIndex = try #require(result["ruleIndex"] as? Int)
      #expect(rules.indices.contains(ruleIndex) && rules[ruleIndex]["id"] as? String == ruleId)
      #expect(["note", "warning", "error"].contains(result["level"] as? String ?? ""))
      #expect(nonEmpty((result["message"] as? [String: Any])?["text"]))
      let locations = try #require(result["locations"] as? [[String: Any]])
      #expect((1...10).contains(locations.count))
      for location in locations {
        let physical = try #require(location["physicalLocation"] as? [String: Any])
        #expect(nonEmpty((physical["artifactLocation"] as? [String: Any])?["uri"]))
        let region = try #require(physical["region"] as? [String: Int])
        for key in ["startLine", "startColumn", "endLine", "endColumn"] {
          #expect((region[key] ?? 0) >= 1, "region.\(key) is required and 1-based")
        }
        #expect((region["endLine"] ?? 0) >= (region["startLine"] ?? 0))
      }
      let fingerprints = try #require(result["partialFingerprints"] as? [String: String])
      #expect(fingerprints.values.allSatisfy { !$0.isEmpty } && !fingerprints.isEmpty)
    }
    let notifications =
      ((run["invocations"] as? [[String: Any]])?.first?["toolExecutionNotifications"]
        as? [[String: Any]]) ?? []
    #expect(notifications.count == unlocated)
  }

  private static func nonEmpty(_ value: Any?) -> Bool {
    (value as? String).map { !$0.isEmpty } ?? false
  }
}
