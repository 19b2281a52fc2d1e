/// References assembled by `Fn::Join`:
///
///     !Join ['', ['{{resolve:secretsmanager:', !Ref DbSecret, ':SecretString:password}}']]
///
/// The pieces are joined (with the delimiter) into one text in which every piece that is not a
/// literal string becomes an opaque placeholder (`${DbSecret}`), and that text is scanned once.
/// A reference that lies inside one literal piece is an ordinary site of that piece; one that
/// spans pieces is a composed site located at the `Fn::Join`, reported as I2014. Scanning the
/// joined text rather than each piece is also what keeps the piece `'{{resolve:secretsmanager:'`
/// from reading as an unterminated reference.
///
/// The string of a `!Sub` piece is joined as written, its `${…}` variables opaque, so that a
/// reference the Sub opens and a later piece closes is found too:
///
///     !Join ['', [!Sub '{{resolve:secretsmanager:${Env}/db', ':SecretString:password}}']]
///
/// A piece that chooses its text (`!If`, `!Select`) or joins it (a nested `!Join`) may carry
/// the opener or the closer of a reference the other pieces continue:
///
///     !Join ['', ['{{resolve:ssm-secure:/app/db', !If [HasPin, !Sub ':${Pin}}}', '}}']]]
///
/// Its text is joined as its first choice would write it (`Fn::Select`'s literal index when it
/// has one), so the reference is found and evaluation reads the one the deploy takes; the
/// choices' own text is still walked, without reporting as unterminated what the join closes.
extension ReferenceWalker {
  private enum Chunk {
    case literal(piece: Int)
    /// The string of a `!Sub` piece.
    case sub(piece: Int)
    /// The text of a piece that chooses or joins its text, as its first choice writes it.
    case flattened(piece: Int)
    case unknown(piece: Int)
    case delimiter
  }

