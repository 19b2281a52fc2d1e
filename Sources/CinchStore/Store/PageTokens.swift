import Foundation

/// Page tokens of every listing (Parameter Store, KMS, Secrets Manager): opaque to the caller
/// and tamper-evident. A token carries the position its listing goes on after (the last name,
/// key id, version or sort key the caller was shown: nothing it has not seen) and an
/// HMAC-SHA256, under a key derived from the store key, over that position and the listing that
/// issued it: the operation and whatever selects and orders its items (path, depth, filters,
/// sort). A token changed in any byte, made up, or handed to another listing fails the check
/// and is refused with the service's code, never read as a place to start. The key comes from
/// the store key, so a token issued before a rekey, or by another process, still reads.
///
/// Until 2026-12-07 a token was the base64 of `cinch-page-1|SCOPE|POSITION`, which a caller
/// could write for itself; those tokens are refused now.
struct PageTokens: Sendable {
  let key: HMACKey

  /// The first byte of a token: the form of what follows.
  private static let form: UInt8 = 2
  private static let tagLength = 16

  func make(_ listing: String, _ position: String) -> String {
    let position = Array(position.utf8)
    return Data([Self.form] + tag(listing, position) + position).base64EncodedString()
  }

  /// The position `token` says to go on after: `.some(nil)` without a token (the first page),
  /// nil for a token this store did not issue for `listing`.
  func read(_ token: String?, _ listing: String) -> String?? {
    guard let token else { return .some(nil) }
    guard let data = Data(base64Encoded: token), data.count > Self.tagLength,
      data.first == Self.form
    else { return nil }
    let bytes = Array(data)
    let position = Array(bytes[(1 + Self.tagLength)...])
    guard Crypto.constantTimeEquals(Array(bytes[1...Self.tagLength]), tag(listing, position)),
      let text = String(validating: position, as: UTF8.self)
    else { return nil }
    return .some(text)
  }

  private func tag(_ listing: String, _ position: [UInt8]) -> [UInt8] {
    // The listing's length first, so no other listing and position give the same bytes.
    let listing = Array(listing.utf8)
    return Array(
      key.mac(Array("\(listing.count):".utf8) + listing + position).prefix(Self.tagLength))
  }
}

extension SQLiteStore {
  var pageTokens: PageTokens { PageTokens(key: vault.pageTokenKey) }
}
