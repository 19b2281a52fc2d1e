/// Finds every dynamic reference in a text (a decoded scalar value) with its exact byte span,
/// and reports each malformed one with the span of what is wrong.
///
/// A small state machine over UTF-8 bytes, not a regular expression: it finds the `{{`/`<<`
/// openers, reads `resolve:`, follows nested openers and `Fn::Sub` placeholders to the matching
/// closer, and only then splits the body into `:`-separated segments. That is what reads
/// `!Sub '{{resolve:secretsmanager:${DBCredential}}}'` right (the `}` of the placeholder is not
/// half of the closer) and keeps `${AWS::Region}` from splitting a segment.
///
/// An opener the text never closes is unterminated (E2011) unless a placeholder follows it
/// (other than a pseudo-parameter's): the placeholder's value may bring the closer
/// (`!Sub '{{resolve:ssm:${N}'` with `N` = `/x}}`, which CloudFormation resolves as
/// `{{resolve:ssm:/x}}`), so the reference is read as ending with the last placeholder at its
/// level (`Reference.isClosedByInput`), and the evaluated text judges it.
///
/// Grammar (DESIGN §4), with `<<` … `>>` accepted in place of `{{` … `}}`:
///
///     {{resolve:ssm:NAME[:VERSION]}}           NAME in a-zA-Z0-9_.-/   VERSION digits
///     {{resolve:ssm-secure:NAME[:VERSION]}}
///     {{resolve:secretsmanager:SECRET-ID[:SecretString[:JSON-KEY[:VERSION-STAGE[:VERSION-ID]]]]}}
///                                              SECRET-ID a name in a-zA-Z0-9/_+=.@- or an ARN
///                                              arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME
public enum ReferenceScanner {
  /// How `${…}` reads.
  public enum Mode: Sendable, Hashable {
    /// Ordinary text: `${Env}` is six characters (and not allowed in a name).
    case plain
    /// The string argument of `Fn::Sub`: `${Env}`, `${AWS::Region}` and `${Db.Endpoint.Address}`
    /// are opaque placeholders that may stand for any part of a name (colons inside them split
    /// nothing); `${!Literal}` is the literal text `${Literal}`.
    case sub
  }

  /// Scans `text`. Costs one pass over its bytes and allocates nothing when the text holds no
  /// `{{` or `<<` followed by `resolve`.
  public static func scan(_ text: String, mode: Mode = .plain) -> ReferenceScan {
    // Nothing shorter than `{{resolve:` can hold a reference or a malformed one.
    guard text.utf8.count >= 10 else { return ReferenceScan() }
    var text = text
    return text.withUTF8 { scan(bytes: $0, mode: mode, opaque: []) }
  }

  /// Whether `text` is or holds a well-formed reference. Where a logical ID or a condition's
  /// name belongs, such a name is E2027's finding (`PlacementRules`), not also a dangling one.
  public static func holdsReference(_ text: String) -> Bool {
    !scan(text).references.isEmpty
  }

  /// What is wrong with `name` as a parameter's name (`isSecret` false) or a secret's id, in
  /// the words a reference naming it gets (E2002); nil when nothing is. For names that are not
  /// written in a reference: what a resource reads at run time (an ECS `ValueFrom`), a path
  /// given on the command line (`inTemplate` false: `${` is then no `Fn::Sub` matter).
  /// `substituted`: the name is what an `Fn::Sub` made, so a `${` in it was written `${!…}`.
  package static func nameProblem(
    _ name: String, isSecret: Bool, inTemplate: Bool = true, substituted: Bool = false
  ) -> String? {
    guard !name.isEmpty else { return nil }
    var name = name
    return name.withUTF8 { bytes in
      var machine = ScanMachine(bytes: bytes, mode: .plain, opaque: [])
      machine.explainsSubstitution = inTemplate
      machine.substitutedValue = substituted
      let whole = 0..<bytes.count
      let body = ScanMachine.ParsedBody(
        whole: whole, bodyStart: 0, closeAt: bytes.count, delimiter: .braces, segments: [whole],
        colons: [], placeholders: [])
      if isSecret {
        _ = machine.checkAlphabet(whole, body, isSecret: true, noun: "secret id")
      } else if !machine.checkAlphabet(whole, body, isSecret: false, noun: "parameter name") {
        _ = machine.checkParameterShape(whole, body)
      }
      return machine.result.issues.first?.message
    }
  }

  /// Scans UTF-8 bytes. `opaque` marks spans that stand for values known only after evaluation
  /// (the non-literal pieces of an `Fn::Join`); they read like `Fn::Sub` placeholders. They must
  /// be sorted and must not overlap.
  package static func scan(
    bytes: UnsafeBufferPointer<UInt8>, mode: Mode, opaque: [ReferencePlaceholder]
  ) -> ReferenceScan {
    var machine = ScanMachine(bytes: bytes, mode: mode, opaque: opaque)
    machine.run()
    return machine.result
  }
}

