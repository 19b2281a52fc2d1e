import CinchPartitions

/// Finds the resource properties that make a resource read Parameter Store or Secrets Manager
/// when it runs, with the role it reads as (the list is `RuntimeConsumerRule.all`).
///
/// Values are evaluated: `!Sub 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/app/${Env}/db'`
/// names `/app/prod/db` once `Env` is known, and names `/app/${Env}/db`, waiting on `Env`, until
/// then. An `Fn::If` around a value or one of the lists on its way gives a consumer per branch,
/// the untaken one not live. Roles are followed through `!Ref`, `!GetAtt Role.Arn`, `!Sub` and
/// literal ARNs to the template's `AWS::IAM::Role` when it is there.
public enum RuntimeConsumerFinder {
  public static func find(
    _ template: Template, inputs: EvaluationInputs = EvaluationInputs(),
    into diagnostics: inout Diagnostics
  ) -> [RuntimeConsumer] {
    var evaluator = Evaluator(template: template, inputs: inputs, into: &diagnostics)
    return find(template, evaluator: &evaluator, into: &diagnostics)
  }

  public static func find(
    _ template: Template, evaluator: inout Evaluator, into diagnostics: inout Diagnostics
  ) -> [RuntimeConsumer] {
    var finder = Finder(template: template, evaluator: evaluator)
    let consumers = finder.run(into: &diagnostics)
    evaluator = finder.evaluator
    return consumers
  }

  private static let rulesByType: [String: [RuntimeConsumerRule]] = Dictionary(
    grouping: RuntimeConsumerRule.all, by: \.resourceType)

  /// The resource types that may read the store when they run: those of the rules, and the
  /// state machines whose definitions `StateMachineDefinition` reads.
  private static let readerTypes = Set(rulesByType.keys).union([
    "AWS::StepFunctions::StateMachine", "AWS::Serverless::StateMachine",
  ])

  /// A node the rule's path reached: the path without intrinsics, the full path, and the
  /// elements each `*` went through.
  private struct Match {
    var node: Node
    var property: [String]
    var syntax: [String]
    var bindings: [String]
    /// False in a resource whose condition is false or an untaken `Fn::If` branch.
    var live: Bool
  }

  private struct Finder {
    let template: Template
    let index: TemplateIndex
    var evaluator: Evaluator
    /// Roles by resource, rule role and the elements the role path takes: every secret of a
    /// task definition runs as the same role.
    private var roles: [String: (RoleReference, (node: Node, path: [String])?)] = [:]

    init(template: Template, evaluator: Evaluator) {
      self.template = template
      self.index = TemplateIndex(template)
      self.evaluator = evaluator
    }

    /// Where the resource being read is when a loop of `Fn::ForEach` makes it: the loop's
    /// node stands for it (`consumer.resource`), its path runs through the loop's body, and
    /// `iteration` holds the elements its loops' identifiers stand for (none in the pass that
    /// finds what every iteration reads alike).
    private var making: (loop: String, path: [String], iteration: [String])?

    /// The node that reads for `resource` and the path of its `Properties`' parent.
    private func place(of resource: Template.Resource) -> (id: String, path: [String]) {
      making.map { ($0.loop, $0.path) } ?? (resource.logicalID, ["Resources", resource.logicalID])
    }

    mutating func run(into diagnostics: inout Diagnostics) -> [RuntimeConsumer] {
      var consumers: [RuntimeConsumer] = []
      let mayLoop = template.transforms.contains("AWS::LanguageExtensions")
      for resource in template.resources {
        if Template.isLoop(resource.logicalID) {
          if mayLoop { consumers += loopConsumers(resource, into: &diagnostics) }
          continue
        }
        consumers += reads(of: resource, into: &diagnostics)
      }
      // In place order; a loop's iterations in its collections' order.
      return consumers.enumerated().sorted { a, b in
        (a.element.range.start.offset, a.element.property.description, a.offset)
          < (b.element.range.start.offset, b.element.property.description, b.offset)
      }.map(\.element)
    }

    /// What one resource reads when it runs.
    private mutating func reads(
      of resource: Template.Resource, into diagnostics: inout Diagnostics
    ) -> [RuntimeConsumer] {
      var consumers: [RuntimeConsumer] = []
      guard let type = resource.type, let properties = resource.properties,
        RuntimeConsumerFinder.readerTypes.contains(type)
      else { return [] }
      let rules = RuntimeConsumerFinder.rulesByType[type] ?? []
      let deployed =
        resource.condition.map {
          index.definesCondition($0, &evaluator)
            ? evaluator.conditionValue($0, into: &diagnostics) != false : true
        } ?? true
      for rule in rules {
        var matches: [Match] = []
        collect(
          properties, rule.path[...],
          Match(node: properties, property: [], syntax: [], bindings: [], live: deployed),
          into: &matches, diagnostics: &diagnostics)
        for match in matches {
          consumers += consumersOf(match, rule: rule, resource: resource, into: &diagnostics)
        }
      }
      consumers += buildSpecConsumers(of: resource, live: deployed, into: &diagnostics)
      consumers += stateMachineConsumers(of: resource, live: deployed, into: &diagnostics)
      return consumers
    }

    // MARK: Loops

    /// The most iterations a loop's making is read in, its loops' collections multiplied: past
    /// that, a name that follows the identifiers is said to wait on them instead.
    static let maxIterations = 1_000

