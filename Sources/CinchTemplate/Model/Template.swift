/// A CloudFormation template's sections, read from a parsed document: the view every stage
/// after the parser works on. Nodes stay located; nothing is evaluated here.
public struct Template: Sendable {
  public let document: ParsedDocument
  public var formatVersion: String?
  /// `Transform` values (`AWS::Serverless-2016-10-31`, `AWS::LanguageExtensions`, …).
  public var transforms: [String]
  public var parameters: [Parameter]
  public var mappings: [Mapping]
  public var conditions: [Condition]
  public var resources: [Resource] {
    didSet { resourceIndex = Self.index(resources) }
  }
  public var outputs: [Output]
  /// The sections an `AWS::Include` adds to (an `Fn::Transform` key among the entries, or the
  /// whole section one): what they hold is known only at deploy.
  /// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/transform-aws-include.html
  public var includedSections: Set<String> = []
  /// Position of each logical ID's first resource: lookups by name are made per reference and
  /// per graph edge, and a scan each time made large templates quadratic.
  fileprivate var resourceIndex: [String: Int] = [:]
  /// The identifier of each `Fn::ForEach` loop and where its body is.
  var loopScopes: [LoopScope] = []

  public var file: SourceFile { document.file }
  public var path: String { document.file.path }

  /// Whether the document looks like a CloudFormation template (a `Resources` mapping or a
  /// format version) rather than some other YAML or JSON file with references in it.
  public var isCloudFormation: Bool { formatVersion != nil || !resources.isEmpty }

  public struct Parameter: Sendable {
    public var name: String
    public var keyRange: SourceRange
    public var node: Node
    public var type: String
    public var defaultValue: Node?
    public var noEcho: Bool
    public var allowedValues: [String]?
    public var allowedPattern: String?
    public var minLength: Int?
    public var maxLength: Int?
    public var minValue: Double?
    public var maxValue: Double?

    /// `AWS::SSM::Parameter::Value<…>`: the value names a Parameter Store parameter that
    /// CloudFormation reads at deploy.
    public var isSSMValueType: Bool { type.hasPrefix("AWS::SSM::Parameter::Value<") }
    /// `List<…>` and `CommaDelimitedList` parameters evaluate to lists.
    public var isList: Bool {
      type == "CommaDelimitedList" || type.hasPrefix("List<")
        || type.hasPrefix("AWS::SSM::Parameter::Value<List<")
        || type == "AWS::SSM::Parameter::Value<CommaDelimitedList>"
    }
  }

  public struct Mapping: Sendable {
    public var name: String
    public var keyRange: SourceRange
    public var node: Node
  }

  public struct Condition: Sendable {
    public var name: String
    public var keyRange: SourceRange
    public var node: Node
  }

  public struct Resource: Sendable {
    public var logicalID: String
    public var keyRange: SourceRange
    public var node: Node
    public var type: String?
    public var properties: Node?
    public var metadata: Node?
    public var condition: String?
    public var dependsOn: [(name: String, range: SourceRange)]

    /// Its `Type`; for a loop of `Fn::ForEach`, the type of the resources it makes.
    public var madeType: String? {
      Template.isLoop(logicalID) ? Loop(node)?.resourceType : type
    }
  }

  public struct Output: Sendable {
    public var name: String
    public var keyRange: SourceRange
    public var node: Node
    public var value: Node?
    public var condition: String?
    public var exportName: Node?
  }

  public func parameter(_ name: String) -> Parameter? { parameters.first { $0.name == name } }
  public func resource(_ logicalID: String) -> Resource? {
    resourceIndex[logicalID].map { resources[$0] }
  }

  /// Where `resource(logicalID)` sits in `resources`: for callers that need one field or only
  /// whether it exists, without a copy of the whole resource.
  public func resourcePosition(_ logicalID: String) -> Int? { resourceIndex[logicalID] }

  /// Whether a resource has this logical ID.
  public func hasResource(_ logicalID: String) -> Bool { resourceIndex[logicalID] != nil }