/// What a scan found, in text order.
public struct ReferenceScan: Sendable, Hashable {
  public var references: [ScannedReference] = []
  public var issues: [ReferenceIssue] = []

  public init(references: [ScannedReference] = [], issues: [ReferenceIssue] = []) {
    self.references = references
    self.issues = issues
  }

  public var isEmpty: Bool { references.isEmpty && issues.isEmpty }
}

/// A well-formed reference and where it sits in the scanned text.
public struct ScannedReference: Sendable, Hashable {
  public var reference: Reference
  /// UTF-8 byte offsets of `reference.text` in the scanned text.
  public var span: Range<Int>
  /// The `${…}` placeholders inside the reference, in order.
  public var placeholders: [ReferencePlaceholder]

  public init(reference: Reference, span: Range<Int>, placeholders: [ReferencePlaceholder] = []) {
    self.reference = reference
    self.span = span
    self.placeholders = placeholders
  }
}

/// A `${…}` placeholder of an `Fn::Sub` string, or a piece of an `Fn::Join` known only after
/// evaluation.
public struct ReferencePlaceholder: Sendable, Hashable {
  /// The variable: `Env`, `AWS::Region`, `Db.Endpoint.Address`.
  public var name: String
  /// The bytes of the whole placeholder, `${Env}`.
  public var span: Range<Int>

  public init(name: String, span: Range<Int>) {
    self.name = name
    self.span = span
  }
}

/// A malformed reference: what is wrong and exactly where.
public struct ReferenceIssue: Sendable, Hashable {
  public var code: DiagnosticCode
  public var message: String
  /// The bytes at fault (a character, a segment, the opener), in the scanned text.
  public var span: Range<Int>
  /// The whole reference the issue belongs to (to the end of the text when unterminated).
  public var referenceSpan: Range<Int>

  public init(code: DiagnosticCode, message: String, span: Range<Int>, referenceSpan: Range<Int>) {
    self.code = code
    self.message = message
    self.span = span
    self.referenceSpan = referenceSpan
  }
}

// MARK: - The machine

private enum Byte {
  static let openBrace = UInt8(ascii: "{")
  static let closeBrace = UInt8(ascii: "}")
  static let less = UInt8(ascii: "<")
  static let greater = UInt8(ascii: ">")
  static let colon = UInt8(ascii: ":")
  static let dollar = UInt8(ascii: "$")
  static let bang = UInt8(ascii: "!")
  static let backslash = UInt8(ascii: "\\")
  static let resolve: [UInt8] = Array("resolve".utf8)
}

struct ScanMachine {
  let bytes: UnsafeBufferPointer<UInt8>
  let mode: ReferenceScanner.Mode
  /// Opaque spans by their first byte.
  let opaque: [Int: ReferencePlaceholder]
  var result = ReferenceScan()
  /// Whether a `${` in a name is explained as `Fn::Sub`'s (the name was written in a template).
  var explainsSubstitution = true
  /// The text is what an `Fn::Sub` made (a run-time reader's name), where `${!Literal}` left
  /// a `${`: the advice to wrap it in `!Sub` does not apply.
  var substitutedValue = false

  // Bounds on the work hostile text can cause (each filled on first use):
  /// Openers already known never to close (found open when an enclosing scan hit the end).
  private var unterminated: Set<Int> = []
  /// Openers already known to close in the text only by a piece's value: where that piece
  /// ends (found open when an enclosing scan hit the end).
  private var closedByPiece: [Int: Int] = [:]
  /// The last search for the `}` that ends a placeholder: from `from`, found at `at` (or the
  /// end of the text when there is none). A later search starting between the two has the same
  /// answer, which keeps a run of `${` without `}` linear.
  private var braceSearch: (from: Int, at: Int)?
  /// Where the last `}}` and `>>` start, for the hint on an unterminated reference.
  private var lastClosers: (braces: Int, angles: Int)?

  init(
    bytes: UnsafeBufferPointer<UInt8>, mode: ReferenceScanner.Mode, opaque: [ReferencePlaceholder]
  ) {
    self.bytes = bytes
    self.mode = mode
    var table: [Int: ReferencePlaceholder] = [:]
    for piece in opaque { table[piece.span.lowerBound] = piece }
    self.opaque = table
  }

  /// One pass over the text; each candidate opener is read by `reference(at:)`, which returns
  /// where to go on. Every byte is visited a bounded number of times: an opener that never
  /// closes is remembered with every opener it encloses, so none of them is walked again.
  mutating func run() {
    let count = bytes.count
    let placeholders = mode == .sub || !opaque.isEmpty
    var index = 0
    while index + 1 < count {
      let byte = bytes[index]
      if byte == Byte.openBrace || byte == Byte.less {
        if bytes[index + 1] == byte, let resume = reference(at: index) {
          index = resume
          continue
        }
      } else if placeholders, let placeholder = placeholder(at: index) {
        index = placeholder.span.upperBound
        continue
      }
      index += 1
    }
  }

  // MARK: Finding the extent

