import CinchTemplate

/// One run of `TemplateRenderer`: plans the edits of every scalar, renders them, drops what
/// conflicts, and splices the result.
struct RenderSession {
  let document: ParsedDocument
  let substitutions: [Substitution]
  let isCloudFormation: Bool

  private var issues: [Int: RenderIssue] = [:]
  /// One plan per scalar that changes, in the order first met; `planIndex` finds a scalar's
  /// plan by its first byte.
  private var plans: [ScalarPlan] = []
  private var planIndex: [Int: Int] = [:]
  private var groups: [EditGroup] = []
  private var joinRanks: [Occurrence: Int] = [:]
  /// The group of each inlined `Fn::Join`, by the bytes it replaces: an alias of the whole
  /// join asks for the same change.
  private var joinGroups: [Range<Int>: Int] = [:]
  /// The nodes each inlined `Fn::Join` group writes over, and the pieces that ask for it, by
  /// group number: an alias may repeat one of them elsewhere.
  private var joinGroupPieces: [Int: JoinPieceAliasFinder.Check] = [:]

  /// Sites at one place of the file and one place of the template; an alias repeats the
  /// place of the file at another place of the template.
  private struct Occurrence: Hashable {
    var bytes: Range<Int>
    var path: TemplatePath
  }

  /// Byte edits that stand or fall together (one scalar, or one merged `Fn::Join`), and the
  /// substitutions they serve.
  private struct EditGroup {
    var edits: [ByteEdit]
    var sites: [Int]
    var order: Int { sites.min() ?? 0 }
  }

  init(document: ParsedDocument, substitutions: [Substitution], isCloudFormation: Bool) {
    self.document = document
    self.substitutions = substitutions
    self.isCloudFormation = isCloudFormation
    // At most one plan per substitution (sites in one scalar share one).
    plans.reserveCapacity(substitutions.count)
  }

  var file: SourceFile { document.file }

  mutating func run() -> RenderedTemplate {
    guard let root = document.root else {
      for index in substitutions.indices {
        report(
          index, .siteNotFound, "'\(file.path)' could not be parsed, so nothing in it is rendered")
      }
      return finish()
    }
    var scalarSites: [Int] = []
    var joinSites: [Int] = []
    for (index, substitution) in substitutions.enumerated() {
      let site = substitution.site
      switch site.context {
      case .parameterType(let parameter):
        let what =
          if case .pin = substitution.replacement {
            "a parameter type cannot be pinned in the template (the lock records the version)"
          } else {
            "CloudFormation resolves a parameter type at deploy, so no value is written for it"
          }
        report(
          index, .parameterType,
          "parameter '\(parameter)' reads '\(site.reference.name)' through its type; \(what)")
      case .join:
        if isInFile(index) { joinSites.append(index) }
      case .literal, .sub:
        if isInFile(index) { scalarSites.append(index) }
      }
    }
    let targets = RenderTargets(
      root: root,
      starts: (scalarSites + joinSites).map { substitutions[$0].site.range.bytes.lowerBound },
      joinRanges: Set(joinSites.map { substitutions[$0].site.range.bytes }))
    for index in scalarSites { planScalar(index, targets: targets) }
    for index in joinSites { planJoin(index, targets: targets) }
    refusePiecesReadElsewhere(root)
    leaveRefusedAliasesAsWritten()
    renderPlans()
    return finish()
  }

  /// Whether the site points at bytes of this file; reports it when not.
  private mutating func isInFile(_ index: Int) -> Bool {
    let site = substitutions[index].site
    guard site.file == file.path else {
      report(index, .siteNotFound, "site is in '\(site.file)', not in '\(file.path)'")
      return false
    }
    guard site.range.bytes.lowerBound >= 0, site.range.bytes.upperBound <= file.bytes.count else {
      report(index, .siteNotFound, "site of '\(site.reference.text)' lies outside the file")
      return false
    }
    return true
  }

  // MARK: Planning