    /// What the resources a loop of `Fn::ForEach` makes read (`AWS::LanguageExtensions`), found
    /// in its body: a name that does not use the loops' identifiers is read once, as every
    /// iteration reads it; one that does, or whose role does, is read per element where each
    /// enclosing loop's collection is written out as a list, and otherwise waits on the
    /// identifier (W6003 in a policy, which cannot name it).
    private mutating func loopConsumers(
      _ loop: Template.Resource, into diagnostics: inout Diagnostics
    ) -> [RuntimeConsumer] {
      var consumers: [RuntimeConsumer] = []
      for made in Self.makings(loop.node, path: ["Resources", loop.logicalID], loops: []) {
        let resource = TemplateReader.resource(made.entry)
        guard let type = resource.type, RuntimeConsumerFinder.readerTypes.contains(type) else {
          continue
        }
        making = (loop.logicalID, made.path, [])
        evaluator.loopIdentifiers = Set(made.loops.map(\.identifier))
        defer { evaluator.loopIdentifiers = [] }
        let alike = reads(of: resource, into: &diagnostics)
        let identifiers = Dictionary(
          made.loops.map { ($0.identifier, $0.key) }, uniquingKeysWith: { _, inner in inner })
        let usesIdentifier = { (dependency: Dependency) -> Bool in
          if case .resource(let name) = dependency { identifiers[name] != nil } else { false }
        }
        // The name, or the role it is read as (`!GetAtt [!Sub 'Role${X}', Arn]`).
        let follows = { (consumer: RuntimeConsumer) -> Bool in
          consumer.waitsOn.contains(where: usesIdentifier)
            || consumer.role.waitsOn.contains(where: usesIdentifier)
        }
        consumers += alike.filter { !follows($0) }
        let varying = alike.filter(follows)
        if !varying.isEmpty {
          if let iterations = Self.iterations(made.loops) {
            consumers += perIteration(
              resource, at: made.path, loop: loop.logicalID, iterations: iterations,
              sites: Set(varying.map { $0.property }), into: &diagnostics)
          } else {
            let loopVariables = { (dependencies: [Dependency]) -> [Dependency] in
              dependencies.map { dependency in
                guard case .resource(let name) = dependency, let key = identifiers[name] else {
                  return dependency
                }
                return .loopVariable(name, loop: key)
              }
            }
            consumers += varying.map { consumer in
              var waiting = consumer
              waiting.waitsOn = loopVariables(consumer.waitsOn)
              if case .symbolic(let text, let waitsOn) = consumer.role {
                waiting.role = .symbolic(text, waitsOn: loopVariables(waitsOn))
              }
              return waiting
            }
          }
        }
        making = nil
      }
      return consumers
    }

    /// The reads at `sites` of each iteration, the evaluator giving each identifier its
    /// element. Findings about the other places were made once, by the first pass.
    private mutating func perIteration(
      _ resource: Template.Resource, at path: [String], loop: String,
      iterations: [[(identifier: String, element: String)]], sites: Set<TemplatePath>,
      into diagnostics: inout Diagnostics
    ) -> [RuntimeConsumer] {
      var consumers: [RuntimeConsumer] = []
      // A name that uses some of the identifiers only is the same read in the iterations that
      // differ in the others (`/${Env}/shared` of a loop over apps inside one over
      // environments): listed once, with the first iteration that reads it.
      var seen: Set<RuntimeConsumer> = []
      let outside = evaluator
      for iteration in iterations {
        making = (loop, path, iteration.map(\.element))
        evaluator.loopElements = Dictionary(
          iteration.map { ($0.identifier, $0.element) }, uniquingKeysWith: { _, inner in inner })
        var found = Diagnostics()
        for consumer in reads(of: resource, into: &found) where sites.contains(consumer.property) {
          var read = consumer
          read.iteration = []
          if seen.insert(read).inserted { consumers.append(consumer) }
        }
        for diagnostic in found.items
        where diagnostic.path.map(sites.contains) == true && !diagnostics.items.contains(diagnostic)
        {
          diagnostics.report(diagnostic)
        }
        // Nothing an iteration's evaluation keeps (a condition's value, a lookup) outlives it.
        evaluator = outside
      }
      return consumers
    }

    /// A loop around a making: its identifier, its key (`Fn::ForEach::Tasks`), and its
    /// collection's elements when written out as a list of scalars (nil otherwise: a `!Ref` of
    /// a `CommaDelimitedList`, …).
    private typealias EnclosingLoop = (identifier: String, key: String, elements: [String]?)

    /// A loop's makings, nested loops walked: each body entry with its path and the loops
    /// around it, outermost first.
    private static func makings(_ node: Node, path: [String], loops: [EnclosingLoop]) -> [(
      entry: Entry, path: [String], loops: [EnclosingLoop]
    )] {
      guard let loop = Template.Loop(node), let identifier = loop.identifier.scalar,
        let body = loop.body.mapping
      else { return [] }
      let enclosing = loops + [(identifier, path.last ?? "", loop.writtenElements)]
      var found: [(entry: Entry, path: [String], loops: [EnclosingLoop])] = []
      for entry in body {
        let entryPath = path + ["2", entry.name]
        if Template.isLoop(entry.name) {
          found += makings(entry.value, path: entryPath, loops: enclosing)
        } else {
          found.append((entry, entryPath, enclosing))
        }
      }
      return found
    }

