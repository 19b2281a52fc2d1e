import CinchTemplate

/// The exact pinned form of a reference, built from the reference as written: the name keeps
/// its `${…}` variables and `Fn::Join` placeholders, only the version segments change.
///
///     ssm, ssm-secure   {{resolve:KIND:NAME:VERSION}}          (an existing version replaced)
///     secretsmanager    {{resolve:secretsmanager:ID:SecretString:KEY::VERSION-ID}}
///
/// For a secret, segment 2 is written `SecretString` when the reference stops after the id (an
/// empty segment, the same default, is kept), the JSON key is kept or left empty, and a version
/// stage is dropped: AWS forbids giving both a stage and an id.
///
/// When an input carries ':' into the reference (`!Sub '{{resolve:ssm:${Name}}}'` with
/// `Name=/a/b:1`, or a `Fn::Join` piece `app/db::password`), the text as written has fewer
/// segments than the reference it reads, and rebuilding it from the written fields would put
/// the version into the wrong segment. The written text is then kept and the pin appended after
/// the evaluated reference's last segment; one the input already pins stays as written, and one
/// whose version stage the input gives is not rendered (its stage cannot be removed). The same
/// holds where an input writes a segment after the name without adding one
/// (`{{resolve:ssm:/a/b:${Version}}}`), and where an input writes the closer itself
/// (`{{resolve:ssm:${Name}` with `Name=/a/b}}`): the input's version stays, and a reference the
/// input does not pin is not rendered.
enum ReferencePinner {
  /// Why a pin cannot be written; the message names the reference, never a value.
  struct Failure: Error {
    var kind: RenderIssue.Kind
    var reason: String
  }

  /// `reads`: the reference the site evaluates to, when known.
  static func pinnedText(
    _ reference: Reference, pin: PinnedReference, reads: Reference? = nil, isCloudFormation: Bool
  ) -> Result<String, Failure> {
    if reference.isClosedByInput {
      return pinnedInInput(reference, reads: reads, pin)
    }
    // CloudFormation understands only `{{…}}`; any other file keeps its own delimiter.
    let delimiter: Reference.Delimiter = isCloudFormation ? .braces : reference.delimiter
    // A reference read as written (every literal one) has nothing an input added: only a
    // composed one is counted.
    if let reads, reads.text != reference.text, reads.kind == reference.kind,
      let written = segmentsAfterName(reference), let evaluated = segmentsAfterName(reads),
      evaluated > written || inputAfterName(reference)
    {
      return pinnedAfterInput(
        reference, reads: reads, segments: evaluated, pin, isCloudFormation: isCloudFormation)
    }
    switch (reference.kind, pin) {
    case (.ssm, .version(let version)), (.ssmSecure, .version(let version)):
      guard version >= 1 else {
        return .failure(
          Failure(
            kind: .invalidPin,
            reason:
              "pin for '\(reference.text)' is version \(version); parameter versions start at 1"))
      }
      return .success(
        assemble([
          delimiter.open, "resolve:", reference.kind.rawValue, ":", reference.name, ":",
          String(version), delimiter.close,
        ]))
    case (.secretsManager, .versionId(let id)):
      guard isWritableVersionId(id) else {
        return .failure(
          Failure(
            kind: .invalidPin,
            reason: "the version id pinned for '\(reference.text)' holds characters a reference "
              + "cannot carry (blanks, ':', braces, angle brackets or '$')"))
      }
      let secretString = reference.secretString ?? "SecretString"
      return .success(
        assemble([
          delimiter.open, "resolve:secretsmanager:", reference.name, ":", secretString, ":",
          reference.jsonKey ?? "", "::", id, delimiter.close,
        ]))
    case (.secretsManager, .version):
      return .failure(
        Failure(
          kind: .invalidPin,
          reason:
            "pin for '\(reference.text)' is a parameter version; a secret is pinned by version id"))
    case (_, .versionId):
      return .failure(
        Failure(
          kind: .invalidPin,
          reason:
            "pin for '\(reference.text)' is a version id; a parameter is pinned by version number"))
    }
  }

