import CinchTemplate
import PropertyBased
import Testing
import _CinchTestSupport

@testable import CinchCompiler

/// Merging folds grants into fewer statements but never changes what they allow: for every
/// request (an action, a resource, and a value or none for each condition key), the statements
/// allow it exactly when some grant does.
@Suite struct StatementMergerTests {
  static let seeds = Gen<UInt64>.value(in: .min ... .max)
  static let actions = ["ssm:GetParameters", "ssm:GetParameter", "kms:Decrypt"]
  static let resources = ["arn:r1", "arn:r2", "arn:r3"]
  static let keys = ["k1", "k2"]
  static let values = ["v1", "v2", "v3"]

  /// A small deterministic generator from one seed (SplitMix64).
  struct Random {
    var state: UInt64
    mutating func next(_ bound: Int) -> Int {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return Int((z ^ (z >> 31)) % UInt64(bound))
    }
  }

  static func grants(_ seed: UInt64) -> [PolicyGrant] {
    var random = Random(state: seed)
    let reason = PolicyReason(file: "t.yaml", range: nil, path: nil, detail: "x")
    return (0..<(1 + random.next(8))).map { _ in
      var conditions: [PolicyCondition] = []
      for key in keys where random.next(3) == 0 {
        conditions.append(PolicyCondition("StringEquals", key, [values[random.next(values.count)]]))
      }
      return PolicyGrant(
        random.next(4) == 0 ? .readSecrets : .readParameters, actions[random.next(actions.count)],
        PolicyResource(arn: resources[random.next(resources.count)]), conditions: conditions,
        reason: reason)
    }
  }

  typealias Request = (action: String, resource: String, context: [String: String])

  static var requests: [Request] {
    var result: [Request] = []
    let choices: [String?] = [nil] + values
    for action in actions {
      for resource in resources {
        for first in choices {
          for second in choices {
            var context: [String: String] = [:]
            context["k1"] = first
            context["k2"] = second
            result.append((action, resource, context))
          }
        }
      }
    }
    return result
  }

  static func allows(
    _ actions: [String], _ resources: [String], _ conditions: [PolicyCondition], _ request: Request
  ) -> Bool {
    actions.contains(request.action) && resources.contains(request.resource)
      && conditions.allSatisfy { condition in
        request.context[condition.key].map(condition.values.contains) ?? false
      }
  }

  @Test func mergingAllowsExactlyWhatTheGrantsAllow() {
    seededCheck(Self.seeds, count: 300, seed: (21, 2, 3, 4)) { seed in
      let grants = Self.grants(seed)
      let statements = StatementMerger.merge(grants)
      #expect(statements.count <= grants.count)
      for request in Self.requests {
        let granted = grants.contains {
          Self.allows([$0.action], [$0.resource.arn ?? ""], $0.conditions, request)
        }
        let stated = statements.contains {
          Self.allows($0.actions, $0.resources.compactMap(\.arn), $0.conditions, request)
        }
        #expect(granted == stated, "seed \(seed): \(request)")
      }
    }
  }

  @Test func sidsAreUniqueAndAlphanumeric() {
    seededCheck(Self.seeds, count: 200, seed: (22, 2, 3, 4)) { seed in
      let sids = StatementMerger.merge(Self.grants(seed)).map(\.sid)
      #expect(Set(sids).count == sids.count)
      #expect(sids.allSatisfy { $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) } })
    }
  }

  /// Stages `v-1` and `v1` both make `…AtStageV1`; the second, numbered, was `…AtStageV12`,
  /// the name of stage `v12`'s statement, and IAM refuses a policy with two equal Sids.
  @Test func aNumberedSidNeverTakesAnotherStatementsName() {
    let reason = PolicyReason(file: "t.yaml", range: nil, path: nil, detail: "x")
    let grants = ["v-1", "v1", "v12"].enumerated().map { index, stage in
      PolicyGrant(
        .readSecretsAtStage(stage), "secretsmanager:GetSecretValue",
        PolicyResource(arn: "arn:s\(index)"),
        conditions: [PolicyCondition("StringEquals", "secretsmanager:VersionStage", [stage])],
        reason: reason)
    }
    let sids = StatementMerger.merge(grants).map(\.sid)
    #expect(sids.count == 3)
    #expect(Set(sids).count == 3, "\(sids)")
    #expect(sids.contains("ReadSecretValuesAtStageV12"))
  }