    /// Every combination of the loops' elements, outermost first; nil when a collection is not
    /// written out, or there would be more than `maxIterations`.
    private static func iterations(_ loops: [EnclosingLoop]) -> [[(
      identifier: String, element: String
    )]]? {
      var combinations: [[(identifier: String, element: String)]] = [[]]
      for loop in loops {
        guard let elements = loop.elements,
          combinations.count * elements.count <= maxIterations
        else { return nil }
        combinations = combinations.flatMap { combination in
          elements.map { combination + [(loop.identifier, $0)] }
        }
      }
      return combinations
    }

    /// Walks `path` from `node`; an `Fn::If` on the way is followed into both branches.
    private mutating func collect(
      _ node: Node, _ path: ArraySlice<String>, _ at: Match, into matches: inout [Match],
      diagnostics: inout Diagnostics
    ) {
      if let intrinsic = node.intrinsic {
        if intrinsic.function == .if, let items = intrinsic.argument.sequence, items.count == 3 {
          let value = items[0].scalar.flatMap { name in
            index.definesCondition(name, &evaluator)
              ? evaluator.conditionValue(name, into: &diagnostics) : nil
          }
          for branch in 1...2 {
            var next = at
            next.syntax += [IntrinsicFunction.if.rawValue, String(branch)]
            // The first branch is not taken when the condition is false, the second when true.
            next.live = at.live && value != (branch == 2)
            collect(items[branch], path, next, into: &matches, diagnostics: &diagnostics)
          }
        } else if path.isEmpty {
          var found = at
          found.node = node
          matches.append(found)
        }
        return
      }
      guard let head = path.first else {
        var found = at
        found.node = node
        matches.append(found)
        return
      }
      let rest = path.dropFirst()
      var steps: [(Node, String, Bool)] = []
      switch node.value {
      case .sequence(let items) where head == "*":
        for (index, item) in items.enumerated() { steps.append((item, String(index), true)) }
      case .mapping(let entries) where head == "*":
        for entry in entries { steps.append((entry.value, entry.name, true)) }
      case .mapping:
        if let child = node[head] { steps.append((child, head, false)) }
      default:
        break
      }
      for (child, component, bound) in steps {
        var next = at
        next.property.append(component)
        next.syntax.append(component)
        if bound { next.bindings.append(component) }
        collect(child, rest, next, into: &matches, diagnostics: &diagnostics)
      }
    }

    private mutating func consumersOf(
      _ match: Match, rule: RuntimeConsumerRule, resource: Template.Resource,
      into diagnostics: inout Diagnostics
    ) -> [RuntimeConsumer] {
      let format: StoreLocator.Format
      var values: [Match] = []
      switch rule.field {
      case .itself(let itsFormat):
        format = itsFormat
        values = [match]
      case .key(let key, let itsFormat):
        format = itsFormat
        guard let child = match.node[key] else { return [] }
        collect(child, [], appending(match, key), into: &values, diagnostics: &diagnostics)
      case .typed(let typeKey, let valueKey, let formats):
        guard let typeNode = match.node[typeKey],
          let type = evaluator.evaluate(typeNode, into: &diagnostics).string,
          let itsFormat = formats[type], let child = match.node[valueKey]
        else { return [] }
        format = itsFormat
        collect(child, [], appending(match, valueKey), into: &values, diagnostics: &diagnostics)
      }
      var consumers: [RuntimeConsumer] = []
      for value in values {
        let evaluated = evaluator.evaluate(value.node, into: &diagnostics)
        guard evaluated != .noValue, let segments = evaluated.placeholderSegments else { continue }
        let site = Site(
          node: value.node, property: value.property, syntax: value.syntax, live: value.live,
          resourceType: rule.resourceType, role: rule.role, bindings: match.bindings)
        if let consumer = consumer(
          segments, format: format, at: site, of: resource, into: &diagnostics)
        {
          consumers.append(consumer)
        }
      }
      return consumers
    }

    /// Where a value that names a store entry sits, and how its role is found.
    private struct Site {
      var node: Node
      /// Relative to the resource's `Properties`, intrinsic functions left out, and with them.
      var property: [String]
      var syntax: [String]
      var live: Bool
      var resourceType: String
      var role: RuntimeConsumerRule.Role
      var bindings: [String]
    }

    /// The consumer a value's text and holes name, or nil (reported) when the name is one
    /// nothing can be read by.
    private mutating func consumer(
      _ segments: [Value.Segment], format: StoreLocator.Format, at site: Site,
      of resource: Template.Resource, into diagnostics: inout Diagnostics
    ) -> RuntimeConsumer? {
      let segments = Value.resolvingReferences(in: segments)
      let managed = managedEntry(segments.first)
      let location = StoreLocator.locate(
        segments, format: format, inputs: evaluator.inputs, managed: managed?.kind)
      let (readerID, resourcePath) = place(of: resource)
      let prefix = resourcePath + ["Properties"]
      let syntaxPath = TemplatePath(prefix + site.syntax)
      // A concrete name that names nothing to read: said at the value, and no statement.
      if location.waitsOn.isEmpty, let kind = location.kind,
        let (code, message) =
          Self.unreadableName(
            location.name, kind: kind, by: site.resourceType,
            substituted: site.node.intrinsic?.function == .sub)
          ?? RuntimeConsumerFinder.unreachableARN(
            location.name, kind: kind, by: site.resourceType, inputs: evaluator.inputs)
      {
        diagnostics.report(
          Diagnostic(
            code, message, file: template.path, range: site.node.range,
            path: TemplatePath(prefix + site.property)))
        return nil
      }
      let (role, roleSite) = cachedRole(
        site.role, of: resource, bindings: site.bindings, into: &diagnostics)
      var consumer = RuntimeConsumer(
        resource: readerID, resourceType: site.resourceType,
        property: TemplatePath(prefix + site.property), syntaxPath: syntaxPath,
        kind: location.kind, name: location.name, waitsOn: location.waitsOn,
        jsonKey: location.jsonKey, versionStage: location.versionStage,
        versionID: location.versionID, managedBy: managed?.logicalID, role: role,
        roleProperty: roleSite.map { TemplatePath(prefix + $0.path) },
        roleRange: roleSite?.node.range,
        file: template.path, range: site.node.range,
        isLive: site.live)
      consumer.isWrittenOut = Self.writesOutARN(site.node)
      consumer.isNamedByARN = location.isNamedByARN
      consumer.iteration = making?.iteration ?? []
      consumer.throughParameterStore = location.throughParameterStore
      return consumer
    }