  /// An opener at `index`: `{{` or `<<`, `resolve`, `:`, with any blanks between (which make
  /// it a spaced reference, E2009). Nil when the text there is not an opener. `resolve` in any
  /// other case (`{{RESOLVE:`) is an opener too, reported (E2037) instead of read.
  private func opener(at index: Int) -> (
    delimiter: Reference.Delimiter, body: Int, spaced: Bool, miscased: Bool
  )? {
    guard index + 1 < bytes.count else { return nil }
    let byte = bytes[index]
    guard byte == Byte.openBrace || byte == Byte.less, bytes[index + 1] == byte else { return nil }
    let openerEnd = index + 2
    var cursor = skipBlanks(from: openerEnd)
    let miscased = !matches(Byte.resolve, at: cursor)
    guard !miscased || matchesIgnoringCase(Byte.resolve, at: cursor) else { return nil }
    var spaced = cursor > openerEnd
    cursor += Byte.resolve.count
    let afterWord = cursor
    cursor = skipBlanks(from: cursor)
    spaced = spaced || cursor > afterWord
    guard cursor < bytes.count, bytes[cursor] == Byte.colon else { return nil }
    cursor += 1
    let afterColon = cursor
    cursor = skipBlanks(from: cursor)
    spaced = spaced || cursor > afterColon
    return (byte == Byte.openBrace ? .braces : .angles, cursor, spaced, miscased)
  }

  /// Reads a candidate reference whose opener starts at `start`. Returns where scanning goes on,
  /// or nil when there is no opener at `start` (then it is ordinary text).
  private mutating func reference(at start: Int) -> Int? {
    guard let (delimiter, bodyStart, leadingSpaces, miscased) = opener(at: start) else {
      return nil
    }
    guard !unterminated.contains(start) else {
      reportUnterminated(start, delimiter: delimiter, bodyStart: bodyStart)
      return bodyStart
    }
    // An opener an enclosing walk found closed only by a piece: its walk ends there.
    let limit = closedByPiece[start] ?? bytes.count

    // Walk to the closer, following nested openers so that the outer reference ends where it
    // really ends, and skipping placeholders, whose braces and colons are not syntax. Each
    // open opener notes the end of the last placeholder met at its own level before anything
    // opens inside it (`closable`): where a piece's value may close it when the text does not.
    var stack: [OpenOpener] = [OpenOpener(delimiter: delimiter, start: start)]
    var open = (braces: delimiter == .braces ? 1 : 0, angles: delimiter == .angles ? 1 : 0)
    var colons: [Int] = []
    var placeholders: [ReferencePlaceholder] = []
    var nestedStart = -1
    var nestedEnd = -1
    var closeAt = -1
    var index = bodyStart
    scanning: while index < limit {
      // `placeholder(at:)` finds nothing unless a piece is opaque or the byte is a `$`.
      if !opaque.isEmpty || bytes[index] == Byte.dollar, let placeholder = placeholder(at: index) {
        if stack.count == 1 { placeholders.append(placeholder) }
        let top = stack.count - 1
        if !stack[top].enclosing, Self.mayHoldCloser(placeholder) {
          stack[top].closable = placeholder.span.upperBound
        }
        index = placeholder.span.upperBound
        continue
      }
      let byte = bytes[index]
      if index + 1 < limit, bytes[index + 1] == byte {
        if byte == Byte.closeBrace || byte == Byte.greater {
          let closer: Reference.Delimiter = byte == Byte.closeBrace ? .braces : .angles
          if (closer == .braces ? open.braces : open.angles) > 0,
            let level = stack.lastIndex(where: { $0.delimiter == closer })
          {
            if level == 0 {
              closeAt = index
              break scanning
            }
            if level == 1, nestedEnd < 0 { nestedEnd = index + 2 }
            for entry in stack[level...] {
              if entry.delimiter == .braces { open.braces -= 1 } else { open.angles -= 1 }
            }
            stack.removeSubrange(level...)
            index += 2
            continue
          }
        } else if let inner = opener(at: index) {
          stack[stack.count - 1].enclosing = true
          stack.append(OpenOpener(delimiter: inner.delimiter, start: index))
          if inner.delimiter == .braces { open.braces += 1 } else { open.angles += 1 }
          if stack.count == 2, nestedStart < 0 { nestedStart = index }
          index = inner.body
          continue
        }
      }
      if byte == Byte.colon, stack.count == 1 { colons.append(index) }
      index += 1
    }

    // Written closed, or closed (perhaps) by the value of the last piece known only after
    // evaluation that follows the opener: `{{resolve:ssm:${N}` with `N` = `/x}}` is
    // `{{resolve:ssm:/x}}` once evaluated, which CloudFormation resolves. The text after that
    // piece is then outside the reference, and the evaluated text judges it.
    var closedByInput = false
    if closeAt < 0 {
      // Every opener still open here never closes in the text either: its own walk would meet
      // the same closers, and the same pieces. Remember them so that none is walked again
      // (one a piece may close, only as far as that piece).
      for entry in stack.dropFirst() {
        if entry.closable >= 0 {
          closedByPiece[entry.start] = entry.closable
        } else {
          unterminated.insert(entry.start)
        }
      }
      guard stack[0].closable >= 0 else {
        reportUnterminated(start, delimiter: delimiter, bodyStart: bodyStart)
        return bodyStart
      }
      closeAt = stack[0].closable
      closedByInput = true
      // Nothing opened inside before that piece (it would have stopped the noting): the colons
      // and placeholders past it belong to the text after the reference.
      colons.removeAll { $0 >= closeAt }
      placeholders.removeAll { $0.span.lowerBound >= closeAt }
      nestedStart = -1
    }
    let end = closedByInput ? closeAt : closeAt + 2
    let whole = start..<end
    let spaced =
      leadingSpaces
      || (!closedByInput && closeAt > bodyStart && isBlank(bytes[closeAt - 1]))
    if spaced {
      let body = trimmedText(bodyStart..<closeAt)
      let close = closedByInput ? "" : delimiter.close
      report(
        .spacesInReference,
        "spaces inside '\(delimiter.open) … \(delimiter.close)': CloudFormation leaves this text "
          + "unresolved; write '\(delimiter.open)resolve:\(body)\(close)'",
        span: whole, reference: whole)
      return end
    }
    if miscased {
      let word = String(
        decoding: bytes[(start + 2)..<(start + 2 + Byte.resolve.count)], as: UTF8.self)
      report(
        .resolveNotLowerCase,
        "'\(delimiter.open)\(word):' is not a dynamic reference: CloudFormation recognises only "
          + "'\(delimiter.open)resolve:' in lower case and deploys this text as written",
        span: whole, reference: whole)
      return end
    }
    if nestedStart >= 0 {
      let inner = nestedStart..<(nestedEnd >= 0 ? nestedEnd : closeAt)
      report(
        .nestedReference,
        "reference inside another reference; CloudFormation resolves neither, "
          + "so build the name with 'Fn::Sub' or 'Fn::Join' instead",
        span: inner, reference: whole)
      return end
    }
    var segments: [Range<Int>] = []
    segments.reserveCapacity(colons.count + 1)
    var segmentStart = bodyStart
    for colon in colons {
      segments.append(segmentStart..<colon)
      segmentStart = colon + 1
    }
    segments.append(segmentStart..<closeAt)
    var parsed = ParsedBody(
      whole: whole, bodyStart: bodyStart, closeAt: closeAt, delimiter: delimiter,
      segments: segments, colons: colons, placeholders: placeholders,
      closedByInput: closedByInput)
    validate(&parsed)
    return end
  }

