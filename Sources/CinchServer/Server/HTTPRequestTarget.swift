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
  /// A target read once, every form a route or the signature check needs.
  struct Parts {
    /// Percent-decoded, dot segments removed: what routes match on.
    var path: String
    var query: [(name: String, value: String)]
    /// Percent-decoded with its dot segments (and empty ones) kept, as the client sent it:
    /// what a route that redirects such paths (Vault's, as Go's mux does) must see.
    var decodedPath: String
    /// As sent, percent-encoding kept, no query: what a SigV4 signature covers.
    var asSent: String
  }

  static func split(_ target: String) -> Parts {
    if isPlainPath(target) {
      return Parts(path: target, query: [], decodedPath: target, asSent: target)
    }
    let components = self.components(target)
    let asSent = components?.percentEncodedPath ?? ""
    var path = URL(string: origin + asSent)?.standardized.path ?? ""
    if asSent.hasSuffix("/"), !path.hasSuffix("/") { path += "/" }
    return Parts(
      path: components == nil ? "" : path,
      query: components?.queryItems?.map { (name: $0.name, value: $0.value ?? "") } ?? [],
      decodedPath: components?.path ?? "", asSent: asSent)
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