    /// The reads of a CodeBuild project's inline buildspec (`BuildSpecEnvironment`), each
    /// located at the `BuildSpec` it is written in, as the project's `ServiceRole`.
    private mutating func buildSpecConsumers(
      of resource: Template.Resource, live: Bool, into diagnostics: inout Diagnostics
    ) -> [RuntimeConsumer] {
      guard resource.type == "AWS::CodeBuild::Project",
        let node = resource.properties?["Source"]?["BuildSpec"]
      else { return [] }
      let evaluated = evaluator.evaluate(node, into: &diagnostics)
      return BuildSpecEnvironment.reads(evaluated).compactMap { read in
        // Each read is its own place in the buildspec, though they share the string.
        let site = Site(
          node: node, property: ["Source", "BuildSpec"] + read.path,
          syntax: ["Source", "BuildSpec"], live: live, resourceType: "AWS::CodeBuild::Project",
          role: .property(["ServiceRole"]), bindings: [])
        let found = consumer(
          read.segments, format: read.format, at: site, of: resource, into: &diagnostics)
        guard var found else { return nil }
        found.isWrittenOut = Self.writesOutARN(read.segments)
        if let line = EmbeddedDocument.range(
          ofLine: read.line, in: node, file: template.document.file)
        {
          found.range = line
        }
        return found
      }
    }

    /// The reads of a state machine's SDK calls (`StateMachineDefinition`), as its role
    /// (`RoleArn`; a SAM state machine's `Role`, or the role the transform generates). In a
    /// `Definition` each is located at its value; in a `DefinitionString` at its line when the
    /// string is a literal block, or else at the string. `DefinitionSubstitutions` fill their
    /// `${…}` as Step Functions does when the state machine is created.
    private mutating func stateMachineConsumers(
      of resource: Template.Resource, live: Bool, into diagnostics: inout Diagnostics
    ) -> [RuntimeConsumer] {
      let machineRole: RuntimeConsumerRule.Role
      switch resource.type {
      case "AWS::StepFunctions::StateMachine": machineRole = .property(["RoleArn"])
      case "AWS::Serverless::StateMachine": machineRole = .samResource
      default: return []
      }
      guard let properties = resource.properties else { return [] }
      let substitutions = definitionSubstitutions(properties, into: &diagnostics)
      var consumers: [RuntimeConsumer] = []
      func site(_ node: Node, _ path: [String]) -> Site {
        Site(
          node: node, property: path, syntax: path, live: live, resourceType: resource.type ?? "",
          role: machineRole, bindings: [])
      }
      if let definition = properties["Definition"], definition.mapping != nil {
        // A value's text once evaluated and its substitutions made (a `Resource` may be one).
        let text = { (node: Node) -> String? in
          let value = self.evaluator.evaluate(node, into: &diagnostics)
          return value.placeholderSegments.map {
            Value.text(of: Self.substituting(substitutions, in: $0))
          }
        }
        for argument in StateMachineDefinition.arguments(in: definition, text: text) {
          let value = evaluator.evaluate(argument.node, into: &diagnostics)
          guard let segments = value.placeholderSegments else { continue }
          let substituted = Self.substituting(substitutions, in: segments)
          let path = ["Definition"] + argument.path
          let versions = Self.versions(of: argument, text: text)
          guard
            var found = stateMachineConsumer(
              substituted, argument: argument, versions: versions, at: site(argument.node, path),
              of: resource, into: &diagnostics)
          else { continue }
          // A definition substitution may take the ARN from an input.
          if substituted != segments { found.isWrittenOut = false }
          if case .written(let roleNode) = argument.credentials {
            found.role = role(at: roleNode, into: &diagnostics)
            found.roleRange = roleNode.range
            found.roleProperty = nil
          }
          consumers.append(found)
        }
      } else if let node = properties["DefinitionString"] {
        let value = evaluator.evaluate(node, into: &diagnostics)
        guard value != .noValue, value.placeholderSegments != nil else { return [] }
        guard let document = EmbeddedDocument(value, syntax: .json, path: "definition"),
          let definition = document.root
        else {
          // Not read, so not checked and not granted: said, rather than passed over.
          diagnostics.report(
            Diagnostic(
              .definitionNotRead,
              "the 'DefinitionString' of '\(place(of: resource).id)' is not JSON cinch can read "
                + "(or nests deeper than it reads): what its tasks read from Parameter Store "
                + "and Secrets Manager is not checked, and no policy grants it",
              file: template.path, range: node.range,
              path: TemplatePath(place(of: resource).path + ["Properties", "DefinitionString"])))
          return []
        }
        let text = { (node: Node) -> String? in
          node.scalar.map {
            Value.text(of: Self.substituting(substitutions, in: document.segments(of: $0)))
          }
        }
        for argument in StateMachineDefinition.arguments(in: definition, text: text) {
          guard let name = argument.node.scalar else { continue }
          let segments = Self.substituting(substitutions, in: document.segments(of: name))
          let versions = Self.versions(of: argument, text: text)
          // Each read is its own place in the definition, though they share the string.
          guard
            var found = stateMachineConsumer(
              segments, argument: argument, versions: versions,
              at: site(node, ["DefinitionString"] + argument.path), of: resource,
              into: &diagnostics)
          else { continue }
          found.isWrittenOut = Self.writesOutARN(segments)
          if let line = EmbeddedDocument.range(
            ofLine: argument.node.range.start.line, in: node, file: template.document.file)
          {
            found.range = line
          }
          if case .written(let roleNode) = argument.credentials, let raw = roleNode.scalar {
            found.role = role(
              of: Self.substituting(substitutions, in: document.segments(of: raw)),
              into: &diagnostics)
            found.roleProperty = nil
            found.roleRange = found.range
          }
          consumers.append(found)
        }
      }
      return consumers
    }