  /// Whether a placeholder's value may hold a closer: any but a pseudo-parameter's (a region,
  /// an account, a partition, a stack's name or id, a URL suffix), which never holds a brace.
  static func mayHoldCloser(_ placeholder: ReferencePlaceholder) -> Bool {
    !placeholder.name.hasPrefix("AWS::")
  }

  /// An opener the walk to its closer has met and not yet seen closed.
  private struct OpenOpener {
    let delimiter: Reference.Delimiter
    let start: Int
    /// Where the last placeholder met at this opener's level ends (-1 before any).
    var closable = -1
    /// Whether another opener has opened inside it: the placeholders after that are not
    /// where this one may close.
    var enclosing = false

    init(delimiter: Reference.Delimiter, start: Int) {
      self.delimiter = delimiter
      self.start = start
    }
  }

  private mutating func reportUnterminated(
    _ start: Int, delimiter: Reference.Delimiter, bodyStart: Int
  ) {
    if lastClosers == nil {
      var braces = -1
      var angles = -1
      var index = bytes.count - 2
      while index >= 0, braces < 0 || angles < 0 {
        if bytes[index] == bytes[index + 1] {
          if bytes[index] == Byte.closeBrace, braces < 0 { braces = index }
          if bytes[index] == Byte.greater, angles < 0 { angles = index }
        }
        index -= 1
      }
      lastClosers = (braces, angles)
    }
    let other: Reference.Delimiter = delimiter == .braces ? .angles : .braces
    let lastOther = other == .braces ? lastClosers?.braces ?? -1 : lastClosers?.angles ?? -1
    let hint =
      lastOther >= bodyStart
      ? " (a reference opened with '\(delimiter.open)' ends with '\(delimiter.close)', "
        + "not '\(other.close)')" : ""
    report(
      .unterminatedReference,
      "'\(delimiter.open)resolve:' is never closed with '\(delimiter.close)'\(hint)",
      span: start..<bodyStart, reference: start..<bytes.count)
  }

