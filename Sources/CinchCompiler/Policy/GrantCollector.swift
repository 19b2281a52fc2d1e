import CinchTemplate

/// Turns templates into reads and reads into grants, noting what it cannot grant.
struct GrantCollector {
  let target: PolicyTarget
  let keys: EncryptionKeys
  let pins: (any LockedPins)?
  let inputs: EvaluationInputs
  /// Names built from `AWS::Region` or `AWS::AccountId`, for CloudFormation output.
  var portable = PortableNames.none
  /// The consumers' policies become resources of the template (`--format cloudformation`),
  /// which exist under a condition: a read by a resource with a `Condition` is granted under
  /// it (`PolicyRole.conditionIsTheReaders`).
  var conditionsFromReaders = false
  var diagnostics = Diagnostics()
  /// Kinds of entries whose key no store could tell.
  private var unknownKeys: Set<StoreEntry.Kind> = []

  init(
    target: PolicyTarget, keys: EncryptionKeys, pins: (any LockedPins)?, inputs: EvaluationInputs
  ) {
    self.target = target
    self.keys = keys
    self.pins = pins
    self.inputs = inputs
  }

  // MARK: Reads

  mutating func reads(_ analyses: [TemplateAnalysis], profiles: Set<PolicyProfile>) -> [StoreRead] {
    var reads: [StoreRead] = []
    for analysis in analyses where analysis.template.isCloudFormation {
      if !profiles.isDisjoint(with: [.deploy, .validate]) {
        for evaluated in analysis.references {
          if var read = deployRead(evaluated, template: analysis.template) {
            if read.kind == .parameter, case .concrete(let reference) = evaluated.state,
              let secret = secretBehind(reference.name, of: read)
            {
              // `cinch check` describes the secret: AWS keeps no history for the path.
              read.checkable = false
              reads += [read, secret]
            } else {
              reads.append(read)
            }
          }
        }
      }
      if !profiles.isDisjoint(with: [.consumers, .validate]), let graph = analysis.graph {
        for consumer in graph.runtimeConsumers where consumer.isLive {
          if var read = runtimeRead(consumer, template: analysis.template) {
            if read.kind == .parameter { read.parameterAction = consumer.parameterAction }
            reads.append(read)
            if consumer.throughParameterStore {
              var parameter = referenceParameter(
                consumer.name, of: read, portableID: portable.name(of: consumer))
              parameter.parameterAction = consumer.parameterAction
              reads.append(parameter)
              if let other = Self.otherSelectorReading(read) { reads.append(other) }
            }
          }
        }
      }
    }
    return reads
  }

  private mutating func deployRead(_ evaluated: EvaluatedReference, template: Template)
    -> StoreRead?
  {
    let site = evaluated.site
    switch evaluated.state {
    case .concrete(let reference):
      let detail: String
      if case .parameterType(let parameter) = site.context {
        detail = "parameter '\(parameter)' names '\(reference.name)'"
      } else {
        detail = reference.text
      }
      let reason = PolicyReason(file: site.file, range: site.range, path: site.path, detail: detail)
      let pin = pins?.pin(for: evaluated, concrete: reference)
      if let pins, pin?.isLocked != true, ResolutionKey(reference).throughParameterStore == nil {
        reportUnlocked(reference, pin: pin, lockName: pins.lockName, reason: reason)
      }
      switch reference.kind {
      case .ssm, .ssmSecure:
        // Behind `/aws/reference/secretsmanager/` Secrets Manager decrypts (`secretBehind`).
        let encrypted =
          reference.kind == .ssmSecure && StoreEntry.secretBehindParameter(reference.name) == nil
        var read = parameterRead(
          reference.name, version: reference.version ?? pin?.version, encrypted: encrypted,
          timing: .deploy, reason: reason,
          written: Self.isWritten(site) && reference.name.hasPrefix("arn:"),
          portableName: portable.name(of: reference, at: site))
        if encrypted { read.lockedKeyID = pin?.keyID }
        return read
      case .secretsManager:
        var stage = reference.versionStage
        var versionID = reference.versionId
        // The rendered template names the pinned version id in place of any stage (AWS takes
        // one or the other); without a pinned id, the pinned stage.
        if versionID == nil { versionID = pin?.versionID }
        if stage == nil && versionID == nil { stage = pin?.versionStage }
        if versionID != nil { stage = nil }
        var read = secretRead(
          reference.name, versionStage: stage, versionID: versionID, timing: .deploy,
          reason: reason, written: Self.isWritten(site),
          portableName: portable.name(of: reference, at: site), lockedKeyID: pin?.keyID)
        // Not in the lock, and no store to say which version id render will write in place of
        // the stage: whichever it is, the rendered template reads it.
        read.anyVersion = pins != nil && pin == nil && versionID == nil
        return read
      }
    case .waiting(let dependencies):
      let reason = PolicyReason(
        file: site.file, range: site.range, path: site.path, detail: site.reference.text)
      let kind: StoreEntry.Kind = site.reference.kind == .secretsManager ? .secret : .parameter
      // A secret named as the template's own secret is named (`ReferenceEvaluator`) reads
      // that resource, as `${Secret}` does.
      var managed = site.reference.name
      if kind == .secret, !managed.contains("${"), dependencies.count == 1,
        case .resource(let logicalID) = dependencies[0],
        template.resource(logicalID)?.type == "AWS::SecretsManager::Secret"
      {
        managed = "${\(logicalID)}"
      }
      if let read = managedRead(
        managed, kind: kind, template: template, timing: .deploy, reason: reason)
      {
        return read
      }
      // Said even when it waits on a parameter the user can set (the analyzer's W2015 says
      // which, and `policy` drops it for this one): a policy without the read must say so.
      // Each input with the option that sets it (`--stack-name` for AWS::StackName, not
      // --parameter-overrides, which takes only the template's own parameters).
      let hints = dependencies.commandLineHints
      report(
        .readNotInPolicy,
        "reference '\(site.reference.text)' waits on \(dependencies.map(\.description).joined(separator: ", ")): no statement can name what it reads"
          + (hints.isEmpty ? "" : "; set it with \(hints.joined(separator: ", "))"),
        reason)
      return nil
    case .inactive, .invalid:
      return nil
    }
  }

