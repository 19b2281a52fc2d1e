import CinchAWS
import CinchStore

/// Every operation `cinch serve` answers, by `X-Amz-Target`: each `ParameterStore`,
/// `SecretStore` and `KeyStore` operation of the embedded store, with the resources IAM
/// evaluates it against.
struct AWSOperationTable: Sendable {
  private let operations: [String: AWSOperation]

  init(_ operations: [AWSOperation]) {
    var table: [String: AWSOperation] = [:]
    for operation in operations {
      table["\(operation.service.targetPrefix).\(operation.name)"] = operation
    }
    self.operations = table
  }

  func operation(target: String) -> AWSOperation? { operations[target] }

  var targets: [String] { operations.keys.sorted() }

  static let standard = AWSOperationTable(parameterOperations + secretOperations + keyOperations)

  // MARK: Parameter Store

  private static func parameter(_ name: String)
    -> @Sendable (String, ResourceNames) async
    -> [AuthorizationTarget]
  {
    { reference, names in [AuthorizationTarget(names.parameter(reference))] }
  }

  private static func ssmTagTarget(_ type: String, _ id: String, _ names: ResourceNames)
    -> [AuthorizationTarget]
  {
    [AuthorizationTarget(type == "Parameter" ? names.parameter(id) : names.allParameters)]
  }

  /// `GetParameter` / `GetParameters`: the action on each name's parameter ARN and, for a name
  /// under `/aws/reference/secretsmanager/`, `secretsmanager:GetSecretValue` on the secret too,
  /// as Parameter Store honours the caller's access to the secret it reads
  /// (https://docs.aws.amazon.com/systems-manager/latest/userguide/integration-ps-secretsmanager.html:
  /// "if User 1 doesn't have access to Secret A, then User 1 can't retrieve Secret A by using
  /// Parameter Store"). A refusal refuses the whole request, also in `GetParameters`.
  private static func parameterRead<Request: Decodable & Sendable, Response: Encodable & Sendable>(
    _ name: String, _ request: Request.Type,
    names references: @escaping @Sendable (Request) -> [String],
    _ call: @escaping @Sendable (SQLiteStore, Request) async throws -> Response
  ) -> AWSOperation {
    AWSOperation(service: .ssm, name: name) { body, context in
      let decoded = try AWSRequestDecoder.decode(Request.self, from: body)
      let names = references(decoded)
      try await context.authorize(
        "ssm:\(name)", names.map { AuthorizationTarget(context.names.parameter($0)) })
      var secrets: [AuthorizationTarget] = []
      for name in names {
        guard let reference = try? SecretReference(name) else { continue }
        // Parameter Store passes the selector on as the secret's version id or staging label,
        // whichever the secret has (as the store reads it), and a policy's
        // `secretsmanager:VersionId` / `VersionStage` condition judges it. Asked unaudited: the
        // request itself is audited once it is decided.
        var isVersionID = false
        if let selector = reference.selector {
          isVersionID = await context.store.secretHasVersion(reference.secretID, id: selector)
        }
        secrets += await secret(
          reference.secretID, versionID: isVersionID ? reference.selector : nil,
          versionStage: isVersionID ? nil : reference.selector, context.names)
      }
      if !secrets.isEmpty {
        try await context.authorize("secretsmanager:GetSecretValue", secrets)
      }
      return try AWSWireCodec.encodeResponse(try await call(context.store, decoded))
    }
  }

  static let parameterOperations: [AWSOperation] = [
    .make(
      .ssm, "PutParameter", PutParameterRequest.self,
      resources: { request, names in [AuthorizationTarget(names.parameter(request.name))] },
      { try await $0.putParameter($1) }),
    parameterRead("GetParameter", GetParameterRequest.self, names: { [$0.name] }) {
      try await $0.getParameter($1)
    },
    parameterRead("GetParameters", GetParametersRequest.self, names: { $0.names }) {
      try await $0.getParameters($1)
    },
    .make(
      .ssm, "GetParametersByPath", GetParametersByPathRequest.self,
      resources: { request, names in [AuthorizationTarget(names.parameter(request.path))] },
      { try await $0.getParametersByPath($1) }),
    .make(
      .ssm, "GetParameterHistory", GetParameterHistoryRequest.self,
      resources: { request, names in [AuthorizationTarget(names.parameter(request.name))] },
      { try await $0.getParameterHistory($1) }),
    .make(
      .ssm, "LabelParameterVersion", LabelParameterVersionRequest.self,
      resources: { request, names in [AuthorizationTarget(names.parameter(request.name))] },
      { try await $0.labelParameterVersion($1) }),
    .make(
      .ssm, "UnlabelParameterVersion", UnlabelParameterVersionRequest.self,
      resources: { request, names in [AuthorizationTarget(names.parameter(request.name))] },
      { try await $0.unlabelParameterVersion($1) }),
    .make(
      .ssm, "DeleteParameter", DeleteParameterRequest.self,
      resources: { request, names in [AuthorizationTarget(names.parameter(request.name))] },
      { try await $0.deleteParameter($1) }),
    .make(
      .ssm, "DeleteParameters", DeleteParametersRequest.self,
      resources: { request, names in request.names.map { AuthorizationTarget(names.parameter($0)) }
      },
      { try await $0.deleteParameters($1) }),
    .make(
      .ssm, "DescribeParameters", DescribeParametersRequest.self,
      resources: { _, names in [AuthorizationTarget(names.allParameters)] },
      { try await $0.describeParameters($1) }),
    .make(
      .ssm, "AddTagsToResource", AddTagsToResourceRequest.self,
      resources: { request, names in ssmTagTarget(request.resourceType, request.resourceID, names)
      },
      { try await $0.addTagsToResource($1) }),
    .make(
      .ssm, "RemoveTagsFromResource", RemoveTagsFromResourceRequest.self,
      resources: { request, names in ssmTagTarget(request.resourceType, request.resourceID, names)
      },
      { try await $0.removeTagsFromResource($1) }),
    .make(
      .ssm, "ListTagsForResource", ListTagsForResourceRequest.self,
      resources: { request, names in ssmTagTarget(request.resourceType, request.resourceID, names)
      },
      { try await $0.listTagsForResource($1) }),
  ]

