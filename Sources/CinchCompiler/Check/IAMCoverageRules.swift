import CinchTemplate

/// The IAM rules `check` adds: a role of the template that a resource reads the store as must
/// allow what the read needs (E6007), and no statement should allow reading every secret or
/// parameter (W6008).
///
/// What a read needs is what `cinch policy --profile consumers` grants for it: the same
/// consumers (`GrantCollector`, from the graph's run-time consumers) and the same actions and
/// ARNs. Two parts of that are left out here: `kms:Decrypt`, which a customer-managed key's own
/// key policy may grant the role without any statement in the template, and
/// `secretsmanager:GetRandomPassword`, which a rotation function needs only if it makes
/// passwords. Everything cinch cannot evaluate counts as possibly allowing the read, so the
/// error is only ever raised when the template shows the read is refused. A role's AWS managed
/// policies count when `AWSManagedPolicies` knows them all; their statements allow reads for
/// E6007 but are not the template's own, so W6008 does not look at them.
///
/// W6008 and reading the policies need no graph: `TemplateRules` runs them while the graph is
/// finished, and E6007 after.
enum IAMCoverageRules {
  /// The policies `template` writes, and its W6008 findings (nil for a template that is not
  /// CloudFormation).
  static func readPolicies(
    _ template: Template, inputs: EvaluationInputs, into diagnostics: inout Diagnostics
  ) -> IAMPolicies? {
    guard template.isCloudFormation else { return nil }
    let policies = IAMPolicyReader.read(template, inputs: inputs)
    checkReadsOnAny(policies, target: PolicyTarget(inputs), into: &diagnostics)
    return policies
  }

  // MARK: E6007

  /// `policies`: what `readPolicies` read from the analysis's template.
  static func checkCoverage(
    _ analysis: TemplateAnalysis, policies: IAMPolicies, inputs: EvaluationInputs,
    into diagnostics: inout Diagnostics
  ) {
    let target = PolicyTarget(inputs)
    var collector = GrantCollector(target: target, keys: .none, pins: nil, inputs: inputs)
    let entryResources = Set(
      analysis.template.resources.filter { entryTypes.contains($0.type ?? "") }.map(\.logicalID))
    for read in collector.reads([analysis], profiles: [.consumers]) {
      guard case .runtime(let role?, _) = read.timing, case .resource(let logicalID) = role.kind,
        let attached = policies.roles[logicalID]
      else { continue }
      // The generator's grants for the read; with no keys given it adds no kms:Decrypt.
      let grants = collector.grants(for: read, profiles: [.consumers]).map(\.1).filter {
        $0.purpose != .generatePasswords
      }
      var missing: [(resource: RequiredResource, actions: [String], denial: IAMStatement?)] = []
      for grant in grants {
        var resource = required(grant.resource, kind: read.kind, target: target)
        resource.entryResources = entryResources
        let verdict = attached.verdict(
          action: grant.action, resource: resource,
          resourcePolicies: read.kind == .secret && policies.hasSecretResourcePolicy)
        // A role with a policy the template does not show may be allowed by it; an explicit
        // Deny it shows, no policy overrides.
        guard verdict.allowed == .no, attached.isComplete || verdict.denial != nil else {
          continue
        }
        if let index = missing.firstIndex(where: {
          $0.resource.description == resource.description
            && ($0.denial == nil) == (verdict.denial == nil)
        }) {
          missing[index].actions.append(grant.action)
        } else {
          missing.append((resource, [grant.action], verdict.denial))
        }
      }
      // Secrets Manager decrypts a secret (under aws/secretsmanager or a customer-managed
      // key) as the caller: whatever a key policy grants, an explicit Deny of kms:Decrypt on
      // every key refuses the read (the validate profile relies on the same).
      if read.kind == .secret {
        let keys = RequiredResource(
          arn: "arn:\(target.partition):kms:\(target.region):\(target.accountID):key/"
            + "00000000-0000-0000-0000-000000000000",
          expression: nil, description: "the secret's KMS key")
        let verdict = attached.verdict(
          action: "kms:Decrypt", resource: keys, resourcePolicies: false)
        if verdict.allowed == .no, verdict.denial != nil {
          missing.append((keys, ["kms:Decrypt"], verdict.denial))
        }
      }
      for gap in missing {
        report(
          gap, read: read, role: logicalID, awsManaged: attached.awsManagedPolicies,
          template: analysis.template, into: &diagnostics)
      }
    }
  }

