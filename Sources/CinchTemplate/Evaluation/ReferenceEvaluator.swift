import CinchPartitions

/// Turns the references the finder located into what a deploy would read: `${…}` variables of
/// `Fn::Sub` strings and `Fn::Join` pieces folded with the evaluator, references in untaken
/// branches set aside, and the reads of `AWS::SSM::Parameter::Value<…>` parameters added.
public enum ReferenceEvaluator {
  /// A `secretsmanager` reference in `Outputs`: CloudFormation returns its literal text
  /// (`W2026`; cloudformation-coverage-roadmap#689), so a deploy reads nothing for it.
  /// Also a reference where CloudFormation resolves none and deploys the text as written: in
  /// a resource attribute (`DeletionPolicy`, `Type`: E2038; `DependsOn`, `Condition`: E2027) or
  /// in `AWS::CloudFormation::Init` metadata (E2021), in a loop's body too. Nothing is read for
  /// it, locked for it or granted for it; nor for one CloudFormation leaves unresolved where
  /// it sits (`UnresolvedPlacement`: E2022, E2027, E2039).
  static func isReturnedAsText(_ site: ReferenceSite) -> Bool {
    let path = site.path.components
    if site.reference.kind == .secretsManager && path.first == "Outputs" { return true }
    // Past the loops (`Fn::ForEach::Name`, the body's index) to the logical id.
    guard path.first == "Resources", let position = Template.logicalIDPosition(in: path),
      position + 1 < path.count
    else { return false }
    let attribute = position + 1
    return PlacementChecker.resourceAttributes.contains(path[attribute])
      || path[attribute] == "DependsOn" || path[attribute] == "Condition"
      || (path[attribute] == "Metadata" && attribute + 1 < path.count
        && path[attribute + 1] == "AWS::CloudFormation::Init")
  }

  /// A reference in the variable map of an `Fn::Sub` whose string never names that variable
  /// (`!Sub ['plain', {V: '{{resolve:…}}'}]`): the result holds no trace of it, so nothing is
  /// read for it.
  static func isUnusedSubVariable(_ site: ReferenceSite, _ template: Template) -> Bool {
    let syntax = site.syntaxPath.components
    // Only a site in a variable map (`Fn::Sub`, `1`, the variable, …) walks the template.
    guard
      syntax.indices.dropLast(2).contains(where: {
        syntax[$0] == "Fn::Sub" && syntax[$0 + 1] == "1"
      })
    else { return false }
    let chain = template.nodes(along: site.syntaxPath)
    for (index, node) in chain.enumerated().reversed() {
      guard let intrinsic = node.intrinsic, intrinsic.function == .sub, index + 2 < syntax.count,
        syntax[index + 1] == "1"
      else { continue }
      guard let string = intrinsic.argument.sequence?.first?.scalar else { return false }
      return !SubTemplate(string).variables.contains(syntax[index + 2])
    }
    return false
  }

  /// A reference in a parameter's `Default` when a value is given for the parameter: the
  /// deploy takes the value, and never reads the default's reference.
  static func isOverriddenDefault(_ site: ReferenceSite, _ inputs: EvaluationInputs) -> Bool {
    let components = site.path.components
    return components.count >= 3 && components[0] == "Parameters" && components[2] == "Default"
      && inputs.parameters[components[1]] != nil
  }

