internal import CYAML
internal import CYAMLEvents

/// YAML through libyaml's event API, composed into located `Node`s.
///
/// libyaml is used as a tokenizer and event parser only: we compose the tree ourselves because
/// we need the start and end of every node (higher-level wrappers keep only a start mark), a
/// budget on alias expansion, and CloudFormation's short-form tags turned into intrinsics.
public enum YAMLParser {
  public static func parse(
    _ file: SourceFile, limits: ParseLimits = .default, into diagnostics: inout Diagnostics
  ) -> Node? {
    parseDocument(file, limits: limits, into: &diagnostics).root
  }

  /// The root, and whether any `Fn::If` was made.
  ///
  /// With `pipelined`, a file of `pipelineMinimumBytes` or more is parsed on two threads:
  /// libyaml makes the events on one while the calling thread composes them (about half of the
  /// parse each). For a command parsing one large template; several files parsed side by side
  /// already keep the cores busy.
  static func parseDocument(
    _ file: SourceFile, limits: ParseLimits = .default, pipelined: Bool = false,
    into diagnostics: inout Diagnostics
  ) -> (root: Node?, sawChoice: Bool) {
    var composer = YAMLComposer(file: file, limits: limits)
    let root = composer.compose(
      threaded: pipelined && file.bytes.count >= pipelineMinimumBytes, into: &diagnostics)
    return (root, composer.sawChoice)
  }

  /// Below this size a thread of its own costs more than it saves.
  static let pipelineMinimumBytes = 32 << 10
}

/// Builds the tree from libyaml events with an explicit stack (no recursion, so nesting depth
/// is bounded only by `ParseLimits.maxDepth`).
struct YAMLComposer {
  let file: SourceFile
  let limits: ParseLimits
  private var marks: MarkMapper
  private var positions: SourcePositionCursor
  private var anchors: [String: (node: Node, size: Int, bytes: Int, height: Int)] = [:]
  private var stack: [Frame] = []
  private var children = OpenChildren()
  private var nodeCount = 0
  private var aliasNodeCount = 0
  /// The bytes of text (scalars and keys) aliases have copied: one long string aliased a few
  /// thousand times is a billion laughs in bytes rather than in nodes.
  private var aliasByteCount = 0
  private var expansions = Expansions()
  /// Whether an `Fn::If`, `Fn::Select` or `Fn::FindInMap` was made
  /// (`ParsedDocument.mayContainChoice`).
  private(set) var sawChoice = false
  /// Whether libyaml ran on a thread of its own (asked for, and a thread could be made).
  private(set) var ranOnTwoThreads = false

  init(file: SourceFile, limits: ParseLimits) {
    self.file = file
    self.limits = limits
    self.marks = MarkMapper(file: file)
    self.positions = SourcePositionCursor(file: file)
  }

  private struct Frame {
    var isMapping: Bool
    var style: NodeStyle
    var tag: String?
    var anchor: String?
    /// Where the node's text starts: its tag or anchor when it has one.
    var propertiesStart: Int
    /// Where the collection itself starts, after its properties.
    var valueStart: Int
    /// Where this collection's children start in `children`.
    var children: OpenChildren.Mark
    var pendingKey: Node?
    var skipValue = false
    /// Keys seen so far, once the mapping is big enough that a linear search would cost more
    /// than hashing (a 10,000-resource `Resources` section).
    var keyIndex: Set<String>?
    /// Whether a key is a merge key (`<<`), seen as the keys arrive.
    var hasMergeKey = false
    /// Where the last child's text ends: an alias's own, not the range of the node it copies
    /// (which stands where the anchor is).
    var lastChildEnd: Int?
  }

  /// The aliases and merge keys of a document, which CloudFormation rejects and the tools that
  /// deploy through `aws cloudformation package` or SAM expand: said once per file, where the
  /// first stands (a template that uses aliases tends to use many).
  private struct Expansions {
    /// One kind of expansion: how many, and the first one's name and place.
    struct Seen {
      var count = 0
      var first: (name: String, range: SourceRange)?

      /// Counts one more; `name` and `place` are made only for the first.
      mutating func note(_ name: @autoclosure () -> String, at place: () -> SourceRange) {
        if first == nil { first = (name(), place()) }
        count += 1
      }
    }