  private static func report(
    _ gap: (resource: RequiredResource, actions: [String], denial: IAMStatement?),
    read: StoreRead, role: String, awsManaged: [String], template: Template,
    into diagnostics: inout Diagnostics
  ) {
    let reason = read.reason
    let actions = gap.actions.sorted().map { "'\($0)'" }.joined(separator: ", ")
    let reader = reason.path?[1].map { "'\($0)'" } ?? "the resource"
    let consequence =
      "\(reader) reads \(read.kind.rawValue) '\(reason.detail)' as that role when it runs: "
      + "the deploy succeeds and the read fails"
    var notes: [Diagnostic.Note] = []
    let message: String
    if let denial = gap.denial {
      message =
        "role '\(role)' denies \(actions) on '\(gap.resource.description)' in an explicit "
        + "Deny, which no Allow overrides; \(consequence)"
      notes.append(
        Diagnostic.Note(
          "the statement that denies it", file: denial.file,
          range: denial.effectRange ?? denial.range))
    } else {
      message =
        "role '\(role)' does not allow \(actions) on '\(gap.resource.description)'; "
        + consequence
      if let resource = template.resources.first(where: { $0.logicalID == role }) {
        // The AWS managed policies it lists were read too: say so, as the usual mistake is to
        // take one (AmazonECSTaskExecutionRolePolicy) for a grant to read secrets.
        let names = awsManaged.map { "'\($0)'" }.joined(separator: ", ")
        let managed =
          switch awsManaged.count {
          case 0: ""
          case 1: ", nor does AWS managed policy \(names)"
          default: ", nor do AWS managed policies \(names)"
          }
        notes.append(
          Diagnostic.Note(
            "role '\(role)': no statement attached to it allows the read\(managed)",
            file: template.path, range: resource.keyRange))
      }
    }
    diagnostics.report(
      Diagnostic(
        .roleLacksRead, message, file: reason.file, range: reason.range, path: reason.path,
        notes: notes))
  }

  /// The resource a grant names, as a request names it.
  /// The resource types whose `Ref` or `GetAtt` names a store entry of their own (a secret, a
  /// parameter, a database's managed master secret): two of them are two entries. Not a
  /// `SecretTargetAttachment` or `RotationSchedule`, whose `Ref` is the secret they name.
  private static let entryTypes: Set<String> = [
    "AWS::SecretsManager::Secret", "AWS::SSM::Parameter", "AWS::RDS::DBInstance",
    "AWS::RDS::DBCluster", "AWS::Redshift::Cluster", "AWS::DocDB::DBCluster",
  ]

  private static func required(
    _ resource: PolicyResource, kind: StoreEntry.Kind, target: PolicyTarget
  ) -> RequiredResource {
    // A secret the template creates without a name: any of the account's, until deploy.
    RequiredResource(
      arn: resource.arn ?? every(kind, target.partition, target.region, target.accountID),
      expression: resource.expression, description: resource.description)
  }

  /// Every parameter or every secret of an account and region.
  private static func every(
    _ kind: StoreEntry.Kind, _ partition: String, _ region: String, _ account: String
  ) -> String {
    switch kind {
    case .parameter: "arn:\(partition):ssm:\(region):\(account):parameter/*"
    case .secret: "arn:\(partition):secretsmanager:\(region):\(account):secret:*"
    }
  }

  /// Whether a `Resource` value covers every entry of a kind: of the account and region
  /// `check` is told, or of the ones the value names itself (a template that writes its
  /// account's number in its ARNs).
  private static func coversEvery(
    _ kind: StoreEntry.Kind, _ pattern: IAMPattern, target: PolicyTarget
  ) -> Bool {
    var accounts = [(target.partition, target.region, target.accountID)]
    let fields = pattern.description.split(
      separator: ":", maxSplits: 5, omittingEmptySubsequences: false
    ).map(String.init)
    if fields.count == 6, fields[0] == "arn" { accounts.append((fields[1], fields[3], fields[4])) }
    return accounts.contains { account in
      pattern.matches(.resource(every(kind, account.0, account.1, account.2))) == .yes
    }
  }

