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
  private let inputs: EvaluationInputs
  private let moved: EvaluationInputs

  static let none = PortableNames()

  private init() {
    inputs = EvaluationInputs()
    moved = inputs
  }

  /// Evaluates `analyses` again as if deployed elsewhere.
  init(_ analyses: [TemplateAnalysis], inputs: EvaluationInputs) {
    self.inputs = inputs
    var moved = inputs
    moved.region = inputs.region + "cinchzz-9"
    moved.partitionStandIn = Self.partitionStandIn
    moved.accountID = inputs.accountID == "000000000000" ? "000000000001" : "000000000000"
    moved.assumed = []
    moved.leavesAssumedOpen = false
    self.moved = moved
    for analysis in analyses where analysis.template.isCloudFormation {
      var ignored = Diagnostics()
      let elsewhere = TemplateAnalyzer.analyze(
        analysis.document, inputs: moved, options: .init(graph: analysis.graph != nil),
        into: &ignored)
      collectReferences(analysis.references, elsewhere.references)
      if let here = analysis.graph, let there = elsewhere.graph {
        collectConsumers(here.runtimeConsumers, there.runtimeConsumers)
      }
    }
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

  private mutating func collectReferences(
    _ here: [EvaluatedReference], _ there: [EvaluatedReference]
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
        if let name = portable(concrete.name, elsewhere: elsewhere.name) {
          references[NameKey(site: key, name: concrete.name)] = name
        }
      }
    }
  }

  private mutating func collectConsumers(_ here: [RuntimeConsumer], _ there: [RuntimeConsumer]) {
    var elsewhere: [SiteKey: String] = [:]
    for consumer in there where consumer.isConcrete { elsewhere[SiteKey(consumer)] = consumer.name }
    for consumer in here where consumer.isConcrete {
      if let moved = elsewhere[SiteKey(consumer)],
        let name = portable(consumer.name, elsewhere: moved)
      {
        consumers[SiteKey(consumer)] = name
      }
    }
  }

  /// `elsewhere` with the stand-ins written as pseudo-parameters, when that is `name` once the
  /// target's region and account are put back; nil when the name does not follow them.
  private func portable(_ name: String, elsewhere: String) -> String? {
    guard name != elsewhere, !name.contains("${") else { return nil }
    let pseudoParameters = [
      ("${AWS::Region}", moved.region, inputs.region),
      ("${AWS::URLSuffix}", moved.urlSuffix, inputs.urlSuffix),
      ("${AWS::Partition}", moved.partition, inputs.partition),
      ("${AWS::AccountId}", moved.accountID, inputs.accountID),
    ]
    var written = elsewhere
    for (parameter, standIn, _) in pseudoParameters {
      written = written.replacing(standIn, with: parameter)
    }
    var back = written
    for (parameter, _, value) in pseudoParameters { back = back.replacing(parameter, with: value) }
    return back == name && written != name ? written : nil
  }

  private struct NameKey: Hashable, Sendable {
    var site: SiteKey
    var name: String
  }

  /// A place in a template: its file, its bytes and its path.
  private struct SiteKey: Hashable, Sendable {
    var file: String
    var bytes: Range<Int>
    var path: TemplatePath

    init(_ site: ReferenceSite) {
      file = site.file
      bytes = site.range.bytes
      path = site.path
    }

    init(_ consumer: RuntimeConsumer) {
      file = consumer.file
      bytes = consumer.range.bytes
      path = consumer.property
    }
  }
}
