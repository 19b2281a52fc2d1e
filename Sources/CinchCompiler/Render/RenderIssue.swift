public import CinchTemplate

/// A site the renderer left as written, and why. The reason names the reference and what
/// stood in the way; it never holds a value.
public struct RenderIssue: Sendable, Hashable, CustomStringConvertible {
  public enum Kind: String, Sendable, Hashable, CaseIterable {
    /// An `AWS::SSM::Parameter::Value<…>` parameter: the name is an input, not template text
    /// (the lock still records the read).
    case parameterType = "parameter-type"
    /// The pinned form cannot be written where the reference is (a version that would fall into
    /// an `Fn::Join` piece known only after evaluation).
    case notPinnable = "not-pinnable"
    /// The value cannot be written where the reference is (an `Fn::Sub` string it would change,
    /// an `Fn::Join` shape that cannot hold it).
    case notWritable = "not-writable"
    /// The pin does not fit the reference (a parameter version for a secret, a version id a
    /// reference cannot carry).
    case invalidPin = "invalid-pin"
    /// The site does not match the document: another file, or bytes that do not hold the
    /// reference.
    case siteNotFound = "site-not-found"
    /// Another substitution already changes the same text differently.
    case conflict
    /// Another use of the same text, which an alias repeats, cannot be rendered: this one is
    /// left as written with it (they are the same bytes). The other use's issue says why.
    case aliasRepeat = "alias-repeat"
  }

  public var site: ReferenceSite
  public var kind: Kind
  /// One line, lowercase, names in quotes, no trailing period.
  public var reason: String

  public init(site: ReferenceSite, kind: Kind, reason: String) {
    self.site = site
    self.kind = kind
    self.reason = reason
  }

  /// `file:line:column: reason`
  public var description: String {
    "\(site.file):\(site.range.start.line):\(site.range.start.column): \(reason)"
  }
}
