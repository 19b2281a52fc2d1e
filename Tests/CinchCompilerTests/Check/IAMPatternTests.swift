import PropertyBased
import Testing
import _CinchTestSupport

@testable import CinchCompiler

/// IAM's `*` / `?` matching (and the ARN field `check` leaves open), checked against every
/// string of a small alphabet: "covers" never claims a string it does not match, and
/// "intersects" is exact.
@Suite struct IAMPatternTests {
  /// Every string over `a`, `:`, `c` of up to six characters.
  static let strings: [String] = {
    var result = [""]
    var level = [""]
    for _ in 0..<6 {
      level = level.flatMap { prefix in ["a", ":", "c"].map { prefix + $0 } }
      result += level
    }
    return result
  }()

  /// Every pattern of up to three tokens from `a`, `:`, `?`, `*` and `F`, an open field (any
  /// run without `:`).
  static let patterns: [String] = {
    var result = [""]
    var level = [""]
    for _ in 0..<3 {
      level = level.flatMap { prefix in ["a", ":", "?", "*", "F"].map { prefix + $0 } }
      result += level
    }
    return result
  }()

  static func pattern(_ text: String) -> IAMPattern {
    let pieces = text.map { $0 == "F" ? IAMPattern.Piece.field : .text(String($0)) }
    return .resource(pieces: pieces, display: text)
  }

  /// Reference matcher: `*` any run, `F` any run without `:`, `?` one character.
  static func glob(_ pattern: String, _ text: String) -> Bool {
    let p = Array(pattern)
    let t = Array(text)
    var row = [Bool](repeating: false, count: t.count + 1)
    row[0] = true
    for token in p {
      var next = [Bool](repeating: false, count: t.count + 1)
      for j in 0...t.count {
        switch token {
        case "*": next[j] = row[j] || (j > 0 && next[j - 1])
        case "F": next[j] = row[j] || (j > 0 && next[j - 1] && t[j - 1] != ":")
        case "?": next[j] = j > 0 && row[j - 1]
        default: next[j] = j > 0 && row[j - 1] && t[j - 1] == token
        }
      }
      row = next
    }
    return row[t.count]
  }

  /// `covers` as first written: a fresh table of reachable positions per token, every position
  /// looked at. The bounded version must answer exactly as it does.
  static func plainCovers(_ mine: IAMPattern, _ other: IAMPattern) -> Bool {
    let theirs = other.tokens
    var reachable = [Bool](repeating: false, count: theirs.count + 1)
    reachable[0] = true
    for token in mine.tokens {
      var next = [Bool](repeating: false, count: theirs.count + 1)
      switch token {
      case .run:
        guard let low = reachable.firstIndex(of: true) else { return false }
        for position in low...theirs.count { next[position] = true }
      case .field:
        for start in 0...theirs.count where reachable[start] {
          next[start] = true
          var position = start
          while position < theirs.count, case .character(let scalar) = theirs[position],
            scalar != ":"
          {
            position += 1
            next[position] = true
          }
        }
      case .one:
        for position in 0..<theirs.count where reachable[position] {
          if case .character = theirs[position] { next[position + 1] = true }
          if case .one = theirs[position] { next[position + 1] = true }
        }
      case .character(let scalar):
        for position in 0..<theirs.count where reachable[position] {
          if case .character(scalar) = theirs[position] { next[position + 1] = true }
        }
      }
      reachable = next
      if !reachable.contains(true) { return false }
    }
    return reachable[theirs.count]
  }

  /// Patterns of up to eight tokens, for comparing `covers` with `plainCovers`.
  static let longPatterns = Gen<Int>.value(in: 0...4).array(of: 0...8).map { picks in
    String(picks.map { Array("a:?*F")[$0] })
  }