  /// Returns false when the argument is not `[delimiter, [pieces…]]` with a literal delimiter
  /// and a literal list, or when no piece (nor a piece's `!Sub` string) mentions `resolve`; the
  /// caller then walks it as usual.
  mutating func visitJoin(_ argument: Node, join: Node) -> Bool {
    guard case .sequence(let arguments) = argument.value, arguments.count == 2,
      case .scalar(let delimiter) = arguments[0].value,
      case .sequence(let pieces) = arguments[1].value
    else { return false }
    let flattened = pieces.map(Self.flattenedText)
    let texts = pieces.indices.map { index in
      pieces[index].scalarAsRead ?? pieces[index].subString?.node.scalar
        ?? flattened[index]?.text
    }
    guard
      texts.contains(where: { $0.map(Self.mentionsResolve) ?? false })
        || Self.splitsResolve(texts, delimiter: delimiter)
    else { return false }
    let valuePath = TemplatePath(path)
    let joinSyntax = TemplatePath(syntax)
    let listSyntax = joinSyntax.appending(1)

    var text: [UInt8] = []
    var chunks: [(range: Range<Int>, kind: Chunk)] = []
    var opaque: [ReferencePlaceholder] = []
    for (index, piece) in pieces.enumerated() {
      if index > 0, !delimiter.isEmpty {
        let start = text.count
        text.append(contentsOf: delimiter.utf8)
        chunks.append((start..<text.count, .delimiter))
      }
      let start = text.count
      // As CloudFormation reads the piece (YAML 1.1: a plain `0x1` is 1, `yes` is true): only
      // numbers and booleans read otherwise, and no reference is written in one.
      if let literal = piece.scalarAsRead {
        text.append(contentsOf: literal.utf8)
        chunks.append((start..<text.count, .literal(piece: index)))
      } else if let sub = piece.subString, let string = sub.node.scalar {
        text.append(contentsOf: string.utf8)
        chunks.append((start..<text.count, .sub(piece: index)))
        for case .variable(let name, let range) in SubTemplate(string).parts {
          opaque.append(
            ReferencePlaceholder(
              name: name, span: (start + range.lowerBound)..<(start + range.upperBound)))
        }
        // Scanned here, with the rest of the join: not again when the piece is visited.
        scannedSubStrings.insert(Self.subSyntax(listSyntax.appending(index), sub.syntax))
      } else if let choice = flattened[index] {
        text.append(contentsOf: choice.text.utf8)
        chunks.append((start..<text.count, .flattened(piece: index)))
        for placeholder in choice.opaque {
          opaque.append(
            ReferencePlaceholder(
              name: placeholder.name,
              span: (start + placeholder.span.lowerBound)..<(start + placeholder.span.upperBound)))
        }
      } else {
        let name = Self.placeholderName(piece)
        text.append(contentsOf: "${\(name)}".utf8)
        chunks.append((start..<text.count, .unknown(piece: index)))
        opaque.append(ReferencePlaceholder(name: name, span: start..<text.count))
      }
    }
    let result = text.withUnsafeBufferPointer {
      ReferenceScanner.scan(bytes: $0, mode: .plain, opaque: opaque)
    }

    /// The literal piece, or the `!Sub` string, holding all of `span`, if one does: what is
    /// found there is the piece's own, recorded where the piece is written.
    func ownPiece(containing span: Range<Int>) -> (
      node: Node, syntax: TemplatePath, offset: Int, sub: Bool
    )? {
      for chunk in chunks
      where chunk.range.lowerBound <= span.lowerBound
        && span.upperBound <= chunk.range.upperBound
      {
        switch chunk.kind {
        case .literal(let piece):
          return (pieces[piece], listSyntax.appending(piece), chunk.range.lowerBound, false)
        case .sub(let piece):
          guard let sub = pieces[piece].subString else { return nil }
          return (
            sub.node, Self.subSyntax(listSyntax.appending(piece), sub.syntax),
            chunk.range.lowerBound, true
          )
        case .flattened, .unknown, .delimiter:
          return nil
        }
      }
      return nil
    }
    /// Whether a choosing piece holds all of `span`: what is there is the piece's own, found
    /// when the piece is walked.
    func insideFlattened(_ span: Range<Int>) -> Bool {
      chunks.contains { chunk in
        guard case .flattened = chunk.kind else { return false }
        return chunk.range.lowerBound <= span.lowerBound
          && span.upperBound <= chunk.range.upperBound
      }
    }
    /// Whether a piece that chooses its text (`!If`, `!Select`, not a nested `!Join`) holds
    /// all of `span`.
    func insideChoice(_ span: Range<Int>) -> Bool {
      chunks.contains { chunk in
        guard case .flattened(let piece) = chunk.kind,
          pieces[piece].intrinsic?.function != .join
        else { return false }
        return chunk.range.lowerBound <= span.lowerBound
          && span.upperBound <= chunk.range.upperBound
      }
    }
    /// Where the delimiter copy holding all of `span` starts, if one does.
    func delimiterStart(containing span: Range<Int>) -> Int? {
      for chunk in chunks
      where chunk.range.lowerBound <= span.lowerBound
        && span.upperBound <= chunk.range.upperBound
      {
        if case .delimiter = chunk.kind { return chunk.range.lowerBound }
      }
      return nil
    }
    // What the delimiter holds on its own is reported once, where it is written (below). An
    // issue that merely falls on a delimiter copy (the `:` that leaves a version empty in
    // `{{resolve:ssm:/a:${Ver}:}}`) belongs to the reference the join assembles.
    var delimiterScan: ReferenceScan?
    func delimiterOwns(_ issue: ReferenceIssue) -> Bool {
      guard let start = delimiterStart(containing: issue.referenceSpan) else { return false }
      if delimiterScan == nil { delimiterScan = ReferenceScanner.scan(delimiter) }
      let span = (issue.span.lowerBound - start)..<(issue.span.upperBound - start)
      return delimiterScan?.issues.contains { $0.code == issue.code && $0.span == span } == true
    }

    for found in result.references {
      if let own = ownPiece(containing: found.span) {
        var single = ReferenceScan()
        single.references = [found]
        record(single, shiftedBy: own.offset, node: own.node, syntax: own.syntax, sub: own.sub)
        continue
      }
      if delimiterStart(containing: found.span) != nil || insideFlattened(found.span) { continue }
      var parts: [ReferenceSite.JoinPiece] = []
      var seen = Set<Int>()
      for chunk in chunks where chunk.range.overlaps(found.span) {
        switch chunk.kind {
        case .literal(let piece) where seen.insert(piece).inserted:
          parts.append(.literal(pieces[piece].scalarAsRead ?? ""))
        case .sub(let piece) where seen.insert(piece).inserted,
          .flattened(let piece) where seen.insert(piece).inserted,
          .unknown(let piece) where seen.insert(piece).inserted:
          parts.append(
            .unknown(
              placeholder: "${\(Self.placeholderName(pieces[piece]))}",
              path: listSyntax.appending(piece)))
        default:
          break
        }
      }
      sites.append(
        ReferenceSite(
          reference: found.reference, file: file.path, range: join.range, path: valuePath,
          syntaxPath: joinSyntax, context: .join(pieces: parts)))
      // What evaluation decides: the `${…}` the reference holds, and the pieces whose choice
      // it takes.
      var unknowns = found.placeholders.map { "'${\($0.name)}'" }
      for chunk in chunks where chunk.range.overlaps(found.span) {
        if case .flattened(let piece) = chunk.kind {
          unknowns.append("'\(Self.placeholderName(pieces[piece]))'")
        }
      }
      let message =
        unknowns.isEmpty
        ? "reference '\(found.reference.text)' is assembled by 'Fn::Join' from literal pieces"
        : "reference '\(found.reference.text)' is assembled by 'Fn::Join'; it is known once "
          + "\(unknowns.joined(separator: ", ")) \(unknowns.count == 1 ? "is" : "are") evaluated"
      diagnostics.report(
        Diagnostic(
          .composedReference, message, file: file.path, range: join.range, path: valuePath))
    }
    for issue in result.issues where continuedByJoin == 0 || issue.code != .unterminatedReference {
      if let own = ownPiece(containing: issue.span) {
        var single = ReferenceScan()
        single.issues = [own.sub ? Self.inSubWords(issue, at: own.offset, of: own.node) : issue]
        record(single, shiftedBy: own.offset, node: own.node, syntax: own.syntax, sub: own.sub)
        continue
      }
      if delimiterOwns(issue) { continue }
      // A reference wholly inside a choosing piece is reported when the piece is walked; an
      // unterminated opener there is the join's, as the piece's walk leaves it to the join.
      // A fault a choosing piece puts into a reference the join assembles (`db,host` from a
      // nested `!Join [',', …]`) is the join's: the piece alone holds no reference.
      // (A choice's first operand may be one the deploy does not take: left to evaluation.)
      if issue.code != .unterminatedReference,
        insideFlattened(issue.referenceSpan) || insideChoice(issue.span)
      {
        continue
      }
      diagnostics.report(
        Diagnostic(
          issue.code, issue.message + " (in the text 'Fn::Join' assembles)", file: file.path,
          range: join.range, path: valuePath))
    }

    // The delimiter on its own, and every piece that is not literal text (a `!Sub` piece for
    // its variables and its shape: its string was scanned above).
    descend(value: nil, syntax: "0") { $0.scan(arguments[0], text: delimiter, mode: .plain) }
    // An opener a choosing piece leaves open is the join's to judge only when a later piece
    // may close it (holds a closer, or is known only after evaluation, whose value may bring
    // one); otherwise the piece's own walk reports it.
    var closedLater = Set<Int>()
    for chunk in chunks {
      guard case .flattened(let piece) = chunk.kind else { continue }
      let rest = text[chunk.range.upperBound...]
      if Self.holdsCloser(rest)
        || opaque.contains(where: {
          $0.span.lowerBound >= chunk.range.upperBound && ScanMachine.mayHoldCloser($0)
        })
      {
        closedLater.insert(piece)
      }
    }
    for (index, piece) in pieces.enumerated() where piece.scalar == nil {
      let continued = closedLater.contains(index)
      if continued { continuedByJoin += 1 }
      descend(value: nil, syntax: "1") { walker in
        walker.descend(value: nil, syntax: String(index)) { $0.visit(piece) }
      }
      if continued { continuedByJoin -= 1 }
    }
    return true
  }

