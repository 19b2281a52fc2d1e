import CinchTemplate

/// References assembled by `Fn::Join`:
///
///     !Join ['', ['{{resolve:secretsmanager:', !Ref DbSecret, ':SecretString:password}}']]
///
/// The pieces are joined again (each piece known only after evaluation standing for its
/// placeholder, and a `!Sub` piece for its string, as the finder joined them) to find the
/// reference's bytes among them.
///
/// Pinning changes only segments after the secret id or parameter name, so the change falls
/// after the last non-literal piece, in literal text: the string piece(s) that hold `}}`. Those
/// pieces are edited. When the version would have to go into a non-literal piece (the version
/// itself is `!Ref Version`), or over the join's delimiter, the site is not pinnable.
///
/// Inlining replaces the whole reference with its value: the piece where the reference starts
/// takes its text before the reference, the value, and the text after the reference from the
/// piece where it ends; the pieces in between go.
struct JoinRewriter {
  let join: JoinTarget
  let site: ReferenceSite

  enum Chunk: Equatable {
    case literal(piece: Int)
    /// A `!Sub` piece's string, or the first choice of an `!If`, `!Select` or nested `!Join`:
    /// read as the finder read it, never edited (it is evaluated).
    case sub(piece: Int)
    case unknown(piece: Int)
    case delimiter
  }

  struct Failure: Error {
    var kind: RenderIssue.Kind
    var reason: String
  }

  private var text: [UInt8] = []
  private var chunks: [(range: Range<Int>, kind: Chunk)] = []

  init(join: JoinTarget, site: ReferenceSite) {
    self.join = join
    self.site = site
    var placeholders: [Int: String] = [:]
    if case .join(let pieces) = site.context {
      for piece in pieces {
        if case .unknown(let placeholder, let path) = piece,
          let index = path.components.last.flatMap({ Int($0) })
        {
          placeholders[index] = placeholder
        }
      }
    }
    for (index, piece) in join.pieces.enumerated() {
      if index > 0, !join.delimiter.isEmpty {
        let start = text.count
        text += join.delimiter.utf8
        chunks.append((start..<text.count, .delimiter))
      }
      let start = text.count
      if let literal = piece.scalar {
        text += literal.utf8
        chunks.append((start..<text.count, .literal(piece: index)))
      } else if let string = piece.subString?.node.scalar ?? piece.joinedChoiceText {
        // A `!Sub` string, or an `!If`/`!Select`/`!Join` piece as the finder joined it.
        text += string.utf8
        chunks.append((start..<text.count, .sub(piece: index)))
      } else {
        // A piece outside the reference needs only text the reference cannot contain.
        text += (placeholders[index] ?? "${\u{0}\(index)}").utf8
        chunks.append((start..<text.count, .unknown(piece: index)))
      }
    }
  }

  /// The bytes of the reference in the joined text: its `rank`-th occurrence that spans
  /// pieces.
  func locate(rank: Int) -> Range<Int>? {
    let needle = Array(site.reference.text.utf8)
    guard !needle.isEmpty, needle.count <= text.count else { return nil }
    var seen = 0
    for start in 0...(text.count - needle.count)
    where text[start..<(start + needle.count)].elementsEqual(needle) {
      let span = start..<(start + needle.count)
      let touched = chunks.filter { $0.range.overlaps(span) }
      guard touched.count > 1 else { continue }
      if seen == rank { return span }
      seen += 1
    }
    return nil
  }

  // MARK: Pinning

