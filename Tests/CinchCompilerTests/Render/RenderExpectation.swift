import CinchTemplate
import Foundation
import Testing

@testable import CinchCompiler

/// What a rendered file must read as, worked out from the original tree and the substitutions
/// independently of the renderer: each rendered reference's text replaced by its pinned form
/// (as the issue specifies it) or by its value, everything else unchanged.
struct RenderExpectation {
  let document: ParsedDocument
  let isCloudFormation: Bool
  private var scalars: [Int: String] = [:]
  /// The same for the scalars an `Fn::Sub` reads as its string; an alias may repeat one scalar
  /// as plain text and as an `Fn::Sub` string.
  private var subStrings: [Int: String] = [:]
  private var joins: [Range<Int>: String] = [:]

  /// `substitutions` minus those the renderer reported (they stay as written).
  init(document: ParsedDocument, substitutions: [Substitution], isCloudFormation: Bool) {
    self.document = document
    self.isCloudFormation = isCloudFormation
    guard let root = document.root else { return }
    var holders: [Int: (node: Node, subs: [Substitution])] = [:]
    var joinSubs: [Substitution] = []
    var scalarNodes: [Node] = []
    Self.collectScalars(root, into: &scalarNodes)
    for substitution in substitutions {
      let range = substitution.site.range.bytes
      switch substitution.site.context {
      case .literal, .sub:
        guard
          let node = scalarNodes.first(where: {
            $0.range.bytes.lowerBound <= range.lowerBound
              && range.upperBound <= $0.range.bytes.upperBound
          })
        else { continue }
        holders[node.range.start.offset, default: (node, [])].subs.append(substitution)
      case .join:
        joinSubs.append(substitution)
      case .parameterType:
        continue
      }
    }
    var diagnostics = Diagnostics()
    let allSites = ReferenceFinder.find(in: document, into: &diagnostics)
    for (start, holder) in holders {
      let range = holder.node.range.bytes
      var seen = Set<Range<Int>>()
      let inNode = allSites.filter {
        range.contains($0.range.bytes.lowerBound) && seen.insert($0.range.bytes).inserted
      }.map(\.range.bytes).sorted { $0.lowerBound < $1.lowerBound }
      let contexts = Set(holder.subs.map { Self.isSub($0.site) })
      for isSub in contexts {
        let expected = expectedScalar(holder.node, holder.subs, siteRanges: inNode, isSub: isSub)
        if isSub { subStrings[start] = expected } else { scalars[start] = expected }
      }
    }
    let partial = CanonicalTree(expected: { [scalars] node, _ in scalars[node.range.start.offset] })
    for substitution in joinSubs {
      guard let join = Self.findJoin(root, range: substitution.site.range.bytes),
        let expected = expectedJoin(join, substitution, tree: partial)
      else { continue }
      joins[join.range.bytes] = expected
    }
  }

  var tree: CanonicalTree {
    CanonicalTree(expected: { [scalars, subStrings, joins] node, role in
      let start = node.range.start.offset
      switch role {
      case .scalar: return scalars[start] ?? subStrings[start]
      case .subString: return subStrings[start] ?? scalars[start]
      case .join: return joins[node.range.bytes]
      }
    })
  }

  private static func isSub(_ site: ReferenceSite) -> Bool {
    if case .sub = site.context { return true }
    return false
  }

  // MARK: Scalars

  /// `siteRanges`: the ranges of every site in the scalar, in file order; the finder found
  /// them in the same order as a scan of the value does, so the k-th is the k-th reference.
  /// `isSub`: read as an `Fn::Sub` string.
  private func expectedScalar(
    _ node: Node, _ substitutions: [Substitution], siteRanges: [Range<Int>], isSub: Bool
  ) -> String? {
    guard let value = node.scalar else { return nil }
    let scanned = ReferenceScanner.scan(value, mode: isSub ? .sub : .plain).references
    let bytes = Array(value.utf8)
    var replacements: [(span: Range<Int>, text: String, literal: Bool)] = []
    var cursor = 0
    // One substitution per site (an alias repeats its anchor's sites), in file order.
    var seen = Set<Range<Int>>()
    let unique = substitutions.filter { seen.insert($0.site.range.bytes).inserted }
    for substitution in unique.sorted(by: {
      $0.site.range.start.offset < $1.site.range.start.offset
    }) {
      let index: Int
      if siteRanges.count == scanned.count,
        let position = siteRanges.firstIndex(of: substitution.site.range.bytes)
      {
        index = position
      } else {
        guard
          let found = scanned[cursor...].firstIndex(where: {
            $0.reference.text == substitution.site.reference.text
          })
        else { continue }
        index = found
      }
      cursor = index + 1
      switch substitution.replacement {
      case .pin(let pin):
        replacements.append(
          (
            scanned[index].span,
            Self.pinnedText(substitution.site.reference, pin, isCloudFormation), false
          ))
      case .value(let text):
        replacements.append((scanned[index].span, text, true))
      }
    }
    var parts: [SubTemplate.Part] = []
    var text = ""
    var position = 0
    for replacement in replacements {
      let before = String(decoding: bytes[position..<replacement.span.lowerBound], as: UTF8.self)
      text += before + replacement.text
      if replacement.literal {
        parts += SubTemplate(before).parts + [.text(replacement.text)]
      } else {
        parts += SubTemplate(before + replacement.text).parts
      }
      position = replacement.span.upperBound
    }
    let rest = String(decoding: bytes[position...], as: UTF8.self)
    text += rest
    parts += SubTemplate(rest).parts
    return isSub ? CanonicalTree.sub(parts: parts) : text
  }

