import CinchPartitions
import CinchTemplate

/// The names a template builds from `AWS::Partition`, `AWS::Region`, `AWS::AccountId` or
/// `AWS::URLSuffix` (`!Sub '{{resolve:ssm:/cfg/${AWS::Region}/endpoint}}'`), written as
/// `${AWS::Region}` and so on where those values went, so that CloudFormation output grants
/// what the stack reads wherever it is deployed, not only in the partition, region and account
/// it was evaluated for.
///
/// Found by evaluating the templates a second time as if deployed elsewhere: a partition (with
/// its URL suffix), a region and an account no name holds. Where the first evaluation's name
/// has the target's values and the second's has the stand-ins at the same places, those places
/// come from the pseudo-parameters.
/// A name is made portable only when putting the real values back into it gives exactly the
/// name evaluated for the target; anything else (a `Fn::FindInMap` keyed by region, a condition
/// on the region, a name that merely contains the region's text) keeps its evaluated name.
struct PortableNames: Sendable {
  /// By site and evaluated name: the portable name.
  private var references: [NameKey: String] = [:]
  /// By run-time read: the portable name.
  private var consumers: [SiteKey: String] = [:]
  /// Run-time reads whose name changes with the inputs but has no portable form.
  private var fixed: Set<SiteKey> = []
  private let inputs: EvaluationInputs
  private let moved: EvaluationInputs

  static let none = PortableNames()

  private init() {
    inputs = EvaluationInputs()
    moved = inputs
  }

  /// Evaluates `analyses` again as if deployed elsewhere: another partition, region and
  /// account, another stack name when one is given, and another value for each `String`
  /// parameter of the template, so that a name built from `${Env}` is granted as
  /// `…/${Env}/…` in the template it is pasted into, not for the one environment evaluated
  /// (which would let a dev stack's role read production's secret).
  init(_ analyses: [TemplateAnalysis], inputs: EvaluationInputs) {
    self.inputs = inputs
    var moved = inputs
    moved.region = inputs.region + "cinchzz-9"
    moved.partitionStandIn = Self.partitionStandIn
    moved.accountID = inputs.accountID == "000000000000" ? "000000000001" : "000000000000"
    if inputs.stackName != nil { moved.stackName = "cinchzzstack" }
    moved.assumed = []
    moved.leavesAssumedOpen = false
    self.moved = moved
    for analysis in analyses where analysis.template.isCloudFormation {
      var here = moved
      // The parameters' stand-ins first: the partition's is a prefix of none of them, but a
      // name may hold `aws-` before one.
      var substitutions: [Substitution] = []
      for (index, parameter) in analysis.template.parameters.enumerated() {
        guard
          let value = inputs.parameters[parameter.name]?.value
            ?? parameter.defaultValue?.scalarAsRead
        else { continue }
        switch parameter.type {
        case "String":
          let standIn = "cinchzzparam\(index)q"
          here.parameters[parameter.name] = .init(value: standIn, origin: "cinch policy")
          substitutions.append(("${\(parameter.name)}", standIn, value))
        case "Number":
          // Digits no name holds by chance; `${Num}` writes it back.
          let standIn = "9713\(index)0379"
          here.parameters[parameter.name] = .init(value: standIn, origin: "cinch policy")
          substitutions.append(("${\(parameter.name)}", standIn, value))
        case _ where parameter.isList && !parameter.isSSMValueType:
          // No `${…}` writes an element picked out of a list: a name built from one is seen
          // to move with the value, and said to be granted as evaluated (W6010).
          here.parameters[parameter.name] = .init(
            value: "cinchzzlist\(index)a,cinchzzlist\(index)b", origin: "cinch policy")
        default:
          continue
        }
      }
      substitutions += pseudoParameters
      var ignored = Diagnostics()
      let elsewhere = TemplateAnalyzer.analyze(
        analysis.document, inputs: here, options: .init(graph: analysis.graph != nil),
        into: &ignored)
      collectReferences(analysis.references, elsewhere.references, substitutions)
      if let graph = analysis.graph, let there = elsewhere.graph {
        collectConsumers(
          graph.runtimeConsumers, there.runtimeConsumers, substitutions, in: analysis.template)
      }
    }
  }

