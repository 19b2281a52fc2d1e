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
    case .condition(let name): "Condition:\(name)"
    case .transform: "Fn::Transform"
    case .invalid: "?"
    }
  }
}