  /// Whether a key of `Resources`, `Conditions` or `Outputs` is a loop of `Fn::ForEach`
  /// (`AWS::LanguageExtensions`), which cinch does not expand.
  public static func isLoop(_ key: String) -> Bool { key.hasPrefix("Fn::ForEach::") }

  /// The value of an `Fn::ForEach` loop: `[Identifier, Collection, {OutputKey: OutputValue}]`.
  public struct Loop {
    public let identifier: Node
    public let collection: Node
    /// What each iteration makes: resources, conditions or outputs, and nested loops.
    public let body: Node

    public init?(_ value: Node) {
      guard let items = value.sequence, items.count == 3 else { return nil }
      (identifier, collection, body) = (items[0], items[1], items[2])
    }

    /// The elements, when the collection is written as a list of strings, as CloudFormation
    /// reads them (YAML 1.1: a plain `010` is 8); nil for any other collection.
    public var writtenElements: [String]? {
      guard let items = collection.sequence else { return nil }
      let strings = items.compactMap(\.scalarAsRead)
      return strings.count == items.count ? strings : nil
    }

    /// The `Type` every resource the loop makes has (nested loops looked through), or nil when
    /// they differ or none is written.
    public var resourceType: String? {
      let types = Set(
        (body.mapping ?? []).map { entry in
          Template.isLoop(entry.name)
            ? Loop(entry.value)?.resourceType : entry.value["Type"]?.scalar
        })
      guard types.count == 1, let type = types.first else { return nil }
      return type
    }
  }

  /// Whether a condition the template does not write may be included at deploy. (What the
  /// loops of `Fn::ForEach` in `Conditions` make, the evaluator says: `conditionOrigin`.)
  public var mayDefineConditions: Bool { includedSections.contains("Conditions") }

  /// Whether a mapping the template does not write may be included at deploy.
  public var mayDefineMappings: Bool { includedSections.contains("Mappings") }

  /// Whether a name the template does not write may still name something at deploy: a
  /// resource a transform adds (`AWS::Serverless-2016-10-31` makes `ServerlessRestApi`,
  /// `<Function>Role`, …; any macro may), what a loop of `Fn::ForEach` makes, or a module's
  /// resource, named `Module.Resource` and `ModuleResource`. A loop's identifier is no such
  /// name: it names the element only inside the loop (`isLoopIdentifier(_:at:)`).
  /// https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-generated-resources.html
  /// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/module-ref-resources.html
  public func mayDefineName(_ logicalID: String) -> Bool {
    if transforms.contains(where: { $0 != "AWS::LanguageExtensions" }) { return true }
    if includedSections.contains("Resources") { return true }
    let moduleResource = resources.contains { resource in
      resource.type?.hasSuffix("::MODULE") == true && logicalID.count > resource.logicalID.count
        && logicalID.hasPrefix(resource.logicalID)
    }
    if moduleResource { return true }
    // A loop makes what its body's keys say (`Topic${Name}`: `Topic` and anything after). A
    // loop that cannot be read may make anything.
    var names = LoopNames()
    for loop in resources where Self.isLoop(loop.logicalID) {
      guard names.collect(loop.node, keysName: true) else { return true }
    }
    for loop in conditions where Self.isLoop(loop.name) {
      guard names.collect(loop.node, keysName: false) else { return true }
    }
    for loop in outputs where Self.isLoop(loop.name) {
      guard names.collect(loop.node, keysName: false) else { return true }
    }
    return names.makes(logicalID)
  }