  /// A placeholder, the stand-in the second evaluation gave it, and the value of the first.
  private typealias Substitution = (placeholder: String, standIn: String, value: String)

  /// In this order: a region's name is part of neither suffix nor partition, but the
  /// partition's stand-in is part of the URL suffix's.
  private var pseudoParameters: [Substitution] {
    var substitutions: [Substitution] = [
      ("${AWS::Region}", moved.region, inputs.region),
      ("${AWS::URLSuffix}", moved.urlSuffix, inputs.urlSuffix),
      ("${AWS::Partition}", moved.partition, inputs.partition),
      ("${AWS::AccountId}", moved.accountID, inputs.accountID),
    ]
    if let standIn = moved.stackName, let value = inputs.stackName {
      substitutions.append(("${AWS::StackName}", standIn, value))
    }
    return substitutions
  }

  /// Texts no template holds, each apart from the other stand-ins.
  static let partitionStandIn = Partition(name: "aws-cinchzzp", urlSuffix: "cinchzz.invalid")

  /// The portable name of `reference`, read at `site`.
  func name(of reference: Reference, at site: ReferenceSite) -> String? {
    references[NameKey(site: SiteKey(site), name: reference.name)]
  }

  func name(of consumer: RuntimeConsumer) -> String? {
    consumers[SiteKey(consumer)]
  }

  /// Whether the run-time read's name changes when the stack is deployed elsewhere or with
  /// other parameter values, in a way no `!Sub` of them writes (W6010).
  func isFixedByInputs(_ consumer: RuntimeConsumer) -> Bool {
    fixed.contains(SiteKey(consumer))
  }

  private mutating func collectReferences(
    _ here: [EvaluatedReference], _ there: [EvaluatedReference],
    _ substitutions: [Substitution]
  ) {
    func bySite(_ list: [EvaluatedReference]) -> [SiteKey: [Reference]] {
      var sites: [SiteKey: [Reference]] = [:]
      for evaluated in list where evaluated.site.needsEvaluation {
        if let concrete = evaluated.concrete {
          sites[SiteKey(evaluated.site), default: []].append(concrete)
        }
      }
      return sites
    }
    let elsewhere = bySite(there)
    for (key, concretes) in bySite(here) {
      guard let moved = elsewhere[key], moved.count == concretes.count else { continue }
      for (concrete, elsewhere) in zip(concretes, moved) {
        if let name = portable(concrete.name, elsewhere: elsewhere.name, substitutions) {
          references[NameKey(site: key, name: concrete.name)] = name
        }
      }
    }
  }

  private mutating func collectConsumers(
    _ here: [RuntimeConsumer], _ there: [RuntimeConsumer], _ substitutions: [Substitution],
    in template: Template
  ) {
    var elsewhere: [SiteKey: RuntimeConsumer] = [:]
    for consumer in there { elsewhere[SiteKey(consumer)] = consumer }
    for consumer in here where consumer.isConcrete {
      // Named here, and nothing or a name still waiting there: a mapping keyed by a
      // parameter, a list chosen from by one.
      guard let moved = elsewhere[SiteKey(consumer)], moved.isConcrete else {
        if consumer.isLive, !consumer.isWrittenOut { fixed.insert(SiteKey(consumer)) }
        continue
      }
      // An `Fn::If` branch taken here and not there (a resource's own `Condition` is the
      // policy's too, and follows the stack).
      if consumer.isLive, !moved.isLive, template.resource(consumer.resource)?.condition == nil {
        fixed.insert(SiteKey(consumer))
        continue
      }
      guard moved.name != consumer.name else {
        // A parameter's ARN made of the pseudo-parameters alone names the parameter of the
        // region and account evaluated, each time (`StoreLocator` gives it as its name): its
        // partition, region and account follow the stack.
        if consumer.kind == .parameter, consumer.isNamedByARN, !consumer.name.hasPrefix("arn:") {
          consumers[SiteKey(consumer)] = PolicyTarget.stack.parameterARN(consumer.name)
        }
        continue
      }
      if let name = portable(
        consumer.name, elsewhere: moved.name, substitutions,
        leadingInput: consumer.kind != .parameter)
      {
        consumers[SiteKey(consumer)] = name
      } else if let arn = portableParameterARN(consumer, elsewhere: moved.name, substitutions) {
        consumers[SiteKey(consumer)] = arn
      } else if consumer.isLive, !consumer.isWrittenOut,
        !Self.isSameEntryByARN(consumer.name, elsewhere: moved.name)
      {
        fixed.insert(SiteKey(consumer))
      }
    }
  }