  /// E4007 (a warning, as `render` says it) for a reference the lock does not hold: `cinch
  /// render --lock` pins it at the store's version, which the policy grants when a store says
  /// which one it is (a secret's version id), and otherwise allows whichever it will be.
  private mutating func reportUnlocked(
    _ reference: Reference, pin: ReferencePin?, lockName: String, reason: PolicyReason
  ) {
    let unlocked = "reference '\(reference.text)' is not in \(lockName)"
    let advice = " (run 'cinch lock' to pin it)"
    let message: String
    switch (reference.kind, pin?.versionID) {
    case (.secretsManager, let id?):
      message =
        "\(unlocked): granted at the store's version \(id), the one render pins, which no lock "
        + "vouches for" + advice
    case (.secretsManager, nil) where reference.versionId != nil:
      message =
        "\(unlocked): render keeps the version id it names, which no lock vouches for" + advice
    case (.secretsManager, nil):
      message =
        "\(unlocked), and no store says which version render will pin: GetSecretValue is "
        + "granted on any version of the secret" + advice
    default:
      message =
        "\(unlocked): render pins the parameter's version the store has, which no lock vouches "
        + "for" + advice
    }
    diagnostics.report(
      Diagnostic(
        .notInLock, message, file: reason.file, range: reason.range, path: reason.path,
        severity: .warning))
  }

  private mutating func runtimeRead(_ consumer: RuntimeConsumer, template: Template) -> StoreRead? {
    let reason = PolicyReason(
      file: consumer.file, range: consumer.range, path: consumer.property, detail: consumer.name)
    let role = policyRole(consumer, template: template)
    let timing = StoreRead.Timing.runtime(role: role, resourceType: consumer.resourceType)
    guard let kind = consumer.kind else {
      report(
        .readNotInPolicy,
        "'\(consumer.name)' in '\(consumer.resource)' could name a parameter or a secret: no statement is generated for it",
        reason)
      return nil
    }
    if consumer.managedBy != nil {
      return managedRead(
        consumer.name, kind: kind, template: template, timing: timing, reason: reason)
    }
    if kind == .parameter, let (named, created) = withCreatedParameterNames(consumer, template) {
      // The parameter itself, named by ARN: read as `!Ref Param` is, a parameter the stack
      // makes (no key to look up, nothing to find before deploy).
      if let created, target.parameterARN(created.name) == named.name || created.name == named.name
      {
        return managedRead(
          "${\(created.logicalID)}", kind: kind, template: template, timing: timing,
          reason: reason)
      }
      return runtimeRead(named, template: template)
    }
    guard consumer.isConcrete else {
      report(
        .readNotInPolicy,
        "\(kind.rawValue) '\(consumer.name)' read by '\(consumer.resource)' waits on \(consumer.waitsOn.map(\.description).joined(separator: ", ")): no statement can name it",
        reason)
      return nil
    }
    if portable.isFixedByInputs(consumer) {
      report(
        .nameFixedByInputs,
        "'\(consumer.resource)' reads \(kind.rawValue) '\(consumer.name)' because of where the stack is evaluated or its parameter values, in a way !Sub cannot write (a condition, a mapping): the consumers policy grants it as evaluated, not what a stack deployed with other values reads",
        reason)
    }
    // An ARN the template gives (written in place, from a mapping or a parameter's value)
    // names its partition, region and account wherever the stack goes, as written, unless the
    // pseudo-parameters made part of it: its portable form then says which part.
    func isGiven(_ portableName: String?) -> Bool {
      consumer.isWrittenOut || (consumer.isNamedByARN && portableName == nil)
    }
    switch kind {
    case .parameter:
      let (name, version, label) = Self.withoutSelector(consumer.name)
      // The selector the name ends with (`:3`, `:live`) goes from the portable one too; it
      // cannot be split there ('${AWS::Region}' holds colons).
      let portableName = portable.name(of: consumer).flatMap { portable in
        let selector = consumer.name.dropFirst(name.count)
        return portable.hasSuffix(selector) ? String(portable.dropLast(selector.count)) : nil
      }
      return parameterRead(
        name, version: version, label: label, encrypted: consumer.decrypts, timing: timing,
        reason: reason, written: isGiven(portableName), portableName: portableName)
    case .secret:
      let stage = consumer.versionID == nil ? consumer.versionStage : nil
      let portableName = portable.name(of: consumer)
      var read = secretRead(
        consumer.name, versionStage: stage, versionID: consumer.versionID, timing: timing,
        reason: reason, written: isGiven(portableName), portableName: portableName)
      read.anyVersion = consumer.versionChosenAtRunTime
      return read
    }
  }

  // MARK: Parameter Store's view of Secrets Manager

  /// A read of `/aws/reference/secretsmanager/ID` is authorized twice: Parameter Store checks
  /// `ssm:GetParameters` on the reference's own ARN, then reads the secret as the caller, so
  /// `secretsmanager:GetSecretValue` on the secret (and `kms:Decrypt` of its key through Secrets
  /// Manager) must be allowed too. An ECS task reading `ValueFrom:
  /// /aws/reference/secretsmanager/…` fails with AccessDenied on the `ssm:GetParameters` half.
  /// https://docs.aws.amazon.com/systems-manager/latest/userguide/integration-ps-secretsmanager.html
  ///
  /// The secret behind a deploy reference to the path (nil for any other parameter), held to
  /// the version its selector names.
  private mutating func secretBehind(_ name: String, of read: StoreRead) -> StoreRead? {
    guard let behind = StoreEntry.secretBehindParameter(name) else { return nil }
    return secretRead(
      behind.id, versionStage: behind.versionStage, versionID: behind.versionID,
      timing: read.timing, reason: read.reason)
  }

  /// A `:SELECTOR` after the path names a version id or a staging label, and its shape only
  /// suggests which (`StoreEntry.secretBehindParameter`): where it could be either (a version
  /// id has 32 to 64 characters, so `AWSPREVIOUS` cannot be one) the read is allowed under
  /// the other reading too, so the policy holds whichever the secret has.
  /// https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html
  private static func otherSelectorReading(_ read: StoreRead) -> StoreRead? {
    guard let selector = read.versionStage ?? read.versionID, (32...64).contains(selector.count)
    else { return nil }
    var other = read
    switch (read.versionStage, read.versionID) {
    case (let stage?, nil): (other.versionStage, other.versionID) = (nil, stage)
    case (nil, let id?): (other.versionStage, other.versionID) = (id, nil)
    default: return nil
    }
    other.keyQuery?.versionStage = other.versionStage
    other.keyQuery?.versionID = other.versionID
    return other
  }