  /// A byte a logical ID may hold: "The logical ID must be alphanumeric (A-Za-z0-9)".
  /// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/resources-section-structure.html
  static func isLogicalIDByte(_ byte: UInt8) -> Bool {
    (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
  }

  /// Whether CloudFormation takes `name` as a logical ID: letters and digits, 1 to 255 of them.
  static func isLogicalID(_ name: String) -> Bool {
    !name.isEmpty && name.utf8.count <= 255 && name.utf8.allSatisfy(isLogicalIDByte)
  }

  /// Whether `name` is the identifier of an `Fn::ForEach` loop whose body holds `range`: there,
  /// and only there, it names the loop's element ("All instances of ${Identifier} or
  /// &{Identifier} in the OutputKey and OutputValue parameters will be replaced").
  /// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-foreach.html
  public func isLoopIdentifier(_ name: String, at range: SourceRange) -> Bool {
    loopScopes.contains { $0.identifier == name && $0.body.contains(range.start.offset) }
  }

  /// A loop's identifier and the bytes of the body it names the element in.
  struct LoopScope: Sendable {
    var identifier: String
    var body: Range<Int>
  }

  /// The scopes of every loop under `node` (a section), in resource properties too.
  static func loopScopes(in node: Node, into scopes: inout [LoopScope]) {
    switch node.value {
    case .scalar:
      return
    case .sequence(let items):
      for item in items { loopScopes(in: item, into: &scopes) }
    case .mapping(let entries):
      for entry in entries {
        if isLoop(entry.name), let loop = Loop(entry.value), let identifier = loop.identifier.scalar
        {
          scopes.append(LoopScope(identifier: identifier, body: loop.body.range.bytes))
        }
        loopScopes(in: entry.value, into: &scopes)
      }
    case .intrinsic(let intrinsic):
      loopScopes(in: intrinsic.argument, into: &scopes)
    }
  }

  /// The keys the bodies of a template's `Fn::ForEach` loops give to what they make, as text
  /// and placeholders (`Topic${Name}`), each with the elements its placeholders stand for.
  struct LoopNames {
    enum Part: Equatable {
      case text(Substring)
      /// `${Identifier}`, or `&{Identifier}` (`alphanumeric`: the element with every other
      /// character left out).
      case placeholder(String, alphanumeric: Bool)
    }

    /// A body's key, with the elements of the loops around it, by identifier: the innermost
    /// loop of an identifier's, where its collection is written as a list of strings (an
    /// identifier without a list here stands for any text).
    struct Key {
      var parts: [Part]
      var elements: [String: [String]]
    }

    var keys: [Key] = []

    /// Adds the loop `value` (and the loops nested in its body); false when it is not the
    /// three-element form. `keysName`: its body makes resources, whose keys can be named.
    /// `elements`: those of the loops around it.
    mutating func collect(
      _ value: Node, keysName: Bool, around elements: [String: [String]] = [:]
    ) -> Bool {
      guard let loop = Loop(value), let identifier = loop.identifier.scalar,
        let body = loop.body.mapping
      else { return false }
      // Each loop's own list: an identifier a sibling loop shares stands for its own elements.
      var inside = elements
      inside[identifier] = loop.writtenElements
      for entry in body {
        if Template.isLoop(entry.name) {
          guard collect(entry.value, keysName: keysName, around: inside) else { return false }
        } else if keysName {
          keys.append(Key(parts: Self.parts(entry.name), elements: inside))
        }
      }
      return true
    }

    /// `Topic${Name}Policy` → text `Topic`, placeholder `Name`, text `Policy`.
    static func parts(_ key: String) -> [Part] {
      var parts: [Part] = []
      var rest = key[...]
      while let open = rest.firstRange(of: "{"), open.lowerBound > rest.startIndex,
        case let sigil = rest[rest.index(before: open.lowerBound)], sigil == "$" || sigil == "&",
        let close = rest[open.upperBound...].firstIndex(of: "}")
      {
        let before = rest[..<rest.index(before: open.lowerBound)]
        if !before.isEmpty { parts.append(.text(before)) }
        parts.append(
          .placeholder(String(rest[open.upperBound..<close]), alphanumeric: sigil == "&"))
        rest = rest[rest.index(after: close)...]
      }
      if !rest.isEmpty { parts.append(.text(rest)) }
      return parts
    }

    /// Whether a loop makes names of this shape: `Subnet${Id}` written in another loop's body,
    /// its identifier standing for an element, as one of this loop's keys is written (each
    /// placeholder standing for any element).
    func makes(shape name: String) -> Bool {
      let wanted = Self.shape(Self.parts(name))
      return keys.contains { Self.shape($0.parts) == wanted }
    }

    private static func shape(_ parts: [Part]) -> [Part] {
      parts.map { part in
        if case .placeholder = part { return .placeholder("", alphanumeric: false) }
        return part
      }
    }

    /// Whether a loop can make the name: one of its keys with each placeholder replaced by an
    /// element of its loop's list, or by any text where the list is not written out.
    func makes(_ name: String) -> Bool {
      keys.contains { matches(name[...], $0.parts[...], elements: $0.elements) }
    }

    private func matches(
      _ name: Substring, _ parts: ArraySlice<Part>, elements: [String: [String]]
    ) -> Bool {
      guard let part = parts.first else { return name.isEmpty }
      let rest = parts.dropFirst()
      switch part {
      case .text(let text):
        return name.hasPrefix(text)
          && matches(name.dropFirst(text.count), rest, elements: elements)
      case .placeholder(let identifier, let alphanumeric):
        if let values = elements[identifier] {
          return values.contains { value in
            let written = alphanumeric ? LoopPlaceholders.alphanumeric(value) : value
            return name.hasPrefix(written)
              && matches(name.dropFirst(written.count), rest, elements: elements)
          }
        }
        // Any non-empty text.
        var end = name.startIndex
        while end < name.endIndex {
          end = name.index(after: end)
          if matches(name[end...], rest, elements: elements) { return true }
        }
        return false
      }
    }
  }

  private static func index(_ resources: [Resource]) -> [String: Int] {
    var index: [String: Int] = [:]
    index.reserveCapacity(resources.count)
    for (position, resource) in resources.enumerated() where index[resource.logicalID] == nil {
      index[resource.logicalID] = position
    }
    return index
  }
  public func mapping(_ name: String) -> Mapping? { mappings.first { $0.name == name } }
  public func condition(_ name: String) -> Condition? { conditions.first { $0.name == name } }
}

/// Reads the sections of a parsed document into a `Template`.
public enum TemplateReader {
  public static func read(_ document: ParsedDocument, into diagnostics: inout Diagnostics)
    -> Template
  {
    var template = Template(
      document: document, formatVersion: nil, transforms: [], parameters: [], mappings: [],
      conditions: [], resources: [], outputs: [])
    guard let root = document.root, let sections = root.mapping else { return template }
    let path = document.file.path
    template.formatVersion = root["AWSTemplateFormatVersion"]?.scalar
    if let transform = root["Transform"] {
      // A name, a list of them, or `{Name: AWS::Include, Parameters: …}`.
      template.transforms = (transform.sequence ?? [transform]).compactMap {
        $0.scalar ?? $0["Name"]?.scalar
      }
    }
    let shape = Shape(root, transforms: template.transforms)
    for section in sections {
      // `Resources: {Fn::Transform: {Name: AWS::Include, …}}` reads as one intrinsic function:
      // the section comes from the included file. Beside the entries, it includes more of them.
      // Parameters take no include; CloudFormation rejects one there.
      if Self.includableSections.contains(section.name) {
        if section.value.intrinsic?.function == .transform {
          template.includedSections.insert(section.name)
          continue
        }
        if section.value["Fn::Transform"] != nil { template.includedSections.insert(section.name) }
      }
      guard
        let entries = section.value.mapping?.filter({ !Self.isInclude($0, in: section.name) })
      else {
        if ["Parameters", "Mappings", "Conditions", "Resources", "Outputs"].contains(section.name),
          !section.value.isNull, shape.looksLikeTemplate
        {
          diagnostics.report(
            Diagnostic(
              .sectionNotMapping, "section '\(section.name)' must be a mapping", file: path,
              range: section.value.range, path: [section.name]))
        }
        continue
      }
      switch section.name {
      case "Parameters":
        // AWS::Include works in every section but this one: said once, as CloudFormation
        // rejects it, not as a parameter named `Fn::Transform` with no type.
        if let include = entries.first(where: { $0.name == "Fn::Transform" }) {
          diagnostics.report(
            Diagnostic(
              .sectionNotMapping,
              "'Fn::Transform' (AWS::Include) is not allowed in 'Parameters'; CloudFormation "
                + "rejects the template", file: path, range: include.key.range,
              path: ["Parameters", "Fn::Transform"]))
        }
        template.parameters = withoutLoops(entries, in: section.name, file: path, &diagnostics)
          .filter { $0.name != "Fn::Transform" }.map { entry in
            checkType(of: entry, file: path, into: &diagnostics)
            return parameter(entry)
          }
      case "Mappings":
        template.mappings = withoutLoops(entries, in: section.name, file: path, &diagnostics).map {
          Template.Mapping(name: $0.name, keyRange: $0.key.range, node: $0.value)
        }
      case "Conditions":
        template.conditions = entries.map {
          Template.Condition(name: $0.name, keyRange: $0.key.range, node: $0.value)
        }
      case "Resources":
        template.resources = entries.map { entry in
          let resource = resource(entry)
          if resource.type == nil, !Template.isLoop(entry.name) {
            diagnostics.report(
              Diagnostic(
                .resourceWithoutType, "resource '\(entry.name)' has no 'Type'", file: path,
                range: entry.key.range, path: ["Resources", entry.name]))
          }
          return resource
        }
      case "Outputs":
        template.outputs = entries.map { entry in
          Template.Output(
            name: entry.name, keyRange: entry.key.range, node: entry.value,
            value: entry.value["Value"], condition: entry.value["Condition"]?.scalar,
            exportName: entry.value["Export"]?["Name"])
        }
      default:
        break
      }
    }
    checkSections(sections, of: template, shape: shape, file: path, into: &diagnostics)
    checkLoopIdentifiers(root, of: template, file: path, into: &diagnostics)
    // Loops are read without the transform too, as `mayDefineName` reads them; a template that
    // never writes one is not walked.
    if template.transforms.contains("AWS::LanguageExtensions")
      || document.file.contains("Fn::ForEach::")
    {
      for section in ["Resources", "Outputs", "Conditions"] {
        if let node = root[section] { Template.loopScopes(in: node, into: &template.loopScopes) }
      }
    }
    return template
  }

