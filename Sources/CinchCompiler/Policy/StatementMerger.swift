/// Folds grants into as few statements as say exactly the same thing. Every step is an exact
/// union, so merging never allows more than the grants did:
/// - grants for the same actions under the same conditions share a statement (resources join);
/// - statements on the same resources under the same conditions join their actions;
/// - statements that differ in the values of one condition key only join those values (a key's
///   values match any of them).
/// A grant is dropped when the same action on the same resource is granted under a part of its
/// conditions (or none). `collapsePrefixes` then replaces two or more ARNs under one hierarchy level with
/// `level/*`: the one place a generated policy widens what the templates read, and only on request.
enum StatementMerger {
  struct Draft: Hashable {
    var purpose: StatementPurpose
    var actions: Set<String>
    var resources: Set<PolicyResource>
    var conditions: [PolicyCondition]
    var reasons: [PolicyResource: Set<PolicyReason>]
  }

  /// `followsStack`: the statements are written into the template with their resources
  /// following the stack (the consumers' CloudFormation output), where an ARN kept as written
  /// and a pattern made from a name differ wherever the stack goes; elsewhere both are the ARNs
  /// they read.
  static func merge(
    _ grants: [PolicyGrant], collapsePrefixes: Bool = false, followsStack: Bool = false
  ) -> [PolicyStatement] {
    var drafts = subsume(deduplicate(grants)).map { grant in
      Draft(
        purpose: grant.purpose, actions: [grant.action], resources: [grant.resource],
        conditions: grant.conditions, reasons: [grant.resource: grant.reasons])
    }
    drafts = fold(drafts)
    if collapsePrefixes { drafts = fold(drafts.map(collapse)) }
    // Dropping a covered resource can make two statements' resources the same.
    var covered = false
    drafts = drafts.map { draft in
      let kept = withoutCoveredResources(draft, followsStack: followsStack)
      if kept.resources.count != draft.resources.count { covered = true }
      return kept
    }
    if covered { drafts = fold(drafts) }
    return name(drafts)
  }

  private static func deduplicate(_ grants: [PolicyGrant]) -> [PolicyGrant] {
    var byKey: [PolicyGrant: Set<PolicyReason>] = [:]
    var order: [PolicyGrant] = []
    for grant in grants {
      var key = grant
      key.reasons = []
      if byKey[key] == nil { order.append(key) }
      byKey[key, default: []].formUnion(grant.reasons)
    }
    return order.map { key in
      var grant = key
      grant.reasons = byKey[key] ?? []
      return grant
    }
  }

  /// Drops grants that another grant of the same action and resource covers: one whose
  /// conditions are a part of theirs (conditions are all required, so fewer allow more), as an
  /// unconditional read covers a conditional one, or a key's decryption for a secret covers its
  /// decryption for one version of it (`kms:EncryptionContext:SecretVersionId`). Their reasons
  /// move to the grant that covers them.
  private static func subsume(_ grants: [PolicyGrant]) -> [PolicyGrant] {
    struct Cover: Hashable {
      var action: String
      var resource: PolicyResource
    }
    var groups: [Cover: [Int]] = [:]
    for (index, grant) in grants.enumerated() {
      groups[Cover(action: grant.action, resource: grant.resource), default: []].append(index)
    }
    var result = grants
    for indices in groups.values where indices.count > 1 {
      // The broadest first, so each grant meets its widest cover (in the grants' order among
      // equals, so the result does not depend on the dictionary's).
      let ordered = indices.sorted {
        (grants[$0].conditions.count, $0) < (grants[$1].conditions.count, $1)
      }
      var kept: [Int] = []
      for index in ordered {
        let conditions = Set(grants[index].conditions)
        if let cover = kept.first(where: { Set(grants[$0].conditions).isSubset(of: conditions) }) {
          result[cover].reasons.formUnion(result[index].reasons)
          result[index].action = ""
        } else {
          kept.append(index)
        }
      }
    }
    return result.filter { !$0.action.isEmpty }
  }

