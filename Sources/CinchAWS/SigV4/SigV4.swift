package import CinchStore
package import Foundation

/// AWS Signature Version 4: the canonical request, the string to sign, the signing key and the
/// signature, as AWS's SigV4 test suite defines them (HMAC-SHA256 and SHA-256 through libcrypto).
/// `SigV4Signer` signs requests with these; `SigV4Verifier` checks a received request's signature.
package enum SigV4 {
  package static let algorithm = "AWS4-HMAC-SHA256"
  /// The hex SHA-256 of an empty body.
  package static let emptyBodyHash =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

  /// The credential scope: `yyyymmdd/region/service/aws4_request`.
  package struct Scope: Sendable, Hashable, CustomStringConvertible {
    package var date: String
    package var region: String
    package var service: String

    package init(date: String, region: String, service: String) {
      self.date = date
      self.region = region
      self.service = service
    }

    package var description: String { "\(date)/\(region)/\(service)/aws4_request" }
  }

  // MARK: Canonical request

  /// The canonical request of `request` over `signedHeaders` (lower-case names; all of the
  /// request's headers when nil), and the `SignedHeaders` list it covers. `normalizePath` removes
  /// `.`/`..` segments and repeated slashes, as every service but S3 expects.
  package static func canonicalRequest(
    _ request: SigV4Request, signedHeaders: [String]? = nil, normalizePath: Bool = true
  ) -> (text: String, signedHeaders: String) {
    let (bytes, signed) = canonicalRequestBytes(
      request, signedHeaders: signedHeaders, normalizePath: normalizePath)
    return (String(decoding: bytes, as: UTF8.self), signed)
  }

  /// `canonicalRequest` as the bytes that are hashed, built without intermediate strings
  /// (`cinch serve` builds one per request).
  package static func canonicalRequestBytes(
    _ request: SigV4Request, signedHeaders: [String]? = nil, normalizePath: Bool = true
  ) -> (bytes: [UInt8], signedHeaders: String) {
    let names: [String]
    if let signedHeaders {
      names = signedHeaders.map(asciiLowercased).sorted()
    } else {
      var seen: Set<String> = []
      names = request.headers.map { asciiLowercased($0.name) }.filter { seen.insert($0).inserted }
        .sorted()
    }
    // Only the headers named are canonicalised (a received request carries others too).
    var values = [[String]](repeating: [], count: names.count)
    for header in request.headers {
      var value: String?
      for index in names.indices where asciiCaseInsensitiveEquals(header.name, names[index]) {
        if value == nil { value = canonicalHeaderValue(header.value) }
        values[index].append(value ?? "")
      }
    }
    let newline = UInt8(ascii: "\n")
    var bytes: [UInt8] = []
    bytes.reserveCapacity(512)
    bytes += asciiUppercased(request.method).utf8
    bytes.append(newline)
    bytes += canonicalPath(request.path, normalize: normalizePath).utf8
    bytes.append(newline)
    bytes += canonicalQuery(request.query).utf8
    bytes.append(newline)
    for (index, name) in names.enumerated() {
      bytes += name.utf8
      bytes.append(UInt8(ascii: ":"))
      for (position, value) in values[index].enumerated() {
        if position > 0 { bytes.append(UInt8(ascii: ",")) }
        bytes += value.utf8
      }
      bytes.append(newline)
    }
    let signed = names.joined(separator: ";")
    bytes.append(newline)
    bytes += signed.utf8
    bytes.append(newline)
    bytes += request.payloadHash.utf8
    return (bytes, signed)
  }

  /// `text` with ASCII letters in lower case; the same string when it has no upper-case letter
  /// (header names as clients sign them), without building a new one.
  static func asciiLowercased(_ text: String) -> String {
    text.utf8.contains { $0 &- UInt8(ascii: "A") < 26 } ? text.lowercased() : text
  }

  static func asciiUppercased(_ text: String) -> String {
    text.utf8.contains { $0 &- UInt8(ascii: "a") < 26 } ? text.uppercased() : text
  }

  /// Whether `name` equals `lowercased` (already in lower case) ignoring ASCII case.
  /// Most pairs differ in length (a received request's ~7 headers are compared with each of
  /// the ~4 signed names), which is answered without reading a byte.
  package static func asciiCaseInsensitiveEquals(_ name: String, _ lowercased: String) -> Bool {
    guard name.utf8.count == lowercased.utf8.count else { return false }
    var name = name
    var lowercased = lowercased
    return name.withUTF8 { left in
      lowercased.withUTF8 { right in
        for index in left.indices {
          let byte = left[index]
          let folded = byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
          guard folded == right[index] else { return false }
        }
        return true
      }
    }
  }

  /// The path with dot segments and repeated slashes removed (when `normalize`), each segment
  /// percent-encoded.
  package static func canonicalPath(_ path: String, normalize: Bool) -> String {
    if path.isEmpty || path == "/" { return "/" }
    let raw = path
    guard normalize else {
      return raw.split(separator: "/", omittingEmptySubsequences: false)
        .map { uriEncode(String($0)) }.joined(separator: "/")
    }
    var segments: [Substring] = []
    for segment in raw.split(separator: "/", omittingEmptySubsequences: true) {
      switch segment {
      case ".": continue
      case "..": _ = segments.popLast()
      default: segments.append(segment)
      }
    }
    let trailing = raw.hasSuffix("/") && !segments.isEmpty ? "/" : ""
    return "/" + segments.map { uriEncode(String($0)) }.joined(separator: "/") + trailing
  }

  /// Query parameters encoded and sorted by name, then value.
  package static func canonicalQuery(_ query: [(name: String, value: String)]) -> String {
    if query.isEmpty { return "" }
    let pairs: [(String, String)] = query.map { (uriEncode($0.name), uriEncode($0.value)) }
    let sorted = pairs.sorted { left, right in
      left.0 == right.0 ? left.1 < right.1 : left.0 < right.0
    }
    return sorted.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
  }

  /// A header value trimmed, with every run of whitespace (line folds included) made one space.
  package static func canonicalHeaderValue(_ value: String) -> String {
    // Most values are printable ASCII with single spaces and nothing to trim: already canonical.
    var previousSpace = true
    var plain = true
    for byte in value.utf8 {
      let space = byte == 0x20
      if byte < 0x20 || byte >= 0x7f || (space && previousSpace) {
        plain = false
        break
      }
      previousSpace = space
    }
    if plain && !previousSpace { return value }
    if value.isEmpty { return value }
    let words = value.split { character in character.isWhitespace }
    return words.joined(separator: " ")
  }

  /// RFC 3986 percent-encoding of everything but the unreserved characters `A-Za-z0-9-._~`.
  package static func uriEncode(_ text: String) -> String {
    var encoded = ""
    encoded.reserveCapacity(text.utf8.count)
    for byte in text.utf8 {
      if isUnreserved(byte) {
        encoded.unicodeScalars.append(Unicode.Scalar(byte))
      } else {
        encoded += "%"
        encoded.unicodeScalars.append(Unicode.Scalar(Hex.digit(byte >> 4, uppercase: true)))
        encoded.unicodeScalars.append(Unicode.Scalar(Hex.digit(byte & 0x0f, uppercase: true)))
      }
    }
    return encoded
  }

  private static func isUnreserved(_ byte: UInt8) -> Bool {
    switch byte {
    case 0x41...0x5a, 0x61...0x7a, 0x30...0x39: true  // A-Z a-z 0-9
    case 0x2d, 0x2e, 0x5f, 0x7e: true  // - . _ ~
    default: false
    }
  }

  // MARK: String to sign, key, signature

  /// `AWS4-HMAC-SHA256 \n <X-Amz-Date> \n <scope> \n hex(SHA-256(canonical request))`.
  package static func stringToSign(canonicalRequest: String, amzDate: String, scope: Scope)
    -> String
  {
    let bytes = stringToSignBytes(
      canonicalRequest: Array(canonicalRequest.utf8), amzDate: amzDate, scope: scope)
    return String(decoding: bytes, as: UTF8.self)
  }

  /// `stringToSign` over the canonical request's bytes, as bytes.
  package static func stringToSignBytes(
    canonicalRequest: [UInt8], amzDate: String, scope: Scope
  ) -> [UInt8] {
    let newline = UInt8(ascii: "\n")
    var bytes: [UInt8] = []
    bytes.reserveCapacity(192)
    bytes += algorithm.utf8
    bytes.append(newline)
    bytes += amzDate.utf8
    bytes.append(newline)
    for part in [scope.date, scope.region, scope.service] {
      bytes += part.utf8
      bytes.append(UInt8(ascii: "/"))
    }
    bytes += "aws4_request".utf8
    bytes.append(newline)
    bytes.appendHex(sha256(canonicalRequest))
    return bytes
  }

  /// `HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")`.
  package static func signingKey(secretAccessKey: SecretBytes, scope: Scope) -> SecretBytes {
    let seed = secretAccessKey.withUnsafeBytes { secret in
      SecretBytes(count: 4 + secret.count) { buffer in
        buffer.copyBytes(from: Array("AWS4".utf8))
        if secret.count > 0 {
          UnsafeMutableRawBufferPointer(rebasing: buffer[4...]).copyMemory(from: secret)
        }
      }
    }
    var key = seed
    for part in [scope.date, scope.region, scope.service, "aws4_request"] {
      var mac = Crypto.hmacSHA256(key: key, Array(part.utf8))
      key = SecretBytes(copying: mac)
      for index in mac.indices { mac[index] = 0 }
    }
    return key
  }

  /// The hex signature of `stringToSign` under `signingKey`.
  package static func signature(stringToSign: String, signingKey: SecretBytes) -> String {
    hex(Crypto.hmacSHA256(key: signingKey, Array(stringToSign.utf8)))
  }

  // MARK: Helpers

  package static func sha256(_ bytes: [UInt8]) -> [UInt8] { Crypto.sha256(bytes) }

  package static func hex(_ bytes: some Collection<UInt8>) -> String { bytes.hex }

  /// `20150830T123600Z` (the `X-Amz-Date` form) for `date`, in UTC.
  package static func amzDate(_ date: Date) -> String {
    CivilTime(secondsSince1970: Int64(date.timeIntervalSince1970.rounded(.down)))
      .text(separators: false, zone: .utc)
  }

  /// The date an `X-Amz-Date` value names, or nil when it is not of that form.
  package static func parseAmzDate(_ text: String) -> Date? {
    var text = text
    return text.withUTF8 { bytes -> Date? in
      guard bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z")
      else { return nil }
      func number(_ range: Range<Int>) -> Int? {
        var value = 0
        for index in range {
          let digit = bytes[index] &- UInt8(ascii: "0")
          guard digit < 10 else { return nil }
          value = value * 10 + Int(digit)
        }
        return value
      }
      guard let year = number(0..<4), let month = number(4..<6), let day = number(6..<8),
        let hour = number(9..<11), let minute = number(11..<13), let second = number(13..<15),
        (1...12).contains(month), day >= 1,
        day <= CivilTime.daysIn(month: month, year: year), hour < 24, minute < 60, second < 60
      else { return nil }
      let days = CivilTime.days(year: year, month: month, day: day)
      return Date(
        timeIntervalSince1970: TimeInterval(((days * 24 + hour) * 60 + minute) * 60 + second))
    }
  }
}
