/// The placement rules that need only the template: where CloudFormation accepts (or quietly
/// ignores) each kind of reference, the 60-reference limit, and secrets written where a secure
/// reference belongs.
///
/// | code  | rule |
/// |-------|------|
/// | E2020 | `ssm-secure` only in the 11 properties AWS lists, and never for a public parameter |
/// | E2021 | no reference in `AWS::CloudFormation::Init` metadata |
/// | E2022 | no reference in EC2 `UserData` (instances, launch templates) |
/// | E2023 | no `secretsmanager` in resource `Metadata`, nor in the template's text the console shows (`Description`, `Metadata`, parameters' and outputs' descriptions) |
/// | E2024 | `ssm` in `Parameters` names a version |
/// | E2025 | no `ssm-secure` in `Parameters` or `Outputs` |
/// | W2026 | `secretsmanager` in `Outputs` comes back as literal text |
/// | E2027 | no reference where a logical ID is expected (`Ref`, `Fn::GetAtt`, `DependsOn`, `Condition`); references in keys are reported by `ReferenceFinder` |
/// | W2028 | `secretsmanager` where a secret's ARN or id is expected |
/// | E2029 | at most 60 references per template |
/// | W2030 | password-like properties take a secure reference, not a plain `ssm` one or a parameter without `NoEcho` |
/// | E2031 | no `secretsmanager` in custom resources |
/// | E2032 | password-like properties take no value written in the template |
/// | E2036 | no reference in SAM's `CodeUri`, `ContentUri` (string forms) or `ApplicationId` |
/// | E2038 | no reference in a resource's `Type` or its policy attributes |
/// | E2039 | no reference inside `Fn::Base64`, or split apart by `Fn::Split` |
/// | W2040 | `Fn::Split` over a whole reference splits nothing |
public enum PlacementRules {
  /// CloudFormation's limit on dynamic references in one template.
  public static let referenceLimit = 60

  /// Whether a value written where a secret belongs is a placeholder rather than a secret:
  /// nothing but punctuation and spaces (`<>`, `****`, `-`), or marked as an example (the
  /// credential scanner's rule, E2034). A password-like property or a `NoEcho` default holding
  /// one hides nothing (E2032, E2033).
  public static func isPlaceholderSecret(_ text: String) -> Bool {
    text.uppercased().contains("EXAMPLE") || !text.contains { $0.isLetter || $0.isNumber }
  }

  /// Checks the sites `ReferenceFinder` found in `template` (sites of other files are ignored).
  public static func check(
    _ template: Template, sites: [ReferenceSite], into diagnostics: inout Diagnostics
  ) {
    let own = sites.filter { $0.file == template.path }
    var checker = PlacementChecker(template: template, sites: own)
    for site in own { checker.check(site) }
    if template.isCloudFormation { checker.checkLimit() }
    checker.checkPasswords()
    diagnostics.append(contentsOf: checker.diagnostics)
  }
}

struct PlacementChecker {
  let template: Template
  let sites: [ReferenceSite]
  /// Resource types by logical ID (the first of duplicates, as `Template.resource` reads).
  let resourceTypes: [String: String]
  var diagnostics = Diagnostics()

  /// Indexes of `sites` ordered by where they start, for `sites(within:)`.
  private let sitesByStart: [(start: Int, index: Int)]

  init(template: Template, sites: [ReferenceSite]) {
    self.template = template
    self.sites = sites
    self.sitesByStart = sites.indices.map { (sites[$0].range.start.offset, $0) }
      .sorted { ($0.start, $0.index) < ($1.start, $1.index) }
    var types: [String: String] = [:]
    for resource in template.resources where types[resource.logicalID] == nil {
      types[resource.logicalID] = resource.type ?? ""
    }
    self.resourceTypes = types
  }

  /// The sites lying within `range`, in `sites` order: a binary search, not a scan of every
  /// site per password property (30,000 sites × thousands of properties in the largest
  /// benchmark).
  func sites(within range: SourceRange) -> [ReferenceSite] {
    let lower = range.start.offset
    var low = 0
    var high = sitesByStart.count
    while low < high {
      let middle = (low + high) / 2
      if sitesByStart[middle].start < lower { low = middle + 1 } else { high = middle }
    }
    var found: [Int] = []
    while low < sitesByStart.count, sitesByStart[low].start <= range.end.offset {
      let index = sitesByStart[low].index
      if sites[index].range.end.offset <= range.end.offset { found.append(index) }
      low += 1
    }
    return found.sorted().map { sites[$0] }
  }

