/// Folds grants into as few statements as say exactly the same thing. Every step is an exact
/// union, so merging never allows more than the grants did:
/// - grants for the same actions under the same conditions share a statement (resources join);
/// - statements on the same resources under the same conditions join their actions;
/// - statements that differ in the values of one condition key only join those values (a key's
///   values match any of them).
/// A grant under conditions is dropped when the same action on the same resource is granted
/// without any. `collapsePrefixes` then replaces two or more ARNs under one hierarchy level with
/// `level/*`: the one place a generated policy widens what the templates read, and only on request.
enum StatementMerger {
  struct Draft: Hashable {
    var purpose: StatementPurpose
    var actions: Set<String>
    var resources: Set<PolicyResource>
    var conditions: [PolicyCondition]
    var reasons: [PolicyResource: Set<PolicyReason>]
  }

  static func merge(_ grants: [PolicyGrant], collapsePrefixes: Bool = false) -> [PolicyStatement] {
    var drafts = subsume(deduplicate(grants)).map { grant in
      Draft(
        purpose: grant.purpose, actions: [grant.action], resources: [grant.resource],
        conditions: grant.conditions, reasons: [grant.resource: grant.reasons])
    }
    drafts = fold(drafts)
    if collapsePrefixes { drafts = fold(drafts.map(collapse)) }
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

  /// Drops conditional grants that an unconditional grant of the same action and resource
  /// covers, moving their reasons to it.
  private static func subsume(_ grants: [PolicyGrant]) -> [PolicyGrant] {
    var result = grants
    for index in result.indices where !result[index].conditions.isEmpty {
      let grant = result[index]
      if let cover = result.firstIndex(where: {
        $0.conditions.isEmpty && $0.action == grant.action && $0.resource == grant.resource
      }) {
        result[cover].reasons.formUnion(grant.reasons)
        result[index].reasons = []
        result[index].action = ""
      }
    }
    return result.filter { !$0.action.isEmpty }
  }

  /// Applies the three exact unions until none applies.
  static func fold(_ input: [Draft]) -> [Draft] {
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

  private static func union(_ a: Draft, _ b: Draft) -> Draft? {
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

  private static func order(_ a: Draft, _ b: Draft) -> Bool {
    if a.purpose != b.purpose { return a.purpose < b.purpose }
    let ra = a.resources.sorted().map(\.description)
    let rb = b.resources.sorted().map(\.description)
    if ra != rb { return ra.lexicographicallyPrecedes(rb) }
    let ca = a.actions.sorted()
    let cb = b.actions.sorted()
    if ca != cb { return ca.lexicographicallyPrecedes(cb) }
    return a.conditions.lexicographicallyPrecedes(b.conditions)
  }

  /// `Sid`s from purposes, numbered from the second statement of a purpose on. Statements of a
  /// purpose follow the first template line that needs each (key ids are random, so they must
  /// not decide the order).
  private static func name(_ drafts: [Draft]) -> [PolicyStatement] {
    func first(_ draft: Draft) -> PolicyReason? { draft.reasons.values.joined().min() }
    let ordered = drafts.sorted { a, b in
      if a.purpose != b.purpose { return a.purpose < b.purpose }
      switch (first(a), first(b)) {
      case (let x?, let y?) where x != y: return x < y
      default: return order(a, b)
      }
    }
    var used: [String: Int] = [:]
    return ordered.map { draft in
      let base = draft.purpose.sid
      used[base, default: 0] += 1
      let count = used[base] ?? 1
      return PolicyStatement(
        sid: count == 1 ? base : "\(base)\(count)", purpose: draft.purpose,
        actions: draft.actions.sorted(), resources: draft.resources.sorted(),
        conditions: draft.conditions,
        reasons: draft.reasons.mapValues { $0.sorted() })
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
          resource.arn.flatMap { replacements[$0] }.map(PolicyResource.init(arn:)) ?? resource
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
      return PolicyCondition(test, condition.key, values)
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
