import CinchJSON
public import Foundation
import GRDB

/// Rotation (`reference: aws-store-semantics §2.7`, DESIGN §10). `RotateSecret` stores the
/// configuration and creates the pending version (empty, labelled AWSPENDING) in one
/// transaction; the rotator then runs createSecret → setSecret → testSecret → finishSecret, each
/// step outside any transaction (a command rotator opens the store from its own process); a
/// last transaction checks that AWSCURRENT moved, removes AWSPENDING and records
/// `LastRotatedDate`. A failed step is recorded (`DescribeSecret` shows it under
/// `CinchRotation.LastFailure`), leaves AWSCURRENT where it was and the pending version in place:
/// the next `RotateSecret` resumes that rotation with the same version id, as Secrets Manager
/// retries it.
extension SQLiteStore {
  /// What the first transaction decided.
  struct RotationPlan: Sendable {
    var arn: String
    var name: String
    var token: String
    var rotator: String
    var passwordPolicy: PasswordPolicy?
    var immediately: Bool
    var resumed: Bool
  }

  public func rotateSecret(_ request: RotateSecretRequest) async throws -> RotateSecretResponse {
    // One rotation per secret at a time (`RotationLease`): while another runs, this one is
    // refused as Secrets Manager refuses it, before anything is written or run.
    let arn = try await pooledRead { db in
      try self.findSecret(request.secretID, db).arn(self.configuration)
    }
    guard let lease = try RotationLease.acquire(storePath: path, key: arn) else {
      // The same request again (its ClientRequestToken, the running rotation's version id: an
      // SDK retrying after its read timed out on a long step) is answered as Secrets Manager,
      // whose RotateSecret starts the rotation and returns, answers it: under way.
      if let token = request.clientRequestToken,
        let running = try await pendingRotation(of: request.secretID), running.versionID == token
      {
        return RotateSecretResponse(arn: running.arn, name: running.name, versionID: token)
      }
      throw StoreError.rotationInProgress
    }
    defer { withExtendedLifetime(lease) {} }
    return try await rotate(request)
  }

  /// A rotation, under the secret's lease.
  private func rotate(_ request: RotateSecretRequest) async throws -> RotateSecretResponse {
    let plan = try await performSecret("RotateSecret", name: request.secretID) { db, trail in
      try self.prepareRotation(request, db, &trail)
    }
    let rotator = try await rotator(named: plan.rotator)
    // The rotator is the rotation function, which AWS runs under its own role: neither the
    // caller's `kms:Decrypt` (`kmsCallCheck`) nor its `secretsmanager:GetSecretValue`
    // (`secretReadCheck`) is asked when it reads the secret's versions.
    let context = RotationContext(
      store: withKMSCallCheck(nil).withSecretReadCheck(nil), passwordPolicy: plan.passwordPolicy)
    let steps: [RotationStep] = plan.immediately ? RotationStep.allCases : [.testSecret]
    for (index, step) in steps.enumerated() {
      // CancelRotateSecret "cancels the rotation" that is in progress: no further step runs,
      // and the pending version keeps AWSPENDING for a later rotation to resume. A secret
      // marked for deletion (DeleteSecret) stops it the same way: no step changes a credential
      // for a secret on its way out (it keeps AWSPENDING, for after RestoreSecret).
      if index > 0, let stop = try await rotationStopped(plan) {
        throw StoreError.invalidRequest(
          "\(stop) before its \(step.rawValue) step; version \(plan.token) keeps AWSPENDING.")
      }
      let event = RotationEvent(secretID: plan.arn, clientRequestToken: plan.token, step: step)
      do {
        try await rotator.run(event, context: context)
      } catch {
        throw try await recordRotationFailure(
          plan, step: step, message: Self.rotatorMessage(error),
          output: (error as? RotatorFailure)?.output)
      }
    }
    let unfinished = try await performSecret("RotateSecret", name: plan.name) { db, trail in
      try self.completeRotation(plan, db, &trail)
    }
    if let unfinished { throw unfinished }
    return RotateSecretResponse(
      arn: plan.arn, name: plan.name, versionID: plan.immediately ? plan.token : nil)
  }