  /// The entries of `Parameters` or `Mappings` but their `Fn::ForEach` loops, each an E1002:
  /// "It can't be used in any of the following sections, AWSTemplateFormatVersion,
  /// Description, Metadata, Transform, Parameters, Mappings, Rules, or Hooks". Said once, as
  /// CloudFormation rejects it, not as a parameter or mapping named `Fn::ForEach::…`.
  /// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-foreach.html
  private static func withoutLoops(
    _ entries: [Entry], in section: String, file: String, _ diagnostics: inout Diagnostics
  ) -> [Entry] {
    entries.filter { entry in
      guard Template.isLoop(entry.name) else { return true }
      diagnostics.report(
        Diagnostic(
          .malformedIntrinsic,
          "'Fn::ForEach' is not allowed in '\(section)' (only in 'Conditions', 'Outputs' and "
            + "'Resources'); CloudFormation rejects the template", file: file,
          range: entry.key.range, path: TemplatePath([section, entry.name])))
      return false
    }
  }

  /// E1002 for an `Fn::ForEach` loop whose identifier is also a parameter's name, which
  /// Fn::ForEach's reference and the language-extensions RFC rule out (the template is
  /// rejected); cinch would otherwise read the identifier as the parameter and pin one name for
  /// every iteration.
  /// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-foreach.html
  private static func checkLoopIdentifiers(
    _ root: Node, of template: Template, file: String, into diagnostics: inout Diagnostics
  ) {
    guard template.transforms.contains("AWS::LanguageExtensions"), !template.parameters.isEmpty
    else { return }
    let parameters = Set(template.parameters.map(\.name))
    func visit(_ node: Node, path: [String]) {
      for entry in node.mapping ?? [] where Template.isLoop(entry.name) {
        guard let loop = Template.Loop(entry.value) else { continue }
        if let identifier = loop.identifier.scalar, parameters.contains(identifier) {
          diagnostics.report(
            Diagnostic(
              .malformedIntrinsic,
              "'\(entry.name)' names its identifier '\(identifier)', which is also a "
                + "parameter's name; CloudFormation rejects the template",
              file: file, range: loop.identifier.range,
              path: TemplatePath(path + [entry.name, "0"])))
        }
        visit(loop.body, path: path + [entry.name, "2"])
      }
    }
    for section in ["Resources", "Outputs", "Conditions"] {
      if let node = root[section] { visit(node, path: [section]) }
    }
  }