  /// Whether the word `resolve` is split between pieces (`'{{resol', 've:ssm:/a}}'`): only
  /// looked for when a piece holds an opener's first brace, so that the joins that build ARNs
  /// and names cost nothing more. A piece known only after evaluation (nil) breaks the text.
  private static func splitsResolve(_ texts: [String?], delimiter: String) -> Bool {
    guard texts.count > 1,
      texts.contains(where: { $0?.utf8.contains(where: { $0 == 0x7B || $0 == 0x3C }) ?? false })
    else { return false }
    let joined = texts.map { $0 ?? "\u{0}" }.joined(separator: delimiter)
    return mentionsResolve(joined)
  }

  /// Whether `bytes` hold `}}` or `>>`, a reference's closer.
  private static func holdsCloser(_ bytes: ArraySlice<UInt8>) -> Bool {
    var previous: UInt8 = 0
    for byte in bytes {
      if byte == previous, byte == UInt8(ascii: "}") || byte == UInt8(ascii: ">") { return true }
      previous = byte
    }
    return false
  }

  /// The text a piece that chooses or joins its text writes with its first choice, its
  /// unknowns as placeholders; nil for any other piece (a literal, a `!Sub`, a `!Ref`).
  /// `Node.joinedChoiceText` is the same text for the renderer.
  static func flattenedText(_ piece: Node) -> (text: String, opaque: [ReferencePlaceholder])? {
    guard let intrinsic = piece.intrinsic else { return nil }
    let arguments = intrinsic.argument.sequence
    switch intrinsic.function {
    case .if:
      guard let arguments, arguments.count == 3 else { return nil }
      return choiceText(arguments[1])
    case .select:
      guard let arguments, arguments.count == 2, let list = arguments[1].sequence, !list.isEmpty
      else { return nil }
      let index = arguments[0].scalar.flatMap { Int($0) } ?? 0
      return choiceText(list.indices.contains(index) ? list[index] : list[0])
    case .join:
      guard let arguments, arguments.count == 2, let delimiter = arguments[0].scalar,
        let list = arguments[1].sequence
      else { return nil }
      var text = ""
      var opaque: [ReferencePlaceholder] = []
      for (index, element) in list.enumerated() {
        if index > 0 { text += delimiter }
        let part = choiceText(element)
        let start = text.utf8.count
        text += part.text
        opaque += part.opaque.map {
          ReferencePlaceholder(
            name: $0.name,
            span: (start + $0.span.lowerBound)..<(start + $0.span.upperBound))
        }
      }
      return (text, opaque)
    default:
      return nil
    }
  }

