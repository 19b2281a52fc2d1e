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
  }

  /// The reads of a `BuildSpec` value, evaluated: none for a buildspec file's name (one line)
  /// or text that is not YAML. Parts still unknown (`!Sub` variables that wait on an input)
  /// stay holes in the names they are in.
  static func reads(_ value: Value) -> [Read] {
    guard let segments = value.placeholderSegments else { return [] }
    // Each hole becomes a private-use marker, so that the text parses as YAML and every name
    // splits back into its text and holes.
    var text = ""
    var holes: [Value.Segment] = []
    for segment in segments {
      switch segment {
      case .text(let part): text += part
      case .hole:
        text += "\(open)\(holes.count)\(close)"
        holes.append(segment)
      }
    }
    guard text.contains("\n") else { return [] }
    var ignored = Diagnostics()
    let (root, _) = YAMLParser.parseDocument(
      SourceFile(path: "buildspec", text: text), into: &ignored)
    guard let env = root?["env"] else { return [] }
    let sections: [(String, StoreLocator.Format)] = [
      ("parameter-store", .parameterName), ("secrets-manager", .secretIDWithOptions),
    ]
    var reads: [Read] = []
    for (section, format) in sections {
      for entry in env[section]?.mapping ?? [] {
        guard let name = entry.value.scalar, !name.isEmpty else { continue }
        reads.append(
          Read(
            format: format, segments: split(name, holes), line: entry.value.range.start.line))
      }
    }
    return reads
  }

  /// The span of buildspec line `line` in the template, when the buildspec is written there as
  /// a literal block scalar (`BuildSpec: |`, or `!Sub |`), whose lines are the template's lines
  /// after the indicator: the line without its indentation.
  static func range(ofLine line: Int, in node: Node, file: SourceFile) -> SourceRange? {
    let scalar = node.intrinsic.flatMap { $0.argument.sequence?.first ?? $0.argument } ?? node
    guard scalar.style == .literal, scalar.scalar != nil else { return nil }
    let templateLine = scalar.range.start.line + line
    guard templateLine <= file.lineStarts.count, templateLine <= scalar.range.end.line else {
      return nil
    }
    var start = file.lineStarts[templateLine - 1]
    var end =
      templateLine < file.lineStarts.count ? file.lineStarts[templateLine] : file.bytes.count
    while start < end, file.bytes[start] == UInt8(ascii: " ") { start += 1 }
    while end > start, [UInt8(ascii: "\n"), UInt8(ascii: "\r")].contains(file.bytes[end - 1]) {
      end -= 1
    }
    return file.range(fromByte: start, toByte: end)
  }

  private static let open: Character = "\u{E000}"
  private static let close: Character = "\u{E001}"

  /// `name` as text and the holes its markers stand for.
  private static func split(_ name: String, _ holes: [Value.Segment]) -> [Value.Segment] {
    var segments: [Value.Segment] = []
    var text = ""
    var rest = Substring(name)
    while let character = rest.first {
      rest = rest.dropFirst()
      guard character == open, let end = rest.firstIndex(of: close),
        let index = Int(rest[..<end]), holes.indices.contains(index)
      else {
        text.append(character)
        continue
      }
      if !text.isEmpty { segments.append(.text(text)) }
      text = ""
      segments.append(holes[index])
      rest = rest[rest.index(after: end)...]
    }
    if !text.isEmpty { segments.append(.text(text)) }
    return segments
  }
}