  private mutating func planScalar(_ index: Int, targets: RenderTargets) {
    let substitution = substitutions[index]
    let site = substitution.site
    let reference = site.reference
    guard let target = targets.scalar(containing: site.range.bytes) else {
      report(
        index, .siteNotFound,
        "no scalar of the file holds reference '\(reference.text)' at its site")
      return
    }
    let start = target.node.range.start.offset
    let number = planNumber(for: target, start: start)
    guard
      let span = plans[number].locate(
        reference.text, at: site.range.bytes,
        rank: { [substitutions] in Self.rank(of: index, in: substitutions) }, file: file,
        format: document.format)
    else {
      report(
        index, .siteNotFound, "the bytes at the site do not hold reference '\(reference.text)'")
      return
    }
    let edit: ValueEdit
    switch substitution.replacement {
    case .pin(let pin):
      switch ReferencePinner.pinnedText(
        reference, pin: pin, reads: substitution.reads, isCloudFormation: isCloudFormation)
      {
      case .failure(let failure):
        report(index, failure.kind, failure.reason)
        return
      case .success(let pinned):
        let pinnedBytes = Array(pinned.utf8)
        let diff = plans[number].value.withUnsafeBufferPointer { value in
          pinnedBytes.withUnsafeBufferPointer { pinned in
            TextDiff(from: UnsafeBufferPointer(rebasing: value[span]), to: pinned)
          }
        }
        if diff.isEmpty { return }
        edit = ValueEdit(
          span: (span.lowerBound + diff.old.lowerBound)..<(span.lowerBound + diff.old.upperBound),
          text: String(decoding: pinnedBytes[diff.new], as: UTF8.self), site: index)
      }
    case .value(let value):
      // The value would replace the written text only, and the input that closes the
      // reference may bring text after its closer too.
      guard !reference.isClosedByInput else {
        report(
          index, .notWritable,
          "reference '\(reference.text)' is closed by an input ('\(reference.delimiter.close)' "
            + "is not written); its value cannot replace it")
        return
      }
      var written = value
      // Only a `$` or a brace can make or break a `${…}`.
      if case .sub = site.context,
        value.utf8.contains(where: {
          $0 == UInt8(ascii: "$") || $0 == UInt8(ascii: "{") || $0 == UInt8(ascii: "}")
        })
      {
        written = SubText.escaped(value)
        let before = String(decoding: plans[number].value[..<span.lowerBound], as: UTF8.self)
        let after = String(decoding: plans[number].value[span.upperBound...], as: UTF8.self)
        guard SubText.reads(written, as: value, between: before, and: after) else {
          report(
            index, .notWritable,
            "the value of '\(reference.text)' holds '${' that would change how the 'Fn::Sub' "
              + "string around it reads")
          return
        }
      }
      edit = ValueEdit(span: span, text: written, site: index)
    }
    if plans[number].add(edit) == .conflict {
      report(index, .conflict, conflict(index, with: plans[number].edits, at: edit.span))
    }
  }

  /// Why the edit of substitution `index` at `span` cannot join `edits`: another reference
  /// changes the same text, or an alias repeats this one inside and outside an `Fn::Sub`
  /// string with a value that holds `${`, which must be `${!` in the one (`Fn::Sub` writes
  /// `${!Literal}` as `${Literal}`,
  /// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-sub.html)
  /// and `${` in the other.
  private func conflict(_ index: Int, with edits: [ValueEdit], at span: Range<Int>) -> String {
    let site = substitutions[index].site
    let repeated = edits.contains { edit in
      edit.span == span
        && edit.sites.contains { other in
          let use = substitutions[other].site
          return Place(use) == Place(site) && Self.isInSub(use) != Self.isInSub(site)
        }
    }
    guard repeated, case .value = substitutions[index].replacement else {
      return Self.conflict(site.reference)
    }
    return "an alias repeats '\(site.reference.text)' both inside and outside an 'Fn::Sub' string, "
      + "and its value holds '${', which only 'Fn::Sub' reads as a variable; write the text out "
      + "at each place to render it"
  }

  private static func isInSub(_ site: ReferenceSite) -> Bool {
    if case .sub = site.context { return true }
    return false
  }

  /// The plan of the scalar `target`, made on first use.
  private mutating func planNumber(for target: ScalarTarget, start: Int) -> Int {
    if let number = planIndex[start] { return number }
    plans.append(ScalarPlan(target: target, file: file, format: document.format))
    planIndex[start] = plans.count - 1
    return plans.count - 1
  }

  /// How many substitutions before `index` name the same text at the same bytes and the same
  /// template path: the occurrence to use when the source map cannot tell. (An alias repeats
  /// its anchor's sites at another path; its first is the anchor's first.)
  private static func rank(of index: Int, in substitutions: [Substitution]) -> Int {
    let site = substitutions[index].site
    return substitutions[..<index].count {
      $0.site.range == site.range && $0.site.reference.text == site.reference.text
        && $0.site.path == site.path
    }
  }