  /// A secret's complete ARN beside `NAME-??????` in one statement (same actions, same
  /// conditions) is already allowed by the pattern: it is dropped, its lines kept by the
  /// pattern. Under other conditions, or kept as written where the pattern follows the stack
  /// (the consumers' CloudFormation output), it is not covered, and stays.
  @Test func anARNAPatternOfTheSameStatementCoversIsDropped() {
    let base = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:app/s2"
    let current = [
      PolicyCondition("StringEqualsIfExists", "secretsmanager:VersionStage", ["AWSCURRENT"]),
      PolicyCondition("Null", "secretsmanager:VersionId", ["true"]),
    ]
    func grant(
      _ arn: String, _ line: Int, written: Bool = false, conditions: [PolicyCondition]? = nil
    ) -> PolicyGrant {
      PolicyGrant(
        .readSecretsAtStage("AWSCURRENT"), "secretsmanager:GetSecretValue",
        PolicyResource(arn: arn, isWritten: written), conditions: conditions ?? current,
        reason: PolicyReason(file: "t.yaml", range: nil, path: nil, detail: "line \(line)"))
    }
    let merged = StatementMerger.merge([
      grant(base + "-??????", 1), grant(base + "-bWIawy", 2),
      grant(base + "x-bWIawy", 3), grant(base + "-bWIawy-1", 4),
    ])
    #expect(merged.count == 1)
    #expect(
      merged.first?.resources.compactMap(\.arn) == [
        base + "-??????", base + "-bWIawy-1", base + "x-bWIawy",
      ])
    let pattern = PolicyResource(arn: base + "-??????")
    #expect(merged.first?.reasons[pattern]?.map(\.detail) == ["line 1", "line 2"])

