/// Where CloudFormation never resolves a reference written in a template: the placement rules
/// report it (E2022, E2027, E2039), and the evaluator sets it aside, so a reference that is
/// never read is neither checked against the store, locked, nor granted by `cinch policy`.
public enum UnresolvedPlacement: Equatable, Sendable {
  /// Where a logical ID or condition name belongs (`!Ref`, `!GetAtt`, `!If`'s condition, …).
  case logicalID(position: String)
  /// EC2 `UserData` ("Dynamic references are also not supported in … Amazon EC2 `UserData`
  /// properties", dynamic-references.html).
  case userData(type: String)
  /// Inside `Fn::Base64`, which encodes the reference's text.
  case encoded
  /// As the delimiter of an `Fn::Split`.
  case splitDelimiter
  /// Cut by an `Fn::Split` at `delimiter` and not joined again as it was.
  case splitApart(delimiter: String)
  /// Cut at `delimiter` and joined at once with another delimiter (the string-replace idiom):
  /// CloudFormation resolves what that makes, `becomes`, not the reference as written.
  case rejoined(delimiter: String, joiner: String, becomes: String)

  /// What CloudFormation's text functions do to a reference's text.
  enum TextTreatment: Equatable {
    /// Taken apart: the reference as written is not read.
    case unresolved(UnresolvedPlacement)
    /// Split at a delimiter its text does not hold, as the whole string an `Fn::Split` splits:
    /// it is read, and stays one item, the whole value (W2040).
    case splitWithoutCut(delimiter: String)
  }

  /// How CloudFormation's text functions treat a reference before it resolves references
  /// (it runs intrinsic functions on the template's text first; cfn-lint's E1018, aws-cdk
  /// issues 14476 and 19349): nil when the reference's text comes through whole.
  static func textFunctions(_ site: ReferenceSite, in template: Template) -> TextTreatment? {
    let syntax = site.syntaxPath.components
    guard syntax.contains("Fn::Base64") || syntax.contains("Fn::Split") else { return nil }
    let chain = template.nodes(along: site.syntaxPath)
    for (index, node) in chain.enumerated().reversed() {
      guard let intrinsic = node.intrinsic, index < syntax.count else { continue }
      switch intrinsic.function {
      case .base64:
        return .unresolved(.encoded)
      case .split where index + 1 < syntax.count:
        if syntax[index + 1] == "0" { return .unresolved(.splitDelimiter) }
        let arguments = intrinsic.argument.sequence
        // A delimiter known only after evaluation (`!Ref Separator`) may or may not cut it.
        guard let delimiter = arguments?.first?.scalar, !delimiter.isEmpty else { return nil }
        let text = site.reference.text
        guard text.contains(delimiter) else {
          guard let string = arguments?.dropFirst().first, Self.text(of: string) == text else {
            return nil
          }
          return .splitWithoutCut(delimiter: delimiter)
        }
        // `!Join [D, !Split [D, …]]` puts the text back as it was; with another literal
        // delimiter it replaces D in the reference's text. A join whose delimiter is known only
        // after evaluation, or one further out (past an `Fn::If`), may put it back together.
        if index >= 2, syntax[index - 2] == "Fn::Join", syntax[index - 1] == "1",
          let join = chain[index - 2].intrinsic, join.function == .join
        {
          guard let joiner = join.argument.sequence?.first?.scalar else { return nil }
          if joiner == delimiter { return nil }
          return .unresolved(
            .rejoined(
              delimiter: delimiter, joiner: joiner,
              becomes: text.replacing(delimiter, with: joiner)))
        }
        // A piece picked by `Fn::Select` on its way out is one piece, whatever joins it.
        guard let join = chain[..<index].lastIndex(where: { $0.intrinsic?.function == .join }),
          !chain[(join + 1)..<index].contains(where: { $0.intrinsic?.function == .select })
        else { return .unresolved(.splitApart(delimiter: delimiter)) }
        return nil
      default:
        continue
      }
    }
    return nil
  }

  /// The text a string argument is written as: a scalar, or the string of an `Fn::Sub`.
  private static func text(of node: Node) -> String? {
    if let scalar = node.scalar { return scalar }
    guard let intrinsic = node.intrinsic, intrinsic.function == .sub else { return nil }
    return intrinsic.argument.scalar ?? intrinsic.argument.sequence?.first?.scalar
  }

  /// Where a value names a logical ID or condition: a `Ref` argument, the resource of an
  /// `Fn::GetAtt`, the condition of an `Fn::If`, `!Condition`, `DependsOn`, `Condition`.
  static func logicalIDPosition(_ site: ReferenceSite) -> String? {
    let syntax = site.syntaxPath.components
    guard let last = syntax.last else { return nil }
    let path = site.path.components
    if last == "Ref" { return "a 'Ref'" }
    if last == "Condition", path.last != "Condition" { return "a 'Condition'" }
    // A resource's or output's attribute, in a loop's body too.
    let attribute =
      path.first == "Resources" || path.first == "Outputs"
      ? Template.logicalIDPosition(in: path).map { $0 + 1 } : nil
    if let attribute, path.count == attribute + 1, path[attribute] == "Condition" {
      return "'Condition'"
    }
    if syntax.count >= 2, last == "0" {
      switch syntax[syntax.count - 2] {
      case "Fn::GetAtt": return "the resource of an 'Fn::GetAtt'"
      case "Fn::If": return "the condition of an 'Fn::If'"
      default: break
      }
    }
    if let attribute, attribute < path.count, path[0] == "Resources", path[attribute] == "DependsOn"
    {
      return "'DependsOn'"
    }
    return nil
  }

  /// The EC2 resource type whose `UserData` holds the reference, if it is there.
  static func userDataType(_ site: ReferenceSite, in template: Template) -> String? {
    let path = site.path.components
    // The first property's name first: the resource is looked up for those alone (a loop's
    // body's, past the loops).
    guard path.count >= 4, path[0] == "Resources",
      let logicalID = Template.logicalIDPosition(in: path),
      path.count >= logicalID + 3, Self.userDataRoots.contains(path[logicalID + 2]),
      path[logicalID + 1] == "Properties",
      let type = template.resourceType(along: path, logicalIDAt: logicalID),
      let pattern = PlacementRules.userDataProperties[type],
      path[(logicalID + 2)...].starts(
        with: pattern,
        by: { component, expected in
          expected == component || (expected == "*" && component.allSatisfy(\.isNumber))
        })
    else { return nil }
    return type
  }

  static let userDataRoots = Set(PlacementRules.userDataProperties.values.compactMap(\.first))

  /// Whether CloudFormation leaves the reference at `site` unresolved: where it names a
  /// logical ID, in EC2 `UserData`, or taken apart by `Fn::Base64` or `Fn::Split`.
  public static func of(_ site: ReferenceSite, in template: Template) -> UnresolvedPlacement? {
    if let position = logicalIDPosition(site) { return .logicalID(position: position) }
    if let type = userDataType(site, in: template) { return .userData(type: type) }
    guard case .unresolved(let placement)? = textFunctions(site, in: template) else { return nil }
    return placement
  }
}