  private mutating func planJoin(_ index: Int, targets: RenderTargets) {
    let substitution = substitutions[index]
    let site = substitution.site
    guard let join = targets.joins[site.range.bytes] else {
      report(
        index, .siteNotFound,
        "no 'Fn::Join' of the file assembles '\(site.reference.text)' at its site")
      return
    }
    let rewriter = JoinRewriter(join: join, site: site)
    let occurrence = Occurrence(bytes: site.range.bytes, path: site.path)
    let joinRank = joinRanks[occurrence, default: 0]
    joinRanks[occurrence] = joinRank + 1
    guard let span = rewriter.locate(rank: joinRank)
    else {
      report(
        index, .siteNotFound,
        "the 'Fn::Join' at the site does not assemble '\(site.reference.text)'")
      return
    }
    switch substitution.replacement {
    case .pin(let pin):
      let pinned: String
      switch ReferencePinner.pinnedText(
        site.reference, pin: pin, reads: substitution.reads, isCloudFormation: isCloudFormation)
      {
      case .failure(let failure):
        report(index, failure.kind, failure.reason)
        return
      case .success(let text):
        pinned = text
      }
      switch rewriter.pinEdits(span: span, pinned: pinned) {
      case .failure(let failure):
        report(index, failure.kind, failure.reason)
      case .success(let edits):
        // All pieces change, or none.
        var staged: [(number: Int, edit: ValueEdit)] = []
        for edit in edits {
          let node = join.pieces[edit.piece]
          let number = planNumber(
            for: ScalarTarget(node: node, flow: join.flow), start: node.range.start.offset)
          var change = ValueEdit(span: edit.span, text: edit.text, site: index)
          change.joinPieces = [JoinPiecePlace(join: join.node.range.bytes, piece: edit.piece)]
          staged.append((number, change))
        }
        var trial = staged.map { plans[$0.number] }
        for (position, item) in staged.enumerated()
        where trial[position].add(item.edit) == .conflict {
          report(index, .conflict, Self.conflict(site.reference))
          return
        }
        for item in staged { _ = plans[item.number].add(item.edit) }
      }
    case .value(let value):
      switch rewriter.merged(span: span, value: value) {
      case .failure(let failure):
        report(index, failure.kind, failure.reason)
      case .success(let (first, last, text)):
        let firstNode = join.pieces[first]
        let lastNode = join.pieces[last]
        // An alias piece (`*end`) has its anchor's bytes, at another place of the file: the
        // range over the pieces would run backwards, or over text outside the join.
        let pieces = join.pieces[first...last].map(\.range.bytes)
        guard let start = pieces.first?.lowerBound, let end = pieces.last?.upperBound,
          join.node.range.bytes.lowerBound <= start, end <= join.node.range.bytes.upperBound,
          zip(pieces, pieces.dropFirst()).allSatisfy({ $0.upperBound <= $1.lowerBound })
        else {
          report(
            index, .notWritable,
            "reference '\(site.reference.text)' is assembled by 'Fn::Join' from a piece that an "
              + "alias repeats from another place; its value cannot replace the pieces")
          return
        }
        guard lastNode.style != .literal, lastNode.style != .folded else {
          report(
            index, .notWritable,
            "reference '\(site.reference.text)' ends in a block scalar piece of 'Fn::Join'; its "
              + "value cannot replace it")
          return
        }
        let range = firstNode.range.start.offset..<lastNode.range.end.offset
        let bytes: [UInt8]
        switch document.format {
        case .json:
          bytes = Array(("\"" + YAMLQuoting.jsonStringContent(text) + "\"").utf8)
        case .yaml:
          bytes = YAMLScalarRewriter(file: file).emit(
            text, style: firstNode.style, at: range.lowerBound, replacing: range,
            flow: join.flow, whole: text == value, blockIndent: nil)
        }
        let places = (first...last).map { JoinPiecePlace(join: join.node.range.bytes, piece: $0) }
        if let number = joinGroups[range], groups[number].edits.first?.bytes == bytes {
          groups[number].sites.append(index)
          joinGroupPieces[number]?.places.formUnion(places)
          return
        }
        joinGroups[range] = groups.count
        joinGroupPieces[groups.count] = JoinPieceAliasFinder.Check(
          nodes: join.pieces[first...last].flatMap { Self.nodes(in: $0, within: range) },
          places: Set(places))
        groups.append(EditGroup(edits: [ByteEdit(range: range, bytes: bytes)], sites: [index]))
      }
    }
  }

