extension PinnedReference {
  /// The version a lock entry pins: a parameter's version number, else a secret's version id.
  public init?(_ pin: Pin) {
    if let version = pin.version {
      self = .version(version)
    } else if let versionId = pin.versionId {
      self = .versionId(versionId)
    } else {
      return nil
    }
  }
}