    var aliases = Seen()
    var mergeKeys = Seen()

    func report(file: String, into diagnostics: inout Diagnostics) {
      for (seen, code, why) in [
        (
          aliases, DiagnosticCode.yamlAlias,
          "CloudFormation rejects YAML aliases; only 'aws "
            + "cloudformation package' and SAM expand them before a deploy"
        ),
        (
          mergeKeys, .mergeKey,
          "CloudFormation does not merge mappings; only 'aws "
            + "cloudformation package' and SAM apply merge keys before a deploy"
        ),
      ] {
        guard let (name, range) = seen.first else { continue }
        let others = seen.count > 1 ? " (and \(seen.count - 1) more)" : ""
        diagnostics.report(Diagnostic(code, "\(name)\(others): \(why)", file: file, range: range))
      }
    }
  }

  /// Why composition stopped early; the diagnostic has already been reported.
  private struct Stop: Error {}

  mutating func compose(threaded: Bool = false, into diagnostics: inout Diagnostics) -> Node? {
    file.bytes.withUnsafeBufferPointer { buffer -> Node? in
      // libyaml reads from the buffer while we compose; it stays valid for this closure, and
      // `cinch_yaml_events_close` stops any thread still reading it before the closure returns.
      guard let events = cinch_yaml_events_open(buffer.baseAddress, buffer.count, threaded ? 1 : 0)
      else {
        diagnostics.report(
          Diagnostic(
            .yamlSyntax, "cannot start the YAML parser: out of memory", file: file.path,
            range: positions.range(fromByte: 0, toByte: 0)))
        return nil
      }
      defer { cinch_yaml_events_close(events) }
      ranOnTwoThreads = cinch_yaml_events_is_threaded(events) == 1
      var root: Node?
      var documents = 0
      while true {
        // The event stays the module's: valid until the next call, deleted there.
        guard let event = cinch_yaml_events_next(events)?.pointee else {
          reportParserError(cinch_yaml_events_parser(events).pointee, into: &diagnostics)
          return nil
        }
        do {
          switch event.type {
          case YAML_STREAM_END_EVENT:
            if documents == 0 {
              diagnostics.report(
                Diagnostic(
                  .emptyDocument, "file holds no YAML document", file: file.path,
                  range: positions.range(fromByte: 0, toByte: 0)))
            }
            expansions.report(file: file.path, into: &diagnostics)
            return root
          case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 {
              let start = marks.offset(event.start_mark)
              diagnostics.report(
                Diagnostic(
                  .multipleDocuments, "file holds more than one YAML document; a template is one",
                  file: file.path, range: positions.range(fromByte: start, toByte: start + 1)))
              return root
            }
            anchors.removeAll()
          case YAML_SCALAR_EVENT:
            try add(scalar(event, into: &diagnostics), into: &diagnostics, root: &root)
          case YAML_ALIAS_EVENT:
            try add(
              alias(event, into: &diagnostics), endingAt: marks.offset(event.end_mark),
              into: &diagnostics, root: &root)
          case YAML_SEQUENCE_START_EVENT:
            try push(event, isMapping: false, into: &diagnostics)
          case YAML_MAPPING_START_EVENT:
            try push(event, isMapping: true, into: &diagnostics)
          case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            try add(pop(event, into: &diagnostics), into: &diagnostics, root: &root)
          default:
            break
          }
        } catch {
          return nil
        }
      }
    }
  }

  // MARK: Events