  private mutating func report(
    _ code: DiagnosticCode, _ message: String, at site: ReferenceSite, notes: [Diagnostic.Note] = []
  ) {
    diagnostics.report(
      Diagnostic(code, message, file: site.file, range: site.range, path: site.path, notes: notes))
  }

  // MARK: Per site

  /// The attributes of a resource, besides `Properties`, `Metadata`, `DependsOn` and
  /// `Condition`, that CloudFormation reads as written.
  static let resourceAttributes: Set<String> = [
    "Type", "DeletionPolicy", "UpdateReplacePolicy", "CreationPolicy", "UpdatePolicy",
  ]

  mutating func check(_ site: ReferenceSite) {
    let path = site.path.components
    let kind = site.reference.kind
    if let position = UnresolvedPlacement.logicalIDPosition(site) {
      report(
        .referenceInLogicalID,
        "reference in \(position), which names a logical ID; CloudFormation resolves no "
          + "reference there", at: site)
      return
    }
    // Dynamic references are resolved in resource properties (dynamic-references.html); a
    // resource's type and its policy attributes are read as written, before any property is,
    // also in what a loop of `Fn::ForEach` makes (its body's key names it).
    let logicalID = path.first == "Resources" ? Template.logicalIDPosition(in: path) : nil
    if let logicalID, logicalID + 1 < path.count,
      Self.resourceAttributes.contains(path[logicalID + 1])
    {
      report(
        .referenceInResourceAttribute,
        "reference in the '\(path[logicalID + 1])' of resource '\(path[logicalID])', which "
          + "CloudFormation reads as written; dynamic references are resolved in resource "
          + "properties", at: site)
      return
    }
    // "CloudFormation doesn't support using Systems Manager parameter labels or public
    // parameters in dynamic references" (dynamic-references-ssm-secure-strings.html); AWS's
    // public parameters are String parameters in any case.
    if kind == .ssmSecure, !site.needsEvaluation, site.reference.name.hasPrefix("/aws/service/") {
      report(
        .ssmSecurePlacement,
        "'ssm-secure' cannot read the public parameter '\(site.reference.name)': public "
          + "parameters are String parameters, read with 'ssm'", at: site)
      return
    }
    // A reference that breaks a placement rule is reported for that alone (`UserData` is
    // E2022's, also inside its `Fn::Base64`).
    let reported = diagnostics.items.count
    defer { if diagnostics.items.count == reported { checkTextFunctions(site) } }
    if kind == .secretsManager, let place = Self.shownText(path) {
      report(
        .secretInMetadata,
        "'secretsmanager' reference in \(place), text the console shows; a secret has no "
          + "place there (resolved, its value would be in view; unresolved, the reference is)",
        at: site)
      return
    }
    switch path.first {
    case "Resources":
      if let logicalID { checkResource(site, path: path, logicalIDAt: logicalID) }
    case "Parameters":
      if kind == .ssmSecure {
        report(
          .secureInParametersOrOutputs,
          "'ssm-secure' is not accepted in 'Parameters'; give the property a secure reference "
            + "directly, or use a 'NoEcho' parameter", at: site)
      } else if kind == .ssm, site.reference.version == nil, !site.needsEvaluation {
        report(
          .versionRequiredInParameters,
          "'ssm' reference in 'Parameters' names no version, which CloudFormation requires there; "
            + "write '\(Self.withVersion(site.reference))' or use a parameter of type "
            + "'AWS::SSM::Parameter::Value<String>'", at: site)
      }
    case "Outputs":
      if kind == .ssmSecure {
        report(
          .secureInParametersOrOutputs,
          "'ssm-secure' is not accepted in 'Outputs'; CloudFormation fails the change set",
          at: site)
      } else if kind == .secretsManager {
        report(
          .secretInOutputs,
          "'secretsmanager' reference in 'Outputs' is not resolved: CloudFormation returns "
            + "the literal text", at: site)
      }
    case "Globals":
      // `Globals: {Function: {CodeUri: …}}` is copied into every function.
      if path.count >= 3,
        let type = PlacementRules.samGlobalsSections.first(where: { $0.value == path[1] })?.key,
        path[2...].elementsEqual(PlacementRules.samLocationProperties[type] ?? [])
      {
        reportSAMLocation(site, type: type, property: path[2...])
      }
      fallthrough
    default:
      if kind == .ssmSecure {
        let section = path.first.map { "'\($0)'" } ?? "this file"
        report(
          .ssmSecurePlacement,
          "'ssm-secure' is accepted only in 11 resource properties, not in \(section)", at: site)
      }
    }
  }

