import PropertyBased
import Testing
import _CinchTestSupport

@testable import CinchTemplate

/// Properties of the scanner over generated text, drawn by `seededCheck` from fixed seeds so
/// every run and machine sees the same cases. (The library's `.fixedSeed` trait is a debugging
/// aid: it runs one case and always records an issue, so a committed test cannot use it.)
@Suite struct ReferenceScannerPropertyTests {
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
  static let mixed = Generator<String, Shrink.None<String>>(run: { rng in
    do {
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
  static let rawBytes = Generator<[UInt8], Shrink.None<[UInt8]>>(run: { rng in
    let interesting: [UInt8] =
      Array("{}<>:$!\\resolvessm".utf8) + [0x80, 0xC3, 0xE2, 0xF0, 0xFF, 0]
    return (0..<Int.random(in: 0...80, using: &rng)).map { _ in
      Bool.random(using: &rng)
        ? interesting.randomElement(using: &rng) ?? 0 : UInt8.random(in: 0...255, using: &rng)
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

  @Test func nearReferencesKeepTheInvariants() {
    var references = [0, 0]
    var codes = [Set<String>(), Set<String>()]
    seededCheck(Self.mixed, count: 2_000, seed: (1, 0x9E37_79B9_7F4A_7C15, 3, 4)) { text in
      for (index, mode) in [ReferenceScanner.Mode.plain, .sub].enumerated() {
        let scan = Self.checkInvariants(text, mode: mode)
        references[index] += scan.references.count
        codes[index].formUnion(scan.issues.map(\.code.id))
      }
    }
    // The inputs must exercise the scanner, not only pass through it.
    #expect(references.allSatisfy { $0 >= 100 })
    #expect(codes.allSatisfy { $0.count >= 10 })
  }

  @Test func arbitraryBytesNeverTrap() {
    seededCheck(Self.rawBytes, count: 2_000, seed: (3, 0x9E37_79B9_7F4A_7C15, 3, 4)) { sample in
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
    let filler = ["", "x", "prefix ", " é ", "a:b ", "}", "{ ", "\n"]
    let seed: (UInt64, UInt64, UInt64, UInt64) = (4, 0x9E37_79B9_7F4A_7C15, 3, 4)
    seededCheck(GeneratedReference.generator, count: 1_000, seed: seed) { generated in
      let before = filler[generated.seed % filler.count]
      let after = filler[(generated.seed / 7) % filler.count]
      let text = before + generated.reference.text + after
      let scan = ReferenceScanner.scan(text)
      #expect(scan.issues.isEmpty, "\(text)")
      #expect(scan.references.map(\.reference) == [generated.reference], "\(text)")
      let start = before.utf8.count
      let length = generated.reference.text.utf8.count
      #expect(scan.references.first?.span == start..<(start + length))
    }
  }
}

/// A valid reference built from random parts, with the `Reference` the scanner must return.
struct GeneratedReference: Sendable {
  var reference: Reference
  var seed: Int

  static let generator = Generator<GeneratedReference, Shrink.None<GeneratedReference>>(run: {
    rng in make(using: &rng)
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
      // Parameter Store's shape: a hierarchy starts with '/'; a name without one is one level.
      let rooted = Bool.random(using: &rng)
      let name =
        (rooted ? "/" : "")
        + (0..<Int.random(in: 1...(rooted ? 4 : 1), using: &rng)).map { _ in
          pick(letters + "_.-", 1...12)
        }
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
