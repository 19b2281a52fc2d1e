/// An IAM `Action` or `Resource` value as IAM matches it: `*` stands for any run of characters,
/// `?` for any one. Actions match without regard to case, resources with it.
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
/// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
///
/// A value only partly known (a `${Env}` with no value, a policy variable like
/// `${aws:username}` that IAM fills per request) keeps its holes as `*` and is marked inexact:
/// it can still be shown to match nothing, never to match everything it must.
///
/// The whole ARN is matched as one string, where IAM matches the fields before the resource one
/// by one: a `*` here may reach across a `:`, which only an ARN with fields missing shows. That
/// can only make a pattern match more, so "matches nothing" stays exact.
struct IAMPattern: Sendable, Hashable, CustomStringConvertible {
  enum Token: Sendable, Hashable {
    case character(Unicode.Scalar)
    /// `?`
    case one
    /// `*`
    case run
    /// Any run of characters without a `:`: one field of an ARN, whatever it holds.
    case field
  }

  var tokens: [Token]
  /// False when a hole stands in for something unknown.
  var isExact: Bool
  /// The text as written, holes shown as `${…}`.
  var description: String

  /// An action (`ssm:GetParameter*`), compared without case.
  static func action(_ text: String) -> IAMPattern {
    IAMPattern(pieces: [.text(text.lowercased())], policyVariables: false, display: text)
  }

  /// A resource ARN pattern; `${…}` is a policy variable (`${aws:username}`), or one of IAM's
  /// escapes `${*}`, `${?}`, `${$}` for the character itself.
  /// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
  static func resource(_ text: String) -> IAMPattern {
    IAMPattern(pieces: [.text(text)], policyVariables: true, display: text)
  }

  /// A value the evaluator knows only in part: each hole may be anything.
  static func resource(pieces: [Piece], display: String) -> IAMPattern {
    IAMPattern(pieces: pieces, policyVariables: true, display: display)
  }

  static func action(pieces: [Piece], display: String) -> IAMPattern {
    let lowered = pieces.map { piece -> Piece in
      if case .text(let text) = piece { return .text(text.lowercased()) }
      return piece
    }
    return IAMPattern(pieces: lowered, policyVariables: false, display: display)
  }

  /// Anything at all, and not known to be anything: an unknown value.
  static func unknown(_ display: String) -> IAMPattern {
    IAMPattern(pieces: [.hole], policyVariables: false, display: display)
  }

  enum Piece: Sendable, Hashable {
    case text(String)
    case hole
    /// One ARN field left open on purpose (not a hole: the pattern stays exact).
    case field
  }

