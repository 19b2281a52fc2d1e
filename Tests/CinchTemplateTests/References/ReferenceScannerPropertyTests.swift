import PropertyBased
import Testing

@testable import CinchTemplate

/// Properties of the scanner over generated text.
///
/// Inputs come from swift-property-based generators run with a fixed `Xoshiro` seed, the same
/// on every run and machine. (The library's `.fixedSeed` trait is a debugging aid: it runs one
/// case and always records an issue, so a committed test cannot use it.) Each generator yields
/// a batch of inputs.
@Suite struct ReferenceScannerPropertyTests {
  /// A generator's batch, drawn from a fixed seed.
  static func draw<Value>(_ generator: Generator<Value, some Sequence>, seed: UInt64) -> Value {
    var random = Xoshiro(
      seed: (seed, 0x9E37_79B9_7F4A_7C15, 0xBF58_476D_1CE4_E5B9, 0x94D0_49BB_1331_11EB))
    return generator.run(using: &random)
  }

  /// Pieces that build near-references: the scanner's syntax, the characters around it, and
  /// text it must treat as text.
  static let tokens: [String] = [
    "{{", "}}", "{", "}", "<<", ">>", "<", ">", "resolve:", "resolve", ":", "::", "${", "${!",
    "ssm", "ssm-secure", "secretsmanager", "SSM", "SecretString", "SecretBinary", "arn",
    "aws", "/", "/a", "b", "1", "42", " ", "\t", "\n", "\\", "é", "🙂", "☕", "AWS::Region",
    "Env", "x.y", "-", "@", "=",
  ]

  /// Something close to a reference: openers, `resolve` and services right and wrong, segments
  /// drawn from valid and invalid parts, closers right and wrong.
  static func nearReference(using rng: inout any SeededRandomNumberGenerator) -> String {
    func pick(_ choices: [String]) -> String { choices.randomElement(using: &rng) ?? "" }
    let opener = pick(["{{", "{{", "{{", "<<", "<<", "{{ ", "{", "{{{", ""])
    let word = pick(["resolve:", "resolve:", "resolve:", "resolve :", "resolve", "resolv:"])
    let service = pick([
      "ssm", "ssm-secure", "secretsmanager", "secretsmanager", "SSM", "", "s3", "${Svc}",
    ])
    let parts = [
      "/a/b", "name", "my app", "${Env}", "${AWS::Region}", "${!Lit}", "${Db.Arn}", "arn", "aws",
      "secretsmanager", "us-east-1", "123456789012", "secret", "SecretString", "SecretBinary",
      "", "", "1", "42", "0", "prod", "é", "\\", "AWSCURRENT", "v1-id", "{{resolve:ssm:/x}}",
      "}", "{", "$", "${", "🙂", " ",
    ]
    var body = opener + word + service
    for _ in 0..<Int.random(in: 0...8, using: &rng) { body += ":" + pick(parts) }
    return body + pick(["}}", "}}", "}}", ">>", ">>", "}}}", "} }", "", " }}", "}"])
  }

  /// Texts mixing near-references, scanner syntax and arbitrary Unicode scalars.
  static let mixed = Generator<[String], Shrink.None<[String]>>(run: { rng in
    (0..<2_000).map { _ in
      var text = ""
      for _ in 0..<Int.random(in: 0...6, using: &rng) {
        switch Int.random(in: 0..<4, using: &rng) {
        case 0, 1:
          text += nearReference(using: &rng)
        case 2:
          text += tokens.randomElement(using: &rng) ?? ""
        default:
          for _ in 0..<Int.random(in: 0...5, using: &rng) {
            let value = UInt32.random(in: 0...0x10FFFF, using: &rng)
            if let scalar = Unicode.Scalar(value) { text.unicodeScalars.append(scalar) }
          }
        }
      }
      return text
    }
  })