  /// The reference parameter a run-time reader of a secret named through Parameter Store also
  /// calls `GetParameters` (or `GetParameter`) on; the key to decrypt is the secret's, through Secrets Manager.
  /// `portableID`: the secret id as the consumers' CloudFormation output writes it
  /// (`${Env}/db`), whose path follows the stack as the secret's ARN does.
  private func referenceParameter(
    _ secretID: String, of secret: StoreRead, portableID: String? = nil
  ) -> StoreRead {
    let path = StoreEntry.secretsManagerReferencePrefix + secretID
    // Named as it is read: a role's missing grant (E6007) names the path, not the secret.
    var reason = secret.reason
    reason.detail = path
    var parameter = parameterRead(
      path, version: nil, encrypted: false, timing: secret.timing, reason: reason,
      portableName: portableID.map { StoreEntry.secretsManagerReferencePrefix + $0 })
    parameter.checkable = false
    return parameter
  }

  /// A parameter name or ARN without the `:version` or `:label` selector it may end with, and
  /// the version or label it names: the ARN IAM authorizes names the parameter alone, and the
  /// key to decrypt is that version's.
  static func withoutSelector(_ name: String) -> (name: String, version: Int?, label: String?) {
    let split = ParameterVersionSelector.split(name)
    switch split.selector {
    case .version(let version)?: return (split.name, version, nil)
    case .label(let label)?: return (split.name, nil, label)
    case nil: return (split.name, nil, nil)
    }
  }

  /// The role a run-time read happens as, reporting a read nothing can be attached for; in a
  /// template's own policies, under the reading resource's `Condition` when the role has none
  /// (and said, W6011, when the role has another).
  private mutating func policyRole(_ consumer: RuntimeConsumer, template: Template) -> PolicyRole? {
    guard var role = attachedRole(consumer, template: template) else { return nil }
    guard conditionsFromReaders,
      let readerCondition = template.resource(consumer.resource)?.condition,
      readerCondition != role.condition
    else { return role }
    // Only a role of the template: its policy goes into that template, where the condition is
    // defined; one outside it (by name or ARN) is attached from wherever the user puts it.
    guard case .resource = role.kind else { return role }
    guard let roleCondition = role.condition else {
      role.condition = readerCondition
      role.conditionIsTheReaders = true
      return role
    }
    report(
      .readOutlivesItsCondition,
      "'\(consumer.resource)' exists when '\(readerCondition)' holds, and reads '\(consumer.name)' as "
        + "\(role.description), which exists when '\(roleCondition)' does: its policy grants the read "
        + "wherever the role exists; give the role the resource's condition, or generate the "
        + "policy per environment",
      PolicyReason(
        file: consumer.file, range: consumer.range, path: consumer.property,
        detail: consumer.name))
    return role
  }

  private mutating func attachedRole(_ consumer: RuntimeConsumer, template: Template)
    -> PolicyRole?
  {
    let reason = PolicyReason(
      file: consumer.file, range: consumer.roleRange ?? consumer.range,
      path: consumer.roleProperty ?? consumer.property, detail: consumer.name)
    switch consumer.role {
    case .resource(let logicalID):
      return PolicyRole(
        file: consumer.file, kind: .resource(logicalID),
        condition: template.resource(logicalID)?.condition)
    case .generated(let logicalID):
      // The SAM transform gives the role it generates its function's condition.
      return PolicyRole(
        file: consumer.file, kind: .resource(logicalID),
        condition: template.resource(consumer.resource)?.condition)
    case .external(let text):
      let fields = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
      if fields.count == 6, fields[0] == "arn", fields[2] == "iam",
        fields[4] != target.accountID || fields[1] != target.partition
      {
        // A managed policy attaches only to roles of its own account: the grant belongs in
        // the role's account, and the entry's account must let that role in.
        report(
          .consumerWithoutRole,
          "'\(consumer.resource)' reads as role '\(text)', of account \(fields[4]), not the "
            + "stack's (\(target.accountID)): a policy of this stack cannot be attached to it; "
            + "attach its consumers policy in that account (a secret must also let the role in "
            + "with its resource policy and its key's policy, a parameter be shared with it)",
          reason)
        return PolicyRole(
          file: consumer.file, kind: .unresolved("role '\(text)'"), account: String(fields[4]))
      }
      return PolicyRole(file: consumer.file, kind: .external(text))
    case .chosenAtRunTime:
      report(
        .consumerWithoutRole,
        "'\(consumer.resource)' reads '\(consumer.name)' as a role its task's Credentials take from the execution's input: attach its consumers policy to each role an execution may name",
        reason)
      return PolicyRole(
        file: consumer.file,
        kind: .unresolved("the roles executions of '\(consumer.resource)' name"))
    case .functionRole(let function):
      report(
        .consumerWithoutRole,
        "'\(consumer.resource)' reads as the role of function '\(function)', which is outside the template: attach its consumers policy to that role",
        reason)
      return PolicyRole(file: consumer.file, kind: .function(function))
    case .symbolic(let text, let waitsOn):
      report(
        .consumerWithoutRole,
        "'\(consumer.resource)' reads as role '\(text)', which waits on \(waitsOn.map(\.description).joined(separator: ", ")): attach its consumers policy to that role",
        reason)
      // Two roles imported from two exports are two roles: each gets its own policy (keyed by
      // what it waits on, not by the `${Fn::ImportValue}` text they share).
      let imports = waitsOn.compactMap { dependency -> String? in
        if case .importValue(let name) = dependency { return name }
        return nil
      }
      let label =
        imports.count == 1 && waitsOn.count == 1 && text == "${Fn::ImportValue}"
        ? "role imported from '\(imports[0])'"
        : "role '\(text)'"
          + (text.contains("${Fn::ImportValue}") && !imports.isEmpty
            ? " (imports \(imports.map { "'\($0)'" }.joined(separator: ", ")))" : "")
      return PolicyRole(file: consumer.file, kind: .unresolved(label))
    case .none:
      let containers: Set<String> = ["AWS::ECS::TaskDefinition", "AWS::Batch::JobDefinition"]
      if containers.contains(consumer.resourceType) {
        report(
          .consumerWithoutRole,
          "'\(consumer.resource)' reads '\(consumer.name)' when its containers start but has no ExecutionRoleArn: the container agent has no role to read it as",
          reason)
      } else {
        report(
          .consumerReadsAsItsUser,
          "'\(consumer.resource)' (\(consumer.resourceType)) names no role for reading '\(consumer.name)': grant it to the role of whatever uses the resource",
          reason)
      }
      return nil
    }
  }

  /// Whether a reference's text is in the template as it is read (not assembled by `Fn::Join`
  /// or by `Fn::Sub` variables, which may take the region and account from the stack; a
  /// `!Sub` string with no variable is as written); an input of an
  /// `AWS::SSM::Parameter::Value<…>` parameter is given as it is too.
  static func isWritten(_ site: ReferenceSite) -> Bool { !site.needsEvaluation }