  private mutating func scalar(_ event: yaml_event_t, into diagnostics: inout Diagnostics)
    throws(Stop)
    -> Node
  {
    let data = event.data.scalar
    let start = marks.offset(event.start_mark)
    let end = marks.offset(event.end_mark)
    let length = data.length
    if length > limits.maxScalarLength {
      diagnostics.report(
        Diagnostic(
          .scalarTooLong,
          "scalar is \(length) bytes, over the limit of \(limits.maxScalarLength)",
          file: file.path, range: positions.range(fromByte: start, toByte: end)))
      throw Stop()
    }
    try count(1, at: start, into: &diagnostics)
    let text: String
    if let value = data.value, length > 0 {
      text = String(decoding: UnsafeBufferPointer(start: value, count: length), as: UTF8.self)
    } else {
      text = ""
    }
    let style: NodeStyle
    switch data.style {
    case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
    case YAML_LITERAL_SCALAR_STYLE: style = .literal
    case YAML_FOLDED_SCALAR_STYLE: style = .folded
    default: style = .plain
    }
    let tag = string(data.tag)
    let anchor = string(data.anchor)
    let valueStart = (tag != nil || anchor != nil) ? skipProperties(from: start, limit: end) : start
    let node = Node(
      .scalar(text), style: style, range: positions.range(fromByte: valueStart, toByte: end))
    guard tag != nil || anchor != nil else { return node }
    let tagged = apply(tag: tag, to: node, propertiesStart: start, into: &diagnostics)
    register(anchor, tagged)
    return tagged
  }

  private mutating func alias(_ event: yaml_event_t, into diagnostics: inout Diagnostics)
    throws(Stop)
    -> Node
  {
    let start = marks.offset(event.start_mark)
    let end = marks.offset(event.end_mark)
    let name = string(event.data.alias.anchor) ?? ""
    // Every refusal of an alias is said at the alias, and stops the document.
    func refuse(_ code: DiagnosticCode, _ message: String) -> Stop {
      diagnostics.report(
        Diagnostic(
          code, message, file: file.path, range: positions.range(fromByte: start, toByte: end)))
      return Stop()
    }
    guard let anchored = anchors[name] else {
      throw refuse(.undefinedAlias, "alias '*\(name)' refers to no anchor defined before it")
    }
    aliasNodeCount += anchored.size
    if aliasNodeCount > limits.maxAliasNodes {
      throw refuse(
        .aliasExpansionLimit,
        "aliases expand to more than \(limits.maxAliasNodes) nodes (at '*\(name)')")
    }
    aliasByteCount += anchored.bytes
    if aliasByteCount > limits.maxFileSize {
      throw refuse(
        .aliasExpansionLimit,
        "aliases expand to more than \(limits.maxFileSize) bytes of text, the most a file may "
          + "hold (--max-file-size) (at '*\(name)')")
    }
    // The copy nests as deep below here as the anchored node did below its anchor: the
    // tree, not the text, is what every later pass walks (recursively).
    if stack.count + anchored.height > limits.maxDepth {
      throw refuse(
        .nestingTooDeep,
        limits.tooDeep + " once aliases are expanded "
          + "(at '*\(name)')")
    }
    try count(anchored.size, at: start, into: &diagnostics)
    expansions.aliases.note("alias '*\(name)'") { positions.range(fromByte: start, toByte: end) }
    return anchored.node
  }

  private mutating func push(
    _ event: yaml_event_t, isMapping: Bool, into diagnostics: inout Diagnostics
  ) throws(Stop) {
    let start = marks.offset(event.start_mark)
    if stack.count >= limits.maxDepth {
      diagnostics.report(
        Diagnostic(
          .nestingTooDeep, limits.tooDeep,
          file: file.path, range: positions.range(fromByte: start, toByte: start + 1)))
      throw Stop()
    }
    try count(1, at: start, into: &diagnostics)
    let tag: String?
    let anchor: String?
    let flow: Bool
    if isMapping {
      let data = event.data.mapping_start
      tag = string(data.tag)
      anchor = string(data.anchor)
      flow = data.style == YAML_FLOW_MAPPING_STYLE
    } else {
      let data = event.data.sequence_start
      tag = string(data.tag)
      anchor = string(data.anchor)
      flow = data.style == YAML_FLOW_SEQUENCE_STYLE
    }
    let valueStart =
      (tag != nil || anchor != nil) ? skipProperties(from: start, limit: file.bytes.count) : start
    stack.append(
      Frame(
        isMapping: isMapping, style: flow ? .flow : .block, tag: tag, anchor: anchor,
        propertiesStart: start, valueStart: valueStart, children: children.mark))
  }

