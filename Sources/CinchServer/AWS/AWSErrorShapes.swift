/// The member an error body carries its text in, `message` or `Message`, as each service's API
/// model spells it on each error shape: Parameter Store mixes them (`ParameterNotFound` has
/// `message`, `ValidationException` and `TooManyUpdates` `Message`), Secrets Manager's shapes all
/// have `Message`, KMS's all `message`. Read from botocore's models
/// (`botocore/data/{ssm,secretsmanager,kms}/…/service-2.json`, botocore 1.43.11), which
/// `AWSErrorShapesTests` compares this table with. botocore reads either spelling (reference
/// §3.3); a client generated from the model may read only the one its shape declares.
///
/// Only the shapes `cinch serve` answers with are listed. A code outside the service's model
/// (the common errors of every AWS JSON endpoint: `UnrecognizedClientException`,
/// `SerializationException`, …; cinch's own `RotationFailedException`) or a shape the model
/// gives no message member (SSM's `InvalidFilterKey`, `InvalidResourceId`,
/// `InvalidResourceType`, `TooManyTagsError`) takes the service's usual spelling, as before the
/// table: `Message` for Secrets Manager, `message` for the others.
enum AWSErrorShapes {
  static let members: [ServedService: [String: String]] = [
    .ssm: [
      "AccessDeniedException": "Message",
      "HierarchyLevelLimitExceededException": "message",
      "InternalServerError": "Message",
      "InvalidAllowedPatternException": "message",
      "InvalidFilterOption": "message",
      "InvalidFilterValue": "Message",
      "InvalidKeyId": "message",
      "InvalidNextToken": "Message",
      "ParameterAlreadyExists": "message",
      "ParameterLimitExceeded": "message",
      "ParameterMaxVersionLimitExceeded": "message",
      "ParameterNotFound": "message",
      "ParameterPatternMismatchException": "message",
      "ParameterVersionLabelLimitExceeded": "message",
      "ParameterVersionNotFound": "message",
      "ThrottlingException": "Message",
      "TooManyUpdates": "Message",
      "ValidationException": "Message",
    ],
    .secretsManager: [
      "DecryptionFailure": "Message",
      "EncryptionFailure": "Message",
      "InternalServiceError": "Message",
      "InvalidNextTokenException": "Message",
      "InvalidParameterException": "Message",
      "InvalidRequestException": "Message",
      "LimitExceededException": "Message",
      "ResourceExistsException": "Message",
      "ResourceNotFoundException": "Message",
    ],
    .kms: [
      "AlreadyExistsException": "message",
      "DisabledException": "message",
      "InvalidMarkerException": "message",
      "KMSInternalException": "message",
      "LimitExceededException": "message",
      "NotFoundException": "message",
      "TagException": "message",
      "UnsupportedOperationException": "message",
    ],
  ]

  /// The member for `code`'s text in an answer of `service` (nil: a request no service here
  /// answers, which SSM's spelling is used for, as for its other refusals).
  static func messageMember(for code: String, in service: ServedService?) -> String {
    let service = service ?? .ssm
    return members[service]?[code] ?? (service == .secretsManager ? "Message" : "message")
  }
}