  /// A parameter read by an ARN the template writes (`arn:aws:ssm:${AWS::Region}:…:parameter/
  /// app/${Env}/a`, the usual ECS `ValueFrom`): it is shown by its name where the ARN is the
  /// evaluated target's, and by an ARN where deployed elsewhere (a partition written out stays
  /// `aws`, which the stand-in's is not), so the two are compared as ARNs: the portable ARN, as
  /// the template writes it (its `aws` kept), when the name follows the inputs.
  private func portableParameterARN(
    _ consumer: RuntimeConsumer, elsewhere: String, _ substitutions: [Substitution]
  ) -> String? {
    guard consumer.kind == .parameter, !consumer.name.hasPrefix("arn:"),
      let moved = StoreARN(elsewhere), moved.kind == .parameter
    else { return nil }
    let target = PolicyTarget(
      region: inputs.region, accountID: inputs.accountID, partition: inputs.partition)
    return portable(target.parameterARN(consumer.name), elsewhere: elsewhere, substitutions)
  }

  /// Whether `elsewhere` is the ARN of the entry `name` names: a Parameter Store ARN of the
  /// evaluated region and account is shown as the name, and the ARN's region and account
  /// follow the stack in the CloudFormation output already.
  private static func isSameEntryByARN(_ name: String, elsewhere: String) -> Bool {
    guard !name.hasPrefix("arn:"), let arn = StoreARN(elsewhere) else { return false }
    let named = arn.kind == .parameter && !arn.name.hasPrefix("/") ? "/" + arn.name : arn.name
    return named == name || arn.name == name
  }

  /// `elsewhere` with the stand-ins written as placeholders, when that is `name` once the
  /// first evaluation's values are put back; nil when the name does not follow them. A name
  /// that starts with a template parameter or the stack name is left as evaluated unless
  /// `leadingInput` (a secret's): a parameter's value may start with the `/` a parameter ARN
  /// drops, which `parameter/${Name}` would keep.
  private func portable(
    _ name: String, elsewhere: String, _ substitutions: [Substitution], leadingInput: Bool = false
  ) -> String? {
    guard name != elsewhere, !name.contains("${") else { return nil }
    var written = elsewhere
    for (placeholder, standIn, _) in substitutions {
      written = written.replacing(standIn, with: placeholder)
    }
    if !leadingInput, written.hasPrefix("${"),
      !written.hasPrefix("${AWS::") || written.hasPrefix("${AWS::StackName}")
    {
      return nil
    }
    // A name that is one input alone (`!Ref SecretName`) may be a name here and an ARN there.
    if written.hasPrefix("${"), written.firstIndex(of: "}") == written.indices.last {
      return nil
    }
    var back = written
    for (placeholder, _, value) in substitutions {
      back = back.replacing(placeholder, with: value)
    }
    return back == name && written != name ? written : nil
  }

  private struct NameKey: Hashable, Sendable {
    var site: SiteKey
    var name: String
  }

  /// A place in a template: its file, its bytes and its path, and for a place in a loop's
  /// body read once per element, the iteration.
  private struct SiteKey: Hashable, Sendable {
    var file: String
    var bytes: Range<Int>
    var path: TemplatePath
    var iteration: [String] = []

    init(_ site: ReferenceSite) {
      file = site.file
      bytes = site.range.bytes
      path = site.path
    }

    init(_ consumer: RuntimeConsumer) {
      file = consumer.file
      bytes = consumer.range.bytes
      path = consumer.property
      iteration = consumer.iteration
    }
  }
}