  public static func evaluate(
    _ sites: [ReferenceSite], in template: Template, evaluator: inout Evaluator,
    into diagnostics: inout Diagnostics
  ) -> [EvaluatedReference] {
    var results: [EvaluatedReference] = []
    results.reserveCapacity(sites.count)
    // A `Fn::Join` that assembles several references has a site for each, in order.
    var joinSites: [TemplatePath: (count: Int, seen: Int)] = [:]
    for site in sites {
      if case .join = site.context { joinSites[site.syntaxPath, default: (0, 0)].count += 1 }
    }
    // The references of one scalar, in order: which piece of an `Fn::Split` each is in.
    var ordinals: [TemplatePath: Int] = [:]
    let noEcho = Set(template.parameters.lazy.filter(\.noEcho).map(\.name))
    // The inputs whose flow into a composed name matters: NoEcho parameters, and
    // pseudo-parameters whose value is only a default.
    let watched = !noEcho.isEmpty || !evaluator.inputs.assumed.isEmpty
    var defaults = DefaultedConditions(template: template, inputs: evaluator.inputs)
    // `Fn::ForEach` exists only under `AWS::LanguageExtensions`: other templates skip the
    // look along each site's path.
    let mayLoop = template.transforms.contains("AWS::LanguageExtensions")
    for site in sites {
      let before = results.count
      defer {
        if mayLoop { readLoopVariables(&results[before...], template, into: &diagnostics) }
      }
      // Counted only where it matters (a literal string an `Fn::Split` splits): hashing every
      // site's path cost check ~4 ms on 500 resources.
      var ordinal = 0
      if case .literal = site.context, Evaluator.mayBeSplitString(site.syntaxPath) {
        ordinal = ordinals[site.syntaxPath, default: 0]
        ordinals[site.syntaxPath] = ordinal + 1
      }
      guard evaluator.isLive(site.syntaxPath, into: &diagnostics),
        !evaluator.isUnpickedSplitPiece(site, ordinal: ordinal, into: &diagnostics)
      else {
        if !Self.isReturnedAsText(site) {
          defaults.reportIfLeftOutByDefault(site, into: &diagnostics)
        }
        results.append(EvaluatedReference(site: site, state: .inactive))
        continue
      }
      guard !Self.isReturnedAsText(site), !Self.isOverriddenDefault(site, evaluator.inputs),
        UnresolvedPlacement.of(site, in: template) == nil, !Self.isUnusedSubVariable(site, template)
      else {
        results.append(EvaluatedReference(site: site, state: .inactive))
        continue
      }
      // A loop's identifier in the text: a name per iteration, which `readLoopVariables` says.
      if !site.loopIdentifiers.isEmpty {
        var waits: [Dependency] = []
        for name in site.loopIdentifiers where !waits.contains(.resource(name)) {
          waits.append(.resource(name))
        }
        results.append(EvaluatedReference(site: site, state: .waiting(on: waits)))
        continue
      }
      switch site.context {
      case .literal, .parameterType:
        results.append(EvaluatedReference(site: site, state: .concrete(site.reference)))
      case .sub:
        let chain = template.nodes(along: site.syntaxPath)
        // The reference's own text, its `${…}` variables and the Sub's map that gives them.
        let text = SubTemplate(site.reference.text)
        let variables = subVariables(chain)
        var inputs: [String] = []
        if watched { ValueInputs.collect(text, variables: variables, into: &inputs) }
        if let secret = inputs.first(where: noEcho.contains) {
          results.append(notRead(site, buildingOn: secret, into: &diagnostics))
          continue
        }
        let anchor =
          chain.last ?? Node(.scalar(site.reference.text), style: .plain, range: site.range)
        let value = evaluator.substitute(
          text, variables: variables, at: anchor, into: &diagnostics)
        let scope = chain.last(where: { $0.intrinsic?.function == .sub })?.range ?? anchor.range
        let settled = settle(site, value, scope: scope, into: &diagnostics)
        reportAssumed(settled, inputs, evaluator.inputs, into: &diagnostics)
        results.append(contentsOf: settled)
      case .join:
        let chain = template.nodes(along: site.syntaxPath)
        guard let join = chain.last(where: { $0.intrinsic?.function == .join }) else {
          results.append(EvaluatedReference(site: site, state: .invalid))
          continue
        }
        let order = joinSites[site.syntaxPath] ?? (1, 0)
        joinSites[site.syntaxPath]?.seen += 1
        let inputs = watched ? joinInputs(site, in: template) : []
        if let secret = inputs.first(where: noEcho.contains) {
          results.append(notRead(site, buildingOn: secret, into: &diagnostics))
          continue
        }
        let value = evaluator.evaluate(join, into: &diagnostics)
        let ownSpans = composedSpans(of: join, value: value, evaluator: &evaluator)
        let settled = settle(site, value, scope: join.range, into: &diagnostics) { found in
          // Only what the join composes: a reference inside one literal piece has a site of
          // its own. With as many composed references as sites, each site reads its own.
          let composed = found.filter { ownSpans($0.span) }
          return composed.count == order.count ? [composed[order.seen]] : composed
        }
        reportAssumed(settled, inputs, evaluator.inputs, into: &diagnostics)
        results.append(contentsOf: settled)
      }
    }
    readCreatedSecrets(&results, template, evaluator: &evaluator)
    return results
  }