  /// `written`: the template wrote the parameter's ARN (maybe given here as the name it names,
  /// when it is of the evaluated region and account), kept as written in CloudFormation output
  /// (`PolicyResource.isWritten`); a name the template wrote is made into this stack's ARN.
  /// `portableName`: the name with `${AWS::Region}` / `${AWS::AccountId}` where the template
  /// built it from them (`PortableNames`).
  private func parameterRead(
    _ name: String, version: Int?, label: String? = nil, encrypted: Bool,
    timing: StoreRead.Timing, reason: PolicyReason, written: Bool = false,
    portableName: String? = nil
  ) -> StoreRead {
    let isPublic = PolicyTarget.isPublicParameter(name)
    let query =
      encrypted && !isPublic
      ? EncryptionKeyQuery(
        entry: StoreEntry(kind: .parameter, name: name), version: version, versionStage: label)
      : nil
    if let arn = StoreARN(name), arn.kind == .parameter {
      // A parameter shared from another account (named by ARN in an
      // AWS::SSM::Parameter::Value<…> parameter), or one of another region; the parts of its
      // ARN the pseudo-parameters give follow the stack.
      var resource = PolicyResource(arn: name, isWritten: written)
      resource.portableARN = portableName.flatMap { $0.hasPrefix("arn:") ? $0 : nil }
      return StoreRead(
        timing: timing, kind: .parameter, resource: resource, contextARN: name,
        partition: arn.partition, region: arn.region, keyQuery: query, checkable: true,
        reason: reason)
    }
    // A name here may be an ARN of the evaluated region and account that the template wrote
    // out (`written`): it stays that ARN wherever the stack goes.
    let arn = target.parameterARN(name)
    var resource = PolicyResource(arn: arn, isWritten: written)
    // A portable ARN (the template wrote the parameter's ARN) is the grant as it is; one made
    // from a name is in the stack's partition, region and account.
    resource.portableARN = portableName.map {
      $0.hasPrefix("arn:") ? $0 : PolicyTarget.stack.parameterARN($0)
    }
    return StoreRead(
      timing: timing, kind: .parameter, resource: resource, contextARN: arn,
      partition: target.partition, region: target.region, keyQuery: query, checkable: true,
      reason: reason)
  }

  /// `lockedKeyID`: the key the lock records for the version read (`ReferencePin.keyID`).
  private mutating func secretRead(
    _ id: String, versionStage: String?, versionID: String?, timing: StoreRead.Timing,
    reason: PolicyReason, written: Bool = false, portableName: String? = nil,
    lockedKeyID: String? = nil
  ) -> StoreRead {
    let query = EncryptionKeyQuery(
      entry: StoreEntry(kind: .secret, name: id), versionStage: versionStage, versionID: versionID)
    var read = StoreRead(
      timing: timing, kind: .secret, resource: PolicyResource(arn: target.secretARNPattern(id)),
      contextARN: target.secretARNPattern(id), partition: target.partition, region: target.region,
      keyQuery: query, versionStage: versionStage, versionID: versionID, checkable: true,
      reason: reason)
    read.lockedKeyID = lockedKeyID
    guard let arn = StoreARN(id), arn.kind == .secret else {
      read.resource.portableARN = portableName.map(PolicyTarget.stack.secretARNPattern)
      return read
    }
    // A complete ARN ends in `-` and the six characters Secrets Manager adds; a partial ARN
    // (the name alone) matches them with `-??????`.
    let exact = arn.endsWithSecretSuffix
    let pattern =
      exact
      ? id
      : "arn:\(arn.partition):secretsmanager:\(arn.region):\(arn.account):secret:\(arn.name)-??????"
    read.resource = PolicyResource(arn: pattern, isWritten: written)
    // An ARN the template builds (`…:secret:${Env}/app`) follows the stack where it came from.
    if let portableName, portableName.hasPrefix("arn:") {
      read.resource.portableARN = exact ? portableName : portableName + "-??????"
    }
    read.contextARN = pattern
    read.partition = arn.partition
    read.region = arn.region
    let inStore = arn.account == target.accountID && arn.region == target.region
    func storeQuery(_ name: String) -> EncryptionKeyQuery? {
      // The store stands for this account and region: ask it by name (without the suffix,
      // which is AWS's, not the store's).
      guard inStore else { return nil }
      return EncryptionKeyQuery(
        entry: StoreEntry(kind: .secret, name: name), versionStage: versionStage,
        versionID: versionID)
    }
    read.keyQuery = storeQuery(exact ? String(arn.name.dropLast(7)) : arn.name)
    if exact {
      var partial = PolicyResource(arn: id + "-??????", isWritten: written)
      partial.portableARN = read.resource.portableARN.map { $0 + "-??????" }
      read.partialReading = StoreRead.PartialReading(
        resource: partial, keyQuery: storeQuery(arn.name))
    }
    if arn.account == target.accountID, arn.region != target.region, keys.isConfigured {
      // The store stands for one region: a secret of another is not in it, so its key is not
      // known, as for an entry the store does not hold.
      report(
        .encryptionKeyUnknown,
        "secret '\(id)' is in \(arn.region), and the store is read as \(target.region): if its key is customer-managed, kms:Decrypt on that key is also needed",
        reason)
    }
    if arn.account != target.accountID {
      report(
        .crossAccountSecret,
        "secret '\(id)' belongs to account '\(arn.account)': its resource policy must also allow this identity, and it must be encrypted with a customer-managed key whose key policy allows kms:Decrypt (aws/secretsmanager cannot be used across accounts); this identity needs kms:Decrypt on that key too"
          + Self.crossAccountKeyNote(
            lockedKeyID, partition: arn.partition, region: arn.region, account: arn.account),
        reason)
    }
    return read
  }

  /// What W6001 says of the key of another account's secret: the identity must be allowed to
  /// use the key the secret is encrypted with
  /// (https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_examples_cross.html),
  /// which only a lock that records it tells (no store holds another account's secrets).
  private static func crossAccountKeyNote(
    _ keyID: String?, partition: String, region: String, account: String
  ) -> String {
    switch keyID.map(LockedKey.init) {
    case .awsManaged(let alias)?:
      ", but the lock records '\(alias)', which another account cannot use: the read fails until the secret is encrypted with a customer-managed key"
    case .alias(let alias)?:
      ", and no statement grants it: the lock records alias '\(alias)', which only KMS resolves to a key; add it for the key's ARN by hand"
    case .key(let key)?:
      ", which is granted (key '\(key.arn(partition: partition, region: region, account: account))', as the lock records it)"
    case nil:
      ", and no statement grants it: cinch cannot tell which key it is (a lock records it for a pinned reference only, and a store holds only its own account's secrets); add it for the key's ARN by hand"
    }
  }