    /// A getSecretValue's own `VersionStage` and `VersionId` as written, and whether either is
    /// taken from the execution.
    private static func versions(
      of argument: StateMachineDefinition.Argument, text: (Node) -> String?
    ) -> (stage: String?, id: String?, chosenAtRunTime: Bool) {
      var result: (stage: String?, id: String?, chosenAtRunTime: Bool) = (nil, nil, false)
      for (field, isStage) in [(argument.versionStage, true), (argument.versionID, false)] {
        switch field {
        case .absent: break
        case .chosenAtRunTime: result.chosenAtRunTime = true
        case .written(let node):
          if isStage { result.stage = text(node) } else { result.id = text(node) }
        }
      }
      return result
    }

    private mutating func stateMachineConsumer(
      _ segments: [Value.Segment], argument: StateMachineDefinition.Argument,
      versions: (stage: String?, id: String?, chosenAtRunTime: Bool), at site: Site,
      of resource: Template.Resource, into diagnostics: inout Diagnostics
    ) -> RuntimeConsumer? {
      guard
        var found = consumer(
          segments, format: argument.api.format, at: site, of: resource, into: &diagnostics)
      else { return nil }
      if argument.api.format == .parameterName { found.parameterAction = argument.api.action }
      found.decrypts = argument.decrypts
      if case .chosenAtRunTime = argument.credentials {
        found.role = .chosenAtRunTime
        found.roleProperty = nil
        found.roleRange = nil
      }
      // A getSecretValue's own VersionStage and VersionId (a parameter path's selector, read
      // through Parameter Store, already named its version).
      guard argument.api.format == .secretID, found.kind == .secret else { return found }
      found.versionStage = versions.stage
      found.versionID = versions.id
      found.versionChosenAtRunTime = versions.chosenAtRunTime
      return found
    }

    /// `DefinitionSubstitutions`, evaluated: each key's value as text and holes.
    private mutating func definitionSubstitutions(
      _ properties: Node, into diagnostics: inout Diagnostics
    ) -> [String: [Value.Segment]] {
      var substitutions: [String: [Value.Segment]] = [:]
      for entry in properties["DefinitionSubstitutions"]?.mapping ?? [] {
        let value = evaluator.evaluate(entry.value, into: &diagnostics)
        if let segments = value.placeholderSegments { substitutions[entry.name] = segments }
      }
      return substitutions
    }

    /// `segments` with each `${KEY}` of a definition substitution replaced by its value, as
    /// Step Functions replaces them; any other `${…}` stays as written.
    /// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-stepfunctions-statemachine.html#cfn-stepfunctions-statemachine-definitionsubstitutions
    static func substituting(
      _ substitutions: [String: [Value.Segment]], in segments: [Value.Segment]
    ) -> [Value.Segment] {
      guard !substitutions.isEmpty else { return segments }
      var result: [Value.Segment] = []
      func append(_ text: Substring) {
        guard !text.isEmpty else { return }
        if case .text(let previous)? = result.last {
          result[result.count - 1] = .text(previous + text)
        } else {
          result.append(.text(String(text)))
        }
      }
      for segment in segments {
        guard case .text(let text) = segment else {
          result.append(segment)
          continue
        }
        var rest = Substring(text)
        while let open = rest.firstRange(of: "${") {
          guard let close = rest[open.upperBound...].firstIndex(of: "}"),
            let value = substitutions[String(rest[open.upperBound..<close])]
          else {
            append(rest[..<open.upperBound])
            rest = rest[open.upperBound...]
            continue
          }
          append(rest[..<open.lowerBound])
          for piece in value {
            if case .text(let part) = piece {
              append(Substring(part))
            } else {
              result.append(piece)
            }
          }
          rest = rest[rest.index(after: close)...]
        }
        append(rest)
      }
      return result
    }