  /// The version a rotation of the secret left pending (AWSPENDING on a version that is not
  /// AWSCURRENT), with the secret's ARN and name; nil when none is.
  private func pendingRotation(of secretID: String) async throws -> (
    arn: String, name: String, versionID: String
  )? {
    try await pooledRead { db in
      let entry = try self.findSecret(secretID, db)
      let stages = try EntryLabels.fetch(db, entry: entry.id)
      guard let pending = stages[SecretStage.pending], pending != stages[SecretStage.current],
        let record = try SecretVersionRecord.fetch(db, entry: entry.id, version: pending)
      else { return nil }
      return (entry.arn(self.configuration), entry.name, record.versionID)
    }
  }

  /// What stopped the rotation since `plan` started it: rotation turned off
  /// (CancelRotateSecret) or the secret marked for deletion (DeleteSecret); nil when nothing
  /// did.
  private func rotationStopped(_ plan: RotationPlan) async throws -> String? {
    try await pooledRead { db in
      let entry = try self.findSecret(plan.arn, db)
      if entry.isDeleted {
        return "The rotation stopped: the secret was marked for deletion (DeleteSecret)"
      }
      if entry.attributes.rotationEnabled != true {
        return "The rotation was cancelled (CancelRotateSecret)"
      }
      return nil
    }
  }

  public func cancelRotateSecret(_ request: CancelRotateSecretRequest) async throws
    -> CancelRotateSecretResponse
  {
    try await performSecret("CancelRotateSecret", name: request.secretID) { db, trail in
      var entry = try self.findSecret(request.secretID, db)
      guard !entry.isDeleted else { throw StoreError.markedForDeletion }
      entry.attributes.rotationEnabled = false
      entry.attributes.lastChangedDate = self.now().timeIntervalSince1970
      try entry.save(db)
      let stages = try EntryLabels.fetch(db, entry: entry.id)
      var pendingID: String?
      if let pending = stages[SecretStage.pending], pending != stages[SecretStage.current] {
        pendingID = try SecretVersionRecord.fetch(db, entry: entry.id, version: pending)?.versionID
      }
      trail.record(entry.name)
      return CancelRotateSecretResponse(
        arn: entry.arn(self.configuration), name: entry.name, versionID: pendingID)
    }
  }

  func prepareRotation(_ request: RotateSecretRequest, _ db: Database, _ trail: inout AuditTrail)
    throws -> RotationPlan
  {
    if let token = request.clientRequestToken { try SecretValueRules.checkToken(token) }
    var entry = try findSecret(request.secretID, db)
    guard !entry.isDeleted else { throw StoreError.markedForDeletion }
    if let rules = request.rotationRules { _ = try RotationSchedule(rules) }
    if let policy = request.passwordPolicy { _ = try RandomPasswordGenerator(policy) }
    guard let lambdaARN = request.rotationLambdaARN ?? entry.attributes.rotationLambdaARN else {
      throw StoreError.noRotationFunction
    }
    guard let rotator = SecretNameRules.rotatorName(fromLambdaARN: lambdaARN) else {
      throw StoreError.constraint(
        value: lambdaARN, at: "rotationLambdaARN",
        "Member must satisfy regular expression pattern: "
          + "arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?")
    }
    guard try rotatorExists(rotator, db) else {
      throw StoreError.invalidRequest(
        "There is no rotator named '\(rotator)': use the built-in 'password' rotator or register "
          + "a command with 'cinch rotation register \(rotator) -- COMMAND'.")
    }
    // The built-in rotator writes a password into a SecretString: a binary secret is refused
    // here, before the configuration is stored or a pending version made, not at createSecret.
    if rotationHost.builtIns[rotator] is PasswordRotator,
      let current = try EntryLabels.fetch(db, entry: entry.id)[SecretStage.current],
      try SecretVersionRecord.fetch(db, entry: entry.id, version: current)?.valueType == .binary
    {
      throw StoreError.invalidRequest(
        "The built-in 'password' rotator rotates SecretString values, and the value of secret "
          + "\(entry.name) is binary (SecretBinary): rotate it with a command rotator "
          + "('cinch rotation register NAME -- COMMAND').")
    }
    let now = self.now()
    let configurationChanged =
      request.rotationLambdaARN != nil || request.rotationRules != nil
      || request.passwordPolicy != nil || entry.attributes.rotationEnabled != true
    entry.attributes.rotationLambdaARN = lambdaARN
    if let rules = request.rotationRules { entry.attributes.rotationRules = rules }
    if let policy = request.passwordPolicy { entry.attributes.passwordPolicy = policy }
    entry.attributes.rotationEnabled = true
    if configurationChanged { entry.attributes.rotationScheduledFrom = now.timeIntervalSince1970 }
    entry.attributes.lastChangedDate = now.timeIntervalSince1970
    try entry.save(db)

    let immediately = request.rotateImmediately ?? true
    let stages = try EntryLabels.fetch(db, entry: entry.id)
    var token: String
    var resumed = false
    if let pending = stages[SecretStage.pending], pending != stages[SecretStage.current],
      let record = try SecretVersionRecord.fetch(db, entry: entry.id, version: pending)
    {
      // A rotation that did not finish: run it again with its own version id.
      guard immediately,
        request.clientRequestToken == nil || request.clientRequestToken == record.versionID
      else { throw StoreError.rotationInProgress }
      token = record.versionID
      resumed = true
      trail.record(entry.name, version: record.version, versionID: record.versionID)
    } else {
      token = request.clientRequestToken ?? Self.newToken()
      if try SecretVersionRecord.fetch(db, entry: entry.id, versionID: token) != nil {
        throw StoreError.tokenInUse(token: token, arn: entry.arn(configuration))
      }
      let record = try addVersion(
        &entry, versionID: token, value: nil, stages: [SecretStage.pending], db)
      trail.record(entry.name, version: record.version, versionID: record.versionID)
    }
    return RotationPlan(
      arn: entry.arn(configuration), name: entry.name, token: token, rotator: rotator,
      passwordPolicy: entry.attributes.passwordPolicy, immediately: immediately,
      resumed: resumed)
  }