  /// `consumer` with each `${Param}` naming a parameter the template creates with a fixed
  /// `Name` replaced by that name (`!Ref` of an `AWS::SSM::Parameter` is its name), so that
  /// `!Sub 'arn:…:parameter${Param}'` is read as `!Ref Param` is; with the parameter's logical
  /// id and name when it waits on one only. Nil when it waits on anything else.
  private func withCreatedParameterNames(_ consumer: RuntimeConsumer, _ template: Template)
    -> (RuntimeConsumer, (logicalID: String, name: String)?)?
  {
    guard !consumer.waitsOn.isEmpty else { return nil }
    var named = consumer
    var created: [(logicalID: String, name: String)] = []
    var scratch = Diagnostics()
    var evaluator = Evaluator(template: template, inputs: inputs, into: &scratch)
    for dependency in consumer.waitsOn {
      guard case .resource(let logicalID) = dependency,
        let resource = template.resource(logicalID), resource.type == "AWS::SSM::Parameter",
        let name = resource.createdName(&evaluator, into: &scratch),
        named.name.contains("${\(logicalID)}")
      else { return nil }
      named.name = named.name.replacing("${\(logicalID)}", with: name)
      created.append((logicalID, name))
    }
    named.waitsOn = []
    return (named, created.count == 1 ? created[0] : nil)
  }

  /// A parameter or secret this template creates, named by `${Resource}` or
  /// `${Resource.Attribute}`: CloudFormation output names it with `!Ref` / `!GetAtt`, IAM JSON
  /// by the `Name` it is created with, when that is fixed.
  private mutating func managedRead(
    _ text: String, kind: StoreEntry.Kind, template: Template, timing: StoreRead.Timing,
    reason: PolicyReason
  ) -> StoreRead? {
    guard text.hasPrefix("${"), text.hasSuffix("}"), text.dropFirst(2).firstIndex(of: "$") == nil
    else { return nil }
    let inner = String(text.dropFirst(2).dropLast())
    let parts = inner.split(separator: ".", maxSplits: 1).map(String.init)
    guard let logicalID = parts.first,
      let resource = template.resources.first(where: { $0.logicalID == logicalID }),
      let type = resource.type
    else { return nil }
    let attribute = parts.count == 2 ? parts[1] : nil
    var scratch = Diagnostics()
    var evaluator = Evaluator(template: template, inputs: inputs, into: &scratch)
    let name = resource.createdName(&evaluator, into: &scratch)
    var createdKey: CreatedSecretKey?
    if kind == .secret, let node = Self.createdSecretKeyNode(type, resource.properties) {
      createdKey = secretKey(evaluator.evaluate(node, into: &scratch), template: template)
    }
    let resourceValue: PolicyResource
    var contextARN: String?
    switch (kind, type, attribute) {
    case (.secret, "AWS::SecretsManager::Secret", nil):
      let arn = name.map(target.secretARNPattern)
      contextARN = arn
      resourceValue = PolicyResource(expression: .ref(logicalID), arn: arn)
    case (.secret, _, let attribute?):
      resourceValue = PolicyResource(
        expression: .getAtt(resource: logicalID, attribute: attribute), arn: nil)
    case (.parameter, "AWS::SSM::Parameter", nil):
      guard let name else {
        report(
          .entryNamedByTemplate,
          "parameter created by '\(logicalID)' has no fixed Name: no statement can name it",
          reason)
        return nil
      }
      contextARN = target.parameterARN(name)
      resourceValue = PolicyResource(arn: target.parameterARN(name))
    default:
      return nil
    }
    if resourceValue.arn == nil {
      // A Name that waits on an input cinch was not given names it once given: say which.
      let waits =
        resource.properties?["Name"].map { evaluator.evaluate($0, into: &scratch).waitsOn } ?? []
      let hints = waits.commandLineHints
      let unnamed =
        waits.isEmpty
        ? "has no fixed name"
        : "has a Name that waits on \(waits.map(\.description).joined(separator: ", "))"
      let advice = hints.isEmpty ? "give it a Name" : "set it with " + hints.joined(separator: " ")
      guard timing != .deploy else {
        // The deploy identity's policy lives outside the stack, where `!Ref` names nothing.
        report(
          .entryNamedByTemplate,
          "\(kind.rawValue) created by '\(logicalID)' \(unnamed): the deploy policy cannot name it; \(advice)",
          reason)
        return nil
      }
      report(
        .entryNamedByTemplate,
        "\(kind.rawValue) created by '\(logicalID)' \(unnamed): only --format cloudformation names it (\(resourceValue)); the IAM JSON leaves it out"
          + (hints.isEmpty ? "" : " (\(advice))"),
        reason)
    }
    return StoreRead(
      timing: timing, kind: kind, resource: resourceValue, contextARN: contextARN,
      partition: target.partition, region: target.region, keyQuery: nil, checkable: false,
      reason: reason, createdKey: createdKey, createdBy: logicalID)
  }

  /// Where a resource names the KMS key of the secret it creates: a Secrets Manager secret's
  /// `KmsKeyId`, or the key of the master user secret RDS, DocumentDB or Redshift manage for
  /// the database (`ManageMasterUserPassword`). Secrets Manager decrypts a secret with its
  /// reader's permissions, so reading it needs kms:Decrypt on a customer-managed key.
  /// Without one, the secret is under the AWS managed aws/secretsmanager key, which needs none.
  /// https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html
  static func createdSecretKeyNode(_ type: String, _ properties: Node?) -> Node? {
    switch type {
    case "AWS::SecretsManager::Secret": properties?["KmsKeyId"]
    case "AWS::RDS::DBInstance", "AWS::RDS::DBCluster": properties?["MasterUserSecret"]?["KmsKeyId"]
    case "AWS::DocDB::DBCluster": properties?["MasterUserSecretKmsKeyId"]
    case "AWS::Redshift::Cluster": properties?["MasterPasswordSecretKmsKeyId"]
    default: nil
    }
  }