    /// Why a concrete name names nothing `resourceType` can read, if it does not: it is empty
    /// (E2005); it holds `*` or `?`, which are in neither alphabet and which a policy's
    /// `Resource` would read as wildcards, granting every name they fit (E2002); or it breaks
    /// Parameter Store's or Secrets Manager's other naming rules (`/my app`, `//app`, a plain
    /// `${Env}`, which a policy would also misread as an IAM variable: E2002, as in a
    /// reference).
    /// `substituted`: the name came out of an `Fn::Sub` (whose `${!…}` leaves a `${`).
    static func unreadableName(
      _ name: String, kind: StoreEntry.Kind, by resourceType: String, substituted: Bool = false
    ) -> (DiagnosticCode, String)? {
      if name.isEmpty {
        return (
          .emptyName,
          "'\(resourceType)' is given an empty \(kind.rawValue) name to read: it names nothing, "
            + "and no statement is generated for it"
        )
      }
      if name.contains(where: { $0 == "*" || $0 == "?" }) {
        return (
          .invalidName,
          "\(kind.rawValue) '\(name)' holds a wildcard: '\(resourceType)' reads one "
            + "\(kind.rawValue) by its exact name, and in a policy '*' and '?' would match every "
            + "name they fit; no statement is generated for it"
        )
      }
      let checked: String
      switch checkedName(name, kind: kind) {
      case .badARN(let problem):
        return (
          .invalidName,
          "'\(name)' \(problem); '\(resourceType)' reads no \(kind.rawValue) by it, and no "
            + "statement is generated for it"
        )
      case .name(let name):
        checked = name
      }
      guard
        let problem = ReferenceScanner.nameProblem(
          checked, isSecret: kind == .secret, substituted: substituted)
      else { return nil }
      return (
        .invalidName,
        "\(problem); '\(resourceType)' reads no \(kind.rawValue) by it, and no statement is "
          + "generated for it"
      )
    }

    /// A located name as the naming rules see it.
    enum CheckedName: Equatable {
      /// What Parameter Store's or Secrets Manager's rules apply to: an ARN's resource name
      /// (a parameter's with its `/`: `parameter/db` is `/db`), without a parameter's
      /// `:VERSION` or `:LABEL`.
      case name(String)
      /// Why a name written as an ARN (`arn:…`) is not one of the entry the reader reads: not
      /// of that service and resource type, no name after `parameter/` or `secret:`, or an
      /// account that is not twelve digits (none only for AWS's public parameters). A partition
      /// or region not written as AWS writes them, or another partition than the stack's, is
      /// `unreachableARN`'s.
      case badARN(String)
    }

    static func checkedName(_ name: String, kind: StoreEntry.Kind) -> CheckedName {
      let bare = kind == .parameter ? ParameterVersionSelector.split(name).name : name
      guard bare.hasPrefix("arn:") else { return .name(bare) }
      guard let arn = StoreARN(bare), arn.kind == kind else {
        let shape =
          kind == .parameter
          ? "arn:PARTITION:ssm:REGION:ACCOUNT:parameter/NAME"
          : "arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME"
        return .badARN("is not a \(kind == .parameter ? "parameter's" : "secret's") ARN (\(shape))")
      }
      let isPublic = kind == .parameter && arn.name.hasPrefix("/aws/")
      if !(isPublic && arn.account.isEmpty),
        arn.account.count != 12 || !arn.account.allSatisfy({ $0.isASCII && $0.isNumber })
      {
        return .badARN("names the account '\(arn.account)', which is not twelve digits")
      }
      return .name(kind == .parameter && !arn.name.hasPrefix("/") ? "/" + arn.name : arn.name)
    }

    /// Whether the value is an ARN the template writes out, region and account included: a
    /// plain scalar, or a `!Sub` string with no variable. Such an ARN names that region and
    /// account wherever the stack is deployed.
    static func writesOutARN(_ node: Node) -> Bool {
      var text = node.scalar
      if let intrinsic = node.intrinsic {
        guard intrinsic.function == .sub, let sub = intrinsic.argument.scalar,
          SubTemplate(sub).variables.isEmpty
        else { return false }
        text = sub
      }
      return text?.hasPrefix("arn:") == true
    }

    /// The same for a name inside a string (a buildspec's, a state machine definition's): an ARN
    /// written out, nothing in it taken from an input.
    static func writesOutARN(_ segments: [Value.Segment]) -> Bool {
      guard case .text(let text)? = segments.first, segments.count == 1 else { return false }
      return text.hasPrefix("arn:")
    }

    private func appending(_ match: Match, _ key: String) -> Match {
      var next = match
      next.property.append(key)
      next.syntax.append(key)
      return next
    }

    /// A value that is (or starts with) a secret or parameter this template creates.
    private func managedEntry(_ first: Value.Segment?) -> (
      kind: StoreEntry.Kind, logicalID: String
    )? {
      guard case .hole(_, let dependencies)? = first, dependencies.count == 1 else { return nil }
      return index.storeResource(for: dependencies[0])
    }

    // MARK: Roles

    private mutating func cachedRole(
      _ source: RuntimeConsumerRule.Role, of resource: Template.Resource, bindings: [String],
      into diagnostics: inout Diagnostics
    ) -> (RoleReference, (node: Node, path: [String])?) {
      let used: [String]
      let path: String
      switch source {
      case .property(let components), .function(let components):
        used = Array(bindings.prefix(components.filter { $0 == "*" }.count))
        path = components.joined(separator: "/")
      case .samResource: (used, path) = ([], "sam")
      case .none: (used, path) = ([], "none")
      }
      // A loop's making is its place and iteration: another iteration may name another role.
      let reader = making.map { $0.path + $0.iteration } ?? [resource.logicalID]
      let key = (reader + [path] + used).joined(separator: "\u{0}")
      if let known = roles[key] { return known }
      let found = role(source, of: resource, bindings: bindings, into: &diagnostics)
      roles[key] = found
      return found
    }