  /// The pinned form the issue specifies (`NAME:VERSION`, `ID:SecretString:KEY::VERSION-ID`).
  static func pinnedText(_ reference: Reference, _ pin: PinnedReference, _ cloudFormation: Bool)
    -> String
  {
    let open = cloudFormation ? "{{" : reference.delimiter.open
    let close = cloudFormation ? "}}" : reference.delimiter.close
    switch pin {
    case .version(let version):
      return open + "resolve:" + reference.kind.rawValue + ":" + reference.name + ":"
        + String(version) + close
    case .versionId(let id):
      return open + "resolve:secretsmanager:" + reference.name + ":"
        + (reference.secretString ?? "SecretString") + ":" + (reference.jsonKey ?? "") + "::" + id
        + close
    }
  }

  // MARK: Joins

  private func expectedJoin(_ join: Node, _ substitution: Substitution, tree: CanonicalTree)
    -> String?
  {
    guard let arguments = join.intrinsic?.argument.sequence ?? join.mapping?.first?.value.sequence,
      arguments.count == 2, let delimiter = arguments[0].scalar,
      let pieces = arguments[1].sequence,
      case .join(let contextPieces) = substitution.site.context
    else { return nil }
    var placeholders: [Int: String] = [:]
    for piece in contextPieces {
      if case .unknown(let placeholder, let path) = piece,
        let index = path.components.last.flatMap({ Int($0) }), pieces[index].subString == nil,
        pieces[index].joinedChoiceText == nil
      {
        placeholders[index] = placeholder
      }
    }
    // The joined text as the finder writes it, and the same text as canonical parts.
    var finderText = ""
    var chunks: [(range: Range<Int>, canonical: String, literal: Bool)] = []
    // A `!Sub` piece joins as its string: a reference it opens is pinned after it, the Sub
    // itself unchanged.
    var subChunks: Set<Int> = []
    for (index, piece) in pieces.enumerated() {
      if index > 0, !delimiter.isEmpty {
        let start = finderText.utf8.count
        finderText += delimiter
        chunks.append((start..<finderText.utf8.count, delimiter, true))
      }
      let start = finderText.utf8.count
      if let literal = piece.scalar {
        finderText += literal
        chunks.append((start..<finderText.utf8.count, literal, true))
      } else if let string = piece.subString?.node.scalar ?? piece.joinedChoiceText {
        // An `!If`, `!Select` or nested `!Join` joins as its first choice, as a Sub as its string.
        finderText += string
        subChunks.insert(chunks.count)
        chunks.append(
          (start..<finderText.utf8.count, CanonicalTree.placeholder(tree.text(piece)), false))
      } else {
        finderText += placeholders[index] ?? "${\u{0}\(index)}"
        chunks.append(
          (start..<finderText.utf8.count, CanonicalTree.placeholder(tree.text(piece)), false))
      }
    }
    let written = substitution.site.reference.text
    guard let found = finderText.firstRange(of: written) else { return nil }
    let span =
      finderText.utf8.distance(
        from: finderText.startIndex, to: found.lowerBound)..<finderText.utf8.distance(
        from: finderText.startIndex, to: found.upperBound)
    var replacement: String
    switch substitution.replacement {
    case .value(let value):
      replacement = value
    case .pin(let pin):
      replacement = Self.pinnedText(substitution.site.reference, pin, isCloudFormation)
      for (index, placeholder) in placeholders {
        replacement = replacement.replacingOccurrences(
          of: placeholder, with: CanonicalTree.placeholder(tree.text(pieces[index])))
      }
    }
    let bytes = Array(finderText.utf8)
    var text = ""
    for (position, chunk) in chunks.enumerated() {
      if chunk.range.upperBound <= span.lowerBound || chunk.range.lowerBound >= span.upperBound {
        text += chunk.canonical
        continue
      }
      if subChunks.contains(position), chunk.range.contains(span.lowerBound) {
        // The Sub as written, then what the reference becomes after the Sub's part of it.
        let inSub = chunk.range.upperBound - span.lowerBound
        let written = Array(substitution.site.reference.text.utf8)
        let pinned = Array(replacement.utf8)
        guard inSub <= written.count, pinned.starts(with: written[..<inSub]) else { return nil }
        text += chunk.canonical + String(decoding: pinned[inSub...], as: UTF8.self)
        continue
      }
      if chunk.range.lowerBound < span.lowerBound {
        text += String(decoding: bytes[chunk.range.lowerBound..<span.lowerBound], as: UTF8.self)
      }
      if chunk.range.contains(span.lowerBound) { text += replacement }
      if chunk.range.upperBound > span.upperBound {
        text += String(decoding: bytes[span.upperBound..<chunk.range.upperBound], as: UTF8.self)
      }
    }
    return CanonicalTree.join(delimiter: delimiter, text: text)
  }

  // MARK: Walking

  static func collectScalars(_ node: Node, into scalars: inout [Node]) {
    switch node.value {
    case .scalar: scalars.append(node)
    case .sequence(let items): items.forEach { collectScalars($0, into: &scalars) }
    case .mapping(let entries): entries.forEach { collectScalars($0.value, into: &scalars) }
    case .intrinsic(let intrinsic): collectScalars(intrinsic.argument, into: &scalars)
    }
  }

  static func findJoin(_ node: Node, range: Range<Int>) -> Node? {
    if node.range.bytes == range, node.intrinsic?.function == .join { return node }
    switch node.value {
    case .scalar: return nil
    case .sequence(let items):
      for item in items { if let found = findJoin(item, range: range) { return found } }
    case .mapping(let entries):
      for entry in entries { if let found = findJoin(entry.value, range: range) { return found } }
    case .intrinsic(let intrinsic):
      return findJoin(intrinsic.argument, range: range)
    }
    return nil
  }
}
