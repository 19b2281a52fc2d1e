import Foundation

/// The `Authorization` header of a SigV4 request:
/// `AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/ssm/aws4_request,
/// SignedHeaders=host;x-amz-date, Signature=…`.
package struct SigV4Authorization: Sendable, Hashable {
  package var accessKeyID: String
  package var scope: SigV4.Scope
  /// Lower-case header names, sorted.
  package var signedHeaders: [String]
  /// Lower-case hex.
  package var signature: String

  package init(accessKeyID: String, scope: SigV4.Scope, signedHeaders: [String], signature: String)
  {
    self.accessKeyID = accessKeyID
    self.scope = scope
    self.signedHeaders = signedHeaders
    self.signature = signature
  }

  package var headerValue: String {
    "\(SigV4.algorithm) Credential=\(accessKeyID)/\(scope), "
      + "SignedHeaders=\(signedHeaders.joined(separator: ";")), Signature=\(signature)"
  }

  /// Parses a header value; the error says what is missing, as AWS does.
  package init(parsing header: String) throws(SigV4Error) {
    let fields =
      Self.isASCII(header) ? try Self.fieldsOfASCII(header) : try Self.fields(of: header)
    let missing = ["Credential", "SignedHeaders", "Signature"].filter { fields[$0] == nil }
    guard missing.isEmpty, let credential = fields["Credential"],
      let signed = fields["SignedHeaders"], let signature = fields["Signature"]
    else {
      throw .incompleteSignature(
        missing.map { "Authorization header requires '\($0)' parameter." }.joined(separator: " "))
    }
    let parts =
      Self.isASCII(credential)
      ? Self.splitASCII(credential, on: UInt8(ascii: "/"), omittingEmpty: false)
      : credential.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    guard parts.count == 5, parts[4] == "aws4_request", !parts[0].isEmpty, parts[1].count == 8
    else {
      throw .incompleteSignature(
        "Credential should be scoped to a valid region, service and date, "
          + "as in 'AKID/20150830/us-east-1/ssm/aws4_request'.")
    }
    let signedHeaders =
      Self.isASCII(signed)
      ? Self.splitASCII(signed, on: UInt8(ascii: ";"), omittingEmpty: true)
      : signed.split(separator: ";").map(String.init)
    self.init(
      accessKeyID: parts[0],
      scope: SigV4.Scope(date: parts[1], region: parts[2], service: parts[3]),
      signedHeaders: signedHeaders.map(SigV4.asciiLowercased),
      signature: SigV4.asciiLowercased(signature))
  }

  private static let prefix = Array((SigV4.algorithm + " ").utf8)

  private static func algorithmMissing() -> SigV4Error {
    .incompleteSignature("Authorization header requires the '\(SigV4.algorithm)' algorithm.")
  }

  /// The `name=value` fields after the algorithm, the last of a name winning; any text.
  static func fields(of header: String) throws(SigV4Error) -> [String: String] {
    let trimmed = trimmingWhitespace(header[...])
    guard trimmed.hasPrefix(SigV4.algorithm + " ") else { throw algorithmMissing() }
    var fields: [String: String] = [:]
    for part in trimmed.dropFirst(SigV4.algorithm.count + 1).split(separator: ",") {
      let pair = trimmingWhitespace(part)
      guard let equals = pair.firstIndex(of: "=") else { continue }
      fields[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
    }
    return fields
  }

  /// `fields(of:)` for ASCII text (every header a client sends), on its bytes: the same
  /// fields, without the cost of splitting and trimming `Character`s.
  static func fieldsOfASCII(_ header: String) throws(SigV4Error) -> [String: String] {
    var header = header
    return try header.withUTF8 { bytes in
      Result { () throws(SigV4Error) in try fieldsOfASCII(bytes) }
    }.get()
  }

  private static func fieldsOfASCII(_ bytes: UnsafeBufferPointer<UInt8>) throws(SigV4Error)
    -> [String: String]
  {
    func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
    var start = 0
    var end = bytes.count
    while start < end, isSpace(bytes[start]) { start += 1 }
    while end > start, isSpace(bytes[end - 1]) { end -= 1 }
    guard end - start >= prefix.count, bytes[start..<(start + prefix.count)].elementsEqual(prefix)
    else { throw algorithmMissing() }
    var fields: [String: String] = [:]
    var partStart = start + prefix.count
    for index in partStart...end where index == end || bytes[index] == UInt8(ascii: ",") {
      var low = partStart
      var high = index
      partStart = index + 1
      while low < high, isSpace(bytes[low]) { low += 1 }
      while high > low, isSpace(bytes[high - 1]) { high -= 1 }
      guard let equals = bytes[low..<high].firstIndex(of: UInt8(ascii: "=")) else { continue }
      fields[String(decoding: UnsafeBufferPointer(rebasing: bytes[low..<equals]), as: UTF8.self)] =
        String(decoding: UnsafeBufferPointer(rebasing: bytes[(equals + 1)..<high]), as: UTF8.self)
    }
    return fields
  }

  /// Over the string's contiguous UTF-8 (`withUTF8`): `utf8.allSatisfy` walked the view an
  /// index at a time, ~10 instructions a byte, three times per request in `cinch serve`.
  static func isASCII(_ text: String) -> Bool {
    var text = text
    return text.withUTF8 { bytes in bytes.allSatisfy { $0 < 0x80 } }
  }

  /// `split(separator:omittingEmptySubsequences:)` for ASCII text, on its contiguous bytes.
  static func splitASCII(_ text: String, on separator: UInt8, omittingEmpty: Bool) -> [String] {
    var text = text
    return text.withUTF8 { bytes in
      var parts: [String] = []
      var start = 0
      for index in 0...bytes.count where index == bytes.count || bytes[index] == separator {
        if !omittingEmpty || index > start {
          parts.append(
            String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
        }
        start = index + 1
      }
      return parts
    }
  }

  /// Without leading and trailing spaces and tabs (`CharacterSet.whitespaces`: tab and the
  /// Unicode space separators), without going through Foundation's string bridging.
  static func trimmingWhitespace(_ text: Substring) -> Substring {
    func isSpace(_ scalar: Unicode.Scalar) -> Bool {
      scalar == " " || scalar == "\t" || scalar.properties.generalCategory == .spaceSeparator
    }
    let scalars = text.unicodeScalars
    guard let first = scalars.firstIndex(where: { !isSpace($0) }),
      let last = scalars.lastIndex(where: { !isSpace($0) })
    else { return text[text.endIndex...] }
    return Substring(scalars[first...last])
  }
}