  /// The last transaction of a rotation whose steps all succeeded. Returns the error to report
  /// when the rotator said it finished but AWSCURRENT did not move (recorded as a failure, so
  /// returned rather than thrown: a thrown error would roll the record back).
  func completeRotation(_ plan: RotationPlan, _ db: Database, _ trail: inout AuditTrail) throws
    -> StoreError?
  {
    guard var entry = try SecretEntry.fetch(db, name: plan.name),
      entry.arn(configuration) == plan.arn
    else { throw StoreError.secretNotFound }
    let stages = try EntryLabels.fetch(db, entry: entry.id)
    guard let record = try SecretVersionRecord.fetch(db, entry: entry.id, versionID: plan.token)
    else { throw StoreError.secretValueNotFound(versionID: plan.token) }
    let now = self.now()
    if !plan.immediately {
      // The configuration test: the pending version it created goes again.
      if record.sealed == nil {
        try db.execute(
          cached: "DELETE FROM entry_versions WHERE entry_id = ? AND version = ?",
          arguments: [entry.id, record.version])
      } else if stages[SecretStage.pending] == record.version {
        try SecretStages.remove(db, entry: entry.id, label: SecretStage.pending)
      }
      entry.attributes.rotationFailure = nil
      try entry.save(db)
      trail.record(entry.name)
      return nil
    }
    guard stages[SecretStage.current] == record.version else {
      let failure = RotationFailure(
        step: RotationStep.finishSecret.rawValue, versionID: plan.token,
        message: "the rotator reported success but AWSCURRENT is not on version \(plan.token)",
        failedDate: now)
      entry.attributes.rotationFailure = failure
      try entry.save(db)
      let error = StoreError.rotationFailed(
        step: failure.step, rotator: plan.rotator, message: failure.message)
      trail.record(
        entry.name, version: record.version, result: error.code, versionID: record.versionID)
      return error
    }
    if stages[SecretStage.pending] == record.version {
      try SecretStages.remove(db, entry: entry.id, label: SecretStage.pending)
    }
    entry.attributes.lastRotatedDate = now.timeIntervalSince1970
    entry.attributes.rotationFailure = nil
    entry.attributes.lastChangedDate = now.timeIntervalSince1970
    try entry.save(db)
    trail.record(entry.name, version: record.version, versionID: record.versionID)
    return nil
  }