  /// The edits to literal pieces that turn the reference at `span` into `pinned`: the opener
  /// when the delimiter changes (`<<` to `{{`, in the first piece), and the segments after the
  /// name with the closer (in the last pieces).
  func pinEdits(span: Range<Int>, pinned: String) -> Result<[PieceEdit], Failure> {
    let written = Array(text[span])
    let target = Array(pinned.utf8)
    let notPinnable = Failure(
      kind: .notPinnable,
      reason: "reference '\(site.reference.text)' is assembled by 'Fn::Join' and its version "
        + "would go into a piece known only after evaluation; pin it in the lock only")
    guard written.count >= 2, target.count >= 2 else { return .failure(notPinnable) }
    var edits: [PieceEdit] = []
    if written[0..<2] != target[0..<2] {
      let opener = span.lowerBound..<(span.lowerBound + 2)
      guard let found = distribute(opener, String(decoding: target[0..<2], as: UTF8.self)) else {
        return .failure(notPinnable)
      }
      edits += found
    }
    let diff = TextDiff(from: Array(written[2...]), to: Array(target[2...]))
    if diff.isEmpty { return .success(edits) }
    let lastUnknownEnd =
      chunks.filter { chunk in
        switch chunk.kind {
        case .unknown, .sub: chunk.range.overlaps(span)
        case .literal, .delimiter: false
        }
      }.map { $0.range.upperBound - span.lowerBound }.max() ?? 0
    guard diff.old.lowerBound + 2 >= lastUnknownEnd else { return .failure(notPinnable) }
    let region =
      (span.lowerBound + 2 + diff.old.lowerBound)..<(span.lowerBound + 2 + diff.old.upperBound)
    let replacement = String(
      decoding: target[(2 + diff.new.lowerBound)..<(2 + diff.new.upperBound)], as: UTF8.self)
    guard let found = distribute(region, replacement) else { return .failure(notPinnable) }
    return .success(edits + found)
  }

  /// One edit of a literal piece: decoded bytes `span` of piece `piece` become `text`.
  struct PieceEdit {
    var piece: Int
    var span: Range<Int>
    var text: String
  }

  /// Spreads a change of the joined text over the literal pieces it touches: the first takes
  /// the new text, the others lose their part. Nil when it touches a delimiter or a piece
  /// known only after evaluation.
  private func distribute(_ region: Range<Int>, _ replacement: String) -> [PieceEdit]? {
    if region.isEmpty {
      let point = region.lowerBound
      let candidates = chunks.filter { chunk in
        guard case .literal = chunk.kind else { return false }
        return chunk.range.lowerBound <= point && point <= chunk.range.upperBound
      }
      // Prefer the piece the point starts (the one holding `}}`) over the one it ends.
      guard
        let chunk = candidates.first(where: { point < $0.range.upperBound }) ?? candidates.last,
        case .literal(let piece) = chunk.kind
      else { return nil }
      let offset = point - chunk.range.lowerBound
      return [PieceEdit(piece: piece, span: offset..<offset, text: replacement)]
    }
    var edits: [PieceEdit] = []
    for chunk in chunks where chunk.range.overlaps(region) {
      guard case .literal(let piece) = chunk.kind else { return nil }
      let lower = max(region.lowerBound, chunk.range.lowerBound) - chunk.range.lowerBound
      let upper = min(region.upperBound, chunk.range.upperBound) - chunk.range.lowerBound
      edits.append(
        PieceEdit(piece: piece, span: lower..<upper, text: edits.isEmpty ? replacement : ""))
    }
    return edits
  }

  // MARK: Inlining

  /// The piece where the reference starts, the piece where it ends, and the text of the one
  /// piece that replaces them.
  func merged(span: Range<Int>, value: String) -> Result<
    (first: Int, last: Int, text: String), Failure
  > {
    let notWritable = Failure(
      kind: .notWritable,
      reason: "reference '\(site.reference.text)' is assembled by 'Fn::Join' across pieces that "
        + "do not start and end in literal text; its value cannot replace it")
    guard
      let first = chunks.first(where: {
        $0.range.lowerBound <= span.lowerBound && span.lowerBound < $0.range.upperBound
      }),
      let last = chunks.last(where: {
        $0.range.lowerBound < span.upperBound && span.upperBound <= $0.range.upperBound
      }),
      case .literal(let firstPiece) = first.kind, case .literal(let lastPiece) = last.kind,
      firstPiece < lastPiece
    else { return .failure(notWritable) }
    let before = text[first.range.lowerBound..<span.lowerBound]
    let after = text[span.upperBound..<last.range.upperBound]
    let merged =
      String(decoding: before, as: UTF8.self) + value + String(decoding: after, as: UTF8.self)
    return .success((firstPiece, lastPiece, merged))
  }
}