  /// Raw bytes, invalid UTF-8 included.
  static let rawBytes = Generator<[[UInt8]], Shrink.None<[[UInt8]]>>(run: { rng in
    let interesting: [UInt8] =
      Array("{}<>:$!\\resolvessm".utf8) + [0x80, 0xC3, 0xE2, 0xF0, 0xFF, 0]
    return (0..<400).map { _ in
      (0..<Int.random(in: 0...80, using: &rng)).map { _ in
        Bool.random(using: &rng)
          ? interesting.randomElement(using: &rng) ?? 0 : UInt8.random(in: 0...255, using: &rng)
      }
    }
  })

  /// Checks what must hold for any text: spans in bounds, in order, slicing back to the
  /// reference text, and a reference rescanned alone reads the same.
  @discardableResult
  static func checkInvariants(_ text: String, mode: ReferenceScanner.Mode) -> ReferenceScan {
    let scan = ReferenceScanner.scan(text, mode: mode)
    let bytes = Array(text.utf8)
    var previousEnd = 0
    for found in scan.references {
      #expect(found.span.lowerBound >= previousEnd && found.span.upperBound <= bytes.count)
      previousEnd = found.span.upperBound
      #expect(String(decoding: bytes[found.span], as: UTF8.self) == found.reference.text)
      let alone = ReferenceScanner.scan(found.reference.text, mode: mode)
      #expect(alone.references.map(\.reference) == [found.reference])
      #expect(alone.references.first?.span == 0..<found.span.count)
      for placeholder in found.placeholders {
        #expect(found.span.lowerBound <= placeholder.span.lowerBound)
        #expect(placeholder.span.upperBound <= found.span.upperBound)
      }
    }
    for issue in scan.issues {
      #expect(issue.referenceSpan.lowerBound >= 0 && issue.referenceSpan.upperBound <= bytes.count)
      #expect(issue.referenceSpan.lowerBound <= issue.span.lowerBound)
      #expect(issue.span.upperBound <= issue.referenceSpan.upperBound)
      #expect(!issue.message.isEmpty && issue.message.last != ".")
    }
    return scan
  }

  /// How many references and issues a batch produced, so a generator that stops producing
  /// near-references fails the test instead of passing vacuously.
  static func tally(_ texts: [String], mode: ReferenceScanner.Mode) -> (
    references: Int, issues: Set<String>
  ) {
    var references = 0
    var codes = Set<String>()
    for text in texts {
      let scan = checkInvariants(text, mode: mode)
      references += scan.references.count
      codes.formUnion(scan.issues.map(\.code.id))
    }
    return (references, codes)
  }

  @Test func nearReferencesKeepTheInvariants() {
    let texts = Self.draw(Self.mixed, seed: 1)
    let plain = Self.tally(texts, mode: .plain)
    let sub = Self.tally(texts, mode: .sub)
    // The batch must exercise the scanner, not only pass through it.
    for tally in [plain, sub] {
      #expect(tally.references >= 100)
      #expect(tally.issues.count >= 10)
    }
  }

  @Test func arbitraryBytesNeverTrap() {
    let samples = Self.draw(Self.rawBytes, seed: 3)
    for sample in samples {
      for mode in [ReferenceScanner.Mode.plain, .sub] {
        let scan = sample.withUnsafeBufferPointer {
          ReferenceScanner.scan(bytes: $0, mode: mode, opaque: [])
        }
        for found in scan.references {
          #expect(found.span.upperBound <= sample.count)
          #expect(String(decoding: sample[found.span], as: UTF8.self) == found.reference.text)
        }
        for issue in scan.issues { #expect(issue.referenceSpan.upperBound <= sample.count) }
      }
    }
  }

  @Test func generatedReferencesAreFoundExactly() {
    let batch = Self.draw(GeneratedReference.batch, seed: 4)
    for generated in batch {
      let filler = ["", "x", "prefix ", " é ", "a:b ", "}", "{ ", "\n"]
      let before = filler[generated.seed % filler.count]
      let after = filler[(generated.seed / 7) % filler.count]
      let text = before + generated.reference.text + after
      let scan = ReferenceScanner.scan(text)
      #expect(scan.issues.isEmpty, "\(text)")
      #expect(scan.references.map(\.reference) == [generated.reference], "\(text)")
      let start = before.utf8.count
      #expect(scan.references.first?.span == start..<(start + generated.reference.text.utf8.count))
    }
  }
}

/// A valid reference built from random parts, with the `Reference` the scanner must return.
struct GeneratedReference: Sendable {
  var reference: Reference
  var seed: Int