  // MARK: Secrets Manager

  /// The secret a request names, with `secretsmanager:SecretId` and, when the request carries
  /// them, `secretsmanager:VersionId` / `secretsmanager:VersionStage`.
  private static func secret(
    _ secretID: String, versionID: String? = nil, versionStage: String? = nil,
    _ names: ResourceNames
  ) async -> [AuthorizationTarget] {
    var context = ["secretsmanager:secretid": secretID]
    if let versionID { context["secretsmanager:versionid"] = versionID }
    if let versionStage { context["secretsmanager:versionstage"] = versionStage }
    return [AuthorizationTarget(await names.secret(secretID), context)]
  }

  /// A call that makes a version must name it: the SDKs and the aws CLI fill
  /// `ClientRequestToken` in (botocore's idempotency token), a raw request must carry its own,
  /// as AWS answers a request without one (LocalStack's `test_no_client_request_token`,
  /// validated against AWS; "If you generate a raw HTTP request to the Secrets Manager service
  /// endpoint, then you must generate a ClientRequestToken",
  /// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_PutSecretValue.html).
  /// The store itself still makes one up for a caller in process (`cinch secretsmanager`).
  /// `RotateSecret`, whose token names the version the rotation creates, is refused the same
  /// way (`InvalidRequestException`, the reference's rule for every value-creating call; it
  /// answered `InvalidParameterException` until 2026-12-07, a code no source gives it).
  private static func requireToken(_ token: String?) throws {
    guard token == nil else { return }
    throw StoreError(
      code: "InvalidRequestException",
      message: "You must provide a ClientRequestToken value. We recommend a UUID-type value.")
  }