  /// Applies the three exact unions until none applies, always to the first pair that has one
  /// (in the drafts' sorted order: first by the earlier draft, then by the later), so the
  /// result does not depend on how the grants arrived.
  ///
  /// Found without restarting the search after each union: drafts before `settled` are known
  /// to have no partner, and a union changes one draft only, so only that draft's pairs need
  /// looking at again (its pairs with earlier drafts first, as they come first). A union costs
  /// a look at one draft's pairs, not a new search of all of them: the search from the start
  /// after every union took 100 s on the 10,000-resource benchmark template (2 s now).
  static func fold(_ input: [Draft]) -> [Draft] {
    var drafts = sortedInOrder(input)
    var settled = 0
    while settled < drafts.count {
      var row = settled
      var changed = false
      while true {
        if changed, let (earlier, how) = firstUnion(drafts, in: 0..<row, with: row) {
          let moved = drafts.remove(at: row)
          if row < settled { settled -= 1 }
          absorb(moved, into: &drafts[earlier], by: how)
          row = earlier
          continue
        }
        guard let (later, how) = firstUnion(drafts, in: (row + 1)..<drafts.count, with: row)
        else { break }
        let moved = drafts.remove(at: later)
        if later < settled { settled -= 1 }
        absorb(moved, into: &drafts[row], by: how)
        changed = true
      }
      if row == settled { settled += 1 }
    }
    return sortedInOrder(drafts)
  }

  /// The first draft in `range` that has a union with `drafts[row]`, and that union (the
  /// earlier draft of the pair first, as `absorb` takes them).
  private static func firstUnion(_ drafts: [Draft], in range: Range<Int>, with row: Int)
    -> (index: Int, how: Union)?
  {
    for index in range {
      let how = index < row ? union(drafts[index], drafts[row]) : union(drafts[row], drafts[index])
      if let how { return (index, how) }
    }
    return nil
  }

  /// Which exact union two drafts have, if any.
  enum Union: Equatable {
    /// Same actions under the same conditions: the resources join.
    case resources
    /// Same resources under the same conditions: the actions join.
    case actions
    /// Same actions and resources; the conditions differ in the values of one key.
    case conditionValues(at: Int)
  }

  static func union(_ a: Draft, _ b: Draft) -> Union? {
    guard a.purpose == b.purpose else { return nil }
    let sameActions = a.actions == b.actions
    let sameConditions = a.conditions == b.conditions
    if sameActions && sameConditions { return .resources }
    let sameResources = a.resources == b.resources
    if sameResources && sameConditions { return .actions }
    guard sameActions, sameResources, a.conditions.count == b.conditions.count else { return nil }
    var differing: Int?
    for index in a.conditions.indices where a.conditions[index] != b.conditions[index] {
      let (x, y) = (a.conditions[index], b.conditions[index])
      guard differing == nil, x.test == y.test, x.key == y.key else { return nil }
      differing = index
    }
    return differing.map { .conditionValues(at: $0) } ?? .resources
  }

  /// Folds `other` into `draft` by the union `union(draft, other)` found; in place, so that
  /// the merged draft's sets are not copied.
  private static func absorb(_ other: Draft, into draft: inout Draft, by how: Union) {
    draft.reasons.merge(other.reasons) { $0.union($1) }
    switch how {
    case .resources:
      draft.resources.formUnion(other.resources)
    case .actions:
      draft.actions.formUnion(other.actions)
    case .conditionValues(let index):
      draft.conditions[index] = draft.conditions[index].adding(other.conditions[index])
      draft.conditions.sort()
    }
  }

  /// Drafts by purpose, then resources, actions and conditions, each draft's key built once.
  private static func sortedInOrder(_ drafts: [Draft]) -> [Draft] {
    drafts.map { (key: OrderKey($0), draft: $0) }.sorted { $0.key < $1.key }.map(\.draft)
  }

  private struct OrderKey: Comparable {
    var purpose: StatementPurpose
    var resources: [String]
    var actions: [String]
    var conditions: [PolicyCondition]

    init(_ draft: Draft) {
      purpose = draft.purpose
      resources = draft.resources.sorted().map(\.description)
      actions = draft.actions.sorted()
      conditions = draft.conditions
    }

    static func < (a: OrderKey, b: OrderKey) -> Bool {
      if a.purpose != b.purpose { return a.purpose < b.purpose }
      if a.resources != b.resources { return a.resources.lexicographicallyPrecedes(b.resources) }
      if a.actions != b.actions { return a.actions.lexicographicallyPrecedes(b.actions) }
      return a.conditions.lexicographicallyPrecedes(b.conditions)
    }
  }

  // MARK: Covered resources