  /// The key a created secret's `KmsKeyId` names, evaluated: a key id, key ARN, alias name or
  /// alias ARN (the forms Secrets Manager takes), or the `Ref` / `Arn` of a key of the template.
  private func secretKey(_ value: Value, template: Template) -> CreatedSecretKey {
    guard let text = value.string, value.isKnown else {
      let keys = Set(
        template.resources.filter { $0.type == "AWS::KMS::Key" }.map(\.logicalID))
      if value.waitsOn.count == 1 {
        switch value.waitsOn[0] {
        case .resource(let id) where keys.contains(id): return .resource(id)
        case .attribute(let id, "Arn") where keys.contains(id): return .resource(id)
        default: break
        }
      }
      return .unknown(value.waitsOn.map(\.description).joined(separator: ", "))
    }
    let fields = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
    if text.hasPrefix("alias/") || (fields.count == 6 && fields[5].hasPrefix("alias/")) {
      return .alias(text)
    }
    return text.hasPrefix("arn:")
      ? .arn(text, written: true) : .arn(target.keyARN(text), written: false)
  }

  // MARK: Grants

  mutating func grants(for read: StoreRead, profiles: Set<PolicyProfile>) -> [(
    DocumentKey, PolicyGrant
  )] {
    if let partial = read.partialARNRead {
      // An ARN that ends like a complete one is read as complete, unless the store knows a
      // secret by the ARN's name whole: then Secrets Manager may read it either way (`check`
      // warns, W4015), and both are granted, the key asked about under that name.
      var complete = read
      complete.partialReading = nil
      guard !isKnown(complete.keyQuery) && isKnown(partial.keyQuery) else {
        return grants(for: complete, profiles: profiles)
      }
      complete.keyQuery = nil
      return grants(for: complete, profiles: profiles) + grants(for: partial, profiles: profiles)
    }
    var result: [(DocumentKey, PolicyGrant)] = []
    if profiles.contains(.validate), read.checkable {
      let key = DocumentKey(profile: .validate, role: nil)
      for grant in metadataGrants(read) { result.append((key, grant)) }
    }
    switch read.timing {
    case .deploy:
      if profiles.contains(.deploy) {
        let key = DocumentKey(profile: .deploy, role: nil)
        for grant in readGrants(read, rotation: false) { result.append((key, grant)) }
      }
    case .runtime(let role, let resourceType):
      if profiles.contains(.consumers), let role {
        let key = DocumentKey(profile: .consumers, role: role)
        let rotation = resourceType == "AWS::SecretsManager::RotationSchedule"
        for grant in readGrants(read, rotation: rotation) { result.append((key, grant)) }
      }
    }
    return result
  }

  /// Whether the store was asked about the entry and knows it.
  private func isKnown(_ query: EncryptionKeyQuery?) -> Bool {
    switch query.map(keys.state(of:)) {
    case .key?, .unencrypted?: true
    default: false
    }
  }

  /// What a reader needs: the read itself, under the pinned version's conditions, and the key.
  private mutating func readGrants(_ read: StoreRead, rotation: Bool) -> [PolicyGrant] {
    switch read.kind {
    case .parameter:
      let purpose: StatementPurpose =
        read.parameterAction == "ssm:GetParameter" ? .readParametersOneAtATime : .readParameters
      return [PolicyGrant(purpose, read.parameterAction, read.resource, reason: read.reason)]
        + keyGrants(read, purpose: .decryptParameters, actions: ["kms:Decrypt"])
    case .secret where rotation:
      // The rotation function reads and writes versions and moves their labels.
      // https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets-required-permissions-function.html
      let actions = [
        "secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue",
        "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage",
      ]
      return actions.map { PolicyGrant(.rotateSecrets, $0, read.resource, reason: read.reason) }
        + [
          PolicyGrant(
            .generatePasswords, "secretsmanager:GetRandomPassword", .any, reason: read.reason)
        ]
        + keyGrants(
          read, purpose: .encryptRotatedSecrets, actions: ["kms:Decrypt", "kms:GenerateDataKey"])
    case .secret:
      let purpose: StatementPurpose
      var conditions: [PolicyCondition] = []
      if read.anyVersion {
        purpose = .readSecrets
      } else if let versionID = read.versionID {
        purpose = .readSecretVersions
        conditions = [PolicyCondition("StringEquals", "secretsmanager:VersionId", [versionID])]
      } else {
        // A read that names no stage reads AWSCURRENT, and is held to it like one that does.
        // https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html
        let stage = read.versionStage ?? "AWSCURRENT"
        purpose = .readSecretsAtStage(stage)
        if stage == "AWSCURRENT" {
          // AWSCURRENT is also what a request without a stage gets: allow that, but not a
          // request for another version by id.
          conditions = [
            PolicyCondition("StringEqualsIfExists", "secretsmanager:VersionStage", [stage]),
            PolicyCondition("Null", "secretsmanager:VersionId", ["true"]),
          ]
        } else {
          conditions = [PolicyCondition("StringEquals", "secretsmanager:VersionStage", [stage])]
        }
      }
      return [
        PolicyGrant(
          purpose, "secretsmanager:GetSecretValue", read.resource, conditions: conditions,
          reason: read.reason)
      ] + keyGrants(read, purpose: .decryptSecrets, actions: ["kms:Decrypt"])
    }
  }

  /// `kms:Decrypt` on the entry's key when it is customer-managed, only through the service
  /// that stores the entry and only for this entry: the encryption context each service passes
  /// names it. Parameter Store passes `PARAMETER_ARN`
  /// (https://docs.aws.amazon.com/kms/latest/developerguide/services-parameter-store.html#parameter-store-encryption-context),
  /// Secrets Manager `SecretARN` and `SecretVersionId`
  /// (https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html#security-encryption-encryption-context).
  private mutating func keyGrants(
    _ read: StoreRead, purpose: StatementPurpose, actions: [String]
  ) -> [PolicyGrant] {
    if let key = read.createdKey {
      return createdKeyGrants(read, key: key, purpose: purpose, actions: actions)
    }
    // What the store knows of the version read comes first; where it knows nothing (no store,
    // an entry it does not hold, another account's secret), the key the lock records for the
    // pinned version.
    if let locked = read.lockedKeyID {
      switch read.keyQuery.map(keys.state(of:)) {
      case .key?, .unencrypted?, .undescribed?: break
      default: return lockedKeyGrants(read, keyID: locked, purpose: purpose, actions: actions)
      }
    }
    guard let query = read.keyQuery else { return [] }
    switch keys.state(of: query) {
    case .key(let key) where key.isCustomerManaged:
      guard read.contextARN != nil else { return [] }
      // The key of an entry the template names by ARN is that entry's key wherever the stack
      // goes: CloudFormation output keeps it as written, like the entry's own ARN.
      let resource = PolicyResource(arn: key.arn, isWritten: read.resource.isWritten)
      return actions.map {
        PolicyGrant(
          purpose, $0, resource, conditions: keyConditions(read), reason: read.reason)
      }
    case .key, .unencrypted:
      return []
    case .notFound:
      report(
        .encryptionKeyUnknown,
        "\(read.kind.rawValue) '\(query.entry.name)'\(query.selectorDescription) is not in the store: if its key is customer-managed, kms:Decrypt on that key is also needed",
        read.reason)
      return []
    case .versionNotFound:
      report(
        .encryptionKeyUnknown,
        "\(read.kind.rawValue) '\(query.entry.name)' is in the store, but not \(query.selectorNoun): if the key of the version read is customer-managed, kms:Decrypt on that key is also needed",
        read.reason)
      return []
    case .unknown:
      unknownKeys.insert(read.kind)
      return []
    case .undescribed(let keyID, let reason):
      // The policy would be short of the key's grant, and the deploy refused its decrypt.
      report(
        .encryptionKeyUndescribed,
        "\(read.kind.rawValue) '\(query.entry.name)' is encrypted under KMS key '\(keyID)', which the store would not describe (\(reason)): no kms:Decrypt statement is generated for it; one is needed if the key is customer-managed (give the identity that runs cinch kms:DescribeKey, or grant the decrypt by hand)",
        read.reason)
      return []
    }
  }

