/// A service error in AWS's terms: the error code (`__type` on the wire), the message as AWS
/// writes it, and the HTTP status. The CLI prints it as the aws CLI does
/// (`An error occurred (ParameterNotFound) when calling the GetParameter operation: …`), a
/// server sends it as `{"__type": code, "message": message}`.
///
/// Messages never contain a secret value: they name parameters, versions, labels and keys.
public struct StoreError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The AWS error code, e.g. `ParameterNotFound`.
  public var code: String
  /// The message, exactly as AWS words it where we mirror AWS (it may be empty, as AWS sends
  /// for `GetParameter` on a missing name).
  public var message: String
  /// 400 for client errors, 500 for server faults.
  public var httpStatus: Int
  /// A failed rotation's command output (scrubbed of the secret's values), for the terminal
  /// of whoever ran it: never part of the message, the store or a served response.
  public var rotatorOutput: String?

  /// The retries made before the call gave up on this answer, when it was one worth retrying
  /// (throttling, a server fault) and every attempt got it: botocore says so in the text,
  /// `when calling the GetParameter operation (reached max retries: 2): Rate exceeded`.
  public var maxRetriesReached: Int?

  /// A fault of the store rather than of the request, raised once for every service and named
  /// by each in its own terms (`inService`).
  package var fault: Fault?

  package enum Fault: Sendable, Hashable {
    /// A database failure, a damaged store, a full disk.
    case internalFailure
    /// Other writers held the store past the busy timeout.
    case busy
    /// A sealed value failed authentication.
    case undecryptable
  }

  public init(code: String, message: String, httpStatus: Int = 400) {
    self.code = code
    self.message = message
    self.httpStatus = httpStatus
  }

  /// This error as `service` names it. The store's faults are raised in Parameter Store's terms
  /// (`InternalServerError`, `TooManyUpdates`), which exist only in SSM's API model: Secrets
  /// Manager answers `InternalServiceError` and `DecryptionFailure`, KMS `KMSInternalException`,
  /// IAM `ServiceFailure`, and a throttled caller gets the common `ThrottlingException`
  /// (IAM's query protocol: `Throttling`), which SDKs retry.
  /// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html#API_GetSecretValue_Errors
  /// https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html#API_CreateKey_Errors
  /// https://docs.aws.amazon.com/IAM/latest/APIReference/CommonErrors.html
  ///
  /// Parameter Store's `TooManyUpdates` is in the model of a few writes only
  /// (`ssmOperationsListingTooManyUpdates`): for any other `operation` (`GetParameter`, whose
  /// audit row needs the write lock, above all) a busy store is the common
  /// `ThrottlingException`, which the SDKs retry (botocore does not retry `TooManyUpdates`, and
  /// a client generated from the model knows it on those writes only). Without an operation,
  /// `TooManyUpdates` it is.
  /// https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_GetParameter.html#API_GetParameter_Errors
  /// https://docs.aws.amazon.com/systems-manager/latest/APIReference/CommonErrors.html
  public func inService(_ service: StoreService, operation: String? = nil) -> StoreError {
    if fault == .busy, service == .ssm, let operation,
      !Self.ssmOperationsListingTooManyUpdates.contains(operation)
    {
      var named = self
      named.code = "ThrottlingException"
      return named
    }
    guard let fault, service != .ssm else { return self }
    var named = self
    switch (fault, service) {
    case (.undecryptable, .secretsManager):
      named.code = "DecryptionFailure"
      named.httpStatus = 400
    case (.internalFailure, .secretsManager):
      named.code = "InternalServiceError"
    case (.internalFailure, .kms), (.undecryptable, .kms): named.code = "KMSInternalException"
    case (.internalFailure, .iam), (.undecryptable, .iam): named.code = "ServiceFailure"
    case (.busy, .iam): named.code = "Throttling"
    case (.busy, _): named.code = "ThrottlingException"
    case (_, .ssm): break
    }
    return named
  }

  public var description: String { message.isEmpty ? code : "\(code): \(message)" }

  /// A server-side fault: a sealed value that does not open, a database failure.
  package static func internalError(_ message: String) -> StoreError {
    var error = StoreError(code: "InternalServerError", message: message, httpStatus: 500)
    error.fault = .internalFailure
    return error
  }

  /// A sealed value failed authentication: edited bytes, a row copied from elsewhere, or key
  /// material that was changed. Names the entry, never the value.
  package static func sealedValueRejected(kind: EntryKind, name: String, version: Int) -> StoreError
  {
    var error = internalError(
      "the sealed value of '\(name)' version \(version) does not open: it was altered, or copied "
        + "from another entry or store")
    error.fault = .undecryptable
    return error
  }

  /// A write found no room on the store's disk (`StoreDatabase.isOutOfSpace`): its transaction
  /// was rolled back, so the store is as it was.
  package static func noSpace(store path: String) -> StoreError {
    internalError("store '\(path)': \(StoreAccessError.noSpaceReason); nothing was written")
  }

  /// A name (or any other text the store keeps) holding a NUL character: SQLite, through GRDB,
  /// would keep only what comes before it (`StoreArguments`), so it is refused whole. The text
  /// is not quoted: it may be anything a request carried.
  package static let textWithNUL = validation(
    "a name or field holding a NUL character (U+0000) cannot be stored")

  /// A stored row does not hold what cinch writes there (`StoreDamage`): `place` names the
  /// table, the column and the entry (`entry_versions.created_at of secret 'app/db' version
  /// 1`), never the row's contents.
  package static func storeDamaged(place: String, problem: String) -> StoreError {
    internalError("store is damaged: \(place) \(problem); restore it from a backup")
  }

  /// The audit log does not end in the row its sealed head records (rows removed from the end,
  /// the log emptied, the head removed or altered): a write would seal a new head over the
  /// tampering and hide it, so it is refused and nothing is written.
  package static let auditHeadMismatch = internalError(
    "the audit log does not match its sealed head; nothing was written: run 'cinch audit verify'")

  /// Other writers held the store at `path` for longer than the busy timeout. AWS's message,
  /// then the store's name: the one line says which file is held.
  package static func tooManyUpdates(store path: String) -> StoreError {
    busy(store: path, "is held by another writer")
  }

  /// The Parameter Store operations cinch serves whose API model lists `TooManyUpdates`
  /// (botocore's `ssm` `service-2.json`; `AWSErrorShapesTests` holds the list to it).
  package static let ssmOperationsListingTooManyUpdates: Set<String> = [
    "PutParameter", "LabelParameterVersion", "UnlabelParameterVersion", "AddTagsToResource",
    "RemoveTagsFromResource",
  ]

  /// An operation on a store that was closed (`SQLiteStore.close`, a server shutting down):
  /// refused as busy, so that a remote caller gets the answer it retries, never a database
  /// error about a closed connection.
  package static func storeClosed(store path: String) -> StoreError {
    busy(store: path, "is closed: cinch is stopping")
  }

  /// `TooManyUpdates` with AWS's message, then why the store at `path` is busy.
  private static func busy(store path: String, _ why: String) -> StoreError {
    var error = StoreError(
      code: "TooManyUpdates", message: busyMessage + " (store '\(path)' \(why); try again)")
    error.fault = .busy
    return error
  }

  /// AWS's words for `TooManyUpdates`, all a remote caller of `cinch serve` is told (the
  /// store's path is the machine's business).
  package static let busyMessage =
    "There are concurrent updates for a resource that supports one update at a time."

  /// This error as a remote caller gets it: a busy store without its path.
  package var served: StoreError {
    guard fault == .busy else { return self }
    var served = self
    served.message = Self.busyMessage
    return served
  }
}

/// The services whose operations the store answers, each naming errors in its own terms.
public enum StoreService: String, Sendable, CaseIterable {
  case ssm
  case secretsManager = "secretsmanager"
  case kms
  case iam
}