  /// `node` and every node it holds whose bytes lie in `range` (an alias inside it has its
  /// anchor's bytes, elsewhere, which writing over `range` leaves as they are).
  private static func nodes(in node: Node, within range: Range<Int>) -> [Node] {
    var found: [Node] = []
    var pending = [node]
    while let next = pending.popLast() {
      guard range.lowerBound <= next.range.bytes.lowerBound,
        next.range.bytes.upperBound <= range.upperBound
      else { continue }
      found.append(next)
      switch next.value {
      case .scalar: break
      case .sequence(let items): pending += items
      case .mapping(let entries): pending += entries.flatMap { [$0.key, $0.value] }
      case .intrinsic(let intrinsic): pending.append(intrinsic.argument)
      }
    }
    return found
  }

  /// A change written into a `Fn::Join` piece is read wherever an alias repeats the piece (or a
  /// node in it), and an inlined join drops the anchors among its pieces. Unless every such
  /// place is a piece that asks for the same change, the references are refused and every
  /// piece left as written.
  private mutating func refusePiecesReadElsewhere(_ root: Node) {
    // Without an anchor (`&name`) there is no alias. JSON has neither.
    guard document.format == .yaml, file.bytes.contains(UInt8(ascii: "&")) else { return }
    var checks: [JoinPieceAliasFinder.Check] = []
    var owners: [[Int]] = []
    for plan in plans {
      for edit in plan.edits where !edit.joinPieces.isEmpty {
        checks.append(
          JoinPieceAliasFinder.Check(nodes: [plan.node], places: Set(edit.joinPieces)))
        owners.append(edit.sites)
      }
    }
    for (number, check) in joinGroupPieces.sorted(by: { $0.key < $1.key }) {
      checks.append(check)
      owners.append(groups[number].sites)
    }
    guard !checks.isEmpty else { return }
    let found = JoinPieceAliasFinder.find(checks, in: root)
    guard !found.isEmpty else { return }
    var refused: Set<Int> = []
    var places: Set<Place> = []
    for (check, path) in found.sorted(by: { $0.key < $1.key }) {
      for index in owners[check] where refused.insert(index).inserted {
        let site = substitutions[index].site
        guard places.insert(Place(site)).inserted else {
          report(index, .aliasRepeat, Self.aliasRepeat(site.reference))
          continue
        }
        let (kind, change) =
          if case .pin = substitutions[index].replacement {
            (RenderIssue.Kind.notPinnable, "pin")
          } else {
            (RenderIssue.Kind.notWritable, "value")
          }
        report(
          index, kind,
          "reference '\(site.reference.text)' is assembled by 'Fn::Join' from a piece that an "
            + "alias repeats at '\(path)', outside this reference, where its \(change) would "
            + "change the piece too; write the piece out at each place to render it")
      }
    }
    leaveAsWritten(refused, places: places)
  }

  /// Takes out every change that serves a site of `refused`, then the changes of the other
  /// sites those served (a change shared by two references is made for both or neither), and
  /// so on. `places`: those of the sites already reported.
  private mutating func leaveAsWritten(_ refused: Set<Int>, places: Set<Place>) {
    var refused = refused
    var places = places
    var pending = true
    while pending {
      var sharers: [Int] = []
      for number in plans.indices {
        let dropped = plans[number].removeEdits { !refused.isDisjoint(with: $0.sites) }
        sharers += dropped.flatMap(\.sites)
      }
      for number in groups.indices
      where !groups[number].edits.isEmpty && !refused.isDisjoint(with: groups[number].sites) {
        groups[number].edits = []
        sharers += groups[number].sites
      }
      pending = false
      for index in sharers where refused.insert(index).inserted {
        pending = true
        let site = substitutions[index].site
        guard places.insert(Place(site)).inserted else {
          report(index, .aliasRepeat, Self.aliasRepeat(site.reference))
          continue
        }
        report(
          index, .conflict,
          "reference '\(site.reference.text)' shares a changed piece of 'Fn::Join' with a "
            + "reference that cannot be rendered, so it is left as written")
      }
    }
  }

  /// An alias's uses are the bytes at its anchor: when one use is refused and so left as
  /// written, every other use is left as written too.
  private mutating func leaveRefusedAliasesAsWritten() {
    var refused: [Place: Set<TemplatePath>] = [:]
    for (index, issue) in issues where issue.kind != .parameterType {
      refused[Place(substitutions[index].site), default: []].insert(
        substitutions[index].site.path)
    }
    guard !refused.isEmpty else { return }
    for number in plans.indices {
      let dropped = plans[number].removeEdits { edit in
        edit.sites.contains { other in
          let site = substitutions[other].site
          return refused[Place(site)]?.contains { $0 != site.path } ?? false
        }
      }
      for index in dropped.flatMap(\.sites) {
        report(index, .aliasRepeat, Self.aliasRepeat(substitutions[index].site.reference))
      }
    }
  }

