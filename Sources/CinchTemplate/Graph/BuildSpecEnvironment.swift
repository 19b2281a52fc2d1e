/// The store reads of a CodeBuild project's inline buildspec: its `env` section's
/// `parameter-store` (a variable per parameter name) and `secrets-manager` (a variable per
/// `secret-id:json-key:version-stage:version-id`), which CodeBuild reads as the project's
/// service role when a build starts, as it reads the project's `PARAMETER_STORE` and
/// `SECRETS_MANAGER` environment variables.
/// https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.env
enum BuildSpecEnvironment {
  struct Read: Equatable {
    var format: StoreLocator.Format
    var segments: [Value.Segment]
    /// The buildspec line the name is on, from 1.
    var line: Int
    /// Where it is in the buildspec: `env/secrets-manager/DB_PASSWORD`.
    var path: [String]
  }

  /// The reads of a `BuildSpec` value, evaluated: none for a buildspec file's name (one line)
  /// or text that is not YAML. Parts still unknown (`!Sub` variables that wait on an input)
  /// stay holes in the names they are in.
  static func reads(_ value: Value) -> [Read] {
    // A one-line value is a buildspec file's name.
    guard
      value.placeholderSegments?.contains(where: { segment in
        if case .text(let text) = segment { return text.contains("\n") }
        return false
      }) == true,
      let document = EmbeddedDocument(value, syntax: .yaml, path: "buildspec"),
      let env = document.root?["env"]
    else { return [] }
    let sections: [(String, StoreLocator.Format)] = [
      ("parameter-store", .parameterName), ("secrets-manager", .secretIDWithOptions),
    ]
    var reads: [Read] = []
    for (section, format) in sections {
      for entry in env[section]?.mapping ?? [] {
        guard let name = entry.value.scalar, !name.isEmpty else { continue }
        reads.append(
          Read(
            format: format, segments: document.segments(of: name),
            line: entry.value.range.start.line, path: ["env", section, entry.name]))
      }
    }
    return reads
  }
}
