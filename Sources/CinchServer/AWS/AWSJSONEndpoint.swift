import CinchAWS
import CinchJSON
package import CinchStore
package import Foundation
import Synchronization

/// The AWS JSON 1.1 API over the embedded store: `POST /` with `X-Amz-Target:
/// AmazonSSM.*`, `secretsmanager.*` or `TrentService.*`, SigV4-signed with an access key the
/// store holds. Each request is authenticated (signature, key, clock skew), authorised against
/// the key's user's policies, run as one store operation audited under the access key id, and
/// answered with AWS's response shape or error body (`__type`, `message` or `Message` as the
/// error's shape spells it (`AWSErrorShapes`), `x-amzn-RequestId`, `X-Amzn-ErrorType`).
package final class AWSJSONEndpoint: Sendable {
  let store: SQLiteStore
  let table: AWSOperationTable
  let now: @Sendable () -> Date
  private let policies = Mutex<[String: PolicyDocument]>([:])
  /// Derived SigV4 signing keys, per access key and scope (a day's requests share one).
  let signingKeys = SigV4SigningKeyCache()
  /// The credentials of active keys that signed recent requests, by access key id. A request
  /// authenticated from here runs under a `CredentialCheck`, so a key deleted, deactivated or
  /// given another policy (by any process) stops working for the next request, as when every
  /// request looked its key up; the lookup's own transaction (~60 k instructions, two file
  /// locks and the reader's page cache read again after each write) is what this saves.
  private let credentials = Mutex<[String: AccessKeyCredential]>([:])
  static let credentialCacheLimit = 1024

  package init(store: SQLiteStore, now: @escaping @Sendable () -> Date = { Date() }) {
    self.store = store
    self.table = .standard
    self.now = now
  }

  /// The handler to mount (at `/`).
  package var handler: ServerHandler { { request in await self.handle(request) } }

  /// Every `X-Amz-Target` answered.
  package var targets: [String] { table.targets }

  package func handle(_ request: ServerRequest) async -> ServerResponse {
    let requestID = Crypto.randomUUIDString()
    let target = request.header("X-Amz-Target") ?? ""
    let prefix = target.split(separator: ".", maxSplits: 1).first.map(String.init) ?? ""
    let service = ServedService(targetPrefix: prefix)
    var accessKeyID: String?
    do {
      guard request.method == "POST" else {
        throw StoreError(code: "UnknownOperationException", message: "", httpStatus: 404)
      }
      // At most three runs: from the cached credentials; when those turned out stale, from
      // credentials read again and checked the same way; then once more unchecked, as every
      // request ran before credentials were cached. A stale run committed nothing.
      var attempt = 0
      var outcome: Result<[UInt8], any Error>
      while true {
        let credential = try await authenticate(request, service: service, cached: attempt == 0)
        accessKeyID = credential.accessKeyID
        let check = attempt < 2 ? CredentialCheck(generation: credential.iamGeneration) : nil
        do {
          guard service != nil, let operation = table.operation(target: target) else {
            throw StoreError(code: "UnknownOperationException", message: "")
          }
          outcome = .success(
            try await operation.run(request.body, context(for: credential, operation, check)))
        } catch {
          outcome = .failure(error)
        }
        guard let check, try await !credentialsHeld(check) else { break }
        forget(credential.accessKeyID)
        attempt += 1
      }
      let body = try outcome.get()
      return ServerResponse(
        status: 200,
        headers: [
          ("Content-Type", AWSWireCodec.contentType), ("x-amzn-RequestId", requestID),
        ], body: body,
        logDetail: "\(AccessLogField.escaped(target)) \(accessKeyID ?? "-")")
    } catch {
      // The operation names a busy store as its model does (`StoreError.inService`).
      let operation = target.split(separator: ".", maxSplits: 1).dropFirst().first.map(String.init)
      let failure = Self.storeError(error).inService(
        service?.storeService ?? .ssm, operation: operation
      ).served
      let body = JSONValue.object(
        JSONObject([
          ("__type", .string(failure.code)),
          (AWSErrorShapes.messageMember(for: failure.code, in: service), .string(failure.message)),
        ])
      ).compact()
      return ServerResponse(
        status: failure.httpStatus,
        headers: [
          ("Content-Type", AWSWireCodec.contentType), ("x-amzn-RequestId", requestID),
          ("X-Amzn-ErrorType", failure.code),
        ], body: Array(body.utf8),
        logDetail: [
          target.isEmpty ? "-" : AccessLogField.escaped(target), accessKeyID ?? "-", failure.code,
        ]
        .joined(separator: " "))
    }
  }

  // MARK: Authentication

  /// The access key that signed `request`, after checking the signature, the key's status and
  /// the clock skew; errors are AWS's (`MissingAuthenticationTokenException`,
  /// `IncompleteSignatureException`, `UnrecognizedClientException`,
  /// `InvalidSignatureException`).
  ///
  /// With `cached`, the credentials kept from an earlier request when there are some; any
  /// failure with those is decided again on the key as the store has it now.
  func authenticate(_ request: ServerRequest, service: ServedService?, cached: Bool) async throws
    -> AccessKeyCredential
  {
    // The path as sent, which the canonical request encodes once more: SDKs sign a path's
    // segments "URI-encoded twice (except for Amazon S3)"
    // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html).
    let signed = SigV4Request(
      method: request.method, path: request.targetPath, query: request.query,
      headers: request.headers, body: request.body)
    let authorization = try SigV4Verifier.authorization(of: signed)
    // cinch issues long-term keys only: a session token names credentials it never issued.
    guard request.header("X-Amz-Security-Token") == nil else { throw Self.unrecognizedClient }
    let verify = { (credential: AccessKeyCredential) throws in
      try SigV4Verifier.verify(
        signed, authorization: authorization, secretAccessKey: credential.secretAccessKey,
        now: self.now(), region: self.store.configuration.region,
        service: service?.signingName, signingKeys: self.signingKeys)
    }
    if cached, let credential = credentials.withLock({ $0[authorization.accessKeyID] }),
      (try? verify(credential)) != nil
    {
      return credential
    }
    guard let credential = try await store.accessKeyCredential(authorization.accessKeyID),
      credential.status == .active
    else {
      forget(authorization.accessKeyID)
      throw Self.unrecognizedClient
    }
    try verify(credential)
    credentials.withLock { cache in
      if cache.count >= Self.credentialCacheLimit { cache.removeAll() }
      cache[credential.accessKeyID] = credential
    }
    return credential
  }

  func forget(_ accessKeyID: String) {
    _ = credentials.withLock { $0.removeValue(forKey: accessKeyID) }
  }

  /// Whether the run `check` watched used current credentials: its first transaction found
  /// them so, or, when it ran none (a request refused before reaching the store), the store's
  /// generation now is still theirs.
  func credentialsHeld(_ check: CredentialCheck) async throws -> Bool {
    switch check.state {
    case .validated: true
    case .stale: false
    case .unchecked: try await store.iamGeneration() == check.generation
    }
  }

  static let unrecognizedClient = StoreError(
    code: "UnrecognizedClientException",
    message: "The security token included in the request is invalid.")

  // MARK: Authorisation

  /// The caller's ARN as IAM prints it in messages and `LastModifiedUser`.
  func principalARN(_ credential: AccessKeyCredential) -> String {
    let configuration = store.configuration
    let account = "arn:\(configuration.partition):iam::\(configuration.accountID)"
    guard let user = credential.userName else { return account + ":root" }
    return account + ":user/" + user
  }

  /// The parsed policies of the key's user (nil for the root, which no policy limits).
  func policies(of credential: AccessKeyCredential) throws -> [PolicyDocument]? {
    guard credential.userName != nil else { return nil }
    return try credential.policies.map { policy in
      if let parsed = policies.withLock({ $0[policy.document] }) { return parsed }
      let parsed = try PolicyDocument(parsing: policy.document)
      policies.withLock { cache in
        if cache.count > 1024 { cache.removeAll() }
        cache[policy.document] = parsed
      }
      return parsed
    }
  }

  func context(
    for credential: AccessKeyCredential, _ operation: AWSOperation, _ check: CredentialCheck?
  ) throws -> OperationContext {
    let principal = principalARN(credential)
    let documents: [PolicyDocument]?
    do {
      documents = try policies(of: credential)
    } catch {
      // A document that no longer parses (edited outside cinch) allows nothing.
      documents = []
    }
    var base: [String: String] = [
      "aws:securetransport": "false",
      "aws:principaltype": credential.userName == nil ? "Account" : "User",
    ]
    if let user = credential.userName { base["aws:username"] = user }
    let common = base
    let decide: @Sendable (String, AuthorizationTarget) -> PolicyDecision = { action, target in
      guard let documents else { return .allowed }
      return PolicyEvaluator.decide(
        documents, action: action, resource: target.resource,
        context: target.context.merging(common) { mine, _ in mine })
    }
    let caller = store.withCaller(credential.accessKeyID, arn: principal, check: check)
      .withKMSCallCheck(documents.map { kmsCallCheck($0, common, principal: principal) })
      .withSecretReadCheck(
        documents.map { _ in secretReadCheck(principal: principal, decide: decide) })
    return OperationContext(
      store: caller, names: ResourceNames(store: caller),
      authorize: { action, targets in
        for target in targets {
          let decision = decide(action, target)
          guard decision != .allowed else { continue }
          try? await caller.audit(
            operation: operation.name, kind: nil, name: target.resource,
            result: "AccessDeniedException")
          throw Self.accessDenied(
            principal: principal, action: action, resource: target.resource, decision: decision)
        }
      })
  }

  /// How IAM decides the `secretsmanager:GetSecretValue` `BatchGetSecretValue` needs on each
  /// secret it returns: on the secret's ARN, with `secretsmanager:SecretId` the secret as the
  /// request names it (the id as listed, or the ARN in a filter listing). The store asks before
  /// it reads the secret; a refusal is IAM's `AccessDeniedException`, reported in `Errors`.
  func secretReadCheck(
    principal: String, decide: @escaping @Sendable (String, AuthorizationTarget) -> PolicyDecision
  ) -> SecretReadCheck {
    { request in
      let action = "secretsmanager:GetSecretValue"
      let decision = decide(
        action,
        AuthorizationTarget(request.secretARN, ["secretsmanager:secretid": request.secretID]))
      guard decision != .allowed else { return nil }
      return Self.accessDenied(
        principal: principal, action: action, resource: request.secretARN, decision: decision)
    }
  }

  /// How KMS decides the `kms:Decrypt` Parameter Store or Secrets Manager makes with the
  /// caller's credentials for a value it returns decrypted: on the key's ARN, with
  /// `kms:ViaService`, `kms:CallerAccount` and the service's encryption context
  /// (`kms:EncryptionContext:PARAMETER_ARN`, `…:SecretARN`, `…:SecretVersionId`), which is what
  /// the `kms:Decrypt` statements `cinch policy` writes test. An explicit `Deny` refuses. A
  /// customer-managed key's default key policy delegates to IAM, so an identity policy must
  /// allow; the AWS-managed `aws/ssm` and `aws/secretsmanager` keys' policies allow every
  /// principal of the account through their service, so only a `Deny` refuses
  /// (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html,
  /// https://docs.aws.amazon.com/systems-manager/latest/userguide/ps-restrict-decryption.html).
  ///
  /// The same rules decide the calls a write makes (`KMSCall.action`): Parameter Store's
  /// `kms:Encrypt` for a standard `SecureString` (`kms:GenerateDataKey` for an advanced one),
  /// Secrets Manager's `kms:GenerateDataKey` and `kms:Decrypt` for a new version. A refused
  /// Parameter Store write is KMS's `AccessDeniedException` in IAM's words, naming `principal`
  /// and the key, wrapped as Parameter Store wraps KMS's errors (`InvalidKeyId`'s suffix,
  /// without a request id); Secrets Manager answers its own "Access to KMS is not allowed" for
  /// a write as for a read.
  func kmsCallCheck(
    _ documents: [PolicyDocument], _ common: [String: String], principal: String
  ) -> KMSCallCheck {
    let names = ResourceNames(store: store)
    let account = store.configuration.accountID
    return { request in
      var context = common
      context["kms:viaservice"] = names.viaService(request.service.endpointPrefix)
      context["kms:calleraccount"] = account
      for (key, value) in request.encryptionContext {
        context["kms:encryptioncontext:" + key.lowercased()] = value
      }
      let decision = PolicyEvaluator.decide(
        documents, action: request.action.rawValue, resource: request.keyARN, context: context)
      switch decision {
      case .allowed: return nil
      case .implicitlyDenied where request.isAWSManaged: return nil
      case .implicitlyDenied, .explicitlyDenied:
        guard request.service == .parameterStore, request.action != .decrypt else {
          return request.refusal
        }
        let denied = Self.accessDenied(
          principal: principal, action: request.action.rawValue, resource: request.keyARN,
          decision: decision)
        return StoreError(
          code: denied.code, message: StoreError.kmsMessage(denied.message, errorCode: denied.code))
      }
    }
  }

  /// IAM's wording: "User: ARN is not authorized to perform: ACTION on resource: ARN because
  /// no identity-based policy allows the ACTION action" (or "with an explicit deny in an
  /// identity-based policy").
  static func accessDenied(
    principal: String, action: String, resource: String, decision: PolicyDecision
  ) -> StoreError {
    let reason =
      decision == .explicitlyDenied
      ? "with an explicit deny in an identity-based policy"
      : "because no identity-based policy allows the \(action) action"
    return StoreError(
      code: "AccessDeniedException",
      message: "User: \(principal) is not authorized to perform: \(action) on resource: "
        + "\(resource) \(reason)")
  }

  // MARK: Errors

  static func storeError(_ error: any Error) -> StoreError {
    switch error {
    case let error as StoreError: return error
    case let error as SigV4Error: return error.storeError
    default:
      // Never the error's text: it could come from anywhere.
      return StoreError(
        code: "InternalFailure",
        message: "The request processing has failed because of an unknown error.",
        httpStatus: 500)
    }
  }
}