  /// The pinned text of a reference an input gives ':'-separated segments to: the written text
  /// with the missing segments appended (`SecretString`, an empty key and stage, the id), or
  /// the text unchanged when the input already names the pinned version.
  private static func pinnedAfterInput(
    _ reference: Reference, reads: Reference, segments: Int, _ pin: PinnedReference,
    isCloudFormation: Bool
  ) -> Result<String, Failure> {
    func notPinnable(_ what: String) -> Result<String, Failure> {
      .failure(
        Failure(
          kind: .notPinnable,
          reason: "reference '\(reference.text)' takes segments after its name from an input, "
            + what + "; pin it where the input is given"))
    }
    switch pin {
    case .version(let version) where reference.kind != .secretsManager:
      // An ssm reference has one segment after its name, so the input gave the version.
      guard reads.version == version else {
        return notPinnable("which names another version than the pinned \(version)")
      }
      return .success(reference.text)
    case .versionId(let id) where reference.kind == .secretsManager:
      if let given = reads.versionId {
        guard given == id else {
          return notPinnable("which names another version id than the pinned one")
        }
        return .success(reference.text)
      }
      guard reads.versionStage == nil else {
        return notPinnable(
          "its version stage among them: a version id cannot be written beside a stage "
            + "(AWS forbids both)")
      }
      guard isWritableVersionId(id) else {
        return pinnedText(reference, pin: pin, isCloudFormation: isCloudFormation)
      }
      // Segments after the id: SecretString, JSON key, version stage, version id.
      var suffix = ""
      for position in segments..<4 {
        suffix += ":" + (position == 0 ? "SecretString" : position == 3 ? id : "")
      }
      let delimiter: Reference.Delimiter = isCloudFormation ? .braces : reference.delimiter
      let inner = reference.text.utf8.dropFirst(2).dropLast(2)
      return .success(
        assemble([delimiter.open, String(decoding: inner, as: UTF8.self), suffix, delimiter.close]))
    default:
      // A pin of the wrong kind: said as for any reference.
      return pinnedText(reference, pin: pin, isCloudFormation: isCloudFormation)
    }
  }

  /// A reference whose closer an input writes (`!Sub '{{resolve:ssm:${N}'` with `N` =
  /// `/x}}`): the version would go into that input's value, before its closer, so it is left
  /// as written when the input already names the pinned version, and not rendered otherwise.
  private static func pinnedInInput(
    _ reference: Reference, reads: Reference?, _ pin: PinnedReference
  ) -> Result<String, Failure> {
    switch pin {
    case .version(let version) where reads?.version == version:
      return .success(reference.text)
    case .versionId(let id) where reads?.versionId == id:
      return .success(reference.text)
    default:
      return .failure(
        Failure(
          kind: .notPinnable,
          reason:
            "reference '\(reference.text)' is closed by an input ('\(reference.delimiter.close)' "
            + "is not written), so its version would go into a value known only after "
            + "evaluation; pin it where the input is given, or in the lock only"))
    }
  }

  /// How many ':'-separated segments follow the name in the reference's text; a `${…}`
  /// variable (`${AWS::Region}`) or `Fn::Join` placeholder counts as text. Nil when the text
  /// does not start as the fields say.
  static func segmentsAfterName(_ reference: Reference) -> Int? {
    let start = nameEnd(reference)
    let text = reference.text.utf8
    guard text.count >= start + 2 else { return nil }
    let rest = text.dropFirst(start).dropLast(2)
    guard rest.isEmpty || rest.first == UInt8(ascii: ":") else { return nil }
    var count = 0
    var inVariable = false
    var previous: UInt8 = 0
    for byte in rest {
      if inVariable {
        if byte == UInt8(ascii: "}") { inVariable = false }
      } else if byte == UInt8(ascii: "{"), previous == UInt8(ascii: "$") {
        inVariable = true
      } else if byte == UInt8(ascii: ":") {
        count += 1
      }
      previous = byte
    }
    return count
  }

  /// Whether an input writes text after the name (`{{resolve:ssm:/a/b:${Version}}}`, a
  /// `Fn::Join` piece `!Ref Version`): the version it gives is what the deploy reads, so the
  /// pin must not replace it with a number (deployed with another input, the template would
  /// still read the locked version).
  static func inputAfterName(_ reference: Reference) -> Bool {
    var previous: UInt8 = 0
    let rest = reference.text.utf8.dropFirst(nameEnd(reference))
    for byte in rest {
      if byte == UInt8(ascii: "{"), previous == UInt8(ascii: "$") { return true }
      previous = byte
    }
    return false
  }

  /// Where the name ends in the text `{{resolve:KIND:NAME…}}`, as the scanner builds every
  /// reference: counted, not compared (this runs for each composed reference a render pins).
  private static func nameEnd(_ reference: Reference) -> Int {
    2 + "resolve:".utf8.count + reference.kind.rawValue.utf8.count + 1 + reference.name.utf8.count
  }

  /// The pieces joined in one allocation (this runs once per reference).
  private static func assemble(_ pieces: [String]) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(pieces.reduce(0) { $0 + $1.utf8.count })
    for piece in pieces { bytes += piece.utf8 }
    return String(decoding: bytes, as: UTF8.self)
  }

  /// A VersionId is 32 to 64 characters chosen by whoever wrote the version; in a reference it
  /// must not end the segment (`:`), the reference (`}}`, `>>`), or read as a `${…}` variable.
  static func isWritableVersionId(_ id: String) -> Bool {
    !id.isEmpty
      && id.utf8.allSatisfy { byte in
        switch byte {
        case UInt8(ascii: ":"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "<"),
          UInt8(ascii: ">"), UInt8(ascii: "$"), UInt8(ascii: "\\"):
          false
        default:
          byte > 0x20 && byte < 0x7F
        }
      }
  }
}