  /// Records a failed step (its message scrubbed of every value the rotator could have read)
  /// on the secret the rotation started on, and returns the error `RotateSecret` throws, with
  /// the command rotator's `output` scrubbed and cut for the caller's terminal (never
  /// recorded). When that secret was deleted while the step ran (`ForceDeleteWithoutRecovery`),
  /// perhaps created again under its name, nothing is recorded and the output is not shown.
  func recordRotationFailure(
    _ plan: RotationPlan, step: RotationStep, message: String, output: String? = nil
  ) async throws -> StoreError {
    let rotator = plan.rotator
    let immediately = plan.immediately
    return try await perform("RotateSecret", kind: .secret, name: plan.name) { db, trail in
      // By ARN, as `completeRotation` checks: a secret of the same name created since is
      // another secret, never set up for this rotation, and its values are not the ones the
      // rotator could have printed. The old ones went with the old secret: with nothing to
      // redact the output against, it is dropped. The message is kept: it is cinch's words (a
      // command's exit status or signal, the built-in rotator's texts, a store error's), the
      // rotator's own being its output.
      guard var entry = try SecretEntry.fetch(db, name: plan.name),
        entry.arn(self.configuration) == plan.arn
      else {
        let gone =
          "the secret was deleted while the step ran, so nothing was recorded"
          + (output == nil
            ? ""
            : ", and the rotator's standard error is not shown: the values it could hold went "
              + "with the secret, and cannot be redacted")
        let error = StoreError.rotationFailed(
          step: step.rawValue, rotator: rotator,
          message: message.isEmpty ? gone : "\(message); \(gone)")
        trail.record(plan.name, result: error.code)
        return error
      }
      let scrubbed = try self.scrub(message, entry, db)
      entry.attributes.rotationFailure = RotationFailure(
        step: step.rawValue, versionID: plan.token, message: scrubbed, failedDate: self.now())
      try entry.save(db)
      if !immediately,
        let record = try SecretVersionRecord.fetch(db, entry: entry.id, versionID: plan.token),
        record.sealed == nil
      {
        try db.execute(
          cached: "DELETE FROM entry_versions WHERE entry_id = ? AND version = ?",
          arguments: [entry.id, record.version])
      }
      var error = StoreError.rotationFailed(
        step: step.rawValue, rotator: rotator, message: scrubbed)
      if let output {
        let scrubbed = try self.scrub(output, entry, db)
        error.rotatorOutput = Self.lastLines(
          of: scrubbed.trimmingCharacters(in: .whitespacesAndNewlines))
      }
      trail.record(entry.name, result: error.code)
      return error
    }
  }

  /// How much of a failed command rotator's scrubbed output is shown: its end, from a line's
  /// start.
  static let shownRotatorOutputBytes = 4096

