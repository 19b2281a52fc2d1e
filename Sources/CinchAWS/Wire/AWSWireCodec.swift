import CinchJSON
package import CinchStore
import Foundation

/// The AWS JSON 1.1 body encoding of the store's `Codable` shapes: the same keys the CLI prints,
/// but timestamps as epoch seconds (a JSON number, fractions allowed) where the CLI prints ISO
/// 8601 text. The client encodes requests and decodes responses with it; `cinch serve` does the
/// reverse.
package enum AWSWireCodec {
  package static let contentType = "application/x-amz-json-1.1"

  package static func encode(_ value: some Encodable) throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.dateEncodingStrategy = .secondsSince1970
    encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
    return Array(try encoder.encode(value))
  }

  /// A response body as `cinch serve` sends it: the members in the order the shape declares
  /// them (the order AWS's own responses use), timestamps as epoch seconds. Through
  /// `JSONValueEncoder` rather than Foundation's `JSONEncoder`, whose key sorting and boxing were
  /// ~65 k of the ~550 k instructions of a served `GetParameter`.
  package static func encodeResponse(_ value: some Encodable) throws -> [UInt8] {
    try JSONValueEncoder(dates: .epochSeconds).encode(value).compactBytes()
  }

  /// Decodes a response body; an empty body decodes as `{}` (AWS answers some operations with
  /// no content). A body that does not fit `type` is an error that names the field, never a
  /// value.
  package static func decode<Value: Decodable>(_ type: Value.Type, from body: [UInt8]) throws
    -> Value
  {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .secondsSince1970
    let data =
      body.allSatisfy { $0 == 0x20 || $0 == 0x0a || $0 == 0x0d || $0 == 0x09 }
      ? Data("{}".utf8) : Data(body)
    // A map of versions to stages keeps the server's order (the decoder keeps none).
    if body.count > 16, body.firstRange(of: Array("ToStages\"".utf8)) != nil,
      let parsed = try? JSONValueParser.parse(String(decoding: body, as: UTF8.self))
    {
      decoder.userInfo[VersionStagesMap.keyOrder] = VersionStagesMap.KeyOrder(body: parsed)
    }
    do {
      return endingListing(try decoder.decode(type, from: data))
    } catch let error as DecodingError {
      throw AWSClientError.malformedResponse(Self.describe(error))
    }
  }

  /// Where a decoding error happened and what kind it was, without the offending value.
  static func describe(_ error: DecodingError) -> String {
    func path(_ context: DecodingError.Context) -> String {
      let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
      return keys.isEmpty ? "the body" : "'" + keys.joined(separator: ".") + "'"
    }
    switch error {
    case .keyNotFound(let key, let context):
      return "\(path(context)) lacks '\(key.stringValue)'"
    case .typeMismatch(let type, let context):
      return "\(path(context)) is not a \(type)"
    case .valueNotFound(let type, let context):
      return "\(path(context)) is null where a \(type) belongs"
    case .dataCorrupted(let context):
      return context.codingPath.isEmpty ? "the body is not JSON" : "\(path(context)) is malformed"
    @unknown default:
      return "the body does not match the operation's shape"
    }
  }

  // MARK: Errors

  /// The `StoreError` an error response carries, read as botocore reads it: the code from
  /// `__type` (without a `namespace#` prefix or a `:…` suffix), else the `x-amzn-ErrorType`
  /// header, else the HTTP status; the message from `message` or `Message`. A 5xx answer with
  /// an empty or HTML body (a proxy's, a load balancer's) is botocore's "generic" error: the
  /// status as the code and its reason phrase as the message.
  package static func decodeError(status: Int, headers: [String: String], body: [UInt8])
    -> StoreError
  {
    let trimmed = body.drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
    if status >= 500, trimmed.isEmpty || trimmed.starts(with: Array("<html>".utf8)) {
      return StoreError(code: String(status), message: reasonPhrase(status), httpStatus: status)
    }
    let text = String(decoding: body, as: UTF8.self)
    let document = try? JSONValueParser.parse(text)
    // Not JSON: a compatible server's XML `<Error>` (moto's signature errors), or a page.
    let xml = document == nil ? xmlError(text) : nil
    var code = document?["__type"]?.stringValue ?? headers["x-amzn-errortype"] ?? xml?.code ?? ""
    if let colon = code.firstIndex(of: ":") { code = String(code[..<colon]) }
    if let hash = code.lastIndex(of: "#") { code = String(code[code.index(after: hash)...]) }
    let codeIsStatus = code.isEmpty && status != 429
    if code.isEmpty { code = status == 429 ? "TooManyRequestsException" : String(status) }
    var message =
      document?["message"]?.stringValue ?? document?["Message"]?.stringValue ?? xml?.message ?? ""
    // A bare status says nothing on its own: its reason phrase does (`403: Forbidden`).
    if codeIsStatus, message.isEmpty { message = reasonPhrase(status) }
    return StoreError(code: code, message: message, httpStatus: status)
  }

  /// The `<Code>` and `<Message>` of an XML error body, entities decoded.
  static func xmlError(_ text: String) -> (code: String?, message: String?)? {
    func element(_ name: String) -> String? {
      guard let start = text.range(of: "<\(name)>"),
        let end = text.range(of: "</\(name)>", range: start.upperBound..<text.endIndex)
      else { return nil }
      return String(text[start.upperBound..<end.lowerBound])
        .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
        .replacingOccurrences(of: "&quot;", with: "\"")
        .replacingOccurrences(of: "&apos;", with: "'").replacingOccurrences(of: "&amp;", with: "&")
    }
    let code = element("Code")
    let message = element("Message")
    return code == nil && message == nil ? nil : (code, message)
  }

  /// Python's `http.client.responses` for the statuses a server answers a call with.
  static func reasonPhrase(_ status: Int) -> String {
    switch status {
    case 400: "Bad Request"
    case 401: "Unauthorized"
    case 403: "Forbidden"
    case 404: "Not Found"
    case 405: "Method Not Allowed"
    case 408: "Request Timeout"
    case 413: "Request Entity Too Large"
    case 429: "Too Many Requests"
    case 500: "Internal Server Error"
    case 501: "Not Implemented"
    case 502: "Bad Gateway"
    case 503: "Service Unavailable"
    case 504: "Gateway Timeout"
    case 505: "HTTP Version Not Supported"
    case 507: "Insufficient Storage"
    case 508: "Loop Detected"
    case 510: "Not Extended"
    case 511: "Network Authentication Required"
    default: ""
    }
  }
}

/// A page of a listing. AWS ends a listing with no `NextToken`; some compatible servers (moto)
/// send `""`, which botocore also reads as the end: decoded as none here, so no caller asks
/// for the page after the last one.
protocol AWSListingPage {
  var nextToken: String? { get set }
}

extension DescribeParametersResponse: AWSListingPage {}
extension GetParametersByPathResponse: AWSListingPage {}
extension GetParameterHistoryResponse: AWSListingPage {}
extension ListSecretsResponse: AWSListingPage {}
extension ListSecretVersionIdsResponse: AWSListingPage {}
extension BatchGetSecretValueResponse: AWSListingPage {}

/// `value`, with an empty `NextToken` of a listing page taken as none.
private func endingListing<Value>(_ value: Value) -> Value {
  guard var page = value as? any AWSListingPage, page.nextToken?.isEmpty == true else {
    return value
  }
  page.nextToken = nil
  return (page as? Value) ?? value
}