    /// The role, and the property (relative to `Properties`) that names it.
    private mutating func role(
      _ source: RuntimeConsumerRule.Role, of resource: Template.Resource, bindings: [String],
      into diagnostics: inout Diagnostics
    ) -> (RoleReference, (node: Node, path: [String])?) {
      switch source {
      case .none:
        return (.none, nil)
      case .property(let path):
        let site = node(at: path, bindings: bindings, in: resource, into: &diagnostics)
        return (role(at: site?.node, into: &diagnostics), site)
      case .function(let path):
        guard let site = node(at: path, bindings: bindings, in: resource, into: &diagnostics) else {
          return (.none, nil)
        }
        return (roleOfFunction(named: site.node, into: &diagnostics), site)
      case .samResource:
        // The resource itself, not looked up by its logical ID: a loop's making has none.
        if let role = resource.properties?["Role"] {
          return (self.role(at: role, into: &diagnostics), (node: role, path: ["Role"]))
        }
        return (generatedRole(of: resource.logicalID), nil)
      }
    }

    /// The role the SAM transform generates for a function or state machine without `Role`:
    /// `<LogicalId>Role`, a loop's identifiers in the logical ID replaced, as the loop replaces
    /// them before the transform runs.
    private func generatedRole(of logicalID: String) -> RoleReference {
      guard let named = evaluator.loopText(logicalID, dollar: true),
        let segments = named.placeholderSegments
      else { return .generated(logicalID + "Role") }
      guard let name = named.string else {
        return .symbolic(Value.text(of: segments) + "Role", waitsOn: named.waitsOn)
      }
      return .generated(name + "Role")
    }

    /// The node at a role path, `*`s bound to the value's elements; an `Fn::If` on the way goes
    /// the way its condition does (the first branch while the condition is unknown).
    private mutating func node(
      at path: [String], bindings: [String], in resource: Template.Resource,
      into diagnostics: inout Diagnostics
    ) -> (node: Node, path: [String])? {
      guard var node = resource.properties else { return nil }
      var remaining = bindings[...]
      var resolved: [String] = []
      for component in path {
        node = takeBranches(node, into: &diagnostics)
        let key: String
        if component == "*" {
          guard let bound = remaining.popFirst() else { return nil }
          key = bound
        } else {
          key = component
        }
        resolved.append(key)
        switch node.value {
        case .mapping: guard let child = node[key] else { return nil }; node = child
        case .sequence(let items):
          guard let index = Int(key), items.indices.contains(index) else { return nil }
          node = items[index]
        default: return nil
        }
      }
      return (node, resolved)
    }

    private mutating func takeBranches(_ node: Node, into diagnostics: inout Diagnostics) -> Node {
      var node = node
      while let intrinsic = node.intrinsic, intrinsic.function == .if,
        let items = intrinsic.argument.sequence, items.count == 3, let name = items[0].scalar
      {
        node = evaluator.conditionValue(name, into: &diagnostics) == false ? items[2] : items[1]
      }
      return node
    }

    /// Follows a role property's value to the template's role, or says what it is.
    private mutating func role(at node: Node?, into diagnostics: inout Diagnostics) -> RoleReference
    {
      guard let node else { return .none }
      let value = evaluator.evaluate(node, into: &diagnostics)
      if value == .noValue { return .none }
      guard let segments = value.placeholderSegments else { return .none }
      return role(of: segments, into: &diagnostics)
    }

    /// The role a value names, as text and holes: the template's role when it waits on that
    /// one alone (`!GetAtt Role.Arn`, `${Role.Arn}`), else one named by ARN or name, else what
    /// it waits on.
    private mutating func role(of segments: [Value.Segment], into diagnostics: inout Diagnostics)
      -> RoleReference
    {
      let segments = Value.resolvingReferences(in: segments)
      var waitsOn: [Dependency] = []
      var isKnown = true
      for case .hole(_, let dependencies) in segments {
        isKnown = false
        waitsOn += dependencies.filter { !waitsOn.contains($0) }
      }
      let roles = Set(waitsOn.compactMap { resourceName(of: $0, types: ["AWS::IAM::Role"]) })
      if roles.count == 1, let role = roles.first { return .resource(role) }
      let text = Value.text(of: segments)
      guard isKnown else { return .symbolic(text, waitsOn: waitsOn) }
      return roleResource(named: text, into: &diagnostics).map(RoleReference.resource)
        ?? .external(text)
    }

    /// The template's `AWS::IAM::Role` whose `RoleName` (and `Path`, when the ARN has one) is the
    /// one an ARN or a name gives.
    private mutating func roleResource(named text: String, into diagnostics: inout Diagnostics)
      -> String?
    {
      var name = text
      var path: String?
      if text.hasPrefix("arn:") {
        let fields = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard fields.count == 6, fields[2] == "iam", fields[5].hasPrefix("role/") else {
          return nil
        }
        let full = fields[5].dropFirst("role/".count)
        let parts = full.split(separator: "/", omittingEmptySubsequences: false)
        name = String(parts.last ?? "")
        path = parts.count > 1 ? "/" + parts.dropLast().joined(separator: "/") + "/" : "/"
      }
      for resource in template.resources where resource.type == "AWS::IAM::Role" {
        guard let roleName = resource.properties?["RoleName"],
          evaluator.evaluate(roleName, into: &diagnostics).string == name
        else { continue }
        if let path {
          let rolePath =
            resource.properties?["Path"].map { evaluator.evaluate($0, into: &diagnostics).string }
            ?? "/"
          if rolePath != path { continue }
        }
        return resource.logicalID
      }
      return nil
    }