  /// One choice's text: a literal as written, a `!Sub` string with its variables opaque, a
  /// nested choice or join flattened, anything else one placeholder.
  private static func choiceText(_ node: Node) -> (text: String, opaque: [ReferencePlaceholder]) {
    if let literal = node.scalarAsRead { return (literal, []) }
    if let string = node.subString?.node.scalar {
      var opaque: [ReferencePlaceholder] = []
      for case .variable(let name, let range) in SubTemplate(string).parts {
        opaque.append(ReferencePlaceholder(name: name, span: range))
      }
      return (string, opaque)
    }
    if let nested = flattenedText(node) { return nested }
    let placeholder = "${\(placeholderName(node))}"
    return (
      placeholder,
      [ReferencePlaceholder(name: placeholderName(node), span: 0..<placeholder.utf8.count)]
    )
  }

  /// Records results found in a literal piece, or a `!Sub` string (`sub`), at `offset` of the
  /// joined text.
  private mutating func record(
    _ result: ReferenceScan, shiftedBy offset: Int, node: Node, syntax: TemplatePath, sub: Bool
  ) {
    let valuePath = TemplatePath(path)
    guard let text = node.scalar else { return }
    var locator = ScalarLocator(node: node, text: text, in: document)
    func shift(_ span: Range<Int>) -> Range<Int> {
      (span.lowerBound - offset)..<(span.upperBound - offset)
    }
    for found in result.references {
      var reference = found
      reference.span = shift(found.span)
      sites.append(
        ReferenceSite(
          reference: reference.reference, file: file.path, range: locator.range(reference.span),
          path: valuePath, syntaxPath: syntax,
          context: sub ? .sub(variables: found.placeholders.map(\.name)) : .literal))
    }
    for issue in result.issues {
      diagnostics.report(
        Diagnostic(
          issue.code, issue.message, file: file.path, range: locator.range(shift(issue.span)),
          path: valuePath))
    }
  }