  /// The draft without the resources another of its resources already matches as a pattern
  /// (`…:secret:app/db-bWIawy` beside `…:secret:app/db-??????`): a statement grants its
  /// actions on each resource under all its conditions, so the pattern allows every request the
  /// exact ARN does. The covered resource's lines go to the pattern. Where the resources
  /// follow the stack (`followsStack`), only between resources written alike (both as the
  /// template has them, or both following the stack with patterns that still cover): there a
  /// kept-as-written ARN and a pattern that moves with the stack name different resources.
  static func withoutCoveredResources(_ draft: Draft, followsStack: Bool = false) -> Draft {
    let patterns = draft.resources.filter { resource in
      resource.expression == nil && resource.arn.map(isPattern) == true
    }
    guard !patterns.isEmpty, draft.resources.count > 1 else { return draft }
    // Secrets Manager's `NAME-??????` is nearly every pattern: found by the text the exact ARN
    // has with its last six characters as `?`, so a statement of thousands of secrets is not
    // a product of them; `--collapse-prefix`'s few `level/*` are matched one by one.
    var bySuffixPattern: [String: [PolicyResource]] = [:]
    var others: [PolicyResource] = []
    for pattern in patterns {
      guard let arn = pattern.arn else { continue }
      let stem = arn.dropLast(secretSuffixPattern.count)
      if arn.hasSuffix(secretSuffixPattern), !isPattern(String(stem)) {
        bySuffixPattern[arn, default: []].append(pattern)
      } else {
        others.append(pattern)
      }
    }
    var result = draft
    for resource in draft.resources.sorted() {
      guard resource.expression == nil, let arn = resource.arn, !arn.contains("*") else {
        continue
      }
      var candidates = others
      if arn.count >= secretSuffixPattern.count {
        candidates +=
          bySuffixPattern[arn.dropLast(secretSuffixPattern.count) + secretSuffixPattern]
          ?? []
      }
      // A pattern dropped already (covered by a wider one) covers nothing any more.
      guard
        let cover = candidates.first(where: {
          $0 != resource && result.resources.contains($0)
            && covers($0, resource, followsStack: followsStack)
        })
      else { continue }
      result.resources.remove(resource)
      if let reasons = result.reasons.removeValue(forKey: resource) {
        result.reasons[cover, default: []].formUnion(reasons)
      }
    }
    return result
  }

  private static let secretSuffixPattern = "??????"

  private static func isPattern(_ text: String) -> Bool {
    text.contains { $0 == "*" || $0 == "?" }
  }

  /// Whether `pattern` allows every request `resource` does, wherever the stack goes when the
  /// resources follow it.
  private static func covers(
    _ pattern: PolicyResource, _ resource: PolicyResource, followsStack: Bool
  ) -> Bool {
    guard let wildcard = pattern.arn, let arn = resource.arn, matches(wildcard, arn) else {
      return false
    }
    guard followsStack else { return true }
    guard pattern.isWritten == resource.isWritten else { return false }
    switch (pattern.portableARN, resource.portableARN) {
    case (nil, nil): return true
    case (let wildcard?, let arn?): return !arn.contains("*") && matches(wildcard, arn)
    default: return false
    }
  }

  /// IAM's matching of a resource pattern: `*` any run of characters, `?` any one
  /// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html).
  /// A `?` of `text` is a character like another: `a-?` is within `a-?` and `a-*`.
  static func matches(_ pattern: String, _ text: String) -> Bool {
    let p = Array(pattern.utf8)
    let t = Array(text.utf8)
    var (i, j) = (0, 0)
    var star: Int?
    var resume = 0
    while j < t.count {
      if i < p.count, p[i] == UInt8(ascii: "?") || p[i] == t[j] {
        i += 1
        j += 1
      } else if i < p.count, p[i] == UInt8(ascii: "*") {
        star = i
        resume = j
        i += 1
      } else if let at = star {
        i = at + 1
        resume += 1
        j = resume
      } else {
        return false
      }
    }
    while i < p.count, p[i] == UInt8(ascii: "*") { i += 1 }
    return i == p.count
  }