  /// A `${…}` placeholder (Sub mode) or an opaque span starting exactly at `index`.
  private mutating func placeholder(at index: Int) -> ReferencePlaceholder? {
    if !opaque.isEmpty, let piece = opaque[index] { return piece }
    guard mode == .sub, bytes[index] == Byte.dollar, index + 2 < bytes.count,
      bytes[index + 1] == Byte.openBrace, bytes[index + 2] != Byte.bang
    else { return nil }
    let from = index + 2
    let end: Int
    if let search = braceSearch, search.from <= from, from <= search.at {
      end = search.at
    } else {
      var cursor = from
      while cursor < bytes.count, bytes[cursor] != Byte.closeBrace { cursor += 1 }
      braceSearch = (from, cursor)
      end = cursor
    }
    guard end < bytes.count else { return nil }
    return ReferencePlaceholder(name: text((index + 2)..<end), span: index..<(end + 1))
  }

  // MARK: Validating the segments

  struct ParsedBody {
    let whole: Range<Int>
    let bodyStart: Int
    let closeAt: Int
    let delimiter: Reference.Delimiter
    let segments: [Range<Int>]
    /// `colons[i]` separates `segments[i]` and `segments[i + 1]`.
    let colons: [Int]
    let placeholders: [ReferencePlaceholder]
    /// The text writes no closer: the reference ends with a placeholder whose value may
    /// close it (`closeAt` is where that placeholder ends).
    var closedByInput = false
  }

  private mutating func validate(_ body: inout ParsedBody) {
    let serviceRange = body.segments[0]
    let service = text(serviceRange)
    guard !hasPlaceholder(serviceRange, body), let kind = Reference.Kind(rawValue: service) else {
      let expected = "expected 'ssm', 'ssm-secure' or 'secretsmanager'"
      let message: String
      if serviceRange.isEmpty {
        message = "reference names no service; \(expected)"
      } else if hasPlaceholder(serviceRange, body) {
        message = "service '\(service)' must be written out, not substituted; \(expected)"
      } else if let known = Reference.Kind(rawValue: service.lowercased()) {
        message = "unknown service '\(service)'; service names are lower case: '\(known.rawValue)'"
      } else {
        message = "unknown service '\(service)'; \(expected)"
      }
      report(
        .unknownService, message, span: serviceRange.isEmpty ? body.whole : serviceRange,
        reference: body.whole)
      return
    }
    if body.closeAt > body.bodyStart, bytes[body.closeAt - 1] == Byte.backslash {
      report(
        .trailingBackslash,
        "reference ends with a backslash; CloudFormation cannot resolve it and the stack "
          + "operation fails", span: (body.closeAt - 1)..<body.closeAt, reference: body.whole)
      return
    }
    switch kind {
    case .ssm, .ssmSecure: validateParameter(kind, body)
    case .secretsManager: validateSecret(body)
    }
  }

  private mutating func validateParameter(_ kind: Reference.Kind, _ body: ParsedBody) {
    let segments = body.segments
    guard segments.count >= 2, !segments[1].isEmpty else {
      report(
        .emptyName, "reference names no parameter; write '{{resolve:\(kind.rawValue):NAME}}'",
        span: body.whole, reference: body.whole)
      return
    }
    let nameRange = segments[1]
    let name = text(nameRange)
    if name == "arn", segments.count > 2, !hasPlaceholder(nameRange, body) {
      report(
        .invalidName,
        "parameter ARNs are not accepted in dynamic references (CloudFormation reads no "
          + "parameter shared from another account); use the parameter's name",
        span: nameRange.lowerBound..<body.closeAt, reference: body.whole)
      return
    }
    if checkAlphabet(nameRange, body, isSecret: false, noun: "parameter name") { return }
    if !hasPlaceholder(nameRange, body), checkParameterShape(nameRange, body) { return }
    if segments.count > 3 {
      report(
        .tooManySegments,
        "too many segments: a '\(kind.rawValue)' reference is "
          + "'{{resolve:\(kind.rawValue):NAME}}' or '{{resolve:\(kind.rawValue):NAME:VERSION}}'",
        span: body.colons[2]..<body.closeAt, reference: body.whole)
      return
    }
    var version: Int?
    if segments.count == 3 {
      let versionRange = segments[2]
      let written = text(versionRange)
      if versionRange.isEmpty {
        report(
          .emptyVersion,
          "version is empty: remove the trailing ':' or give a version number "
            + "(CloudFormation reports 'Incorrect format')",
          span: body.colons[1]..<(body.colons[1] + 1), reference: body.whole)
        return
      }
      let placeholders = hasPlaceholder(versionRange, body)
      var digitsOnly = true
      forEachByte(in: versionRange, body) { byte in
        if byte < UInt8(ascii: "0") || byte > UInt8(ascii: "9") { digitsOnly = false }
      }
      guard digitsOnly else {
        report(
          .versionNotANumber,
          "version '\(written)' is not a number; dynamic references accept no parameter labels",
          span: versionRange, reference: body.whole)
        return
      }
      if !placeholders {
        guard let number = Int(written), number >= 1 else {
          let reason =
            Int(written) == 0
            ? "parameter versions start at 1" : "it is out of range for a parameter version"
          report(
            .versionNotANumber, "version '\(written)' does not exist: \(reason)",
            span: versionRange, reference: body.whole)
          return
        }
        version = number
      }
    }
    emit(
      Reference(
        kind: kind, name: name, version: version, delimiter: body.delimiter,
        text: text(body.whole)), body)
  }