  /// A `secretsmanager` reference by the name of a secret the template itself creates (an
  /// `AWS::SecretsManager::Secret` with that `Name`, deployed) reads the stack's own secret.
  /// CloudFormation resolves a `secretsmanager` reference when it creates or updates the
  /// resource holding it, so after the secret (`DependsOn`): the secret need not exist before
  /// the deploy, and is neither checked nor pinned. It waits on that resource, as
  /// `{{resolve:secretsmanager:${Secret}}}` does. (An `ssm` reference is resolved when the
  /// change set is made, before any resource: a parameter the stack creates is still read.)
  /// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references-secretsmanager.html
  private static func readCreatedSecrets(
    _ results: inout [EvaluatedReference], _ template: Template, evaluator: inout Evaluator
  ) {
    let secrets = template.resources.filter {
      $0.type == "AWS::SecretsManager::Secret" && $0.properties?["Name"] != nil
    }
    guard !secrets.isEmpty,
      results.contains(where: { $0.concrete?.kind == .secretsManager })
    else { return }
    var scratch = Diagnostics()
    var created: [String: String] = [:]
    for secret in secrets {
      if let condition = secret.condition,
        evaluator.conditionValue(condition, into: &scratch) == false
      {
        continue
      }
      if let name = secret.createdName(&evaluator, into: &scratch), created[name] == nil {
        created[name] = secret.logicalID
      }
    }
    for index in results.indices {
      guard let reference = results[index].concrete, reference.kind == .secretsManager,
        let logicalID = created[reference.name]
      else { continue }
      results[index].state = .waiting(on: [.resource(logicalID)])
    }
  }

  /// What cannot be read in the deploy's region: "In the cn-north-1 and cn-northwest-1
  /// regions, secure strings aren't supported by Systems Manager"
  /// (dynamic-references-ssm-secure-strings.html), so an `ssm-secure` reference read there
  /// fails the deploy; and a secret whose ARN names another partition, which shares no
  /// credentials, services or resources with the region's (said only for a region given, not
  /// for the default).
  public static func reportRegionalLimits(
    _ references: [EvaluatedReference], inputs: EvaluationInputs,
    into diagnostics: inout Diagnostics
  ) {
    let region = inputs.region
    let regionGiven = !inputs.assumed.contains("AWS::Region")
    let partition = Partition.of(region: region).name
    for reference in references {
      guard let concrete = reference.concrete else { continue }
      let site = reference.site
      if region.hasPrefix("cn-"), site.reference.kind == .ssmSecure {
        diagnostics.report(
          Diagnostic(
            .ssmSecurePlacement,
            "'ssm-secure' cannot be read in \(region): Systems Manager has no SecureString "
              + "parameters in the China Regions (use 'secretsmanager')",
            file: site.file, range: site.range, path: site.path))
      }
      if regionGiven, concrete.isARN,
        case let fields = concrete.name.split(separator: ":", maxSplits: 2), fields.count == 3,
        fields[1] != partition
      {
        diagnostics.report(
          Diagnostic(
            .invalidSecretARN,
            "secret ARN is in partition '\(fields[1])', but the stack deploys to \(region) "
              + "(partition '\(partition)'): a stack reads secrets of its own partition only",
            file: site.file, range: site.range, path: site.path))
      }
    }
  }

