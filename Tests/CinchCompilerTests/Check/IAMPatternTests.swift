import PropertyBased
import Testing
import _CinchTestSupport

@testable import CinchCompiler

/// IAM's `*` / `?` matching, checked against every string of a small alphabet: "covers" never
/// claims a string it does not match, and "intersects" is exact.
@Suite struct IAMPatternTests {
  static let seeds = Gen<UInt64>.value(in: .min ... .max)

  /// Every string over `a`, `b`, `c` up to `length` characters.
  static let strings: [String] = {
    var result = [""]
    var level = [""]
    for _ in 0..<6 {
      level = level.flatMap { prefix in ["a", "b", "c"].map { prefix + $0 } }
      result += level
    }
    return result
  }()

  /// A pattern of up to three tokens from `a`, `b`, `?`, `*`, drawn from a seed.
  static func pattern(_ seed: inout UInt64) -> String {
    let count = Int(seed % 4)
    seed /= 4
    var text = ""
    for _ in 0..<count {
      text += ["a", "b", "?", "*"][Int(seed % 4)]
      seed /= 4
    }
    return text
  }

  /// Reference matcher: `*` any run, `?` one character.
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
        case "?": next[j] = j > 0 && row[j - 1]
        default: next[j] = j > 0 && row[j - 1] && t[j - 1] == token
        }
      }
      row = next
    }
    return row[t.count]
  }

  @Test func coversIsSoundAndIntersectsIsExact() {
    seededCheck(Self.seeds, count: 2_000, seed: (31, 2, 3, 4)) { seed in
      var bits = seed
      let p = Self.pattern(&bits)
      let q = Self.pattern(&bits)
      let mine = Set(Self.strings.filter { Self.glob(p, $0) })
      let theirs = Set(Self.strings.filter { Self.glob(q, $0) })
      let a = IAMPattern.resource(p)
      let b = IAMPattern.resource(q)
      if a.covers(b) {
        #expect(theirs.isSubset(of: mine), "'\(p)' does not cover '\(q)'")
      }
      // Patterns of three tokens or fewer meet, if at all, within six characters.
      #expect(a.intersects(b) == !mine.isDisjoint(with: theirs), "'\(p)' and '\(q)'")
    }
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
    #expect(IAMPattern.action(pieces: [.text("ssm:"), .hole], display: "ssm:${Op}").matches(action) == .unknown)
  }

  @Test func escapesAreTheCharacters() {
    let literal = IAMPattern.resource("arn:x:${*}")
    #expect(literal.isExact)
    #expect(literal.matches(IAMPattern.resource("arn:x:a")) == .no)
  }
}