  /// What a document says about being a template. CloudFormation needs neither a format
  /// version nor a transform, and other files have a `Resources` key too (an Elastic Beanstalk
  /// `.ebextensions` config, a CodeDeploy AppSpec), so the section rules are as strict as the
  /// document is clear about it.
  struct Shape {
    /// A format version or a transform: the document is a template.
    let declared: Bool
    /// Declared, or a `Resources` mapping (or an included one), or a misspelt one among keys
    /// that are all sections or near misses of one (`misspeltResources`).
    let looksLikeTemplate: Bool
    /// The top-level key that misses `Resources` by one letter or by case (`resources`,
    /// `Resource`), holding entries with a `Type`, when there is no `Resources` and every
    /// top-level key is a section or a near miss of one: a template whose resources
    /// CloudFormation will not find, not another kind of file (a Serverless Framework file's
    /// `resources` sits beside `service` and `provider`).
    let misspeltResources: Entry?
    /// The resources may come from elsewhere: an `AWS::Include` (top-level or inside
    /// `Resources`) or a macro cinch does not know adds them at deploy.
    let resourcesMayBeAdded: Bool

    /// The same name but for case or one letter (`Output`, `resources`, `Resorces`).
    static func nearMiss(_ name: String, _ section: String) -> Bool {
      section == name || section.lowercased() == name.lowercased()
        || NearestName.editDistance(Array(section.utf8), Array(name.utf8)) == 1
    }