  private mutating func pop(_ event: yaml_event_t, into diagnostics: inout Diagnostics) throws(Stop)
    -> Node
  {
    guard let frame = stack.popLast() else { throw Stop() }
    let entries = children.takeEntries(since: frame.children)
    let items = children.takeItems(since: frame.children)
    // A flow collection ends at its closing bracket; libyaml puts a block collection's end
    // where the next token starts (after comments and blank lines), so use the last child's.
    let end: Int
    if frame.style == .flow {
      end = marks.offset(event.end_mark)
    } else {
      end = frame.lastChildEnd ?? frame.valueStart
    }
    let range = positions.range(fromByte: frame.valueStart, toByte: max(end, frame.valueStart))
    var node: Node
    if frame.isMapping {
      var entries = entries
      if frame.hasMergeKey { entries = try merging(entries, into: &diagnostics) }
      // `!Base64 {Fn::Sub: …}`: the long form inside is an intrinsic too.
      if let intrinsic = IntrinsicNormalizer.longForm(
        entries, style: frame.style, range: range, file: file, into: &diagnostics)
      {
        if intrinsic.intrinsic?.function.isChoice == true { sawChoice = true }
        node = intrinsic
      } else {
        node = Node(.mapping(entries), style: frame.style, range: range)
      }
    } else {
      node = Node(.sequence(items), style: frame.style, range: range)
    }
    guard frame.tag != nil || frame.anchor != nil else { return node }
    node = apply(
      tag: frame.tag, to: node, propertiesStart: frame.propertiesStart, into: &diagnostics)
    register(frame.anchor, node)
    return node
  }

  /// Attaches a finished node to its parent, or makes it the root.
  /// `end`: where the node's text ends, when not at its range's end (an alias).
  private mutating func add(
    _ node: Node, endingAt end: Int? = nil, into diagnostics: inout Diagnostics,
    root: inout Node?
  ) throws(Stop) {
    guard !stack.isEmpty else {
      root = node
      return
    }
    let top = stack.count - 1
    stack[top].lastChildEnd = end ?? node.range.end.offset
    if !stack[top].isMapping {
      children.append(node)
      return
    }
    guard let key = stack[top].pendingKey else {
      guard case .scalar(let name) = node.value else {
        diagnostics.report(
          Diagnostic(
            .nonScalarKey, "mapping key is a collection; template keys are strings",
            file: file.path, range: node.range))
        throw Stop()
      }
      if isDuplicate(name, inFrame: top),
        let first = children.entries(since: stack[top].children).first(where: {
          $0.key.scalar?.utf8.elementsEqual(name.utf8) == true
        })
      {
        diagnostics.report(
          Diagnostic(
            .duplicateKey, "duplicate key '\(name)'", file: file.path, range: node.range,
            notes: [.init("first defined here", file: file.path, range: first.key.range)]))
        stack[top].skipValue = true
      }
      if name.utf8.count == 2, Self.isMergeKey(node) { stack[top].hasMergeKey = true }
      stack[top].pendingKey = node
      return
    }
    if stack[top].skipValue {
      stack[top].skipValue = false
    } else {
      children.append(Entry(key: key, value: node))
    }
    stack[top].pendingKey = nil
  }

  // MARK: Merge keys

  /// YAML 1.1's merge key: a plain, untagged `<<` (or one tagged `!!merge`).
  private static func isMergeKey(_ key: Node) -> Bool {
    guard key.scalar == "<<" else { return false }
    return key.tag == "tag:yaml.org,2002:merge" || (key.tag == nil && key.style == .plain)
  }

  /// A mapping's entries with its merge keys applied (`<<: *base`, `<<: [*first, *second]`),
  /// as `aws cloudformation package` and SAM apply them before CloudFormation, which knows no
  /// merge key, sees the template (PyYAML's `flatten_mapping`; <https://yaml.org/type/merge.html>):
  /// the merged mappings' entries take the place of the `<<` entry, except keys the mapping
  /// names itself; of several merged mappings, the first to name a key wins. Merged entries
  /// keep the location of the text they came from.
  private mutating func merging(_ entries: [Entry], into diagnostics: inout Diagnostics)
    throws(Stop)
    -> [Entry]
  {
    var taken = Set(entries.lazy.filter { !Self.isMergeKey($0.key) }.compactMap(\.key.scalar))
    var merged: [Entry] = []
    merged.reserveCapacity(entries.count)
    for entry in entries {
      guard Self.isMergeKey(entry.key) else {
        merged.append(entry)
        continue
      }
      expansions.mergeKeys.note("merge key '<<'") { entry.key.range }
      let sources: [Node] = entry.value.sequence ?? [entry.value]
      for source in sources {
        guard let sourceEntries = source.mapping else {
          diagnostics.report(
            Diagnostic(
              .invalidMerge, "merge key '<<' takes a mapping or a list of mappings",
              file: file.path, range: source.range))
          throw Stop()
        }
        for sourceEntry in sourceEntries where taken.insert(sourceEntry.name).inserted {
          merged.append(sourceEntry)
        }
      }
    }
    return merged
  }