  static let batch = Generator<[GeneratedReference], Shrink.None<[GeneratedReference]>>(run: {
    rng in
    (0..<300).map { _ in make(using: &rng) }
  })

  static func make(using rng: inout any SeededRandomNumberGenerator) -> GeneratedReference {
    func pick(_ alphabet: String, _ length: ClosedRange<Int>) -> String {
      let characters = Array(alphabet)
      return String(
        (0..<Int.random(in: length, using: &rng)).map { _ in
          characters.randomElement(using: &rng) ?? "a"
        })
    }
    let letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    let delimiter: Reference.Delimiter = Bool.random(using: &rng) ? .braces : .angles
    let kind = Reference.Kind.allCases.randomElement(using: &rng) ?? .ssm
    var segments: [String] = [kind.rawValue]
    var reference: Reference
    switch kind {
    case .ssm, .ssmSecure:
      let name =
        (Bool.random(using: &rng) ? "/" : "")
        + (0..<Int.random(in: 1...4, using: &rng)).map { _ in pick(letters + "_.-", 1...12) }
        .joined(separator: "/")
      let version = Bool.random(using: &rng) ? Int.random(in: 1...100_000, using: &rng) : nil
      segments.append(name)
      if let version { segments.append(String(version)) }
      reference = Reference(
        kind: kind, name: name, version: version, delimiter: delimiter, text: "")
    case .secretsManager:
      var name = pick(letters + "/_+=.@-", 1...24)
      if name == "arn" { name = "arn1" }
      if Int.random(in: 0..<4, using: &rng) == 0 {
        name =
          "arn:aws:secretsmanager:us-east-1:\(pick("0123456789", 12...12)):secret:\(name)"
      }
      segments.append(name)
      reference = Reference(kind: kind, name: name, delimiter: delimiter, text: "")
      let extra = Int.random(in: 0...4, using: &rng)
      if extra >= 1 {
        let value = Bool.random(using: &rng) ? "SecretString" : ""
        segments.append(value)
        reference.secretString = value
      }
      if extra >= 2 {
        let key = Bool.random(using: &rng) ? pick(letters + "._- é", 1...10).trimmingSpaces : ""
        segments.append(key)
        reference.jsonKey = key.isEmpty ? nil : key
      }
      let useStage = Bool.random(using: &rng)
      if extra >= 3 {
        let stage =
          useStage ? ["AWSCURRENT", "AWSPREVIOUS", "blue"].randomElement(using: &rng) ?? "" : ""
        segments.append(stage)
        reference.versionStage = stage.isEmpty ? nil : stage
      }
      if extra >= 4 {
        let id = useStage ? "" : pick("0123456789abcdef-", 8...36)
        segments.append(id)
        reference.versionId = id.isEmpty ? nil : id
      }
    }
    reference.text = delimiter.open + "resolve:" + segments.joined(separator: ":") + delimiter.close
    return GeneratedReference(reference: reference, seed: Int.random(in: 0..<1_000, using: &rng))
  }
}

extension String {
  /// Without leading and trailing spaces (a JSON key the generator makes must not end in one:
  /// that would be a spaced reference).
  var trimmingSpaces: String {
    var text = Substring(self)
    while text.first == " " { text = text.dropFirst() }
    while text.last == " " { text = text.dropLast() }
    return String(text)
  }
}
