extension Value: CustomStringConvertible {
  /// A readable rendering for golden files and debugging: `"a" + ?parameter 'Env' + "b"`,
  /// `["x", "y"]`, `{Key: "v"}`, `?attribute 'Db.Endpoint.Address'`.
  public var description: String {
    switch self {
    case .string(let text): NodeDump.quoted(text)
    case .bool(let flag): flag ? "true" : "false"
    case .noValue: "AWS::NoValue"
    case .unknown(let unknown): "?" + unknown.waitsOn.map(\.description).joined(separator: "|")
    case .partial(let pieces):
      pieces.map { piece in
        switch piece {
        case .text(let text): NodeDump.quoted(text)
        case .hole(let unknown): "?" + unknown.waitsOn.map(\.description).joined(separator: "|")
        }
      }.joined(separator: " + ")
    case .list(let items): "[" + items.map(\.description).joined(separator: ", ") + "]"
    case .map(let fields):
      "{" + fields.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
    }
  }
}