  /// One text at one place of the file, whatever template path reads it.
  private struct Place: Hashable {
    var bytes: Range<Int>
    var text: String

    init(_ site: ReferenceSite) {
      bytes = site.range.bytes
      text = site.reference.text
    }
  }

  private static func aliasRepeat(_ reference: Reference) -> String {
    "an alias repeats '\(reference.text)' where it cannot be rendered, so it is left as written "
      + "here too"
  }

  private static func conflict(_ reference: Reference) -> String {
    "another substitution changes the text of '\(reference.text)' differently"
  }

  // MARK: Rendering

  private mutating func renderPlans() {
    let yaml = YAMLScalarRewriter(file: file)
    for number in plans.indices where !plans[number].edits.isEmpty {
      if plans[number].needsMap || plans[number].node.style == .literal
        || plans[number].node.style == .folded
      {
        plans[number].buildMap(file: file, format: document.format)
      }
      let plan = plans[number]
      var edits: [ByteEdit]?
      switch document.format {
      case .json:
        edits = []
        for edit in plan.sortedEdits {
          guard let range = plan.sourceRange(edit.span) else {
            edits = nil
            break
          }
          edits?.append(
            ByteEdit(range: range, bytes: Array(YAMLQuoting.jsonStringContent(edit.text).utf8)))
        }
      case .yaml:
        edits = yaml.rewrite(plan)
      }
      guard let edits else {
        for index in plan.sites {
          report(
            index, .siteNotFound,
            "the scalar holding '\(substitutions[index].site.reference.text)' cannot be rewritten: "
              + "its source could not be matched to its value")
        }
        continue
      }
      groups.append(EditGroup(edits: edits, sites: plan.sites))
    }
  }

  // MARK: Assembling

  private mutating func finish() -> RenderedTemplate {
    // A group whose bytes overlap another's (an inlined `Fn::Join` over a piece that another
    // substitution also edits) is dropped; the one given first wins.
    var rejected = Set<Int>()
    var settled = false
    while !settled {
      settled = true
      var live: [(edit: ByteEdit, group: Int)] = []
      for (number, group) in groups.enumerated() where !rejected.contains(number) {
        for edit in group.edits { live.append((edit, number)) }
      }
      live.sort {
        ($0.edit.range.lowerBound, $0.edit.range.upperBound)
          < ($1.edit.range.lowerBound, $1.edit.range.upperBound)
      }
      var reach: (end: Int, group: Int, start: Int)?
      for item in live {
        if let current = reach, current.group != item.group,
          item.edit.range.lowerBound < current.end || item.edit.range.lowerBound == current.start
        {
          let loser =
            groups[current.group].order > groups[item.group].order ? current.group : item.group
          rejected.insert(loser)
          settled = false
          break
        }
        if reach == nil || item.edit.range.upperBound >= reach?.end ?? 0 {
          reach = (item.edit.range.upperBound, item.group, item.edit.range.lowerBound)
        }
      }
    }
    for number in rejected {
      for index in groups[number].sites {
        report(index, .conflict, Self.conflict(substitutions[index].site.reference))
      }
    }

    var edits: [ByteEdit] = []
    for (number, group) in groups.enumerated() where !rejected.contains(number) {
      edits += group.edits.filter { !file.bytes[$0.range].elementsEqual($0.bytes) }
    }
    edits.sort { $0.range.lowerBound < $1.range.lowerBound }
    var output: [UInt8] = []
    output.reserveCapacity(file.bytes.count + edits.reduce(0) { $0 + $1.bytes.count })
    var changes: [RenderEdit] = []
    changes.reserveCapacity(edits.count)
    var cursor = 0
    for edit in edits {
      output += file.bytes[cursor..<edit.range.lowerBound]
      let start = output.count
      output += edit.bytes
      changes.append(RenderEdit(source: edit.range, output: start..<output.count))
      cursor = edit.range.upperBound
    }
    output += file.bytes[cursor...]
    let ordered = issues.keys.sorted().compactMap { issues[$0] }
    return RenderedTemplate(bytes: output, edits: changes, issues: ordered)
  }

  /// One issue per substitution: the first reason found.
  private mutating func report(_ index: Int, _ kind: RenderIssue.Kind, _ reason: String) {
    guard issues[index] == nil else { return }
    issues[index] = RenderIssue(site: substitutions[index].site, kind: kind, reason: reason)
  }
}
