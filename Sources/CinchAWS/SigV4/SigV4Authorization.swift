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
    let trimmed = Self.trimmingWhitespace(header[...])
    guard trimmed.hasPrefix(SigV4.algorithm + " ") else {
      throw .incompleteSignature(
        "Authorization header requires the '\(SigV4.algorithm)' algorithm.")
    }
    var fields: [String: String] = [:]
    for part in trimmed.dropFirst(SigV4.algorithm.count + 1).split(separator: ",") {
      let pair = Self.trimmingWhitespace(part)
      guard let equals = pair.firstIndex(of: "=") else { continue }
      fields[String(pair[..<equals])] = String(pair[pair.index(after: equals)...])
    }
    let missing = ["Credential", "SignedHeaders", "Signature"].filter { fields[$0] == nil }
    guard missing.isEmpty, let credential = fields["Credential"],
      let signed = fields["SignedHeaders"], let signature = fields["Signature"]
    else {
      throw .incompleteSignature(
        missing.map { "Authorization header requires '\($0)' parameter." }.joined(separator: " "))
    }
    let parts = credential.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    guard parts.count == 5, parts[4] == "aws4_request", !parts[0].isEmpty, parts[1].count == 8
    else {
      throw .incompleteSignature(
        "Credential should be scoped to a valid region, service and date, "
          + "as in 'AKID/20150830/us-east-1/ssm/aws4_request'.")
    }
    self.init(
      accessKeyID: parts[0],
      scope: SigV4.Scope(date: parts[1], region: parts[2], service: parts[3]),
      signedHeaders: signed.split(separator: ";").map { $0.lowercased() },
      signature: signature.lowercased())
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
