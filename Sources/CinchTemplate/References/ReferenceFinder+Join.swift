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
extension ReferenceWalker {
  private enum Chunk {
    case literal(piece: Int)
    /// The string of a `!Sub` piece.
    case sub(piece: Int)
    case unknown(piece: Int)
    case delimiter
  }

  /// Returns false when the argument is not `[delimiter, [pieces…]]` with a literal delimiter
  /// and a literal list, or when no piece (nor a piece's `!Sub` string) mentions `resolve`; the
  /// caller then walks it as usual.
  mutating func visitJoin(_ argument: Node, join: Node) -> Bool {
    guard case .sequence(let arguments) = argument.value, arguments.count == 2,
      case .scalar(let delimiter) = arguments[0].value,
      case .sequence(let pieces) = arguments[1].value,
      pieces.contains(where: {
        ($0.scalar ?? $0.subString?.node.scalar).map(Self.mentionsResolve) ?? false
      })
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
      if let literal = piece.scalar {
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
        case .unknown, .delimiter:
          return nil
        }
      }
      return nil
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
      if delimiterStart(containing: found.span) != nil { continue }
      var parts: [ReferenceSite.JoinPiece] = []
      var seen = Set<Int>()
      for chunk in chunks where chunk.range.overlaps(found.span) {
        switch chunk.kind {
        case .literal(let piece) where seen.insert(piece).inserted:
          parts.append(.literal(pieces[piece].scalar ?? ""))
        case .sub(let piece) where seen.insert(piece).inserted,
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
      let unknowns = found.placeholders.map { "'${\($0.name)}'" }
      let message =
        unknowns.isEmpty
        ? "reference '\(found.reference.text)' is assembled by 'Fn::Join' from literal pieces"
        : "reference '\(found.reference.text)' is assembled by 'Fn::Join'; it is known once "
          + "\(unknowns.joined(separator: ", ")) \(unknowns.count == 1 ? "is" : "are") evaluated"
      diagnostics.report(
        Diagnostic(
          .composedReference, message, file: file.path, range: join.range, path: valuePath))
    }
    for issue in result.issues {
      if let own = ownPiece(containing: issue.span) {
        var single = ReferenceScan()
        single.issues = [own.sub ? Self.inSubWords(issue, at: own.offset, of: own.node) : issue]
        record(single, shiftedBy: own.offset, node: own.node, syntax: own.syntax, sub: own.sub)
        continue
      }
      if delimiterOwns(issue) { continue }
      diagnostics.report(
        Diagnostic(
          issue.code, issue.message + " (in the text 'Fn::Join' assembles)", file: file.path,
          range: join.range, path: valuePath))
    }

    // The delimiter on its own, and every piece that is not literal text (a `!Sub` piece for
    // its variables and its shape: its string was scanned above).
    descend(value: nil, syntax: "0") { $0.scan(arguments[0], text: delimiter, mode: .plain) }
    for (index, piece) in pieces.enumerated() where piece.scalar == nil {
      descend(value: nil, syntax: "1") { walker in
        walker.descend(value: nil, syntax: String(index)) { $0.visit(piece) }
      }
    }
    return true
  }

  /// Records results found in a literal piece, or a `!Sub` string (`sub`), at `offset` of the
  /// joined text.
  private mutating func record(
    _ result: ReferenceScan, shiftedBy offset: Int, node: Node, syntax: TemplatePath, sub: Bool
  ) {
    let valuePath = TemplatePath(path)
    guard let text = node.scalar else { return }
    var locator = Locator(node: node, text: text, walker: self)
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
