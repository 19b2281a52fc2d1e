public import CinchTemplate

/// Derives least-privilege IAM policies from what templates read (DESIGN §9): exact ARNs of the
/// parameters and secrets each reference names, `kms:Decrypt` only for customer-managed keys
/// and only through the reading service for those entries, and each statement with the
/// template lines that need it.
///
/// The generator is a pure function of its inputs: key metadata is looked up beforehand
/// (`keyQueries`, then `EncryptionKeyResolver`), lock pins come in through `LockedPins`.
public enum PolicyGenerator {
  public struct Options: Sendable, Hashable {
    public var profiles: Set<PolicyProfile>
    /// Replace ARNs that share a hierarchy level with `level/*` (never done otherwise).
    public var collapsePrefixes: Bool
    /// Paths application roles read at run time, the seed's `parameter/myapp/prod/*` pattern.
    public var runtimePaths: [RuntimePath]
    /// The consumers' documents become managed policies (`--format cloudformation` writes an
    /// `AWS::IAM::ManagedPolicy` for each), so they are held to 6,144 characters, not to the
    /// 10,240 of a role's inline policies.
    public var consumersAreManaged: Bool
    /// Names the templates build from `AWS::Region` or `AWS::AccountId` are also given with
    /// those pseudo-parameters (`PolicyResource.portableARN`), for output that CloudFormation
    /// substitutes wherever the stack goes. Costs a second evaluation of the templates.
    public var portableNames: Bool

    public init(
      profiles: Set<PolicyProfile> = Set(PolicyProfile.allCases), collapsePrefixes: Bool = false,
      runtimePaths: [RuntimePath] = [], consumersAreManaged: Bool = false,
      portableNames: Bool = false
    ) {
      self.profiles = profiles
      self.collapsePrefixes = collapsePrefixes
      self.runtimePaths = runtimePaths
      self.consumersAreManaged = consumersAreManaged
      self.portableNames = portableNames
    }
  }

  /// `--runtime-path [ROLE=]/myapp/prod/`: a role reads every parameter under a path when it
  /// runs (`GetParameter`, `GetParameters`, `GetParametersByPath`).
  public struct RuntimePath: Sendable, Hashable {
    /// With a leading `/` and no trailing one: `/myapp/prod`.
    public var path: String
    /// A role's logical id in the templates, or a role's name or ARN; nil for "the
    /// application role".
    public var role: String?
    /// As the user wrote it, for explanations.
    public var text: String

    public init(path: String, role: String? = nil) {
      var trimmed = path
      // `/myapp/prod/*` says "everything under the path": the path itself.
      while trimmed.hasSuffix("/*") { trimmed.removeLast() }
      while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed.removeLast() }
      self.path = trimmed
      self.role = role
      self.text = role.map { "\($0)=\(path)" } ?? path
    }

