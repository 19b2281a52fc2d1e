import Foundation

/// A request target as route handlers see it: the path percent-decoded with dot segments
/// removed, and the query's name/value pairs percent-decoded, as Foundation's
/// `URL.standardized.path` and `URLComponents.queryItems` give them (the server answered with
/// those before its HTTP layer was its own, and the routes rely on that form). A trailing slash
/// is kept: Vault tells `secret/data/a/` (no such key: an invalid path) from `secret/data/a`,
/// and `standardized` would drop it.
///
/// A plain path (`/`, `/v1/secret/data/app`) is already in that form and is taken as it is;
/// anything else goes through Foundation.
enum HTTPRequestTarget {
  static func split(_ target: String) -> (path: String, query: [(name: String, value: String)]) {
    if isPlainPath(target) { return (target, []) }
    let components = self.components(target)
    var path =
      components.flatMap { URL(string: origin + $0.percentEncodedPath)?.standardized.path } ?? ""
    if components?.percentEncodedPath.hasSuffix("/") == true, !path.hasSuffix("/") { path += "/" }
    let query =
      components?.queryItems?.map { (name: $0.name, value: $0.value ?? "") } ?? []
    return (path, query)
  }

  /// The path percent-decoded with its dot segments (and empty ones) kept, as the client sent
  /// it: what a route that redirects such paths (Vault's, as Go's mux does) must see.
  static func decodedPath(_ target: String) -> String {
    if isPlainPath(target) { return target }
    return components(target)?.path ?? ""
  }

  /// The path part of the target as sent: percent-encoding kept, no query.
  static func pathAsSent(_ target: String) -> String {
    if isPlainPath(target) { return target }
    return components(target)?.percentEncodedPath ?? ""
  }

  /// A scheme and host put before an origin-form target (`/v1/…`), so that one starting with
  /// `//` is read as a path with an empty first segment, not as `//authority/path`.
  private static let origin = "http://h"

  private static func components(_ target: String) -> URLComponents? {
    URLComponents(string: target.hasPrefix("/") ? origin + target : target)
  }

  /// `/` followed by segments of unreserved characters, none empty, `.` or `..`, and no query.
  static func isPlainPath(_ target: String) -> Bool {
    let bytes = target.utf8
    guard bytes.first == UInt8(ascii: "/") else { return false }
    if bytes.count == 1 { return true }
    var segmentLength = 0
    var segmentDots = 0
    for byte in bytes.dropFirst() {
      switch byte {
      case UInt8(ascii: "/"):
        guard segmentLength > 0, segmentDots < segmentLength || segmentLength > 2 else {
          return false
        }
        segmentLength = 0
        segmentDots = 0
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
        UInt8(ascii: "~"):
        segmentLength += 1
      case UInt8(ascii: "."):
        segmentLength += 1
        segmentDots += 1
      default:
        return false
      }
    }
    return segmentLength > 0 && (segmentDots < segmentLength || segmentLength > 2)
  }
}