    /// The transforms whose templates must list their own resources.
    static let knownTransforms: Set<String> = [
      "AWS::LanguageExtensions", "AWS::Serverless-2016-10-31", "AWS::CodeDeployBlueGreen",
    ]

    init(_ root: Node, transforms: [String]) {
      let resources = root["Resources"]
      let transformNode = root["Transform"]
      declared = root["AWSTemplateFormatVersion"] != nil || transformNode != nil
      let included =
        resources?.intrinsic?.function == .transform || resources?["Fn::Transform"] != nil
      if resources == nil, let keys = root.mapping,
        keys.allSatisfy({ key in
          TemplateReader.sectionNames.contains { Self.nearMiss(key.name, $0) }
        })
      {
        misspeltResources = keys.first { key in
          Self.nearMiss(key.name, "Resources")
            && (key.value.mapping ?? []).contains { $0.value["Type"]?.scalar != nil }
        }
      } else {
        misspeltResources = nil
      }
      looksLikeTemplate =
        declared || resources?.mapping != nil || included || misspeltResources != nil
      let written = transformNode.map { ($0.sequence ?? [$0]).count } ?? 0
      resourcesMayBeAdded =
        included || written > transforms.count
        || transforms.contains { !Self.knownTransforms.contains($0) }
    }
  }

  /// The sections an `AWS::Include` may add to: every one holding named entries but
  /// `Parameters`.
  static let includableSections: Set<String> = ["Mappings", "Conditions", "Resources", "Outputs"]

  /// An `Fn::Transform` entry among a section's own: an include, no entry of the section.
  static func isInclude(_ entry: Entry, in section: String) -> Bool {
    entry.name == "Fn::Transform" && includableSections.contains(section)
  }