  private mutating func validateSecret(_ body: ParsedBody) {
    let segments = body.segments
    guard segments.count >= 2 else {
      report(
        .emptyName, "reference names no secret; write '{{resolve:secretsmanager:SECRET-ID}}'",
        span: body.whole, reference: body.whole)
      return
    }
    let nameRange: Range<Int>
    let rest: Int  // index of the first segment after the secret id
    let first = segments[1]
    if text(first) == "arn" {
      guard segments.count >= 8 else {
        report(
          .invalidSecretARN,
          "secret ARN has \(segments.count - 1) of its 7 ':'-separated parts; expected "
            + "'arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME'",
          span: first.lowerBound..<body.closeAt, reference: body.whole)
        return
      }
      if checkARN(body) { return }
      nameRange = first.lowerBound..<segments[7].upperBound
      rest = 8
    } else {
      guard !first.isEmpty else {
        report(
          .emptyName, "reference names no secret; write '{{resolve:secretsmanager:SECRET-ID}}'",
          span: body.whole, reference: body.whole)
        return
      }
      if checkAlphabet(first, body, isSecret: true, noun: "secret id") { return }
      nameRange = first
      rest = 2
    }
    if segments.count > rest + 4 {
      report(
        .tooManySegments,
        "too many segments: a 'secretsmanager' reference is '{{resolve:secretsmanager:"
          + "SECRET-ID:SecretString:JSON-KEY:VERSION-STAGE:VERSION-ID}}'",
        span: body.colons[rest + 3]..<body.closeAt, reference: body.whole)
      return
    }
    func segment(_ index: Int) -> Range<Int>? {
      index < segments.count ? segments[index] : nil
    }
    let secretString = segment(rest).map { text($0) }
    if let range = segment(rest), let written = secretString, !written.isEmpty,
      written != "SecretString", !hasPlaceholder(range, body)
    {
      let message =
        written == "SecretBinary"
        ? "'SecretBinary' cannot be referenced: CloudFormation resolves only 'SecretString'"
        : "segment '\(written)' must be 'SecretString' or empty; a JSON key comes after it "
          + "('…:SecretString:\(written)')"
      report(.secretStringSegment, message, span: range, reference: body.whole)
      // A secret id with a placeholder may hold the `:SecretString` itself (a parameter
      // `prod/db:SecretString`): the reference is still read, and its evaluated text decides
      // (`ReferenceEvaluator` withdraws this finding when that text is well formed).
      guard hasPlaceholder(nameRange, body) else { return }
    }
    let stage = segment(rest + 2).flatMap { $0.isEmpty ? nil : $0 }
    let versionId = segment(rest + 3).flatMap { $0.isEmpty ? nil : $0 }
    let reference = Reference(
      kind: .secretsManager, name: text(nameRange), secretString: secretString,
      jsonKey: segment(rest + 1).flatMap { $0.isEmpty ? nil : text($0) },
      versionStage: stage.map { text($0) }, versionId: versionId.map { text($0) },
      delimiter: body.delimiter, text: text(body.whole))
    if let stage, let versionId {
      report(
        .stageAndVersionId,
        "reference gives both version stage '\(text(stage))' and version id "
          + "'\(text(versionId))'; give one (CloudFormation does not check that they agree)",
        span: stage.lowerBound..<versionId.upperBound, reference: body.whole)
    }
    emit(reference, body)
  }

  /// Checks the seven tokens of a secret ARN; reports the first bad one.
  private mutating func checkARN(_ body: ParsedBody) -> Bool {
    let tokens = Array(body.segments[1...7])
    func fixed(_ index: Int) -> String? {
      hasPlaceholder(tokens[index], body) ? nil : text(tokens[index])
    }
    let shape = "'arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME'"
    var problem: (Int, String)?
    if let partition = fixed(1), !Self.isPartition(partition) {
      problem = (
        1, "partition '\(partition)' in secret ARN is not an AWS partition ('aws', 'aws-cn', …)"
      )
    } else if let service = fixed(2), service != "secretsmanager" {
      problem = (2, "ARN names service '\(service)', not 'secretsmanager'; expected \(shape)")
    } else if let region = fixed(3), !Self.isRegion(region) {
      problem = (3, "region '\(region)' in secret ARN is not a region name ('us-east-1', …)")
    } else if let account = fixed(4), !Self.isAccount(account) {
      problem = (4, "account '\(account)' in secret ARN is not a 12-digit account id")
    } else if let type = fixed(5), type != "secret" {
      problem = (5, "ARN resource type is '\(type)', not 'secret'; expected \(shape)")
    }
    if let (index, message) = problem {
      report(.invalidSecretARN, message, span: tokens[index], reference: body.whole)
      return true
    }
    let name = tokens[6]
    if name.isEmpty {
      report(
        .emptyName, "secret ARN names no secret after ':secret:'",
        span: tokens[0].lowerBound..<name.upperBound, reference: body.whole)
      return true
    }
    return checkAlphabet(name, body, isSecret: true, noun: "secret name")
  }