    // Kept as written, the complete ARN names this region's secret wherever the stack goes,
    // and the pattern the stack's own: both stay in the consumers' CloudFormation output.
    let written = [grant(base + "-??????", 1), grant(base + "-bWIawy", 2, written: true)]
    #expect(StatementMerger.merge(written).first?.resources.count == 1)
    #expect(StatementMerger.merge(written, followsStack: true).first?.resources.count == 2)
    let pinned = StatementMerger.merge([
      grant(base + "-??????", 1),
      grant(
        base + "-bWIawy", 2,
        conditions: [PolicyCondition("StringEquals", "secretsmanager:VersionId", ["v1"])]),
    ])
    #expect(pinned.map(\.resources.count) == [1, 1])
  }

  /// A statement the IAM JSON leaves out (its only resource a key the template creates, named
  /// `!GetAtt Key.Arn`) leaves no gap in the numbers of the Sids that follow: the second of
  /// three statements of one purpose is `…2` in the output, not `…3`.
  @Test func sidsAreNumberedAfterStatementsTheOutputLeavesOut() throws {
    let reason = PolicyReason(file: "t.yaml", range: nil, path: nil, detail: "x")
    let keys: [PolicyResource] = [
      PolicyResource(expression: .getAtt(resource: "Key", attribute: "Arn"), arn: nil),
      PolicyResource(arn: "arn:aws:kms:eu-west-1:123456789012:key/a"),
      PolicyResource(arn: "arn:aws:kms:eu-west-1:123456789012:key/b"),
    ]
    let grants = keys.enumerated().map { index, key in
      PolicyGrant(
        .decryptSecrets, "kms:Decrypt", key,
        conditions: [PolicyCondition("StringEquals", "kms:EncryptionContext:k", ["v\(index)"])],
        reason: reason)
    }
    let statements = StatementMerger.merge(grants)
    #expect(statements.count == 3)
    let document = PolicyDocument(
      profile: .consumers, role: nil, statements: statements, name: "consumers:x")
    let json = PolicyJSONRenderer().render(document)
    #expect(json.contains("\"DecryptSecretsWithCustomerManagedKey\""))
    #expect(json.contains("\"DecryptSecretsWithCustomerManagedKey2\""))
    #expect(!json.contains("Key3"))
    let explanation = PolicyExplanationRenderer(of: .json).render(PolicySet(documents: [document]))
    #expect(explanation.contains("DecryptSecretsWithCustomerManagedKey2:"))
    #expect(!explanation.contains("Key3"))
  }

  /// The fold finds the same statements as the plain fixed-point search it replaced, which
  /// restarted from the first pair after every union (and took 100 s on 10,000 resources).
  @Test func foldMatchesTheSearchFromTheStartAfterEveryUnion() {
    seededCheck(Self.seeds, count: 400, seed: (23, 2, 3, 4)) { seed in
      let drafts = Self.drafts(seed)
      #expect(StatementMerger.fold(drafts) == Self.searchFromTheStart(drafts), "seed \(seed)")
    }
  }

  static func drafts(_ seed: UInt64) -> [StatementMerger.Draft] {
    var random = Random(state: seed)
    func some<T: Hashable>(_ all: [T]) -> Set<T> {
      var chosen = Set(all.filter { _ in random.next(3) == 0 })
      if chosen.isEmpty { chosen.insert(all[random.next(all.count)]) }
      return chosen
    }
    return (0..<(1 + random.next(14))).map { index in
      let resources = Set(some(Self.resources).map { PolicyResource(arn: $0) })
      var conditions: [PolicyCondition] = []
      for key in keys where random.next(3) == 0 {
        conditions.append(PolicyCondition("StringEquals", key, Array(some(values))))
      }
      let reason = PolicyReason(file: "t.yaml", range: nil, path: nil, detail: "\(index)")
      return StatementMerger.Draft(
        purpose: random.next(4) == 0 ? .readSecrets : .readParameters,
        actions: some(Self.actions), resources: resources, conditions: conditions.sorted(),
        reasons: Dictionary(uniqueKeysWithValues: resources.map { ($0, [reason]) }))
    }
  }

  /// The first pair (in sorted order) with a union is merged, then the search starts over.
  static func searchFromTheStart(_ input: [StatementMerger.Draft]) -> [StatementMerger.Draft] {
    typealias Draft = StatementMerger.Draft
    func order(_ a: Draft, _ b: Draft) -> Bool {
      if a.purpose != b.purpose { return a.purpose < b.purpose }
      let ra = a.resources.sorted().map(\.description)
      let rb = b.resources.sorted().map(\.description)
      if ra != rb { return ra.lexicographicallyPrecedes(rb) }
      let ca = a.actions.sorted()
      let cb = b.actions.sorted()
      if ca != cb { return ca.lexicographicallyPrecedes(cb) }
      return a.conditions.lexicographicallyPrecedes(b.conditions)
    }
    func union(_ a: Draft, _ b: Draft) -> Draft? {
      guard a.purpose == b.purpose else { return nil }
      var merged = a
      merged.reasons.merge(b.reasons) { $0.union($1) }
      if a.actions == b.actions && a.conditions == b.conditions {
        merged.resources.formUnion(b.resources)
        return merged
      }
      if a.resources == b.resources && a.conditions == b.conditions {
        merged.actions.formUnion(b.actions)
        return merged
      }
      guard a.actions == b.actions, a.resources == b.resources,
        a.conditions.count == b.conditions.count
      else { return nil }
      var differing: Int?
      for index in a.conditions.indices where a.conditions[index] != b.conditions[index] {
        let (x, y) = (a.conditions[index], b.conditions[index])
        guard differing == nil, x.test == y.test, x.key == y.key else { return nil }
        differing = index
      }
      guard let index = differing else { return merged }
      merged.conditions[index] = PolicyCondition(
        a.conditions[index].test, a.conditions[index].key,
        a.conditions[index].values + b.conditions[index].values)
      merged.conditions.sort()
      return merged
    }
    var drafts = input.sorted(by: order)
    var changed = true
    while changed {
      changed = false
      outer: for i in drafts.indices {
        for j in drafts.indices where j > i {
          guard let merged = union(drafts[i], drafts[j]) else { continue }
          drafts[i] = merged
          drafts.remove(at: j)
          changed = true
          break outer
        }
      }
    }
    return drafts.sorted(by: order)
  }

  @Test func collapsingWidensOnlySharedLevels() {
    let map = StatementMerger.collapsedPrefixes([
      "arn:aws:ssm:eu-west-1:1:parameter/myapp/prod/a",
      "arn:aws:ssm:eu-west-1:1:parameter/myapp/prod/b",
      "arn:aws:ssm:eu-west-1:1:parameter/myapp/dev/a", "arn:aws:ssm:eu-west-1:1:parameter/flat",
      "arn:aws:ssm:eu-west-1:1:parameter/other",
      "arn:aws:secretsmanager:eu-west-1:1:secret:prod/app/db-??????",
      "arn:aws:secretsmanager:eu-west-1:1:secret:prod/app/api-??????",
    ])
    #expect(
      map == [
        "arn:aws:ssm:eu-west-1:1:parameter/myapp/prod/a":
          "arn:aws:ssm:eu-west-1:1:parameter/myapp/prod/*",
        "arn:aws:ssm:eu-west-1:1:parameter/myapp/prod/b":
          "arn:aws:ssm:eu-west-1:1:parameter/myapp/prod/*",
        "arn:aws:secretsmanager:eu-west-1:1:secret:prod/app/db-??????":
          "arn:aws:secretsmanager:eu-west-1:1:secret:prod/app/*",
        "arn:aws:secretsmanager:eu-west-1:1:secret:prod/app/api-??????":
          "arn:aws:secretsmanager:eu-west-1:1:secret:prod/app/*",
      ])
  }
}