  static let secretOperations: [AWSOperation] = [
    .make(
      .secretsManager, "CreateSecret", CreateSecretRequest.self,
      resources: { request, names in
        [AuthorizationTarget(names.newSecret(request.name), ["secretsmanager:name": request.name])]
      },
      {
        if $1.secretString != nil || $1.secretBinary != nil {
          try requireToken($1.clientRequestToken)
        }
        return try await $0.createSecret($1)
      }),
    .make(
      .secretsManager, "GetSecretValue", GetSecretValueRequest.self,
      resources: { request, names in
        await secret(
          request.secretID, versionID: request.versionID, versionStage: request.versionStage, names)
      }, { try await $0.getSecretValue($1) }),
    .make(
      .secretsManager, "PutSecretValue", PutSecretValueRequest.self,
      resources: { request, names in await secret(request.secretID, names) },
      {
        try requireToken($1.clientRequestToken)
        return try await $0.putSecretValue($1)
      }),
    .make(
      .secretsManager, "UpdateSecret", UpdateSecretRequest.self,
      resources: { request, names in await secret(request.secretID, names) },
      {
        if $1.secretString != nil || $1.secretBinary != nil {
          try requireToken($1.clientRequestToken)
        }
        return try await $0.updateSecret($1)
      }),
    .make(
      .secretsManager, "DescribeSecret", DescribeSecretRequest.self,
      resources: { request, names in await secret(request.secretID, names) },
      { try await $0.describeSecret($1) }),
    .make(
      .secretsManager, "GetResourcePolicy", GetResourcePolicyRequest.self,
      resources: { request, names in await secret(request.secretID, names) },
      { try await $0.getResourcePolicy($1) }),
    .make(
      .secretsManager, "DeleteResourcePolicy", DeleteResourcePolicyRequest.self,
      resources: { request, names in await secret(request.secretID, names) },
      { try await $0.deleteResourcePolicy($1) }),
    .make(
      .secretsManager, "PutResourcePolicy", PutResourcePolicyRequest.self,
      resources: { request, names in await secret(request.secretID, names) },
      { try await $0.putResourcePolicy($1) }),
    .make(
      .secretsManager, "ValidateResourcePolicy", ValidateResourcePolicyRequest.self,
      resources: { request, names in
        if let secretID = request.secretID { return await secret(secretID, names) }
        return [AuthorizationTarget("*")]
      }, { try await $0.validateResourcePolicy($1) }),
    .make(
      .secretsManager, "ListSecrets", ListSecretsRequest.self,
      resources: { _, _ in [AuthorizationTarget("*")] }, { try await $0.listSecrets($1) }),
    .make(
      .secretsManager, "ListSecretVersionIds", ListSecretVersionIdsRequest.self,
      resources: { request, names in await secret(request.secretID, names) },
      { try await $0.listSecretVersionIds($1) }),
    .make(
      .secretsManager, "UpdateSecretVersionStage", UpdateSecretVersionStageRequest.self,
      resources: { request, names in
        await secret(request.secretID, versionStage: request.versionStage, names)
      }, { try await $0.updateSecretVersionStage($1) }),
    .make(
      .secretsManager, "DeleteSecret", DeleteSecretRequest.self,
      resources: { request, names in await secret(request.secretID, names) },
      { try await $0.deleteSecret($1) }),
    .make(
      .secretsManager, "RestoreSecret", RestoreSecretRequest.self,
      resources: { request, names in await secret(request.secretID, names) },
      { try await $0.restoreSecret($1) }),
    .make(
      .secretsManager, "TagResource", TagResourceRequest.self,
      resources: { request, names in await secret(request.secretID, names) },
      { try await $0.tagResource($1) }),
    .make(
      .secretsManager, "UntagResource", UntagResourceRequest.self,
      resources: { request, names in await secret(request.secretID, names) },
      { try await $0.untagResource($1) }),
    .make(
      .secretsManager, "GetRandomPassword", GetRandomPasswordRequest.self,
      resources: { _, _ in [AuthorizationTarget("*")] }, { try await $0.getRandomPassword($1) }),
    .make(
      .secretsManager, "RotateSecret", RotateSecretRequest.self,
      resources: { request, names in await secret(request.secretID, names) },
      {
        try requireToken($1.clientRequestToken)
        return try await $0.rotateSecret($1)
      }),
    .make(
      .secretsManager, "CancelRotateSecret", CancelRotateSecretRequest.self,
      resources: { request, names in await secret(request.secretID, names) },
      { try await $0.cancelRotateSecret($1) }),
    batchGetSecretValue,
  ]

  /// `BatchGetSecretValue` needs the action on `*`, and `GetSecretValue` on each secret it
  /// returns: a secret the caller may not read is reported in `Errors` with
  /// `AccessDeniedException`, as AWS does, while the others are returned. The store asks for
  /// each secret before it reads it (`AWSJSONEndpoint.secretReadCheck`), so a refused secret is
  /// not decrypted, not marked accessed, and recorded as refused. So is a secret whose key the
  /// caller may not decrypt with; when `GetSecretValue` is refused too, IAM's refusal is the one
  /// reported, as IAM decides before KMS is called.
  static let batchGetSecretValue = AWSOperation(
    service: .secretsManager, name: "BatchGetSecretValue"
  ) { body, context in
    let request = try AWSRequestDecoder.decode(BatchGetSecretValueRequest.self, from: body)
    try await context.authorize("secretsmanager:BatchGetSecretValue", [AuthorizationTarget("*")])
    // "If you use filters, you must also have secretsmanager:ListSecrets."
    // https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_BatchGetSecretValue.html
    if request.filters != nil {
      try await context.authorize("secretsmanager:ListSecrets", [AuthorizationTarget("*")])
    }
    return try AWSWireCodec.encodeResponse(try await context.store.batchGetSecretValue(request))
  }

  // MARK: KMS

  static let keyOperations: [AWSOperation] = [
    .make(
      .kms, "CreateKey", CreateKeyRequest.self,
      resources: { _, _ in [AuthorizationTarget("*")] }, { try await $0.createKey($1) }),
    .make(
      .kms, "DescribeKey", DescribeKeyRequest.self,
      resources: { request, names in [AuthorizationTarget(await names.kmsKeyBehind(request.keyID))]
      },
      { try await $0.describeKey($1) }),
    .make(
      .kms, "ListKeys", ListKeysRequest.self,
      resources: { _, _ in [AuthorizationTarget("*")] }, { try await $0.listKeys($1) }),
    .make(
      .kms, "CreateAlias", CreateAliasRequest.self,
      resources: { request, names in
        [
          AuthorizationTarget(names.kmsKey(request.aliasName)),
          AuthorizationTarget(await names.kmsKeyBehind(request.targetKeyID)),
        ]
      }, { try await $0.createAlias($1) }),
    .make(
      .kms, "ListAliases", ListAliasesRequest.self,
      resources: { _, _ in [AuthorizationTarget("*")] }, { try await $0.listAliases($1) }),
  ]
}