  // MARK: Helpers

  /// Whether `name` is already a key of the mapping being built; records it when it is not.
  private mutating func isDuplicate(_ name: String, inFrame index: Int) -> Bool {
    if stack[index].keyIndex == nil {
      let entries = children.entries(since: stack[index].children)
      if entries.count < 8 {
        return entries.contains { $0.key.scalar?.utf8.elementsEqual(name.utf8) == true }
      }
      stack[index].keyIndex = Set(entries.compactMap(\.key.scalar))
    }
    // A `Set<String>` matches canonically equivalent keys (`e` + U+0301 and `é`), which YAML
    // and CloudFormation tell apart: only the same code points are the same key.
    guard let (inserted, member) = stack[index].keyIndex?.insert(name) else { return false }
    return !inserted && member.utf8.elementsEqual(name.utf8)
  }

  /// Wraps CloudFormation short forms into intrinsics; reports tags nobody defines.
  private mutating func apply(
    tag: String?, to node: Node, propertiesStart: Int, into diagnostics: inout Diagnostics
  ) -> Node {
    guard let tag else { return node }
    if tag == "!" {
      // The non-specific tag: a scalar so tagged is a string (YAML 1.2 §6.9.1), so `! <<` is a
      // key named `<<`, not a merge.
      var tagged = node
      tagged.tag = tag
      return tagged
    }
    let range = positions.range(fromByte: propertiesStart, toByte: node.range.end.offset)
    if let intrinsic = IntrinsicNormalizer.shortForm(
      tag: tag, node: node, range: range, file: file, into: &diagnostics)
    {
      if intrinsic.intrinsic?.function.isChoice == true { sawChoice = true }
      return intrinsic
    }
    var tagged = node
    tagged.tag = tag
    let standard = "tag:yaml.org,2002:"
    if !tag.hasPrefix(standard)
      || !Self.standardTags.contains(String(tag.dropFirst(standard.count)))
    {
      // As written: `!!Sub` is libyaml's `tag:yaml.org,2002:Sub`.
      let written = tag.hasPrefix(standard) ? "!!" + tag.dropFirst(standard.count) : tag
      diagnostics.report(
        Diagnostic(
          .unknownTag, "unknown tag '\(written)'; CloudFormation accepts only its short forms",
          file: file.path,
          range: positions.range(
            fromByte: propertiesStart, toByte: propertiesStart + written.utf8.count)))
    }
    return tagged
  }

  /// The tags of YAML's type repository (https://yaml.org/type/), which `!!` names; `!!Sub`
  /// is none of them (and no short form: those take one `!`).
  static let standardTags: Set<String> = [
    "str", "int", "float", "bool", "null", "binary", "timestamp", "map", "seq", "omap", "pairs",
    "set", "merge", "value", "yaml",
  ]

  private mutating func register(_ anchor: String?, _ node: Node) {
    guard let anchor else { return }
    let (size, bytes, height) = Self.measure(node)
    anchors[anchor] = (node, size, bytes, height)
  }

  private mutating func count(_ nodes: Int, at offset: Int, into diagnostics: inout Diagnostics)
    throws(Stop)
  {
    nodeCount += nodes
    if nodeCount > limits.maxNodes {
      diagnostics.report(
        Diagnostic(
          .tooManyNodes, "document has more than \(limits.maxNodes) nodes", file: file.path,
          range: positions.range(fromByte: offset, toByte: offset)))
      throw Stop()
    }
  }