  /// `kms:Decrypt` on the key the lock records for the pinned version: none for an AWS
  /// managed key, whose key policy lets the account decrypt through its service; a note for
  /// another alias, which only KMS resolves to a key (a policy names the key); the key's ARN
  /// otherwise, a bare key id taken as a key of the entry's region and account. Any key but
  /// an AWS managed one is taken as customer-managed: without KMS to ask, a grant on a key
  /// that needs none (scoped to the entry and its service) is the safe side.
  private mutating func lockedKeyGrants(
    _ read: StoreRead, keyID: String, purpose: StatementPurpose, actions: [String]
  ) -> [PolicyGrant] {
    let entry = read.keyQuery?.entry.name ?? read.reason.detail
    switch LockedKey(keyID) {
    case .awsManaged:
      return []
    case .alias(let alias):
      report(
        .encryptionKeyUnknown,
        "\(read.kind.rawValue) '\(entry)' is encrypted under alias '\(alias)', as the lock records it, and no store says which key that is: kms:Decrypt on the key it points to is also needed (a policy names the key, not the alias; or grant key/* with the condition ForAnyValue:StringEquals kms:ResourceAliases = \(Self.aliasName(alias)))",
        read.reason)
      return []
    case .key(let key):
      guard let context = read.contextARN else { return [] }
      let fields = context.split(separator: ":", omittingEmptySubsequences: false)
      let account = fields.count > 4 ? String(fields[4]) : target.accountID
      let resource = PolicyResource(
        arn: key.arn(partition: read.partition, region: read.region, account: account),
        isWritten: read.resource.isWritten)
      return actions.map {
        PolicyGrant(purpose, $0, resource, conditions: keyConditions(read), reason: read.reason)
      }
    }
  }

  /// A key as a lock records it (`Pin.keyID`).
  enum LockedKey {
    /// `alias/aws/ssm`, `alias/aws/secretsmanager` (by name or ARN).
    case awsManaged(String)
    /// Any other alias, by name or ARN.
    case alias(String)
    /// A key id or key ARN.
    case key(KeyName)

    struct KeyName {
      var recorded: String

      /// The key's ARN: as recorded, or a key id in the given partition, region and account
      /// (the entry's).
      func arn(partition: String, region: String, account: String) -> String {
        recorded.hasPrefix("arn:")
          ? recorded : "arn:\(partition):kms:\(region):\(account):key/\(recorded)"
      }
    }

    init(_ recorded: String) {
      let name = GrantCollector.aliasName(recorded)
      if GrantCollector.namesAWSManagedKey(recorded) {
        self = .awsManaged(name)
      } else if name.hasPrefix("alias/") {
        self = .alias(recorded)
      } else {
        self = .key(KeyName(recorded: recorded))
      }
    }
  }

  /// An alias's name (`alias/app`) from its name or ARN.
  static func aliasName(_ alias: String) -> String {
    let fields = alias.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
    return fields.count == 6 ? String(fields[5]) : alias
  }

  /// An alias of an AWS managed key (`alias/aws/…`), by name or by ARN.
  static func namesAWSManagedKey(_ alias: String) -> Bool {
    aliasName(alias).hasPrefix("alias/aws/")
  }

  /// Only through the entry's service, and only for the entry where its ARN is known.
  private func keyConditions(_ read: StoreRead) -> [PolicyCondition] {
    let service = read.kind == .parameter ? "ssm" : "secretsmanager"
    let suffix =
      read.partition == target.partition
      ? target.urlSuffix : PolicyTarget.urlSuffix(ofPartition: read.partition)
    var conditions = [
      PolicyCondition("StringEquals", "kms:ViaService", ["\(service).\(read.region).\(suffix)"])
    ]
    guard let context = read.contextARN else {
      // A secret the template creates without a name: its `Ref` is the ARN Secrets Manager
      // passes as the context, which only the consumers' CloudFormation output can write.
      if read.kind == .secret, let expression = read.resource.expression {
        conditions.append(
          PolicyCondition(
            "StringEquals", "kms:EncryptionContext:SecretARN", [], expressions: [expression]))
      }
      return conditions
    }
    switch read.kind {
    case .parameter:
      conditions.append(.matching("kms:EncryptionContext:PARAMETER_ARN", context))
    case .secret:
      var secretARN = PolicyCondition.matching("kms:EncryptionContext:SecretARN", context)
      if let expression = read.resource.expression, case .ref = expression {
        // A secret the template creates under a name: as evaluated outside the template, its
        // `Ref` (the ARN the context holds) in the template, whatever its name's inputs.
        secretARN.expressions = [expression]
        secretARN.templateValues = []
      }
      conditions.append(secretARN)
      if let versionID = read.versionID {
        conditions.append(
          PolicyCondition("StringEquals", "kms:EncryptionContext:SecretVersionId", [versionID]))
      }
    }
    return conditions
  }

