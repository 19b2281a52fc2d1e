/// The text of an `Fn::ForEach` loop's body as the language extensions leave it: "All instances
/// of ${Identifier} or &{Identifier} in the OutputKey and OutputValue parameters will be replaced
/// with the values from the Collection parameter" before anything else reads the body. So an
/// identifier stands for its element (`LoopPlaceholders`) in an `Fn::Sub` string and in plain
/// text alike, and in a `Ref`'s or an `Fn::GetAtt`'s logical ID; outside an iteration, where
/// the finder reads what every iteration reads alike (`loopIdentifiers`), it is a hole that
/// waits on the identifier.
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-foreach.html
extension Evaluator {
  /// Whether a loop's body is being evaluated: its identifiers are in `loopIdentifiers`, or
  /// stand for the elements of `loopElements`.
  var evaluatesLoopBody: Bool { !loopIdentifiers.isEmpty || !loopElements.isEmpty }

  /// The placeholders of the identifiers being evaluated in `text`, in order: `&{Identifier}`,
  /// and `${Identifier}` where `dollar` (an `Fn::Sub` string reads that one as its variable).
  func loopPlaceholders(in text: String, dollar: Bool) -> [LoopPlaceholders.Use] {
    guard evaluatesLoopBody else { return [] }
    return LoopPlaceholders.uses(in: text) {
      loopIdentifiers.contains($0) || loopElements[$0] != nil
    }.filter { dollar || $0.alphanumeric }
  }

  /// `text` with the placeholders of the identifiers being evaluated replaced by their
  /// elements, or by holes that wait on the identifier outside an iteration; nil when it has
  /// none.
  func loopText(_ text: String, dollar: Bool) -> Value? {
    let uses = loopPlaceholders(in: text, dollar: dollar)
    guard !uses.isEmpty else { return nil }
    let pieces = LoopPlaceholders.pieces(of: text, around: uses)
    var parts: [Value] = [.string(pieces[0])]
    for (use, piece) in zip(uses, pieces.dropFirst()) {
      parts += [element(of: use), .string(piece)]
    }
    return Value.concatenate(parts)
  }

  /// Outside an iteration, an `Fn::Sub` string with a `${…}` whose name holds an identifier
  /// (`${Topic${N}.Arn}`, `${Topic&{N}.Arn}`): another variable in each iteration, so the whole
  /// string waits on the identifiers; nil when no variable holds one.
  func loopNamedVariable(in text: String) -> Value? {
    guard !loopIdentifiers.isEmpty else { return nil }
    // Masked, a placeholder is no `${`, so the variable around it is read whole.
    let masked = LoopPlaceholders.masked(text, loopIdentifiers)
    guard masked != text else { return nil }
    var waitsOn: [Dependency] = []
    for case .variable(let name, _) in SubTemplate(masked).parts {
      let uses = LoopPlaceholders.uses(
        in: LoopPlaceholders.unmasked(name), where: loopIdentifiers.contains)
      for use in uses where !waitsOn.contains(.resource(use.identifier)) {
        waitsOn.append(.resource(use.identifier))
      }
    }
    guard !waitsOn.isEmpty else { return nil }
    return .unknown(
      Unknown(
        waitsOn: waitsOn,
        reason: "a variable named with a loop's identifier, another in each iteration"))
  }

  /// The element a placeholder stands for in this iteration; outside one, what a `${…}` of the
  /// identifier gives in an `Fn::Sub` (a hole that waits on it, by its name).
  private func element(of use: LoopPlaceholders.Use) -> Value {
    guard let element = loopElements[use.identifier] else { return loopIdentifier(use.identifier) }
    return .string(LoopPlaceholders.written(element, at: use))
  }
}
