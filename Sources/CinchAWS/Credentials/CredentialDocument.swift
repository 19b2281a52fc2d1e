import CinchJSON
import CinchStore
import Foundation

/// The JSON credential documents of `credential_process`, the container endpoint and the
/// instance metadata service: `AccessKeyId`, `SecretAccessKey`, `SessionToken` or `Token`,
/// `Expiration` (ISO 8601). Errors name the field, never a value.
enum CredentialDocument {
  static func parse(_ body: [UInt8], source: String) throws -> AWSCredentials {
    guard let document = try? JSONValueParser.parse(String(decoding: body, as: UTF8.self)),
      document.objectValue != nil
    else {
      throw AWSClientError.credentials(source: source, reason: "the answer is not a JSON object")
    }
    if let code = document["Code"]?.stringValue, code != "Success" {
      throw AWSClientError.credentials(source: source, reason: "it answered with code '\(code)'")
    }
    guard let key = document["AccessKeyId"]?.stringValue, !key.isEmpty else {
      throw AWSClientError.credentials(source: source, reason: "the answer has no 'AccessKeyId'")
    }
    guard let secret = document["SecretAccessKey"]?.stringValue, !secret.isEmpty else {
      throw AWSClientError.credentials(
        source: source, reason: "the answer has no 'SecretAccessKey'")
    }
    let token = document["SessionToken"]?.stringValue ?? document["Token"]?.stringValue
    var expiration: Date?
    if let text = document["Expiration"]?.stringValue {
      guard let date = parseTimestamp(text) else {
        throw AWSClientError.credentials(
          source: source, reason: "'Expiration' is not an ISO 8601 timestamp")
      }
      expiration = date
    }
    return AWSCredentials(
      accessKeyID: key, secretAccessKey: SecretBytes(utf8: secret),
      sessionToken: token.flatMap { $0.isEmpty ? nil : SecretBytes(utf8: $0) },
      expiration: expiration, source: source)
  }

  /// ISO 8601, with or without fractional seconds; the date and time may be separated by a
  /// space, as botocore's parser (dateutil) also reads them.
  static func parseTimestamp(_ raw: String) -> Date? {
    var text = raw
    if let separator = text.utf8.index(text.startIndex, offsetBy: 10, limitedBy: text.endIndex),
      separator < text.endIndex, text[separator] == " "
    {
      text.replaceSubrange(separator...separator, with: "T")
    }
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    if let date = formatter.date(from: text) { return date }
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.date(from: text)
  }
}