  /// The template's own text that the console shows as written, outside resources: its
  /// `Description` and `Metadata`, a parameter's `Description` and `ConstraintDescription`,
  /// an output's `Description`; nil elsewhere.
  static func shownText(_ path: [String]) -> String? {
    switch (path.first, path.count >= 3 ? path[2] : nil) {
    case ("Description", _): "the template's 'Description'"
    case ("Metadata", _): "the template's 'Metadata'"
    case ("Parameters", let field?)
    where field == "Description" || field == "ConstraintDescription":
      "the '\(field)' of parameter '\(path[1])'"
    case ("Outputs", "Description"): "the 'Description' of output '\(path[1])'"
    default: nil
    }
  }

  /// `position`: where the logical ID (or a loop body's key) is in `path`.
  private mutating func checkResource(
    _ site: ReferenceSite, path: [String], logicalIDAt position: Int
  ) {
    guard path.count >= position + 2 else { return }
    let logicalID = path[position]
    let type =
      (position == 1
        ? resourceTypes[logicalID] : template.resourceType(along: path, logicalIDAt: position))
      ?? ""
    let kind = site.reference.kind
    let attribute = path[position + 1]
    switch attribute {
    case "Properties":
      let property = path[(position + 2)...]
      if UnresolvedPlacement.userDataType(site, in: template) != nil {
        report(
          .referenceInUserData,
          "references are not supported in EC2 'UserData' ('\(type)'): CloudFormation does not "
            + "resolve them there; read the value on the instance instead", at: site)
        return
      }
      if let pattern = PlacementRules.samLocationProperties[type],
        property.elementsEqual(pattern)
      {
        reportSAMLocation(site, type: type, property: property)
      }
      if kind == .ssmSecure,
        !(PlacementRules.ssmSecureProperties[type] ?? []).contains(where: {
          PlacementRules.matches(property, $0)
        })
      {
        var notes: [Diagnostic.Note] = []
        if let accepted = PlacementRules.ssmSecureProperties[type] {
          let list = accepted.map { "'\($0.joined(separator: "/"))'" }.joined(separator: ", ")
          notes.append(.init("'\(type)' accepts 'ssm-secure' in \(list)"))
        }
        // A custom resource takes no secure value of either kind (E2031 for 'secretsmanager'):
        // "Dynamic references can't be used for secure values … in custom resources"
        // (docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html).
        let instead =
          PlacementRules.isCustomResource(type)
          ? "CloudFormation passes no secure values to custom resources: have the function "
            + "read the secret itself"
          : "use 'secretsmanager', accepted in every property"
        report(
          .ssmSecurePlacement,
          "'ssm-secure' is not accepted in '\(type)' property '\(property.joined(separator: "/"))'; "
            + "CloudFormation fails the change set (\(instead))",
          at: site, notes: notes)
      }
      if kind == .secretsManager, PlacementRules.isCustomResource(type) {
        report(
          .secretInCustomResource,
          "'secretsmanager' reference in custom resource '\(logicalID)' ('\(type)'): "
            + "CloudFormation passes no secure values to custom resources", at: site)
      }
      if kind == .secretsManager,
        let field = property.last(where: PlacementRules.expectsSecretIdentifier)
      {
        report(
          .secretWhereARNExpected,
          "'secretsmanager' reference in '\(field)', which expects the secret's ARN or id: the "
            + "reference resolves to the secret's value; use '!Ref' of the secret or its ARN",
          at: site)
      }
    case "Metadata":
      if path.count >= position + 3, path[position + 2] == "AWS::CloudFormation::Init" {
        report(
          .referenceInInit,
          "references are not supported in 'AWS::CloudFormation::Init' metadata: CloudFormation "
            + "does not resolve them there; read the value on the instance instead", at: site)
      } else if kind == .secretsManager {
        report(
          .secretInMetadata,
          "'secretsmanager' reference in the 'Metadata' of '\(logicalID)', which the console "
            + "shows; CloudFormation does not accept secrets there", at: site)
      } else if kind == .ssmSecure {
        report(
          .ssmSecurePlacement,
          "'ssm-secure' is accepted only in 11 resource properties, not in resource 'Metadata'",
          at: site)
      }
    default:
      if kind == .ssmSecure {
        report(
          .ssmSecurePlacement,
          "'ssm-secure' is accepted only in 11 resource properties, not in '\(attribute)'",
          at: site)
      }
    }
  }