  /// Reports the first byte of `range` outside the name alphabet (placeholders skipped).
  mutating func checkAlphabet(
    _ range: Range<Int>, _ body: ParsedBody, isSecret: Bool, noun: String
  ) -> Bool {
    var bad: Int?
    forEachByte(
      in: range, body,
      indexed: { index, byte in
        if bad == nil, !(isSecret ? Self.isSecretNameByte(byte) : Self.isParameterNameByte(byte)) {
          bad = index
        }
      })
    guard let bad else { return false }
    let what = "\(noun) '\(text(range))'"
    let allowed = isSecret ? "letters, digits and '/_+=.@-'" : "letters, digits and '_.-/'"
    let message: String
    let span: Range<Int>
    if explainsSubstitution, bytes[bad] == Byte.dollar, bad + 1 < range.upperBound,
      bytes[bad + 1] == Byte.openBrace
    {
      span = bad..<(bad + 2)
      if mode == .plain, substitutedValue {
        message =
          "\(what) contains '${', which 'Fn::Sub' wrote for a '${!…}' and no name may hold; "
          + "allowed are \(allowed)"
      } else if mode == .plain {
        message =
          "\(what) contains '${', which is substituted only inside 'Fn::Sub'; "
          + "wrap the value in '!Sub' or write the name out"
      } else if bad + 2 < range.upperBound, bytes[bad + 2] == Byte.bang {
        message =
          "\(what) contains '${!…}', which 'Fn::Sub' turns into the literal text '${…}'; "
          + "allowed are \(allowed)"
      } else {
        message = "\(what) contains '${' without a closing '}'; allowed are \(allowed)"
      }
    } else {
      span = bad..<min(range.upperBound, bad + Self.sequenceLength(bytes[bad]))
      message = "\(what) contains \(describe(span)); allowed are \(allowed)"
    }
    report(.invalidName, message, span: span, reference: body.whole)
    return true
  }

  // MARK: Output

  private mutating func emit(_ reference: Reference, _ body: ParsedBody) {
    var reference = reference
    reference.isClosedByInput = body.closedByInput
    result.references.append(
      ScannedReference(reference: reference, span: body.whole, placeholders: body.placeholders))
  }

  /// Parameter Store's shape of a name, which CloudFormation's `GetParameters` call refuses
  /// otherwise (`ParameterNameRules` in the store holds the same rules, worded as AWS words its
  /// errors): "when you reference a parameter that is part of a hierarchy, specify the entire
  /// hierarchy path including the initial slash"; no level is empty; "parameter hierarchies
  /// are limited to a maximum depth of fifteen levels"; and a name's ARN is at most 1,011
  /// characters. https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-su-create.html
  /// Names with placeholders are left to their evaluation.
  mutating func checkParameterShape(_ range: Range<Int>, _ body: ParsedBody) -> Bool {
    let slash = UInt8(ascii: "/")
    var levels = 0
    var emptyLevel: Range<Int>?
    for index in range where bytes[index] == slash {
      levels += 1
      let next = index + 1
      if emptyLevel == nil, next == range.upperBound || bytes[next] == slash {
        emptyLevel = next < range.upperBound ? next..<(next + 1) : index..<next
      }
    }
    // The name's text is made only for a message: most names pass.
    var name: String { text(range) }
    // PutParameter refuses a name that starts, after its '/', with "aws" or "ssm" in any case
    // (Parameter Store's naming constraints), so no such parameter exists to read; '/aws/…' is
    // AWS's own (public parameters, `/aws/reference/secretsmanager/…`).
    let start = bytes[range.lowerBound] == slash ? range.lowerBound + 1 : range.lowerBound
    let awsNamespace =
      range.count > 5
      && bytes[range.lowerBound..<(range.lowerBound + 5)].elementsEqual("/aws/".utf8)
    if range.upperBound - start >= 3, !awsNamespace {
      let prefix = bytes[start..<(start + 3)]
      let folded = prefix.map { $0 | 0x20 }
      if folded.elementsEqual("aws".utf8) || folded.elementsEqual("ssm".utf8) {
        report(
          .invalidName,
          "parameter name '\(name)' starts with '\(String(decoding: prefix, as: UTF8.self))': "
            + "Parameter Store refuses names prefixed with 'aws' or 'ssm' in any case, so none "
            + "can exist ('/aws/…' is AWS's public namespace)",
          span: range, reference: body.whole)
        return true
      }
    }
    guard levels > 0 || range.count > Self.maximumParameterNameLength else { return false }
    if levels > 0, bytes[range.lowerBound] != slash {
      report(
        .invalidName,
        "parameter name '\(name)' is hierarchical but does not start with '/'; write '/\(name)'",
        span: range, reference: body.whole)
    } else if let emptyLevel {
      report(
        .invalidName, "parameter name '\(name)' has an empty level",
        span: range.count == 1 ? range : emptyLevel, reference: body.whole)
    } else if levels > Self.maximumParameterLevels {
      report(
        .invalidName,
        "parameter name '\(name)' has \(levels) levels; Parameter Store allows "
          + "\(Self.maximumParameterLevels)",
        span: range, reference: body.whole)
    } else if range.count > Self.maximumParameterNameLength {
      report(
        .invalidName,
        "parameter name is \(range.count) characters; with its ARN a name has at most "
          + "\(Self.maximumParameterNameLength)",
        span: range, reference: body.whole)
    } else {
      return false
    }
    return true
  }