  /// Skips a node's properties (`!Tag`, `&anchor`) and the blanks and comments after them.
  private func skipProperties(from start: Int, limit: Int) -> Int {
    let bytes = file.bytes
    var index = start
    let end = min(limit, bytes.count)
    while index < end {
      switch bytes[index] {
      case UInt8(ascii: "!"), UInt8(ascii: "&"):
        while index < end, !Self.isBlank(bytes[index]) { index += 1 }
      case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
        index += 1
      case UInt8(ascii: "#"):
        while index < end, bytes[index] != UInt8(ascii: "\n") { index += 1 }
      default:
        return index
      }
    }
    return min(index, limit)
  }

  private static func isBlank(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
  }

  /// The nodes a copy of `node` adds, the bytes of text (scalars and keys) it holds, and how
  /// many collections deep it nests (a scalar none; each intrinsic counted as the mapping its
  /// long form is, so a copy of short forms counts one level more for each on its deepest
  /// path than the same text written in place: never too shallow, and far within a limit
  /// of hundreds of levels).
  static func measure(_ node: Node) -> (nodes: Int, bytes: Int, height: Int) {
    switch node.value {
    case .scalar(let text): return (1, text.utf8.count, 0)
    case .sequence(let items):
      return items.reduce((1, 0, 1)) { total, item in
        let (nodes, bytes, height) = measure(item)
        return (total.0 + nodes, total.1 + bytes, max(total.2, height + 1))
      }
    case .mapping(let entries):
      return entries.reduce((1, 0, 1)) { total, entry in
        let (nodes, bytes, height) = measure(entry.value)
        return (
          total.0 + 1 + nodes, total.1 + (entry.key.scalar?.utf8.count ?? 0) + bytes,
          max(total.2, height + 1)
        )
      }
    case .intrinsic(let intrinsic):
      let (nodes, bytes, height) = measure(intrinsic.argument)
      return (1 + nodes, bytes, height + 1)
    }
  }

  private func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
    guard let pointer else { return nil }
    return String(cString: UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))
  }

  private mutating func reportParserError(
    _ parser: yaml_parser_t, into diagnostics: inout Diagnostics
  ) {
    let problem = parser.problem.map { String(cString: $0) } ?? "malformed YAML"
    var message = problem
    if let context = parser.context.map({ String(cString: $0) }) { message += " " + context }
    let offset: Int
    if parser.error == YAML_READER_ERROR {
      // Reader errors carry a byte offset (`problem_offset`), not a mark.
      offset = min(parser.problem_offset, file.bytes.count)
    } else {
      offset = marks.offset(parser.problem_mark)
    }
    var notes: [Diagnostic.Note] = []
    if parser.context != nil {
      let contextOffset = marks.offset(parser.context_mark)
      notes.append(
        .init(
          "context starts here", file: file.path,
          range: positions.range(
            fromByte: contextOffset, toByte: min(contextOffset + 1, file.bytes.count))))
    }
    diagnostics.report(
      Diagnostic(
        .yamlSyntax, message, file: file.path,
        range: positions.range(fromByte: offset, toByte: min(offset + 1, file.bytes.count)),
        notes: notes))
  }
}

/// libyaml counts marks in characters (Unicode scalars), after a byte-order mark. This turns
/// a mark's character index into a byte offset with a cursor that moves from the previous
/// mark, so the whole parse costs one pass over the bytes even for non-ASCII files.
struct MarkMapper {
  let file: SourceFile
  private let base: Int
  private var characterIndex = 0
  private var byteOffset: Int

  init(file: SourceFile) {
    self.file = file
    let bytes = file.bytes
    let bom = bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF
    self.base = bom ? 3 : 0
    self.byteOffset = base
  }

  mutating func offset(_ mark: yaml_mark_t) -> Int {
    let target = mark.index
    if file.isASCII { return min(target, file.bytes.count) }
    let bytes = file.bytes
    while characterIndex < target, byteOffset < bytes.count {
      byteOffset += 1
      while byteOffset < bytes.count, bytes[byteOffset] & 0xC0 == 0x80 { byteOffset += 1 }
      characterIndex += 1
    }
    while characterIndex > target, byteOffset > base {
      byteOffset -= 1
      while byteOffset > base, bytes[byteOffset] & 0xC0 == 0x80 { byteOffset -= 1 }
      characterIndex -= 1
    }
    return byteOffset
  }
}