  /// A name composed from a NoEcho parameter would carry its value into everything that
  /// shows or records the name (`refs`, the lockfile, the plan, the graph, a diagnostic about
  /// the evaluated text): such a reference is reported (E2035, naming the parameter, never the
  /// value) and neither evaluated nor read, whether the parameter has a value yet or not.
  private static func notRead(
    _ site: ReferenceSite, buildingOn parameter: String, into diagnostics: inout Diagnostics
  ) -> EvaluatedReference {
    diagnostics.report(
      Diagnostic(
        .noEchoInReference,
        "reference '\(site.reference.text)' builds its name from NoEcho parameter "
          + "'\(parameter)': its value would be shown and locked with the name",
        file: site.file, range: site.range, path: site.path))
    return EvaluatedReference(site: site, state: .invalid)
  }

  /// A name that cannot be built is never read, so it must not pass in silence: when nothing
  /// in the `Fn::Sub` or `Fn::Join` that builds it was reported (a dangling `Ref`, a list where
  /// a string belongs, …), the reference is, with the evaluator's reason.
  private static func reportUnevaluated(
    _ site: ReferenceSite, _ value: Value, scope: SourceRange, into diagnostics: inout Diagnostics
  ) {
    let explained = diagnostics.items.contains { existing in
      existing.severity == .error && existing.file == site.file
        && existing.range.map { scope.bytes.contains($0.start.offset) } == true
    }
    guard !explained else { return }
    diagnostics.report(
      Diagnostic(
        .malformedIntrinsic,
        "reference '\(site.reference.text)' cannot be evaluated: \(value.invalidReason)",
        file: site.file, range: site.range, path: site.path))
  }

  /// A name built with a pseudo-parameter that was not given (the region, the account) is
  /// read with the default, which the deploy may not use: reported with the option that gives it.
  private static func reportAssumed(
    _ references: [EvaluatedReference], _ inputs: [String], _ given: EvaluationInputs,
    into diagnostics: inout Diagnostics
  ) {
    // The partition and URL suffix follow the region: an assumed region assumes them too.
    guard !given.assumed.isEmpty, let pseudo = inputs.first(where: given.isAssumed),
      let reference = references.first(where: { $0.concrete != nil }),
      let concrete = reference.concrete
    else { return }
    let (value, option) =
      switch pseudo {
      case "AWS::Region": (given.region, "--region (or AWS_REGION)")
      case "AWS::Partition": (given.partition, "--region (or AWS_REGION)")
      case "AWS::URLSuffix": (given.urlSuffix, "--region (or AWS_REGION)")
      default: (given.accountID, "--account-id (or CINCH_ACCOUNT_ID)")
      }
    let site = reference.site
    diagnostics.report(
      Diagnostic(
        .referenceNotEvaluated,
        "reference '\(site.reference.text)' builds its name from \(pseudo), which "
          + (given.assumed.contains(pseudo) ? "was not given" : "follows the region, not given")
          + ": read as '\(concrete.name)' with the default '\(value)'; set it with \(option)",
        file: site.file, range: site.range, path: site.path))
  }

  /// A reference in the body of an `Fn::ForEach` loop (`AWS::LanguageExtensions`) whose name
  /// is built from the loop's identifier names a different entry in each iteration, which
  /// cinch does not expand: it waits on the loop variable (not on a resource of that name), and
  /// is said to, rather than passing as one only the deploy can name. One that does not use the
  /// identifier reads the same entry in every iteration and is read like any other.
  private static func readLoopVariables(
    _ references: inout ArraySlice<EvaluatedReference>, _ template: Template,
    into diagnostics: inout Diagnostics
  ) {
    // Only a name waiting on something named like a resource may wait on a loop variable:
    // the nodes along the path are looked up for those alone.
    guard let site = references.first?.site,
      references.contains(where: { reference in
        guard case .waiting(let dependencies) = reference.state else { return false }
        return dependencies.contains { if case .resource = $0 { true } else { false } }
      }),
      site.syntaxPath.components.contains(where: Template.isLoop)
    else { return }
    var identifiers: [String: String] = [:]
    let components = site.syntaxPath.components
    let chain = template.nodes(along: site.syntaxPath)
    // `chain[i + 1]` is the node at `components[i]`: a loop's value is [identifier, collection,
    // body].
    for (index, component) in components.enumerated()
    where Template.isLoop(component) && index + 1 < chain.count {
      if let identifier = Template.Loop(chain[index + 1])?.identifier.scalar {
        identifiers[identifier] = component
      }
    }
    for position in references.indices {
      guard case .waiting(let dependencies) = references[position].state else { continue }
      let read = dependencies.map { dependency -> Dependency in
        guard case .resource(let name) = dependency, let loop = identifiers[name] else {
          return dependency
        }
        return .loopVariable(name, loop: loop)
      }
      guard read != dependencies else { continue }
      references[position].state = .waiting(on: read)
      let loops = read.compactMap { dependency -> String? in
        guard case .loopVariable(let name, let loop) = dependency else { return nil }
        return "'\(name)' of '\(loop)'"
      }
      diagnostics.report(
        Diagnostic(
          .referenceNotEvaluated,
          "reference '\(site.reference.text)' names a different entry in each iteration of "
            + "its loop (loop variable \(loops.joined(separator: ", "))): cinch does not expand "
            + "'Fn::ForEach', so what each iteration reads is not checked, locked or granted",
          file: site.file, range: site.range, path: site.path))
    }
  }