  /// The end of a command rotator's scrubbed output: its last `shownRotatorOutputBytes`, from
  /// a line's start. Cut after scrubbing: a value cut in two would not match.
  static func lastLines(of text: String) -> String {
    let bytes = Array(text.utf8)
    guard bytes.count > shownRotatorOutputBytes else { return text }
    var start = bytes.count - shownRotatorOutputBytes
    if let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
      start = newline + 1
    } else {
      while start < bytes.count, bytes[start] & 0xC0 == 0x80 { start += 1 }
    }
    return "…\n" + String(decoding: bytes[start...], as: UTF8.self)
  }

  /// The rotator's words for a failed step.
  static func rotatorMessage(_ error: any Error) -> String {
    switch error {
    case let failure as RotatorFailure: failure.message
    case let store as StoreError: store.description
    default: "\(error)"
    }
  }

  /// `message` with every value of the secret's versions (labelled or not: a rotator may read
  /// any by its id), each string inside a JSON value, and a binary one's base64 and (where
  /// they are UTF-8) its bytes as text, replaced
  /// by `<redacted>`, also as they read escaped inside a JSON string (`jq -c`, Python's
  /// `json.dumps`, Foundation's encoder), which is how a rotator most often prints them.
  func scrub(_ message: String, _ entry: SecretEntry, _ db: Database) throws -> String {
    var secrets: Set<String> = []
    for record in try SecretVersionRecord.fetchAll(db, entry: entry.id) where record.sealed != nil {
      guard let value = try? openValue(record, entry, db) else { continue }
      switch value.type {
      case .binary:
        let data = value.bytes.withUnsafeBytes { Data($0) }
        secrets.insert(data.base64EncodedString())
        // Its bytes too, where they are text (a password or a key file kept with fileb://):
        // a rotator that decodes the value prints them as they are.
        if let text = String(data: data, encoding: .utf8) { secrets.insert(text) }
      case .string:
        let text = value.bytes.utf8String()
        secrets.insert(text)
        if let json = try? JSONSerialization.jsonObject(
          with: Data(text.utf8), options: [.fragmentsAllowed])
        {
          Self.collectStrings(json, into: &secrets)
        }
      }
    }
    var forms: Set<String> = []
    // Values of fewer than 4 characters (a 3-letter password, a user name `app`) are
    // redacted where they stand as a word of their own, not inside longer words, which they
    // would turn to noise; short numbers (a port, a count) not at all.
    var words: Set<String> = []
    for secret in secrets {
      for form in Self.printedForms(secret) where !form.isEmpty {
        if form.count >= 4 {
          forms.formUnion(Self.escapedForms(form))
        } else if !form.allSatisfy(\.isNumber) {
          words.formUnion(Self.escapedForms(form))
        }
      }
    }
    var result = message
    for form in forms.sorted(by: { $0.count > $1.count }) {
      result = result.replacingOccurrences(of: form, with: "<redacted>")
    }
    for word in words.sorted(by: { $0.count > $1.count }) {
      result = Self.replacingWord(word, in: result)
    }
    return result
  }

  /// `text` with each occurrence of `word` that no letter or digit touches replaced by
  /// `<redacted>`.
  static func replacingWord(_ word: String, in text: String) -> String {
    func isWordCharacter(_ index: String.Index?) -> Bool {
      index.map { text[$0].isLetter || text[$0].isNumber } ?? false
    }
    var result = ""
    var rest = text[...]
    while let found = rest.range(of: word) {
      // A substring shares its string's indices: the neighbours are read in `text`.
      let before = found.lowerBound > text.startIndex ? text.index(before: found.lowerBound) : nil
      let after = found.upperBound < text.endIndex ? found.upperBound : nil
      result += rest[..<found.lowerBound]
      result += isWordCharacter(before) || isWordCharacter(after) ? rest[found] : "<redacted>"
      rest = rest[found.upperBound...]
    }
    return result + rest
  }

  /// A value as a rotator may print it: whole, without the blanks around it (`strip()`,
  /// `$(…)`, `--output text`), and, for a value of several lines (a PEM key, `user` and
  /// `password` lines), each line of at least 4 characters with a letter or digit, which a
  /// rotator printing it line by line, joined (`echo $V`) or cut short would show on its own.
  /// (A JSON document's `{` and `}` lines are left alone.)
  static func printedForms(_ value: String) -> Set<String> {
    var forms: Set<String> = [value, value.trimmingCharacters(in: .whitespacesAndNewlines)]
    let lines = value.split(whereSeparator: \.isNewline)
    if lines.count > 1 {
      for line in lines {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if trimmed.count >= 4, trimmed.contains(where: { $0.isLetter || $0.isNumber }) {
          forms.insert(trimmed)
        }
      }
    }
    return forms
  }

  /// `text` and how it reads inside a JSON string: escaped as CinchJSON's writer escapes it
  /// (quotes, backslashes, control characters, as `jq -c` prints them), with `/` escaped or
  /// not, and with non-ASCII kept or written as `\u00e9` / `\u00E9` (UTF-16, as Python's
  /// `json.dumps` writes it by default).
  ///
  /// Also as a language's `repr` quotes it (Python's `print(secret_dict)`, Node's
  /// `util.inspect`): backslashes and control characters escaped, quotes left as they are, or
  /// `'` escaped where the string holds both kinds of quote (Python then quotes with `'`).
  static func escapedForms(_ text: String) -> Set<String> {
    let escaped = String(JSONValue.string(text).compact().dropFirst().dropLast())
    var forms: Set<String> = [text]
    for form in [
      escaped, asciiOnly(escaped, uppercase: false), asciiOnly(escaped, uppercase: true),
    ] {
      forms.insert(form)
      forms.insert(form.replacingOccurrences(of: "/", with: "\\/"))
    }
    var repr = ""
    for character in text {
      switch character {
      case "\\": repr += "\\\\"
      case "\n": repr += "\\n"
      case "\r\n": repr += "\\r\\n"
      case "\r": repr += "\\r"
      case "\t": repr += "\\t"
      default: repr.append(character)
      }
    }
    forms.insert(repr)
    forms.insert(repr.replacingOccurrences(of: "'", with: "\\'"))
    return forms
  }

  /// An escaped JSON string with every non-ASCII scalar written as `\u` escapes.
  private static func asciiOnly(_ escaped: String, uppercase: Bool) -> String {
    var result = ""
    for scalar in escaped.unicodeScalars {
      guard scalar.value > 0x7f else {
        result.unicodeScalars.append(scalar)
        continue
      }
      for unit in String(scalar).utf16 {
        let hex = String(unit, radix: 16, uppercase: uppercase)
        result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      }
    }
    return result
  }

  static func collectStrings(_ json: Any, into strings: inout Set<String>) {
    switch json {
    case let text as String: strings.insert(text)
    case let number as NSNumber: strings.insert(number.stringValue)
    case let list as [Any]: for element in list { collectStrings(element, into: &strings) }
    case let object as [String: Any]:
      for value in object.values { collectStrings(value, into: &strings) }
    default: break
    }
  }
}

