import Foundation
import PropertyBased
import Testing

@testable import CinchStore

extension SecretAttributes: Equatable {
  static func == (a: SecretAttributes, b: SecretAttributes) -> Bool {
    a.arnSuffix == b.arnSuffix && a.description == b.description && a.kmsKeyRef == b.kmsKeyRef
      && a.lastChangedDate == b.lastChangedDate && a.lastAccessedDate == b.lastAccessedDate
      && a.deletedDate == b.deletedDate && a.deletionDate == b.deletionDate
      && a.rotationEnabled == b.rotationEnabled && a.rotationLambdaARN == b.rotationLambdaARN
      && a.rotationRules == b.rotationRules && a.lastRotatedDate == b.lastRotatedDate
      && a.passwordPolicy == b.passwordPolicy && a.rotationFailure == b.rotationFailure
      && a.rotationScheduledFrom == b.rotationScheduledFrom
  }
}

extension SecretVersionAttributes: Equatable {
  static func == (a: SecretVersionAttributes, b: SecretVersionAttributes) -> Bool {
    a.lastAccessedDate == b.lastAccessedDate && a.jsonKeys == b.jsonKeys
  }
}

/// The stored attributes' own reader and writer against Foundation's coders, which wrote every
/// existing row: each reads what the other writes, to the same values.
@Suite struct SecretAttributesJSONTests {
  static let texts = [
    "", "prod/MyApp/DBSecret", "Ünïcödé ✓", "quote \" back\\slash", "tab\tnew\nline", "é",
  ]
  static let dates: [Double] = [
    0, 1_764_460_800, 1_764_486_123.456, 978_307_200.25, -1.5, 1e15, 2.5e16,
  ]

  static func attributes(_ rng: inout Xoshiro, nested: Bool) -> SecretAttributes {
    func text() -> String? { Bool.random(using: &rng) ? nil : texts.randomElement(using: &rng) }
    func date() -> Double? { Bool.random(using: &rng) ? nil : dates.randomElement(using: &rng) }
    var value = SecretAttributes(
      arnSuffix: String((0..<6).map { _ in "abcdefXYZ019".randomElement(using: &rng) ?? "a" }),
      lastChangedDate: dates.randomElement(using: &rng) ?? 0)
    value.description = text()
    value.kmsKeyRef = text()
    value.lastAccessedDate = date()
    value.deletedDate = date()
    value.deletionDate = date()
    value.rotationEnabled = [nil, true, false].randomElement(using: &rng) ?? nil
    value.rotationLambdaARN = text()
    value.lastRotatedDate = date()
    value.rotationScheduledFrom = date()
    if nested {
      value.rotationRules = RotationRules(
        automaticallyAfterDays: 30, scheduleExpression: "rate(4 hours)")
      value.passwordPolicy = Bool.random(using: &rng) ? PasswordPolicy(passwordLength: 24) : nil
      value.rotationFailure =
        Bool.random(using: &rng)
        ? RotationFailure(
          step: "setSecret", versionID: "v1", message: text() ?? "m",
          failedDate: Date(timeIntervalSince1970: 1_764_460_800.5)) : nil
    }
    return value
  }

  @Test func attributesRoundTripBothWays() throws {
    var rng = Xoshiro(seed: (0x5ec2_e7a7_7121, 7, 11, 13))
    for round in 0..<600 {
      let original = Self.attributes(&rng, nested: round % 5 == 0)
      let foundationJSON = String(decoding: try JSONEncoder().encode(original), as: UTF8.self)
      #expect(try SecretAttributes.decode(stored: foundationJSON) == original)
      let ours = try original.storedJSON()
      #expect(try JSONDecoder().decode(SecretAttributes.self, from: Data(ours.utf8)) == original)
      #expect(try SecretAttributes.decode(stored: ours) == original)
    }
  }

  @Test func versionAttributesRoundTripBothWays() throws {
    var rng = Xoshiro(seed: (0x5ec2_e7a7_7122, 7, 11, 13))
    for _ in 0..<400 {
      var original = SecretVersionAttributes()
      original.lastAccessedDate =
        Bool.random(using: &rng) ? nil : Self.dates.randomElement(using: &rng)
      original.jsonKeys =
        Bool.random(using: &rng)
        ? nil
        : (0..<Int.random(in: 0...4, using: &rng)).map { _ in
          Self.texts.randomElement(using: &rng) ?? ""
        }
      let foundationJSON = String(decoding: try JSONEncoder().encode(original), as: UTF8.self)
      #expect(try SecretVersionAttributes.decode(stored: foundationJSON) == original)
      let ours = original.storedJSON()
      #expect(
        try JSONDecoder().decode(SecretVersionAttributes.self, from: Data(ours.utf8)) == original)
      #expect(try SecretVersionAttributes.decode(stored: ours) == original)
    }
  }

  @Test func rowsTheFastPathDoesNotRecogniseFailAsBefore() {
    for json in [#"{"lastChangedDate": 1}"#, #"{"arnSuffix": 5, "lastChangedDate": 1}"#, "[]", "{"]
    {
      #expect(throws: DecodingError.self) { try SecretAttributes.decode(stored: json) }
    }
    #expect(throws: DecodingError.self) {
      try SecretVersionAttributes.decode(stored: #"{"jsonKeys": [1]}"#)
    }
  }
}