  /// The sections CloudFormation reads; any other top-level key fails the deploy.
  /// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-anatomy.html
  static let sectionNames = [
    "AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Rules", "Mappings",
    "Conditions", "Transform", "Resources", "Outputs", "Hooks",
  ]

  /// E1012 for a top-level key that is no section, E1013 for a template without resources:
  /// CloudFormation rejects both. A document with a format version or a transform is held to
  /// every section rule; one with only a `Resources` mapping may be another kind of file (an
  /// `.ebextensions` config has `option_settings` and `files` beside it), so only a near miss
  /// of a section's name (`Output`, `resources`) is reported there; other YAML and JSON files
  /// are read as they are.
  private static func checkSections(
    _ sections: [Entry], of template: Template, shape: Shape, file: String,
    into diagnostics: inout Diagnostics
  ) {
    guard shape.looksLikeTemplate,
      let declaring = sections.first(where: {
        ["AWSTemplateFormatVersion", "Resources", "Transform"].contains($0.name)
      }) ?? shape.misspeltResources
    else { return }
    // SAM's transform adds `Globals`, and a macro may read keys of its own; AWS's other
    // transforms add none.
    let addsNoSections: Set<String> = ["AWS::LanguageExtensions", "AWS::CodeDeployBlueGreen"]
    let known =
      sectionNames + (template.transforms.allSatisfy(addsNoSections.contains) ? [] : ["Globals"])
    func nearMiss(_ name: String) -> Bool {
      known.contains { Shape.nearMiss(name, $0) }
    }
    for section in sections where !known.contains(section.name) {
      guard shape.declared || nearMiss(section.name) else { continue }
      diagnostics.report(
        Diagnostic(
          .unknownSection,
          "'\(section.name)' is not a template section; CloudFormation rejects the template"
            + NearestName.hint(for: section.name, among: known),
          file: file, range: section.key.range, path: [section.name]))
    }
    checkLogicalIDs(sections, file: file, into: &diagnostics)
    guard template.resources.isEmpty, !shape.resourcesMayBeAdded else { return }
    let resources = sections.first { $0.name == "Resources" }
    diagnostics.report(
      Diagnostic(
        .noResources,
        resources == nil
          ? "template has no 'Resources'; CloudFormation requires at least one resource"
          : "'Resources' is empty; CloudFormation requires at least one resource",
        file: file, range: (resources ?? declaring).key.range,
        path: resources == nil ? [] : ["Resources"]))
  }

  /// E1014 for a logical ID CloudFormation refuses: "The logical ID must be alphanumeric
  /// (A-Za-z0-9) and unique within the template" (resources-section-structure.html), and at
  /// most 255 characters. Keys with a loop's `${X}`/`&{X}` and the loops themselves
  /// (`Fn::ForEach::Name`) follow the language extensions' rules, judged once the loops are
  /// expanded (`LoopKeyRules`).
  private static func checkLogicalIDs(
    _ sections: [Entry], file: String, into diagnostics: inout Diagnostics
  ) {
    let named: [String: String] = [
      "Resources": "resource", "Parameters": "parameter", "Conditions": "condition",
      "Mappings": "mapping", "Outputs": "output",
    ]
    for section in sections {
      guard let noun = named[section.name], let entries = section.value.mapping else { continue }
      // An include (in `Parameters`, reported as such where the section is read) is no ID.
      for entry in entries where entry.name != "Fn::Transform" {
        let name = entry.name
        guard !Template.isLoop(name), !name.contains("${"), !name.contains("&{") else { continue }
        guard !Template.isLogicalID(name) else { continue }
        let alphanumeric = !name.isEmpty && name.utf8.allSatisfy(Template.isLogicalIDByte)
        let shown = HumanDiagnosticRenderer.sanitized(name)
        diagnostics.report(
          Diagnostic(
            .invalidLogicalID,
            alphanumeric
              ? "\(noun) '\(shown.prefix(40))…' has a logical ID of \(name.utf8.count) characters; "
                + "CloudFormation takes at most 255"
              : "\(noun) '\(shown)' has a logical ID CloudFormation rejects: letters and digits "
                + "only (A-Za-z0-9)",
            file: file, range: entry.key.range, path: [section.name, name]))
      }
    }
    // `Ref` names a parameter or a resource: one logical ID for both leaves it naming either
    // ("each parameter, resource, … must be declared with a unique logical name",
    // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/glossary.html#logical-name).
    guard let parameters = sections.first(where: { $0.name == "Parameters" })?.value.mapping,
      let resources = sections.first(where: { $0.name == "Resources" })?.value.mapping
    else { return }
    let parameterNames = Set(parameters.map(\.name))
    for resource in resources where parameterNames.contains(resource.name) {
      diagnostics.report(
        Diagnostic(
          .invalidLogicalID,
          "resource '\(HumanDiagnosticRenderer.sanitized(resource.name))' has the logical ID of "
            + "a parameter; logical IDs are unique within a template (a Ref to it names either)",
          file: file, range: resource.key.range, path: ["Resources", resource.name]))
    }
  }