  /// An issue found in a `!Sub` piece's string as the joined text's plain scan words it, in the
  /// words of the string's own scan (`${!…}` is Sub syntax there, not a stray placeholder).
  static func inSubWords(_ issue: ReferenceIssue, at offset: Int, of node: Node) -> ReferenceIssue {
    guard let string = node.scalar else { return issue }
    let span = (issue.span.lowerBound - offset)..<(issue.span.upperBound - offset)
    guard
      var own = ReferenceScanner.scan(string, mode: .sub).issues.first(where: {
        $0.code == issue.code && $0.span == span
      })
    else { return issue }
    own.span = issue.span
    own.referenceSpan = issue.referenceSpan
    return own
  }

  /// The syntax path of a piece's `!Sub` string: the piece's path, then `Fn::Sub` (and `0`).
  static func subSyntax(_ piece: TemplatePath, _ below: [String]) -> TemplatePath {
    below.reduce(piece) { $0.appending($1) }
  }

  /// How a piece known only after evaluation reads in the joined text: what `Fn::Sub` would
  /// write for it (`DbSecret` for `!Ref DbSecret`, `Db.Arn` for `!GetAtt Db.Arn`), else the
  /// function's name.
  static func placeholderName(_ node: Node) -> String {
    guard case .intrinsic(let intrinsic) = node.value else { return "…" }
    switch intrinsic.function {
    case .ref:
      return intrinsic.argument.scalar ?? intrinsic.function.rawValue
    case .getAtt:
      if let parts = intrinsic.argument.sequence, parts.allSatisfy({ $0.scalar != nil }) {
        return parts.compactMap(\.scalar).joined(separator: ".")
      }
      return intrinsic.function.rawValue
    default:
      return intrinsic.function.rawValue
    }
  }

  /// Whether the text holds `resolve` as characters. A match of its bytes between ASCII
  /// neighbours (or the ends) is one; where a neighbour is not ASCII (a combining mark after the
  /// `e`), the generic character search decides. Characters that match imply bytes that do,
  /// so text without the bytes never needs it.
  static func mentionsResolve(_ text: String) -> Bool {
    guard text.utf8.count >= 7 else { return false }
    var copy = text
    let bytesSay = copy.withUTF8 { bytes -> Bool? in
      let word: [UInt8] = Array("resolve".utf8)
      var unsure = false
      var index = 0
      while index + 7 <= bytes.count {
        if bytes[index] == UInt8(ascii: "r"), (1..<7).allSatisfy({ bytes[index + $0] == word[$0] })
        {
          let before = index == 0 || bytes[index - 1] < 0x80
          let after = index + 7 == bytes.count || bytes[index + 7] < 0x80
          if before && after { return true }
          unsure = true
        }
        index += 1
      }
      return unsure ? nil : false
    }
    return bytesSay ?? containsResolveCharacters(text)
  }

  /// The search by characters (in this module: the standard library's, which compares whole
  /// characters, so `resolve` followed by a combining mark is not the word).
  static func containsResolveCharacters(_ text: String) -> Bool { text.contains("resolve") }
}

extension Node {
  /// How the reference finder reads this `Fn::Join` piece when it is an `!If`, `!Select` or
  /// nested `!Join`: the text of its first choice, unknowns as `${…}` placeholders. Nil for
  /// any other piece.
  public var joinedChoiceText: String? { ReferenceWalker.flattenedText(self)?.text }
}