  /// `kms:Decrypt` on the key a secret the template creates names. A key of the template is
  /// named with `!GetAtt Key.Arn`, which only the consumers' CloudFormation output can write;
  /// elsewhere a note names the key instead.
  private mutating func createdKeyGrants(
    _ read: StoreRead, key: CreatedSecretKey, purpose: StatementPurpose, actions: [String]
  ) -> [PolicyGrant] {
    let entry = read.createdBy ?? read.reason.detail
    let resource: PolicyResource
    switch key {
    case .arn(let arn, let written):
      resource = PolicyResource(arn: arn, isWritten: written)
    case .alias(let alias) where Self.namesAWSManagedKey(alias):
      // `alias/aws/secretsmanager` is the AWS managed key Secrets Manager uses by default: its
      // key policy lets the account's principals decrypt through Secrets Manager, so the
      // reader needs no kms:Decrypt of its own, as for a secret created without a KmsKeyId.
      // https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html
      return []
    case .alias(let alias):
      report(
        .encryptionKeyUnknown,
        "secret created by '\(entry)' is encrypted under alias '\(alias)': kms:Decrypt on the key it points to is also needed (a policy names the key, not the alias; or grant key/* with the condition ForAnyValue:StringEquals kms:ResourceAliases = \(Self.aliasName(alias)))",
        read.reason)
      return []
    case .resource(let logicalID):
      guard read.timing != .deploy else {
        report(
          .encryptionKeyUnknown,
          "secret created by '\(entry)' is encrypted under key '\(logicalID)', which the template creates: the deploy policy cannot name it; it also needs kms:Decrypt on that key",
          read.reason)
        return []
      }
      report(
        .encryptionKeyUnknown,
        "secret created by '\(entry)' is encrypted under key '\(logicalID)', which the template creates: only --format cloudformation names it (!GetAtt \(logicalID).Arn); the IAM JSON has no kms:Decrypt for it",
        read.reason)
      resource = PolicyResource(
        expression: .getAtt(resource: logicalID, attribute: "Arn"), arn: nil)
    case .unknown(let waitsOn):
      report(
        .encryptionKeyUnknown,
        "the KmsKeyId of secret created by '\(entry)' waits on \(waitsOn): kms:Decrypt on that key is also needed",
        read.reason)
      return []
    }
    return actions.map {
      PolicyGrant(purpose, $0, resource, conditions: keyConditions(read), reason: read.reason)
    }
  }

  /// What `cinch check` needs to confirm an entry exists: metadata, never a value.
  private func metadataGrants(_ read: StoreRead) -> [PolicyGrant] {
    switch read.kind {
    case .parameter:
      // GetParameterHistory with WithDecryption returns values: under the AWS-managed aws/ssm
      // key, whose key policy lets any principal of the account decrypt through Parameter
      // Store, with no kms:Decrypt grant. Only an explicit deny keeps the role metadata-only.
      // https://docs.aws.amazon.com/systems-manager/latest/userguide/ps-restrict-decryption.html
      // The keys of the region a written ARN names stay that region's wherever the stack
      // that holds this policy goes (`isWritten`).
      let keys = PolicyResource(
        arn: "arn:\(read.partition):kms:\(read.region):\(target.accountID):key/*",
        isWritten: read.resource.isWritten)
      return [
        PolicyGrant(
          .readParameterHistory, "ssm:GetParameterHistory", read.resource, reason: read.reason),
        PolicyGrant(.denyDecryption, "kms:Decrypt", keys, reason: read.reason),
        // https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssystemsmanager.html:
        // DescribeParameters has no resource type, so only "*" authorizes it.
        PolicyGrant(.describeParameters, "ssm:DescribeParameters", .any, reason: read.reason),
      ]
    case .secret:
      return ["secretsmanager:DescribeSecret", "secretsmanager:ListSecretVersionIds"].map {
        PolicyGrant(.describeSecrets, $0, read.resource, reason: read.reason)
      }
    }
  }

  /// The seed's application role: every parameter under a path, read one by one or by path.
  /// `GetParametersByPath` is authorized on the path itself (and on deeper paths for calls
  /// that start lower), `GetParameter(s)` on each parameter under it.
  mutating func pathGrants(_ path: PolicyGenerator.RuntimePath) -> [PolicyGrant] {
    let base = target.parameterARN(path.path)
    let under = PolicyResource(arn: base + "/*")
    let reason = PolicyReason(
      file: "command line", range: nil, path: nil, detail: "--runtime-path \(path.text)")
    var grants = ["ssm:GetParameter", "ssm:GetParameters"].map {
      PolicyGrant(.readParametersUnderPath(path.path), $0, under, reason: reason)
    }
    grants += [PolicyResource(arn: base), under].map {
      PolicyGrant(.listParametersByPath(path.path), "ssm:GetParametersByPath", $0, reason: reason)
    }
    guard keys.isConfigured else {
      unknownKeys.insert(.parameter)
      return grants
    }
    for key in keys.paths[path.path] ?? [] {
      grants.append(
        PolicyGrant(
          .decryptParametersUnderPath(path.path), "kms:Decrypt", PolicyResource(arn: key.arn),
          conditions: [
            PolicyCondition("StringEquals", "kms:ViaService", [target.viaService("ssm")]),
            PolicyCondition("StringLike", "kms:EncryptionContext:PARAMETER_ARN", [base + "/*"]),
          ], reason: reason))
    }
    return grants
  }

  /// The role `--runtime-path ROLE=…` names: a role of the templates, or one outside them.
  func role(named name: String?, in analyses: [TemplateAnalysis]) -> PolicyRole {
    guard let name else { return PolicyRole(file: nil, kind: .application) }
    for analysis in analyses {
      if let role = analysis.template.resources.first(where: {
        $0.logicalID == name && $0.type == "AWS::IAM::Role"
      }) {
        return PolicyRole(
          file: analysis.template.path, kind: .resource(name), condition: role.condition)
      }
    }
    return PolicyRole(file: nil, kind: .external(name))
  }

  /// One note per kind of entry whose key nobody could tell.
  mutating func reportKeyGaps() {
    guard !unknownKeys.isEmpty else { return }
    let kinds = unknownKeys.map { $0 == .parameter ? "SecureString parameters" : "secrets" }
      .sorted()
      .joined(separator: " and ")
    let message =
      keys.isConfigured
      ? "the store keeps no key metadata for \(kinds): no kms:Decrypt statement is generated for them; one is needed for each customer-managed key"
      : "no store was read (--store): no kms:Decrypt statement is generated for \(kinds); one is needed for each customer-managed key"
    diagnostics.report(Diagnostic(.encryptionKeyUnknown, message))
  }

  private mutating func report(_ code: DiagnosticCode, _ message: String, _ reason: PolicyReason) {
    diagnostics.report(
      Diagnostic(code, message, file: reason.file, range: reason.range, path: reason.path))
  }
}