  /// E1011 for a parameter without a `Type` or with one CloudFormation does not define. The
  /// parameter is still read (as a `String` when it has no type), so the rest is checked too.
  private static func checkType(of entry: Entry, file: String, into diagnostics: inout Diagnostics)
  {
    let path: TemplatePath = ["Parameters", entry.name, "Type"]
    guard let node = entry.value["Type"] else {
      // A parameter that is not a mapping is another error, not a missing type.
      guard entry.value.mapping != nil else { return }
      diagnostics.report(
        Diagnostic(
          .invalidParameterType, "parameter '\(entry.name)' has no 'Type'", file: file,
          range: entry.key.range, path: ["Parameters", entry.name]))
      return
    }
    guard let type = node.scalar else {
      diagnostics.report(
        Diagnostic(
          .invalidParameterType, "parameter '\(entry.name)': 'Type' must be a string", file: file,
          range: node.range, path: path))
      return
    }
    guard !Template.ParameterTypes.isValid(type) else { return }
    diagnostics.report(
      Diagnostic(
        .invalidParameterType,
        "parameter '\(entry.name)' has type '\(type)', which CloudFormation does not define"
          + (Template.ParameterTypes.suggestion(for: type).map { " (did you mean '\($0)'?)" } ?? ""),
        file: file, range: node.range, path: path))
  }

  private static func parameter(_ entry: Entry) -> Template.Parameter {
    let node = entry.value
    return Template.Parameter(
      name: entry.name, keyRange: entry.key.range, node: node,
      type: node["Type"]?.scalar ?? "String", defaultValue: node["Default"],
      noEcho: (node["NoEcho"]?.scalarAsRead).map { $0.lowercased() == "true" } ?? false,
      allowedValues: node["AllowedValues"]?.sequence?.compactMap(\.scalarAsRead),
      allowedPattern: node["AllowedPattern"]?.scalar,
      minLength: node["MinLength"]?.scalar.flatMap { Int($0) },
      maxLength: node["MaxLength"]?.scalar.flatMap { Int($0) },
      minValue: node["MinValue"]?.scalar.flatMap { Double($0) },
      maxValue: node["MaxValue"]?.scalar.flatMap { Double($0) })
  }

  /// A `Resources` entry as a resource (also one a loop's body makes, keyed `Topic${Name}`).
  static func resource(_ entry: Entry) -> Template.Resource {
    let node = entry.value
    var dependsOn: [(String, SourceRange)] = []
    if let value = node["DependsOn"] {
      for item in value.sequence ?? [value] {
        if let name = item.scalar { dependsOn.append((name, item.range)) }
      }
    }
    return Template.Resource(
      logicalID: entry.name, keyRange: entry.key.range, node: node, type: node["Type"]?.scalar,
      properties: node["Properties"], metadata: node["Metadata"],
      condition: node["Condition"]?.scalar, dependsOn: dependsOn)
  }
}