  // MARK: W6008

  /// The actions that return a secret's or a parameter's value.
  private static let readActions: [(action: String, kind: StoreEntry.Kind)] = [
    ("secretsmanager:GetSecretValue", .secret), ("ssm:GetParameter", .parameter),
    ("ssm:GetParameters", .parameter), ("ssm:GetParametersByPath", .parameter),
    ("ssm:GetParameterHistory", .parameter),
  ]

  /// Statements that allow reading values on every secret or parameter. A statement whose
  /// condition scopes it by resource (a `ResourceTag`, `secretsmanager:SecretId`: attribute-based
  /// access) is left alone, as is one whose actions or resources are not known.
  private static func checkReadsOnAny(
    _ policies: IAMPolicies, target: PolicyTarget, into diagnostics: inout Diagnostics
  ) {
    for statement in policies.statements where statement.effect == .allow {
      guard let actions = statement.actions, let resources = statement.resources,
        !isScopedByResource(statement)
      else { continue }
      let granted = readActions.filter { grants(actions, IAMPattern.action($0.action)) }
      guard !granted.isEmpty else { continue }
      let kinds = Set(granted.map(\.kind))
      if resources.negated {
        // Every entry but those `NotResource` names, unless it names them all.
        let open = kinds.filter { kind in
          !resources.elements.contains { coversEvery(kind, $0.pattern, target: target) }
        }
        guard !open.isEmpty else { continue }
        report(
          granted.filter { open.contains($0.kind) },
          on: "every \(noun(open)) but those 'NotResource' names", reach: "all the others",
          range: resources.range, path: resources.path, statement: statement, into: &diagnostics)
        continue
      }
      for element in resources.elements {
        let covered = kinds.filter { coversEvery($0, element.pattern, target: target) }
        guard !covered.isEmpty else { continue }
        report(
          granted.filter { covered.contains($0.kind) },
          on: "every \(noun(covered)) ('\(element.pattern)')",
          reach: "every one in the account", range: element.range,
          path: element.path, statement: statement, into: &diagnostics)
      }
    }
  }

  /// Whether `Action` (or `NotAction`) certainly takes in `action`, whatever branch is taken.
  private static func grants(_ actions: IAMStatement.Values, _ action: IAMPattern) -> Bool {
    let matched = actions.elements.map { $0.pattern.matches(action) }
    return actions.negated ? matched.allSatisfy { $0 == .no } : matched.contains(.yes)
  }

  private static func isScopedByResource(_ statement: IAMStatement) -> Bool {
    guard statement.hasCondition else { return false }
    guard let keys = statement.conditionKeys else { return true }
    return keys.contains { $0.contains("resourcetag/") || $0 == "secretsmanager:secretid" }
  }

  private static func noun(_ kinds: Set<StoreEntry.Kind>) -> String {
    kinds.count == 2 ? "secret and parameter" : kinds.first == .secret ? "secret" : "parameter"
  }

  private static func report(
    _ granted: [(action: String, kind: StoreEntry.Kind)], on what: String, reach: String,
    range: SourceRange,
    path: TemplatePath, statement: IAMStatement, into diagnostics: inout Diagnostics
  ) {
    var names = granted.filter { $0.kind == .secret }.map(\.action)
    let parameters = granted.filter { $0.kind == .parameter }.map(\.action)
    let everyParameterAction = readActions.filter { $0.kind == .parameter }.count
    names += parameters.count == everyParameterAction ? ["ssm:GetParameter*"] : parameters
    let actions = names.map { "'\($0)'" }.joined(separator: ", ")
    diagnostics.report(
      Diagnostic(
        .readGrantedOnAny,
        "statement allows \(actions) on \(what): whoever holds it reads \(reach); name the "
          + "entries it needs ('cinch policy --profile consumers' writes them)",
        file: statement.file, range: range, path: path))
  }
}

extension PolicyTarget {
  /// The region and account the templates were evaluated for.
  fileprivate init(_ inputs: EvaluationInputs) {
    self.init(region: inputs.region, accountID: inputs.accountID)
  }
}
