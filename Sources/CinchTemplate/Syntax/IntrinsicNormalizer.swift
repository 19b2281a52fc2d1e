/// Turns both spellings of an intrinsic function into one `Intrinsic` value, for the YAML and
/// the JSON parser alike, as nodes are composed.
enum IntrinsicNormalizer {
  /// `!Ref X`, `!GetAtt A.B`, …: wraps `node` (parsed without its tag) when `tag` is a
  /// CloudFormation short form. Returns nil for any other tag.
  static func shortForm(
    tag: String, node: Node, range: SourceRange, file: SourceFile,
    into diagnostics: inout Diagnostics
  ) -> Node? {
    guard let function = IntrinsicFunction(shortTag: tag) else { return nil }
    var argument = node
    argument.tag = nil
    if function == .getAtt, case .scalar(let text) = node.value {
      argument = splitGetAtt(text, node: node, file: file, into: &diagnostics)
    }
    return Node(
      .intrinsic(Intrinsic(function: function, argument: argument, form: .shortTag)),
      style: node.style, tag: tag, range: range)
  }

  /// `{"Ref": "X"}`, `Fn::GetAtt: [A, B]`, …: wraps a one-key mapping whose key names an
  /// intrinsic. Returns nil for any other mapping. `Fn::ForEach::Name` (a language-extension
  /// key, not a function) and `Condition` are left alone.
  static func longForm(
    _ entries: [Entry], style: NodeStyle, range: SourceRange, file: SourceFile,
    into diagnostics: inout Diagnostics
  ) -> Node? {
    guard entries.count == 1, case .scalar(let key) = entries[0].key.value else { return nil }
    guard key == "Ref" || key.hasPrefix("Fn::") else { return nil }
    guard let function = IntrinsicFunction(longFormKey: key) else {
      if !Template.isLoop(key) {
        diagnostics.report(
          Diagnostic(
            .unknownIntrinsic, "unknown intrinsic function '\(key)'", file: file.path,
            range: entries[0].key.range))
      }
      return nil
    }
    var argument = entries[0].value
    if function == .getAtt, case .scalar(let text) = argument.value, argument.tag == nil {
      // CloudFormation accepts the dotted string in the long form too.
      argument = splitGetAtt(text, node: argument, file: file, into: &diagnostics)
    }
    return Node(
      .intrinsic(
        Intrinsic(
          function: function, argument: argument, form: .longForm(key: entries[0].key.range))),
      style: style, range: range)
  }

  /// `A.B.C` → `[A, B.C]`: the logical ID ends at the first dot (attribute names such as
  /// `Endpoint.Address` contain dots; logical IDs are alphanumeric). Each part keeps a location
  /// inside the original scalar when the scalar's text is its source text.
  static func splitGetAtt(
    _ text: String, node: Node, file: SourceFile, into diagnostics: inout Diagnostics
  ) -> Node {
    guard let dot = text.utf8.firstIndex(of: UInt8(ascii: ".")) else {
      diagnostics.report(
        Diagnostic(
          .malformedIntrinsic,
          "'!GetAtt \(text)' needs the form 'LogicalId.AttributeName'", file: file.path,
          range: node.range))
      return node
    }
    let resource = String(text[..<dot])
    let attribute = String(text[text.utf8.index(after: dot)...])
    let resourceLength = resource.utf8.count
    let start = node.range.start.offset + (node.style == .plain ? 0 : 1)
    let verbatim =
      start + text.utf8.count <= file.bytes.count
      && file.bytes[start..<(start + text.utf8.count)].elementsEqual(text.utf8)
    let resourceRange: SourceRange
    let attributeRange: SourceRange
    if verbatim {
      resourceRange = file.range(fromByte: start, toByte: start + resourceLength)
      attributeRange = file.range(
        fromByte: start + resourceLength + 1, toByte: start + text.utf8.count)
    } else {
      resourceRange = node.range
      attributeRange = node.range
    }
    return Node(
      .sequence([
        Node(.scalar(resource), style: node.style, range: resourceRange),
        Node(.scalar(attribute), style: node.style, range: attributeRange),
      ]), style: .flow, range: node.range)
  }
}