  /// The variable map of the innermost `Fn::Sub` along `chain` (empty for the string form).
  private static func subVariables(_ chain: [Node]) -> [String: Node] {
    guard let sub = chain.last(where: { $0.intrinsic?.function == .sub }),
      let argument = sub.intrinsic?.argument
    else { return [:] }
    return SubTemplate.variables(ofArgument: argument)
  }

  /// The names whose values reach a reference `Fn::Join` assembles: those of the pieces that
  /// compose it (a reference inside one literal piece has a site of its own).
  private static func joinInputs(_ site: ReferenceSite, in template: Template) -> [String] {
    guard case .join(let pieces) = site.context else { return [] }
    var names: [String] = []
    for case .unknown(_, let path) in pieces {
      if let node = template.nodes(along: path).last { ValueInputs.collect(node, into: &names) }
    }
    return names
  }

  /// The reads of `AWS::SSM::Parameter::Value<…>` parameters: CloudFormation resolves every
  /// such parameter on create and update, used or not.
  public static func parameterTypeReads(
    in template: Template, evaluator: Evaluator, into diagnostics: inout Diagnostics
  ) -> [EvaluatedReference] {
    template.parameters.filter(\.isSSMValueType).map { parameter in
      // The read is placed where its name comes from: the parameters file's value, the
      // parameter itself for a value given on the command line (not in any file), or the
      // `Default` when nothing is given.
      let input = evaluator.inputs.parameters[parameter.name]
      let valuePath: TemplatePath =
        input == nil ? ["Parameters", parameter.name, "Default"] : ["Parameters", parameter.name]
      let (file, range) =
        if let input, let file = input.file, let range = input.range {
          (file, range)
        } else if input != nil {
          (template.path, parameter.keyRange)
        } else {
          (template.path, parameter.defaultValue?.range ?? parameter.keyRange)
        }
      guard let name = evaluator.ssmParameterName(parameter) else {
        let placeholder = Reference(
          kind: .ssm, name: "${\(parameter.name)}", text: "${\(parameter.name)}")
        let site = ReferenceSite(
          reference: placeholder, file: file, range: range, path: valuePath, syntaxPath: valuePath,
          context: .parameterType(parameter: parameter.name))
        return EvaluatedReference(site: site, state: .waiting(on: [.parameter(parameter.name)]))
      }
      // A parameter shared from another account is named by its full ARN, which only this
      // kind of read accepts: dynamic references take no ARN (https://docs.aws.amazon.com/
      // AWSCloudFormation/latest/UserGuide/cloudformation-supplied-parameter-types.html).
      if let arn = StoreARN(name), arn.kind == .parameter, !arn.account.isEmpty {
        let reference = Reference(kind: .ssm, name: name, text: name)
        let site = ReferenceSite(
          reference: reference, file: file, range: range, path: valuePath, syntaxPath: valuePath,
          context: .parameterType(parameter: parameter.name))
        return EvaluatedReference(site: site, state: .concrete(reference))
      }
      let scan = ReferenceScanner.scan("{{resolve:ssm:\(name)}}")
      var reference =
        scan.references.first?.reference ?? Reference(kind: .ssm, name: name, text: name)
      reference.text = name
      let site = ReferenceSite(
        reference: reference, file: file, range: range, path: valuePath, syntaxPath: valuePath,
        context: .parameterType(parameter: parameter.name))
      if let issue = scan.issues.first {
        diagnostics.report(
          Diagnostic(
            issue.code, "parameter '\(parameter.name)' names '\(name)': \(issue.message)",
            file: file,
            range: range, path: valuePath))
        return EvaluatedReference(site: site, state: .invalid)
      }
      return EvaluatedReference(site: site, state: .concrete(reference))
    }
  }

