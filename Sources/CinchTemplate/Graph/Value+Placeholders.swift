extension Value {
  /// A string value as text with a `${…}` placeholder for each part still unknown
  /// (`/myapp/${Env}/db`, `${DbSecret}`, `${Db.Arn}`), as references show composed names; nil
  /// when the value is not a string (a list, a map, `AWS::NoValue`).
  package var placeholderText: String? {
    placeholderSegments.map { segments in
      segments.map { segment in
        switch segment {
        case .text(let text): text
        case .hole(let placeholder, _): placeholder
        }
      }.joined()
    }
  }

  package enum Segment: Sendable, Hashable {
    case text(String)
    /// An unknown part: its placeholder and what it waits on.
    case hole(String, [Dependency])
  }

  /// Segments as one text, each hole as its placeholder.
  static func text(of segments: [Segment]) -> String {
    segments.map { segment in
      switch segment {
      case .text(let text): text
      case .hole(let placeholder, _): placeholder
      }
    }.joined()
  }

  /// The value as text and holes, or nil when it is not a string.
  package var placeholderSegments: [Segment]? {
    switch self {
    case .string(let text): return [.text(text)]
    case .bool(let flag): return [.text(flag ? "true" : "false")]
    case .unknown(let unknown): return [.hole(Self.placeholder(unknown), unknown.waitsOn)]
    case .partial(let pieces):
      return pieces.map { piece in
        switch piece {
        case .text(let text): .text(text)
        case .hole(let unknown): .hole(Self.placeholder(unknown), unknown.waitsOn)
        }
      }
    case .list, .map, .noValue: return nil
    }
  }

  /// `${Env}`, `${AWS::StackName}`, `${Db}`, `${Db.Endpoint.Address}`, `${Fn::ImportValue}`.
  static func placeholder(_ unknown: Unknown) -> String {
    "${" + unknown.waitsOn.map(\.placeholderName).joined(separator: "|") + "}"
  }
}

extension Dependency {
  /// The name a `${…}` placeholder shows for this input.
  package var placeholderName: String {
    switch self {
    case .parameter(let name), .pseudoParameter(let name), .resource(let name),
      .loopVariable(let name, _):
      name
    case .attribute(let resource, let attribute): "\(resource).\(attribute)"
    case .importValue: "Fn::ImportValue"
    case .stackOutput: "Fn::GetStackOutput"
    case .availabilityZones: "Fn::GetAZs"
    case .storeValue(let name): "ssm:\(name)"
    case .referenceValue(let text):
      // `ssm:/app/name` of `{{resolve:ssm:/app/name}}`, as a parameter's `${ssm:…}` is shown.
      Reference.Delimiter.allCases.first {
        text.hasPrefix($0.open + "resolve:") && text.hasSuffix($0.close)
          && text.count > "{{resolve:}}".count
      }.map { _ in String(text.dropFirst("{{resolve:".count).dropLast(2)) } ?? text
    case .condition(let name): "Condition:\(name)"
    case .transform: "Fn::Transform"
    case .invalid: "?"
    }
  }
}

extension Value {
  /// `segments` with each dynamic reference in them (`{{resolve:ssm:/app/name}}`) made one hole
  /// that waits on its value (and on whatever of its own text is still unknown): CloudFormation
  /// resolves it at deploy, so where a value names what a resource reads when it runs, the name
  /// is the entry's value, which nothing knows before then.
  /// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html
  static func resolvingReferences(in segments: [Segment]) -> [Segment] {
    let text = text(of: segments)
    guard text.contains("resolve:") else { return segments }
    let spans = ReferenceScanner.scan(text, mode: .sub).references.map(\.span)
    guard !spans.isEmpty else { return segments }
    let bytes = Array(text.utf8)
    var result: [Segment] = []
    // Where each reference's hole is in `result`, once its first byte is met.
    var holes: [Int: Int] = [:]
    func appendText(_ range: Range<Int>) {
      guard !range.isEmpty else { return }
      let piece = String(decoding: bytes[range], as: UTF8.self)
      if case .text(let previous)? = result.last {
        result[result.count - 1] = .text(previous + piece)
      } else {
        result.append(.text(piece))
      }
    }
    func absorb(_ dependencies: [Dependency], into index: Int) {
      if holes[index] == nil {
        let written = String(decoding: bytes[spans[index]], as: UTF8.self)
        let value = Dependency.referenceValue(written)
        holes[index] = result.count
        result.append(.hole("${\(value.placeholderName)}", [value]))
      }
      guard let at = holes[index], case .hole(let placeholder, var waits) = result[at] else {
        return
      }
      waits += dependencies.filter { !waits.contains($0) }
      result[at] = .hole(placeholder, waits)
    }
    var offset = 0
    for segment in segments {
      let length: Int
      switch segment {
      case .text(let piece): length = piece.utf8.count
      case .hole(let placeholder, _): length = placeholder.utf8.count
      }
      let range = offset..<(offset + length)
      offset += length
      let overlapping = spans.indices.filter { spans[$0].overlaps(range) }
      switch segment {
      case .hole(_, let dependencies):
        if let index = overlapping.first {
          absorb(dependencies, into: index)
        } else {
          result.append(segment)
        }
      case .text:
        var cursor = range.lowerBound
        for index in overlapping {
          appendText(cursor..<max(cursor, spans[index].lowerBound))
          absorb([], into: index)
          cursor = max(cursor, min(spans[index].upperBound, range.upperBound))
        }
        appendText(cursor..<range.upperBound)
      }
    }
    return result
  }
}
