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
enum ReferencePinner {
  /// Why a pin cannot be written; the message names the reference, never a value.
  struct Failure: Error {
    var kind: RenderIssue.Kind
    var reason: String
  }

  static func pinnedText(
    _ reference: Reference, pin: PinnedReference, isCloudFormation: Bool
  ) -> Result<String, Failure> {
    // CloudFormation understands only `{{…}}`; any other file keeps its own delimiter.
    let delimiter: Reference.Delimiter = isCloudFormation ? .braces : reference.delimiter
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