    /// Parses `ROLE=/path/` or `/path/`; nil when the path does not start with `/` (AWS's
    /// `GetParametersByPath` needs it) or holds a wildcard other than a trailing `/*` (it takes
    /// a path, not a pattern).
    public init?(argument: String) {
      let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
      let (role, path) = parts.count == 2 ? (parts[0], parts[1]) : (nil, argument)
      guard path.hasPrefix("/"), role?.isEmpty != true else { return nil }
      self.init(path: path, role: role)
      if self.path.contains(where: { $0 == "*" || $0 == "?" }) { return nil }
    }
  }

  /// The key questions `generate` will ask: look them up (`EncryptionKeyResolver`) first.
  public static func keyQueries(
    for analyses: [TemplateAnalysis], target: PolicyTarget, options: Options,
    pins: (any LockedPins)? = nil
  ) -> EncryptionKeyQueries {
    var queries = EncryptionKeyQueries()
    var collector = GrantCollector(
      target: target, keys: .none, pins: pins,
      inputs: EvaluationInputs(region: target.region, accountID: target.accountID))
    for read in collector.reads(analyses, profiles: options.profiles) {
      if let query = read.keyQuery { queries.entries.insert(query) }
      if let query = read.partialReading?.keyQuery { queries.entries.insert(query) }
    }
    if options.profiles.contains(.consumers) {
      // AWS's public parameters are String parameters: no key to look up (and Parameter
      // Store refuses a query of paths prefixed with "aws").
      queries.paths = Set(
        options.runtimePaths.map(\.path).filter { !PolicyTarget.isPublicParameter($0) })
    }
    return queries
  }

  /// The policy documents: one per profile asked for, and for consumers one per role.
  public static func generate(
    _ analyses: [TemplateAnalysis], target: PolicyTarget, inputs: EvaluationInputs,
    options: Options, keys: EncryptionKeys = .none, pins: (any LockedPins)? = nil,
    into diagnostics: inout Diagnostics
  ) -> PolicySet {
    var collector = GrantCollector(target: target, keys: keys, pins: pins, inputs: inputs)
    collector.conditionsFromReaders = options.consumersAreManaged
    if options.portableNames { collector.portable = PortableNames(analyses, inputs: inputs) }
    let reads = collector.reads(analyses, profiles: options.profiles)
    var grants: [DocumentKey: [PolicyGrant]] = [:]
    for read in reads {
      for (key, grant) in collector.grants(for: read, profiles: options.profiles) {
        grants[key, default: []].append(grant)
      }
    }
    if options.profiles.contains(.consumers) {
      for path in options.runtimePaths {
        let role = collector.role(named: path.role, in: analyses)
        grants[DocumentKey(profile: .consumers, role: role), default: []] += collector.pathGrants(
          path)
      }
    }
    collector.reportKeyGaps()
    diagnostics.append(contentsOf: collector.diagnostics)

    var documents: [PolicyDocument] = []
    for key in grants.keys.sorted() {
      // The consumers' CloudFormation output writes resources that follow the stack.
      let statements = StatementMerger.merge(
        grants[key] ?? [], collapsePrefixes: options.collapsePrefixes,
        followsStack: key.profile == .consumers && options.portableNames)
      guard !statements.isEmpty else { continue }
      documents.append(
        PolicyDocument(profile: key.profile, role: key.role, statements: statements, name: ""))
    }
    let set = PolicySet(documents: named(documents))
    reportOversized(set, consumersAreManaged: options.consumersAreManaged, into: &diagnostics)
    return set
  }

  /// IAM's limits on a policy's length, whitespace not counted: 6,144 characters for a managed
  /// policy, 10,240 for a role's inline policies together
  /// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html). The deploy
  /// and validate documents are managed policies (`aws iam create-policy`); a consumer's is
  /// its role's inline policy.
  static let managedPolicyLimit = 6_144
  static let inlinePoliciesLimit = 10_240

  private static func reportOversized(
    _ set: PolicySet, consumersAreManaged: Bool, into diagnostics: inout Diagnostics
  ) {
    let renderer = PolicyJSONRenderer()
    for document in set.documents {
      guard let size = renderer.policySize(document) else { continue }
      let (limit, kind) =
        document.role == nil || consumersAreManaged
        ? (managedPolicyLimit, "a managed policy")
        : (inlinePoliciesLimit, "a role's inline policies")
      guard size > limit else { continue }
      diagnostics.report(
        Diagnostic(
          .policyTooLarge,
          "the \(document.name) policy is \(size) characters without whitespace; IAM takes at "
            + "most \(limit) for \(kind): use --collapse-prefix or split the templates"))
    }
  }

  /// `deploy`, `validate`, `consumers:<role>`, with the file's name added where two templates
  /// have roles of the same name, and a role named by ARN called by its ARN where a role of the
  /// same name is also in the file (the template's `AppRole` and `arn:…:role/AppRole`).
  private static func named(_ documents: [PolicyDocument]) -> [PolicyDocument] {
    let roleNames = documents.compactMap { $0.role?.name }
    var counts: [String: Int] = [:]
    for name in roleNames { counts[name, default: 0] += 1 }
    var named = documents.map { document in
      var document = document
      switch document.role {
      case nil: document.name = document.profile.rawValue
      case let role?:
        let qualified =
          (counts[role.name] ?? 0) > 1 ? "\(role.file.map(fileStem) ?? "")/\(role.name)" : role.name
        document.name = "consumers:\(qualified)"
      }
      return document
    }
    var nameCounts: [String: Int] = [:]
    for document in named { nameCounts[document.name, default: 0] += 1 }
    for index in named.indices where (nameCounts[named[index].name] ?? 0) > 1 {
      guard let role = named[index].role, case .external(let text) = role.kind, text != role.name
      else { continue }
      named[index].name = "consumers:\(role.file.map(fileStem) ?? "")/\(text)"
    }
    return named
  }

  static func fileStem(_ path: String) -> String {
    let last = path.split(separator: "/").last.map(String.init) ?? path
    guard let dot = last.lastIndex(of: "."), dot != last.startIndex else { return last }
    return String(last[..<dot])
  }
}

/// Which document a grant belongs in.
struct DocumentKey: Sendable, Hashable, Comparable {
  var profile: PolicyProfile
  var role: PolicyRole?

  static func < (lhs: DocumentKey, rhs: DocumentKey) -> Bool {
    if lhs.profile != rhs.profile { return lhs.profile < rhs.profile }
    switch (lhs.role, rhs.role) {
    case (nil, nil): return false
    case (nil, _): return true
    case (_, nil): return false
    case (let a?, let b?): return a < b
    }
  }
}