    private static let functionTypes: Set<String> = [
      "AWS::Lambda::Function", "AWS::Serverless::Function", "AWS::Lambda::Alias",
      "AWS::Lambda::Version",
    ]

    /// The role of the function a `FunctionName`-like property names.
    private mutating func roleOfFunction(named node: Node, into diagnostics: inout Diagnostics)
      -> RoleReference
    {
      let value = evaluator.evaluate(node, into: &diagnostics)
      let functions = Set(
        value.waitsOn.compactMap { resourceName(of: $0, types: Self.functionTypes) })
      if functions.count == 1, let function = functions.first {
        return roleOfFunction(function, depth: 0, into: &diagnostics)
      }
      guard let text = value.placeholderText else { return .none }
      guard value.isKnown else { return .symbolic("role of \(text)", waitsOn: value.waitsOn) }
      // A name, a partial ARN (`123456789012:function:name`) or an ARN, maybe with a qualifier.
      let fields = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
      let name =
        fields.firstIndex(of: "function").flatMap {
          fields.indices.contains($0 + 1) ? fields[$0 + 1] : nil
        } ?? text
      for resource in template.resources
      where resource.type.map(Self.functionTypes.contains) == true {
        if let functionName = resource.properties?["FunctionName"],
          resource.type == "AWS::Lambda::Function" || resource.type == "AWS::Serverless::Function",
          evaluator.evaluate(functionName, into: &diagnostics).string == name
        {
          return roleOfFunction(resource.logicalID, depth: 0, into: &diagnostics)
        }
      }
      return .functionRole(text)
    }

    private mutating func roleOfFunction(
      _ logicalID: String, depth: Int, into diagnostics: inout Diagnostics
    ) -> RoleReference {
      guard depth < 8, let resource = index.resource(logicalID) else { return .none }
      switch resource.type {
      case "AWS::Lambda::Function":
        return role(at: resource.properties?["Role"], into: &diagnostics)
      case "AWS::Serverless::Function", "AWS::Serverless::StateMachine":
        if let role = resource.properties?["Role"] {
          return self.role(at: role, into: &diagnostics)
        }
        return generatedRole(of: logicalID)
      default:
        // An alias or a version: the function it points at.
        guard let target = resource.properties?["FunctionName"] else { return .none }
        let value = evaluator.evaluate(target, into: &diagnostics)
        let functions = Set(
          value.waitsOn.compactMap { resourceName(of: $0, types: Self.functionTypes) })
        if functions.count == 1, let function = functions.first {
          return roleOfFunction(function, depth: depth + 1, into: &diagnostics)
        }
        return roleOfFunction(named: target, into: &diagnostics)
      }
    }

    private func resourceName(of dependency: Dependency, types: Set<String>) -> String? {
      switch dependency {
      case .resource(let name), .attribute(let name, _):
        guard let type = index.resource(name)?.type, types.contains(type) else { return nil }
        return name
      default:
        return nil
      }
    }
  }
}

extension RuntimeConsumerFinder {
  /// An ARN whose partition or region is not written as AWS writes them (`AWS`,
  /// `EU-WEST-1`, `eu_west_1`: IAM and the services compare ARNs exactly, so it names
  /// nothing; https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html), or of
  /// another partition than the region the stack deploys to, when that region is given and
  /// its partition known: partitions share no credentials, roles or resources, so the
  /// resource cannot read it, as a reference's secret ARN cannot (E2013). Not judged in an
  /// evaluation as if deployed elsewhere (`partitionStandIn`), whose stand-ins for the
  /// partition and a parameter's value are no names at all.
  static func unreachableARN(
    _ name: String, kind: StoreEntry.Kind, by resourceType: String, inputs: EvaluationInputs
  ) -> (DiagnosticCode, String)? {
    guard inputs.partitionStandIn == nil,
      let arn = StoreARN(kind == .parameter ? ParameterVersionSelector.split(name).name : name),
      arn.kind == kind
    else { return nil }
    let ending =
      "; '\(resourceType)' reads no \(kind.rawValue) by it, and no statement is generated for it"
    if !Partition.isPartitionName(arn.partition) {
      return (
        .invalidName,
        "'\(name)' names the partition '\(arn.partition)', which is not an AWS partition "
          + "('aws', 'aws-cn', …)" + ending
      )
    }
    if !Partition.isRegionName(arn.region) {
      return (
        .invalidName,
        "'\(name)' names the region '\(arn.region)', which is not a region name "
          + "('us-east-1', …)" + ending
      )
    }
    // A region of a partition cinch does not know is read as `aws`'s (`Partition.of`): its
    // real partition is not known here.
    let region = inputs.region
    guard !inputs.assumed.contains("AWS::Region"),
      Partition.of(region: region) != .standard || Partition.isStandardRegion(region)
    else { return nil }
    let partition = inputs.partition
    guard arn.partition != partition else { return nil }
    return (
      .invalidName,
      "'\(name)' is in partition '\(arn.partition)', but the stack deploys to "
        + "\(region) (partition '\(partition)'), which shares no roles or resources with it"
        + ending
    )
  }
}