  /// A folded value becomes concrete references (scanned again, now without placeholders), or
  /// a wait on the inputs it still lacks. `scope`: the `Fn::Sub` or `Fn::Join` that builds the
  /// name, where the evaluator reports what is wrong with it.
  private static func settle(
    _ site: ReferenceSite, _ value: Value, scope: SourceRange, into diagnostics: inout Diagnostics,
    select: ([ScannedReference]) -> [ScannedReference] = { $0 }
  ) -> [EvaluatedReference] {
    guard let text = value.string else {
      let waits = value.waitsOn.filter { $0 != .invalid }
      guard waits.isEmpty else {
        return [EvaluatedReference(site: site, state: .waiting(on: waits))]
      }
      reportUnevaluated(site, value, scope: scope, into: &diagnostics)
      return [EvaluatedReference(site: site, state: .invalid)]
    }
    let scan = ReferenceScanner.scan(text)
    if site.reference.kind == .secretsManager,
      let written = site.reference.secretString, !written.isEmpty, written != "SecretString",
      !scan.issues.contains(where: { $0.code == .secretStringSegment })
    {
      // The scanner read this site although its `SecretString` slot held something else, as
      // a placeholder in the secret id may hold the segment (`ReferenceScanner.validateSecret`),
      // and said so: the evaluated text is well formed, so that finding goes. (Only such a
      // site is looked at: filtering the findings at every settled site was work on the
      // evaluator's hot path.)
      diagnostics = diagnostics.filtering { existing in
        !(existing.code == .secretStringSegment && existing.file == site.file
          && existing.range.map { site.range.bytes.contains($0.start.offset) } == true)
      }
    }
    for issue in scan.issues {
      // The front end already reported what was wrong before substitution at this site.
      let alreadyReported = diagnostics.items.contains { existing in
        existing.code == issue.code && existing.file == site.file
          && existing.range.map { site.range.bytes.contains($0.start.offset) } == true
      }
      if !alreadyReported {
        diagnostics.report(
          Diagnostic(
            issue.code, "'\(text)' (evaluated): \(issue.message)", file: site.file,
            range: site.range, path: site.path))
      }
    }
    let references = select(scan.references).map(\.reference)
    if references.isEmpty {
      return [EvaluatedReference(site: site, state: .invalid)]
    }
    return references.map { EvaluatedReference(site: site, state: .concrete($0)) }
  }

