/// Where a store is: a file (the embedded store), or AWS itself (`aws://REGION`, or `aws://` for
/// the region of the environment or profile).
enum StoreLocation: Equatable, Sendable {
  case file(String)
  case aws(region: String?)

  static let awsScheme = "aws://"

  /// Reads `--store` / `CINCH_STORE`. Anything not starting with `aws://` is a file path.
  static func parse(_ text: String) throws(StoreLocationError) -> StoreLocation {
    guard text.lowercased().hasPrefix(awsScheme) else { return .file(text) }
    var region = text.dropFirst(awsScheme.count)
    if region.hasSuffix("/") { region = region.dropLast() }
    guard region.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
      throw StoreLocationError(
        description: "the store 'aws://\(region)' is not of the form aws://REGION "
          + "(e.g. aws://us-east-1) or aws://")
    }
    return .aws(region: region.isEmpty ? nil : String(region))
  }

  var description: String {
    switch self {
    case .file(let path): path
    case .aws(let region): Self.awsScheme + (region ?? "")
    }
  }
}

/// A store location that cannot be used, or a command that cannot use it.
struct StoreLocationError: Error, Equatable, CustomStringConvertible {
  var description: String
}
