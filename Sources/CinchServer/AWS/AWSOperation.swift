import CinchAWS
import CinchJSON
import CinchStore
import Foundation

/// One resource a request acts on, as IAM evaluates it: the ARN and the request's condition
/// keys (lower-case names) that bear on it.
struct AuthorizationTarget: Sendable {
  var resource: String
  var context: [String: String]

  init(_ resource: String, _ context: [String: String] = [:]) {
    self.resource = resource
    self.context = context
  }
}

/// What an operation needs while it runs: the store acting for the caller, the ARNs of its
/// resources, and the caller's permissions (for answers filtered per item, such as
/// `BatchGetSecretValue`).
struct OperationContext: Sendable {
  var store: SQLiteStore
  var names: ResourceNames
  /// Throws `AccessDeniedException` unless the caller may perform `action` on every target.
  var authorize: @Sendable (_ action: String, _ targets: [AuthorizationTarget]) async throws -> Void
}

/// One operation of the AWS JSON API: its service, its name (the `X-Amz-Target` suffix and the
/// IAM action), and how it runs: decode the request shape, authorise it, call the store, encode
/// the response shape.
struct AWSOperation: Sendable {
  var service: ServedService
  var name: String
  var run: @Sendable (_ body: [UInt8], _ context: OperationContext) async throws -> [UInt8]

  /// `ssm:GetParameter`.
  var action: String { "\(service.actionPrefix):\(name)" }

  /// An operation whose request names its resources up front.
  static func make<Request: Decodable & Sendable, Response: Encodable & Sendable>(
    _ service: ServedService, _ name: String, _ request: Request.Type,
    resources: @escaping @Sendable (Request, ResourceNames) async -> [AuthorizationTarget],
    _ call: @escaping @Sendable (SQLiteStore, Request) async throws -> Response
  ) -> AWSOperation {
    let action = "\(service.actionPrefix):\(name)"
    return AWSOperation(service: service, name: name) { body, context in
      let decoded = try AWSRequestDecoder.decode(Request.self, from: body)
      try await context.authorize(action, await resources(decoded, context.names))
      return try AWSWireCodec.encodeResponse(try await call(context.store, decoded))
    }
  }
}

/// The services `cinch serve` answers, by `X-Amz-Target` prefix and SigV4 signing name.
enum ServedService: String, Sendable, CaseIterable {
  case ssm
  case secretsManager
  case kms

  var targetPrefix: String {
    switch self {
    case .ssm: AWSService.ssm.targetPrefix
    case .secretsManager: AWSService.secretsManager.targetPrefix
    case .kms: AWSService.kms.targetPrefix
    }
  }

  var signingName: String {
    switch self {
    case .ssm: AWSService.ssm.signingName
    case .secretsManager: AWSService.secretsManager.signingName
    case .kms: AWSService.kms.signingName
    }
  }

  var actionPrefix: String { signingName }

  /// The service whose error codes its answers use.
  var storeService: StoreService {
    switch self {
    case .ssm: .ssm
    case .secretsManager: .secretsManager
    case .kms: .kms
    }
  }

  /// The service of an `X-Amz-Target` prefix.
  init?(targetPrefix: String) {
    guard let service = Self.allCases.first(where: { $0.targetPrefix == targetPrefix }) else {
      return nil
    }
    self = service
  }
}

/// Request bodies decoded as AWS does: an empty body is `{}`; a missing required member is a
/// `ValidationException` naming it; anything else that does not fit the shape is a
/// `SerializationException`. Messages name members, never values.
enum AWSRequestDecoder {
  static func decode<Value: Decodable>(_ type: Value.Type, from body: [UInt8]) throws -> Value {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .secondsSince1970
    let blank = body.allSatisfy { $0 == 0x20 || $0 == 0x0a || $0 == 0x0d || $0 == 0x09 }
    do {
      return try decoder.decode(type, from: blank ? Data("{}".utf8) : Data(body))
    } catch DecodingError.keyNotFound(let key, _) {
      throw StoreError(
        code: "ValidationException",
        message: "1 validation error detected: Value null at '\(memberName(key.stringValue))' "
          + "failed to satisfy constraint: Member must not be null")
    } catch DecodingError.valueNotFound(_, let context) {
      let member = context.codingPath.last.map { memberName($0.stringValue) } ?? "body"
      throw StoreError(
        code: "ValidationException",
        message: "1 validation error detected: Value null at '\(member)' failed to satisfy "
          + "constraint: Member must not be null")
    } catch DecodingError.typeMismatch(_, let context) {
      throw serialization(context, body)
    } catch DecodingError.dataCorrupted(let context) {
      throw serialization(context, body)
    }
  }

  private static func serialization(_ context: DecodingError.Context, _ body: [UInt8])
    -> StoreError
  {
    let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
    guard path.isEmpty else {
      return StoreError(
        code: "SerializationException",
        message: "'\(path.joined(separator: "."))' does not have the type the operation expects")
    }
    // Foundation's decoder names no member when a number does not fit one (`2.5` or `1e400`
    // for an integer), nor when a string is not UTF-8: it says the data is not valid JSON.
    // Told apart here (the text is checked as it is: decoding would repair it).
    guard let text = String(validating: body, as: UTF8.self) else {
      return StoreError(
        code: "SerializationException", message: "the request body is not UTF-8 text")
    }
    let message: String
    do {
      if case .object = try JSONValueParser.parse(text) {
        message =
          "a number in the request body does not fit its member (a whole number in range is "
          + "expected)"
      } else {
        message = "the request body is not a JSON object"
      }
    } catch {
      // Where and why, never the text: nesting deeper than the parsers take, a syntax error.
      message = "the request body is not valid JSON: \(error)"
    }
    return StoreError(code: "SerializationException", message: message)
  }

  /// `Name` → `name`: AWS's validation messages name members in lower camel case.
  private static func memberName(_ key: String) -> String {
    guard let first = key.first else { return key }
    return first.lowercased() + key.dropFirst()
  }
}