  /// Which spans of a `Fn::Join`'s evaluated text the join itself composes: those not inside
  /// one literal piece, the delimiter, or a `!Sub` piece whose string holds a reference of its
  /// own (the finder gave that one its site). Every span counts when the pieces cannot be told
  /// apart (a piece that does not evaluate to text, a list that is not written out).
  private static func composedSpans(
    of join: Node, value: Value, evaluator: inout Evaluator
  ) -> (Range<Int>) -> Bool {
    let everything: (Range<Int>) -> Bool = { _ in true }
    guard let text = value.string, case .sequence(let arguments)? = join.intrinsic?.argument.value,
      arguments.count == 2, let delimiter = arguments[0].scalar,
      case .sequence(let pieces) = arguments[1].value
    else { return everything }
    // The pieces were evaluated, and reported on, with the join.
    var scratch = Diagnostics()
    // Spans that are not the join's own: literal pieces, delimiters, pieces with a reference.
    var notComposed: [Range<Int>] = []
    var offset = 0
    for (index, piece) in pieces.enumerated() {
      if index > 0, !delimiter.isEmpty {
        notComposed.append(offset..<(offset + delimiter.utf8.count))
        offset += delimiter.utf8.count
      }
      if let literal = piece.scalar {
        notComposed.append(offset..<(offset + literal.utf8.count))
        offset += literal.utf8.count
      } else {
        guard let evaluated = evaluator.evaluate(piece, into: &scratch).string else {
          return everything
        }
        // A reference inside a Sub piece, or inside the chosen text of an `!If`, `!Select` or
        // nested `!Join`, is that piece's own: its site is recorded where it is written.
        if let string = piece.subString?.node.scalar ?? piece.joinedChoiceText,
          ReferenceWalker.mentionsResolve(string)
        {
          notComposed.append(offset..<(offset + evaluated.utf8.count))
        }
        offset += evaluated.utf8.count
      }
    }
    guard offset == text.utf8.count else { return everything }
    return { span in
      !notComposed.contains { $0.lowerBound <= span.lowerBound && span.upperBound <= $0.upperBound }
    }
  }
}

/// Whether a place a condition leaves out is left out only because a pseudo-parameter took its
/// default (`!Equals [!Ref AWS::Region, us-east-1]` with no `--region`): the deploy may well go
/// the other way, and a reference there is then neither read, checked nor pinned (W2015). The
/// template is evaluated again with each defaulted pseudo-parameter left open, made the first
/// time a place is not live.
struct DefaultedConditions {
  let template: Template
  let inputs: EvaluationInputs
  /// By the pseudo-parameters left open.
  private var open: [Set<String>: Evaluator] = [:]

  init(template: Template, inputs: EvaluationInputs) {
    self.template = template
    self.inputs = inputs
  }

  mutating func reportIfLeftOutByDefault(
    _ site: ReferenceSite, into diagnostics: inout Diagnostics
  ) {
    // A map keyed by region (`!FindInMap [RegionMap, !Ref AWS::Region, …]`) holds an entry for
    // every region but one deploy's: each other entry is left out by design, not by a default.
    guard !inputs.assumed.isEmpty, site.path.components.first != "Mappings" else { return }
    // A place live with the defaults as they are was left out by something else (an
    // `Fn::Select` over a split string picks another element): no default decides it.
    guard !isLive(site.syntaxPath, open: []) else { return }
    let deciding = inputs.assumed.sorted().filter { isLive(site.syntaxPath, open: [$0]) }
    guard !deciding.isEmpty || isLive(site.syntaxPath, open: inputs.assumed) else { return }
    let names = deciding.isEmpty ? inputs.assumed.sorted() : deciding
    let what = names.map { name in
      name == "AWS::Region"
        ? ("the default region '\(inputs.region)'", "--region (or AWS_REGION)")
        : ("the default account '\(inputs.accountID)'", "--account-id (or CINCH_ACCOUNT_ID)")
    }
    // A `DefaultValue` is left out by a lookup that finds its entry, not by a condition.
    let chooser =
      site.syntaxPath.components.contains(IntrinsicFunction.findInMap.rawValue)
      ? "a condition or mapping lookup" : "a condition"
    diagnostics.report(
      Diagnostic(
        .referenceNotEvaluated,
        "reference '\(site.reference.text)' is not read: \(chooser) decided with "
          + what.map(\.0).joined(separator: " and ") + " leaves it out, and the deploy may go "
          + "the other way; set " + what.map(\.1).joined(separator: " and ") + " to check it",
        file: site.file, range: site.range, path: site.path))
  }

  /// Whether the place is live with `names` left open (none: the inputs as they are).
  private mutating func isLive(_ path: TemplatePath, open names: Set<String>) -> Bool {
    if open[names] == nil {
      var scratch = Diagnostics()
      open[names] = Evaluator(
        template: template, inputs: names.isEmpty ? inputs : inputs.leavingOpen(names),
        into: &scratch)
    }
    var scratch = Diagnostics()
    return open[names]?.isLive(path, into: &scratch) ?? false
  }
}