  private mutating func reportSAMLocation(
    _ site: ReferenceSite, type: String, property: ArraySlice<String>
  ) {
    let name = property.joined(separator: "/")
    let why =
      property.last == "ApplicationId"
      ? "the Serverless Application Repository does not support dynamic references there"
      : "the SAM transform rejects a dynamic reference in the S3 URI (give the location as "
        + "{Bucket, Key, Version} instead)"
    report(.referenceInSAMLocation, "reference in '\(type)' property '\(name)': \(why)", at: site)
  }

  /// CloudFormation runs intrinsic functions on the template's text and resolves the references
  /// in the result afterwards: `Fn::Sub` and `Fn::Join` keep a reference's text whole, but
  /// `Fn::Base64` encodes it and `Fn::Split` cuts it at its delimiter (`UnresolvedPlacement`).
  private mutating func checkTextFunctions(_ site: ReferenceSite) {
    switch UnresolvedPlacement.textFunctions(site, in: template) {
    case .unresolved(.encoded)?:
      report(
        .referenceTextTransformed,
        "reference inside 'Fn::Base64': CloudFormation encodes the reference's text before "
          + "it resolves references, so nothing is read", at: site)
    case .unresolved(.splitDelimiter)?:
      report(
        .referenceTextTransformed,
        "reference as the delimiter of 'Fn::Split': CloudFormation splits at the "
          + "reference's text, so nothing is read", at: site)
    case .unresolved(.splitApart(let delimiter))?:
      report(
        .referenceTextTransformed,
        "reference split apart by 'Fn::Split' at '\(delimiter)': CloudFormation splits the "
          + "reference's text before it resolves references, so nothing is read", at: site)
    case .unresolved(.rejoined(let delimiter, let joiner, let becomes))?:
      report(
        .referenceTextTransformed,
        "reference split by 'Fn::Split' at '\(delimiter)' and joined with '\(joiner)': "
          + "CloudFormation does that to the reference's text before it resolves references, "
          + "so it reads '\(becomes)', not this reference", at: site)
    case .splitWithoutCut(let delimiter)?:
      report(
        .referenceValueNotSplit,
        "'Fn::Split' does not split this reference's value: CloudFormation splits the text "
          + "before it resolves references, and the reference, which holds no "
          + "'\(delimiter)', stays one item, the whole value", at: site)
    case .unresolved(.logicalID)?, .unresolved(.userData)?, nil:
      break
    }
  }

  /// `{{resolve:ssm:/a/b}}` → `{{resolve:ssm:/a/b:VERSION}}`, for a message.
  static func withVersion(_ reference: Reference) -> String {
    let close = reference.delimiter.close
    guard !reference.isClosedByInput, reference.text.hasSuffix(close) else {
      return reference.text
    }
    return String(reference.text.dropLast(close.count)) + ":VERSION" + close
  }

  // MARK: The limit

  /// References in `Mappings` are not counted: AWS's own quickstart-linux-bastion template
  /// deploys with 205 `{{resolve:ssm:/aws/service/…}}` entries there, one selected by
  /// `Fn::FindInMap`, so CloudFormation does not count the entries a template does not select
  /// (the limit's page, dynamic-references.html, says only "up to 60 dynamic references in a
  /// stack template").
  mutating func checkLimit() {
    let limit = PlacementRules.referenceLimit
    let counted = sites.filter { $0.path.first != "Mappings" }
    guard counted.count > limit else { return }
    let site = counted[limit]
    let inMappings = sites.count - counted.count
    var notes: [Diagnostic.Note] = [
      .init("the first reference is here", file: counted[0].file, range: counted[0].range)
    ]
    if inMappings > 0 {
      notes.append(.init("the \(inMappings) in 'Mappings' are not counted"))
    }
    report(
      .tooManyReferences,
      "template has \(counted.count) dynamic references; CloudFormation accepts at most \(limit) "
        + "(this is reference \(limit + 1))",
      at: site, notes: notes)
  }
}