  /// `Sid`s from purposes, numbered from the second statement of a purpose on. Statements of a
  /// purpose follow the first template line that needs each (key ids are random, so they must
  /// not decide the order).
  private static func name(_ drafts: [Draft]) -> [PolicyStatement] {
    let keyed = drafts.map { draft in
      (first: draft.reasons.values.joined().min(), key: OrderKey(draft), draft: draft)
    }
    let ordered = keyed.sorted { a, b in
      if a.key.purpose != b.key.purpose { return a.key.purpose < b.key.purpose }
      switch (a.first, b.first) {
      case (let x?, let y?) where x != y: return x < y
      default: return a.key < b.key
      }
    }.map(\.draft)
    return zip(ordered, sids(ordered.map(\.purpose))).map { draft, sid in
      PolicyStatement(
        sid: sid, purpose: draft.purpose,
        actions: draft.actions.sorted(), resources: draft.resources.sorted(),
        conditions: draft.conditions,
        reasons: draft.reasons.mapValues { $0.sorted() })
    }
  }

  /// The `Sid`s of statements of these purposes, in order: each purpose's name, numbered from
  /// its second statement on. A number never makes another statement's own name: `…StageV1`
  /// numbered is not `…StageV12` when a stage `v12` has that name (IAM refuses a policy with
  /// two equal Sids).
  static func sids(_ purposes: [StatementPurpose]) -> [String] {
    let bases = Set(purposes.map(\.sid))
    var taken: Set<String> = []
    return purposes.map { purpose in
      let base = purpose.sid
      var sid = base
      var count = 1
      while taken.contains(sid) || (count > 1 && bases.contains(sid)) {
        count += 1
        sid = "\(base)\(count)"
      }
      taken.insert(sid)
      return sid
    }
  }

  // MARK: Prefixes

  /// Replaces ARNs that share a hierarchy level (two or more of them) with `level/*`, in the
  /// resources and in encryption-context conditions.
  private static func collapse(_ draft: Draft) -> Draft {
    var result = draft
    let arns = draft.resources.compactMap { $0.expression == nil ? $0.arn : nil }
    let replacements = collapsedPrefixes(arns)
    if !replacements.isEmpty {
      var resources: Set<PolicyResource> = []
      var reasons: [PolicyResource: Set<PolicyReason>] = [:]
      for resource in draft.resources {
        let replaced =
          resource.arn.flatMap { replacements[$0] }.map { PolicyResource(arn: $0) } ?? resource
        resources.insert(replaced)
        reasons[replaced, default: []].formUnion(draft.reasons[resource] ?? [])
      }
      result.resources = resources
      result.reasons = reasons
    }
    result.conditions = draft.conditions.map { condition in
      guard condition.key.hasPrefix("kms:EncryptionContext:") else { return condition }
      let map = collapsedPrefixes(condition.values)
      guard !map.isEmpty else { return condition }
      let values = condition.values.map { map[$0] ?? $0 }
      let test = condition.test == "StringEquals" ? "StringLike" : condition.test
      return PolicyCondition(test, condition.key, values, expressions: condition.expressions)
    }.sorted()
    return result
  }

  /// For each ARN under a hierarchy level shared with another ARN, that level with `*`:
  /// `…:parameter/myapp/prod/db-host` and `…:parameter/myapp/prod/db-port` →
  /// `…:parameter/myapp/prod/*`; `…:secret:prod/app/db-??????` → `…:secret:prod/app/*`.
  static func collapsedPrefixes(_ arns: [String]) -> [String: String] {
    var groups: [String: Set<String>] = [:]
    for arn in arns {
      guard let level = level(of: arn) else { continue }
      groups[level, default: []].insert(arn)
    }
    var map: [String: String] = [:]
    for (level, members) in groups where members.count > 1 {
      for member in members { map[member] = level + "*" }
    }
    return map
  }

  /// The ARN up to and including the last `/` of its name, when the name has a hierarchy.
  private static func level(of arn: String) -> String? {
    let fields = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
    guard fields.count == 6, fields[0] == "arn" else { return nil }
    let resource = fields[5]
    let name: Substring
    switch fields[2] {
    case "ssm":
      guard resource.hasPrefix("parameter/") else { return nil }
      name = resource.dropFirst("parameter/".count)
    case "secretsmanager":
      guard resource.hasPrefix("secret:") else { return nil }
      name = resource.dropFirst("secret:".count)
    default:
      return nil
    }
    guard let slash = name.lastIndex(of: "/") else { return nil }
    let prefix =
      fields[0...4].joined(separator: ":") + ":" + resource[..<resource.index(after: slash)]
    return String(prefix)
  }
}