  static let maximumParameterLevels = 15
  static let maximumParameterNameLength = 1_011

  private mutating func report(
    _ code: DiagnosticCode, _ message: String, span: Range<Int>, reference: Range<Int>
  ) {
    result.issues.append(
      ReferenceIssue(code: code, message: message, span: span, referenceSpan: reference))
  }

  // MARK: Bytes

  /// `word` (lower case ASCII) at `index` in any case.
  private func matchesIgnoringCase(_ word: [UInt8], at index: Int) -> Bool {
    guard index >= 0, index + word.count <= bytes.count else { return false }
    for offset in 0..<word.count where bytes[index + offset] | 0x20 != word[offset] { return false }
    return true
  }

  private func matches(_ word: [UInt8], at index: Int) -> Bool {
    guard index >= 0, index + word.count <= bytes.count else { return false }
    for offset in 0..<word.count where bytes[index + offset] != word[offset] { return false }
    return true
  }

  private func skipBlanks(from start: Int) -> Int {
    var index = start
    while index < bytes.count, isBlank(bytes[index]) { index += 1 }
    return index
  }

  private func isBlank(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
  }

  private func hasPlaceholder(_ range: Range<Int>, _ body: ParsedBody) -> Bool {
    body.placeholders.contains { $0.span.overlaps(range) }
  }

  /// Calls `body` for each byte of `range` that is not inside a placeholder.
  private func forEachByte(
    in range: Range<Int>, _ parsed: ParsedBody, indexed body: (Int, UInt8) -> Void
  ) {
    var index = range.lowerBound
    var next =
      parsed.placeholders.firstIndex { $0.span.upperBound > index } ?? parsed.placeholders.count
    while index < range.upperBound {
      if next < parsed.placeholders.count, parsed.placeholders[next].span.lowerBound <= index {
        index = parsed.placeholders[next].span.upperBound
        next += 1
        continue
      }
      body(index, bytes[index])
      index += 1
    }
  }

  private func forEachByte(in range: Range<Int>, _ parsed: ParsedBody, _ body: (UInt8) -> Void) {
    forEachByte(in: range, parsed, indexed: { _, byte in body(byte) })
  }

  func text(_ range: Range<Int>) -> String {
    String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
  }

  private func trimmedText(_ range: Range<Int>) -> String {
    var lower = range.lowerBound
    var upper = range.upperBound
    while lower < upper, isBlank(bytes[lower]) { lower += 1 }
    while upper > lower, isBlank(bytes[upper - 1]) { upper -= 1 }
    return text(lower..<upper)
  }

  /// A character for a message: quoted when printable, named when not.
  private func describe(_ range: Range<Int>) -> String {
    let character = text(range)
    switch character {
    case " ": return "a space"
    case "\t": return "a tab"
    case "\n", "\r": return "a line break"
    default:
      if let scalar = character.unicodeScalars.first,
        scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value)
          || scalar.properties.isWhitespace
      {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
      }
      return "'\(character)'"
    }
  }

  static func sequenceLength(_ lead: UInt8) -> Int {
    switch lead {
    case 0xF0...: 4
    case 0xE0...: 3
    case 0xC0...: 2
    default: 1
    }
  }

  static func isParameterNameByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."),
      UInt8(ascii: "-"), UInt8(ascii: "/"):
      true
    default: false
    }
  }

  static func isSecretNameByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "/"), UInt8(ascii: "_"),
      UInt8(ascii: "+"), UInt8(ascii: "="), UInt8(ascii: "."), UInt8(ascii: "@"),
      UInt8(ascii: "-"):
      true
    default: false
    }
  }

  /// `aws`, or `aws-` and lowercase words: every AWS partition is named so (`aws-cn`,
  /// `aws-us-gov`, `aws-iso-b`, `aws-eusc`), and new ones follow the pattern
  /// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html).
  static func isPartition(_ text: String) -> Bool {
    guard text == "aws" || text.hasPrefix("aws-"), text.utf8.last != UInt8(ascii: "-") else {
      return false
    }
    return text.utf8.allSatisfy {
      ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || $0 == UInt8(ascii: "-")
    }
  }

  static func isRegion(_ text: String) -> Bool {
    !text.isEmpty
      && text.utf8.allSatisfy {
        ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z"))
          || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "-")
      }
  }

  static func isAccount(_ text: String) -> Bool {
    text.utf8.count == 12
      && text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
  }
}