@Suite struct PolicyTargetTests {
  @Test func parameterARNsDropTheLeadingSlash() {
    let target = PolicyTarget(region: "eu-west-1", accountID: "123456789012")
    #expect(
      target.parameterARN("/myapp/db") == "arn:aws:ssm:eu-west-1:123456789012:parameter/myapp/db")
    #expect(target.parameterARN("/db") == target.parameterARN("db"))
    #expect(
      target.parameterARN("/aws/service/global-infrastructure/regions")
        == "arn:aws:ssm:eu-west-1::parameter/aws/service/global-infrastructure/regions")
  }

  @Test func partitionsFollowTheRegion() {
    let china = PolicyTarget(region: "cn-north-1", accountID: "123456789012")
    #expect(china.partition == "aws-cn")
    #expect(china.viaService("ssm") == "ssm.cn-north-1.amazonaws.com.cn")
    let gov = PolicyTarget(region: "us-gov-west-1", accountID: "123456789012")
    #expect(
      gov.secretARNPattern("db")
        == "arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:db-??????")
    #expect(gov.viaService("secretsmanager") == "secretsmanager.us-gov-west-1.amazonaws.com")
    let other = PolicyTarget(
      region: "eusc-de-east-1", accountID: "123456789012", partition: "aws-eusc")
    #expect(other.parameterARN("/a") == "arn:aws-eusc:ssm:eusc-de-east-1:123456789012:parameter/a")
  }

  @Test func runtimePathArguments() {
    #expect(PolicyGenerator.RuntimePath(argument: "Role=/myapp/prod/")?.path == "/myapp/prod")
    #expect(PolicyGenerator.RuntimePath(argument: "Role=/myapp/prod/")?.role == "Role")
    #expect(PolicyGenerator.RuntimePath(argument: "/myapp/prod")?.role == nil)
    #expect(PolicyGenerator.RuntimePath(argument: "myapp/prod") == nil)
    #expect(PolicyGenerator.RuntimePath(argument: "=/myapp") == nil)
  }
}

/// A condition's values that stand, outside the template, for what its expressions name stay
/// out of the template's own policy when conditions merge; the other side's stay in.
@Suite struct ConditionTemplateValuesTests {
  @Test func mergingKeepsWhatEachSideWritesInTheTemplate() {
    var created = PolicyCondition(
      "StringLike", "kms:EncryptionContext:SecretARN", ["arn:x:secret:prod/a-??????"],
      expressions: [.ref("SecretA")])
    created.templateValues = []
    let stored = PolicyCondition(
      "StringLike", "kms:EncryptionContext:SecretARN", ["arn:x:secret:shared-??????"])
    let merged = created.adding(stored)
    #expect(merged.values == ["arn:x:secret:prod/a-??????", "arn:x:secret:shared-??????"])
    #expect(merged.templateValues == ["arn:x:secret:shared-??????"])
    #expect(merged.expressions == [.ref("SecretA")])
    #expect(stored.adding(stored).templateValues == nil)
  }
}
