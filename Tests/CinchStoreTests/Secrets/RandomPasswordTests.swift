import PropertyBased
import Testing
import _CinchTestSupport

@testable import CinchStore

/// `GetRandomPassword`'s character-class rules over many draws from a fixed seed.
@Suite struct RandomPasswordTests {
  static let punctuation = Set(RandomPasswordGenerator.punctuation)

  /// Every combination of the six flags, `ExcludeCharacters` or not, and lengths 1–64.
  static let policies = Gen<Int>.int(in: 0...8191).map { bits -> PasswordPolicy in
    func flag(_ bit: Int) -> Bool { bits >> (6 + bit) & 1 == 1 }
    return PasswordPolicy(
      passwordLength: bits % 64 + 1, excludeCharacters: flag(6) ? "0Oo1lI" : nil,
      excludeNumbers: flag(0), excludePunctuation: flag(1), excludeUppercase: flag(2),
      excludeLowercase: flag(3), includeSpace: flag(4), requireEachIncludedType: flag(5))
  }

  @Test func everyDrawFollowsItsPolicy() {
    var rng = Xoshiro(seed: (11, 22, 33, 44))
    var checked = 0
    seededCheck(Self.policies, count: 3000) { policy in
      guard let generator = try? RandomPasswordGenerator(policy) else {
        // Refused: every character excluded, or too short to hold one of each required type
        // (the space is allowed, never required).
        let classes = [
          policy.excludeLowercase, policy.excludeUppercase, policy.excludeNumbers,
          policy.excludePunctuation,
        ].filter { $0 != true }.count
        #expect(
          (classes == 0 && policy.includeSpace != true)
            || (policy.requireEachIncludedType != false && (policy.passwordLength ?? 32) < classes))
        return
      }
      let password = generator.generate(using: &rng)
      checked += 1
      #expect(password.count == policy.passwordLength)
      let excluded = Set(policy.excludeCharacters ?? "")
      #expect(password.allSatisfy { !excluded.contains($0) })
      let has = (
        lower: password.contains { $0.isLowercase && $0.isASCII },
        upper: password.contains { $0.isUppercase && $0.isASCII },
        digit: password.contains { $0.isNumber },
        punctuation: password.contains { Self.punctuation.contains($0) },
        space: password.contains(" ")
      )
      if policy.excludeLowercase == true { #expect(!has.lower) }
      if policy.excludeUppercase == true { #expect(!has.upper) }
      if policy.excludeNumbers == true { #expect(!has.digit) }
      if policy.excludePunctuation == true { #expect(!has.punctuation) }
      if policy.includeSpace != true { #expect(!has.space) }
      #expect(
        password.allSatisfy {
          $0.isASCII && ($0.isLetter || $0.isNumber || Self.punctuation.contains($0) || $0 == " ")
        })
      if policy.requireEachIncludedType != false {
        if policy.excludeLowercase != true { #expect(has.lower) }
        if policy.excludeUppercase != true { #expect(has.upper) }
        if policy.excludeNumbers != true { #expect(has.digit) }
        if policy.excludePunctuation != true { #expect(has.punctuation) }
      }
    }
    #expect(checked > 1000)
  }

  /// `IncludeSpace` lets a space in; it is not one of the types each password must hold, so a
  /// four-character password with all four types and a space allowed is possible.
  @Test func aSpaceIsAllowedNotRequired() throws {
    var rng = Xoshiro(seed: (9, 8, 7, 6))
    let generator = try RandomPasswordGenerator(
      PasswordPolicy(passwordLength: 4, includeSpace: true))
    var withSpace = 0
    for _ in 0..<2000 where generator.generate(using: &rng).contains(" ") { withSpace += 1 }
    // 4 of 4 characters are the required types: no room for a space.
    #expect(withSpace == 0)
    let longer = try RandomPasswordGenerator(PasswordPolicy(passwordLength: 64, includeSpace: true))
    var seen = 0
    for _ in 0..<200 where longer.generate(using: &rng).contains(" ") { seen += 1 }
    #expect(seen > 0 && seen < 200)
  }

  @Test func theDefaultIsThirtyTwoCharactersOfEveryClass() throws {
    var rng = Xoshiro(seed: (5, 6, 7, 8))
    let generator = try RandomPasswordGenerator(PasswordPolicy())
    var seen = Set<Character>()
    for _ in 0..<500 {
      let password = generator.generate(using: &rng)
      #expect(password.count == 32)
      #expect(!password.contains(" "))
      seen.formUnion(password)
    }
    // 94 printable characters, each drawn at least once in 16,000.
    #expect(seen.count == 94)
  }

  @Test func impossiblePoliciesAreRefused() async throws {
    let fixture = try await StoreFixture.make()
    await expectStoreError("InvalidParameterException") {
      _ = try await fixture.store.getRandomPassword(
        PasswordPolicy(
          excludeNumbers: true, excludePunctuation: true, excludeUppercase: true,
          excludeLowercase: true))
    }
    await expectStoreError("InvalidParameterException") {
      _ = try await fixture.store.getRandomPassword(PasswordPolicy(passwordLength: 3))
    }
    await expectStoreError(
      "ValidationException",
      message: "1 validation error detected: Value '4097' at 'passwordLength' failed to satisfy "
        + "constraint: Member must have value less than or equal to 4096"
    ) { _ = try await fixture.store.getRandomPassword(PasswordPolicy(passwordLength: 4097)) }
    let response = try await fixture.store.getRandomPassword(
      PasswordPolicy(passwordLength: 4, excludeCharacters: "abcdefghijklmnopqrstuvwxyz"))
    #expect(response.randomPassword.count == 4)
  }
}