// MARK: - Schedules

/// A secret whose rotation is due (`cinch rotate --due`): its window has opened, or its last
/// attempt failed and left the pending version to resume.
public struct DueRotation: Sendable, Hashable {
  public var name: String
  public var arn: String
  public var rotator: String?
  /// When the window opened; nil when only the failed attempt makes it due.
  public var windowStart: Date?
  /// The failure of the last attempt, when it failed.
  public var lastFailure: RotationFailure?
  /// Whether it is due because the last attempt failed and left its pending version
  /// (`lastFailure` names it): the next run resumes that rotation whatever the schedule.
  public var resumesFailedAttempt: Bool

  /// Since when it has been due: the window's start, or the failure's time if earlier.
  public var dueSince: Date {
    let failed = resumesFailedAttempt ? lastFailure?.failedDate : nil
    return [windowStart, failed].compactMap { $0 }.min() ?? .distantPast
  }
}

/// What `rotateDue` did with one secret.
public enum DueRotationOutcome: Sendable, Hashable {
  /// Rotated: the new version's id.
  case rotated(versionID: String?)
  /// Another run (`rotate --due`, `rotate-secret`, `cinch serve`) is rotating it now.
  case inProgress
  /// No longer due: another run rotated it after the list was made.
  case noLongerDue
}

extension SQLiteStore {
  /// The secrets with rotation turned on whose next rotation window has opened, or whose last
  /// attempt failed and left its pending version (resumed on the next run, as Secrets Manager
  /// "retries the entire rotation process" after a failed step, whatever the schedule and with
  /// no schedule at all), oldest first; with `date`, those due by then. Metadata only.
  public func dueRotations(by date: Date? = nil) async throws -> [DueRotation] {
    try await performSecret("ListDueRotations", name: nil) { db, trail in
      let now = date ?? self.now()
      var due: [DueRotation] = []
      for entry in try SecretEntry.fetchAll(db) {
        guard let rotation = try self.dueRotation(entry, by: now, db) else { continue }
        due.append(rotation)
        trail.record(entry.name)
      }
      if due.isEmpty { trail.record(nil) }
      return due.sorted { ($0.dueSince, $0.name) < ($1.dueSince, $1.name) }
    }
  }

  /// The rotation of `entry` when it is due by `now`, else nil.
  func dueRotation(_ entry: SecretEntry, by now: Date, _ db: Database) throws -> DueRotation? {
    guard !entry.isDeleted, entry.attributes.rotationEnabled == true else { return nil }
    let window = try rotationWindow(entry, db).flatMap { $0.start <= now ? $0 : nil }
    let failure = entry.attributes.rotationFailure
    var resumes = false
    if let failure, failure.failedDate <= now {
      let stages = try EntryLabels.fetch(db, entry: entry.id)
      if let pending = stages[SecretStage.pending], pending != stages[SecretStage.current],
        try SecretVersionRecord.fetch(db, entry: entry.id, version: pending)?.versionID
          == failure.versionID
      {
        resumes = true
      }
    }
    guard window != nil || resumes else { return nil }
    return DueRotation(
      name: entry.name, arn: entry.arn(configuration),
      rotator: entry.attributes.rotationLambdaARN.flatMap(
        SecretNameRules.rotatorName(fromLambdaARN:)),
      windowStart: window?.start, lastFailure: failure, resumesFailedAttempt: resumes)
  }

  /// Runs one rotation `dueRotations` listed, under the secret's lease, once it is sure it is
  /// still due (by `date`, as the list was made): runs of `cinch rotate --due` that overlap
  /// each rotate it once, and neither reports the other's rotation as a failure.
  public func rotateDue(_ rotation: DueRotation, by date: Date? = nil) async throws
    -> DueRotationOutcome
  {
    guard let lease = try RotationLease.acquire(storePath: path, key: rotation.arn) else {
      return .inProgress
    }
    defer { withExtendedLifetime(lease) {} }
    let stillDue = try await pooledRead { db in
      try self.dueRotation(self.findSecret(rotation.arn, db), by: date ?? self.now(), db) != nil
    }
    guard stillDue else { return .noLongerDue }
    let response = try await rotate(RotateSecretRequest(secretID: rotation.arn))
    return .rotated(versionID: response.versionID)
  }
}