  @Test func coversAnswersAsThePlainAlgorithm() {
    for p in Self.patterns {
      for q in Self.patterns {
        let (a, b) = (Self.pattern(p), Self.pattern(q))
        #expect(a.covers(b) == Self.plainCovers(a, b), "'\(p)' covers '\(q)'")
      }
    }
    seededCheck(zip(Self.longPatterns, Self.longPatterns), count: 5_000) { p, q in
      let (a, b) = (Self.pattern(p), Self.pattern(q))
      #expect(a.covers(b) == Self.plainCovers(a, b), "'\(p)' covers '\(q)'")
    }
    // Real ARNs, the shapes `check` meets.
    let arns = [
      "arn:aws:ssm:eu-west-1:123456789012:parameter/*", "arn:aws:ssm:*:*:parameter/app/*",
      "arn:aws:ssm:eu-west-1:123456789012:parameter/app/prod/db",
      "arn:aws:secretsmanager:eu-west-1:123456789012:secret:*",
      "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/db-??????", "*",
      "arn:aws:secretsmanager:*:*:secret:prod/*",
    ].map(IAMPattern.resource)
    for a in arns {
      for b in arns { #expect(a.covers(b) == Self.plainCovers(a, b), "\(a) covers \(b)") }
    }
  }

  /// Every pair of short patterns: a pattern that "covers" another matches every string the
  /// other does, and two that "intersect" share a string (patterns of three tokens or fewer
  /// meet, if at all, within six characters).
  @Test func coversIsSoundAndIntersectsIsExact() {
    let matched = Dictionary(
      uniqueKeysWithValues: Self.patterns.map { p in
        (p, Set(Self.strings.filter { Self.glob(p, $0) }))
      })
    var covering = 0
    for p in Self.patterns {
      for q in Self.patterns {
        let (mine, theirs) = (matched[p] ?? [], matched[q] ?? [])
        let (a, b) = (Self.pattern(p), Self.pattern(q))
        if a.covers(b) {
          covering += 1
          #expect(theirs.isSubset(of: mine), "'\(p)' does not cover '\(q)'")
        }
        #expect(a.intersects(b) == !mine.isDisjoint(with: theirs), "'\(p)' and '\(q)'")
      }
    }
    // Not vacuous: most pairs where one set holds the other are found.
    #expect(covering > 1_000)
  }

  @Test func coversTheUsualShapes() {
    let secret = IAMPattern.resource("arn:aws:secretsmanager:us-east-1:1:secret:prod/db-??????")
    for (text, expected) in [
      ("*", Truth.yes), ("arn:aws:secretsmanager:us-east-1:1:secret:prod/*", .yes),
      ("arn:aws:secretsmanager:us-east-1:1:secret:prod/db-??????", .yes),
      ("arn:aws:secretsmanager:us-east-1:1:secret:prod/db*", .yes),
      ("arn:aws:secretsmanager:*:*:secret:*", .yes),
      // One real suffix of six: it may or may not be the secret's.
      ("arn:aws:secretsmanager:us-east-1:1:secret:prod/db-AbCdEf", .unknown),
      ("arn:aws:secretsmanager:us-east-1:1:secret:prod/db-???", .no),
      ("arn:aws:secretsmanager:us-east-1:1:secret:Prod/*", .no),
      ("arn:aws:ssm:us-east-1:1:parameter/prod/*", .no),
      // A policy variable is filled per request: it matches some names, not all.
      ("arn:aws:secretsmanager:us-east-1:1:secret:${aws:username}/*", .unknown),
    ] {
      #expect(IAMPattern.resource(text).matches(secret) == expected, "\(text)")
    }
  }

  @Test func actionsIgnoreCase() {
    let action = IAMPattern.action("ssm:GetParameters")
    #expect(IAMPattern.action("SSM:getparameter*").matches(action) == .yes)
    #expect(IAMPattern.action("ssm:GetParameter").matches(action) == .no)
    #expect(IAMPattern.action("ssm:Get*").matches(action) == .yes)
    #expect(IAMPattern.action("*").matches(action) == .yes)
    #expect(
      IAMPattern.action(pieces: [.text("ssm:"), .hole], display: "ssm:${Op}").matches(action)
        == .unknown)
  }

  @Test func escapesAreTheCharacters() {
    let literal = IAMPattern.resource("arn:x:${*}")
    #expect(literal.isExact)
    #expect(literal.matches(IAMPattern.resource("arn:x:a")) == .no)
  }
}