  private init(pieces: [Piece], policyVariables: Bool, display: String) {
    var tokens: [Token] = []
    var exact = true
    for piece in pieces {
      switch piece {
      case .hole:
        tokens.append(.run)
        exact = false
      case .field:
        tokens.append(.field)
      case .text(let text):
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
          let scalar = scalars[index]
          if policyVariables, scalar == "$", index + 1 < scalars.count, scalars[index + 1] == "{",
            let close = scalars[(index + 2)...].firstIndex(of: "}")
          {
            let name = String(String.UnicodeScalarView(scalars[(index + 2)..<close]))
            switch name {
            case "*", "?", "$": tokens.append(.character(name.unicodeScalars.first ?? "$"))
            default:
              tokens.append(.run)
              exact = false
            }
            index = close + 1
            continue
          }
          switch scalar {
          case "*": tokens.append(.run)
          case "?": tokens.append(.one)
          default: tokens.append(.character(scalar))
          }
          index += 1
        }
      }
    }
    self.tokens = tokens
    self.isExact = exact
    self.description = display
  }

  /// Whether every string `other` matches, this matches too. Sound but not complete: a true
  /// answer is always right; a false one may be wrong for odd pairs (`?*` against `*?`), which
  /// `relation(to:)` then calls unknown rather than disjoint.
  func covers(_ other: IAMPattern) -> Bool {
    // Align other's tokens under ours: our `*` takes any run of them, our `?` one that stands
    // for exactly one character, our letters the same letter.
    let theirs = other.tokens
    let count = theirs.count
    // Positions in `theirs` reachable after each of our tokens, as flags (sets of Ints were
    // most of the cost), in two tables used in turn. Every reachable position lies in
    // `low...high`, both reachable: a step looks only there, and a letter after a letter
    // usually leaves one position.
    var reachable = [Bool](repeating: false, count: count + 1)
    var next = reachable
    reachable[0] = true
    var low = 0
    var high = 0
    for token in tokens {
      var nextLow = Int.max
      var nextHigh = -1
      switch token {
      case .run:
        for position in low...count { next[position] = true }
        nextLow = low
        nextHigh = count
      case .field:
        // Their letters other than `:`, as many as follow.
        for start in low...high where reachable[start] {
          next[start] = true
          nextLow = min(nextLow, start)
          var position = start
          while position < count, case .character(let scalar) = theirs[position], scalar != ":" {
            position += 1
            next[position] = true
          }
          nextHigh = max(nextHigh, position)
        }
      case .one:
        if low < count {
          for position in low...min(high, count - 1) where reachable[position] {
            switch theirs[position] {
            case .character, .one:
              next[position + 1] = true
              nextLow = min(nextLow, position + 1)
              nextHigh = position + 1
            case .run, .field:
              break
            }
          }
        }
      case .character(let scalar):
        if low < count {
          for position in low...min(high, count - 1) where reachable[position] {
            if case .character(scalar) = theirs[position] {
              next[position + 1] = true
              nextLow = min(nextLow, position + 1)
              nextHigh = position + 1
            }
          }
        }
      }
      guard nextHigh >= 0 else { return false }
      for position in low...high { reachable[position] = false }
      swap(&reachable, &next)
      low = nextLow
      high = nextHigh
    }
    return reachable[count]
  }

  /// Whether some string matches both (exact: the product of the two patterns' automata).
  func intersects(_ other: IAMPattern) -> Bool {
    let a = tokens
    let b = other.tokens
    // State (i, j) is `i * width + j`: a flat table of visited states instead of a set of
    // arrays (an allocation and a hash per state made this a tenth of `check`'s IAM rules).
    let width = b.count + 1
    var seen = [Bool](repeating: false, count: (a.count + 1) * width)
    var stack: [(Int, Int)] = [(0, 0)]
    while let (i, j) = stack.popLast() {
      guard !seen[i * width + j] else { continue }
      seen[i * width + j] = true
      if i == a.count && j == b.count { return true }
      // A `*` may match nothing.
      if i < a.count, Self.isRun(a[i]) { stack.append((i + 1, j)) }
      if j < b.count, Self.isRun(b[j]) { stack.append((i, j + 1)) }
      // One character both accept.
      guard i < a.count, j < b.count else { continue }
      switch (a[i], b[j]) {
      case (.character(let x), .character(let y)) where x != y: continue
      case (.character(":"), .field), (.field, .character(":")): continue
      default: break
      }
      let ni = Self.isRun(a[i]) ? i : i + 1
      let nj = Self.isRun(b[j]) ? j : j + 1
      stack.append((ni, nj))
    }
    return false
  }

  /// `*` or a field: matches a run, the empty one included.
  private static func isRun(_ token: Token) -> Bool {
    switch token {
    case .run, .field: true
    case .character, .one: false
    }
  }

  /// Whether this pattern, in a statement, matches what `other` stands for: always (every
  /// string of `other`), never, or not known.
  func matches(_ other: IAMPattern) -> Truth {
    if isExact && covers(other) { return .yes }
    if !intersects(other) { return .no }
    return .unknown
  }
}

/// Three-valued logic for what a policy does: known to hold, known not to, or not known.
enum Truth: Sendable, Hashable {
  case yes
  case no
  case unknown

  init(_ flag: Bool) { self = flag ? .yes : .no }

  static func && (lhs: Truth, rhs: Truth) -> Truth {
    if lhs == .no || rhs == .no { return .no }
    if lhs == .yes && rhs == .yes { return .yes }
    return .unknown
  }

  static func || (lhs: Truth, rhs: Truth) -> Truth {
    if lhs == .yes || rhs == .yes { return .yes }
    if lhs == .no && rhs == .no { return .no }
    return .unknown
  }

  static prefix func ! (value: Truth) -> Truth {
    switch value {
    case .yes: .no
    case .no: .yes
    case .unknown: .unknown
    }
  }

  /// Any of `values` holds (false for none).
  static func any<S: Sequence>(_ values: S) -> Truth where S.Element == Truth {
    values.reduce(.no) { $0 || $1 }
  }
}
