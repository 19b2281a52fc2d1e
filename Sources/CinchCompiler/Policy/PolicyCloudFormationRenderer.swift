public import CinchTemplate

/// CloudFormation YAML to add to a template: one `AWS::IAM::ManagedPolicy` per document,
/// attached with `Roles: [!Ref Role]` to the role it is for. In the consumers' policies, which
/// go into the template itself, ARNs of the target's partition, region and account are written
/// with `!Sub` and `${AWS::Partition}`, `${AWS::Region}`, `${AWS::AccountId}`, so the snippet
/// follows the stack wherever it is deployed, and entries the template creates are named with
/// `!Ref` / `!GetAtt`. The deploy and validate identities are outside the template: their role
/// names are parameters, and their policies live in whatever stack creates those roles, often
/// in another region or account, where the pseudo-parameters would name the wrong one; so
/// their ARNs are the target's, written out.
public struct PolicyCloudFormationRenderer: Sendable {
  public var target: PolicyTarget
  /// The templates the policies come from, for the header.
  public var files: [String]
  /// The logical names those templates use (`logicalNames(of:)`): the snippet goes into them,
  /// so its resources and parameters take none of them (a template resource named
  /// `CinchExecPolicy` makes the policy `CinchExec2Policy`).
  public var usedNames: Set<String>

  public init(target: PolicyTarget, files: [String], usedNames: Set<String> = []) {
    self.target = target
    self.files = files
    self.usedNames = usedNames
  }

  /// Every name a template gives in `Parameters`, `Mappings`, `Conditions`, `Resources` and
  /// `Outputs`: a pasted resource or parameter must not take one.
  public static func logicalNames(of templates: [Template]) -> Set<String> {
    var names = Set<String>()
    for template in templates {
      names.formUnion(template.parameters.map(\.name))
      names.formUnion(template.mappings.map(\.name))
      names.formUnion(template.conditions.map(\.name))
      names.formUnion(template.resources.map(\.logicalID))
      names.formUnion(template.outputs.map(\.name))
    }
    return names
  }

  /// ARNs the document's templates wrote (references by ARN), and the encryption contexts that
  /// repeat them: kept as written, since they do not follow the stack to another region or
  /// account.
  private var writtenARNs: Set<String> = []
  /// ARNs made from names, which do: an ARN in both sets is written both ways.
  private var madeARNs: Set<String> = []
  /// The ARNs of the document's resources whose names follow the stack (`portableARN`), so
  /// an encryption context naming one follows it too.
  private var portableARNs: [String: String] = [:]
  /// Whether the document's ARNs follow the stack (a consumers' policy) or name the target's
  /// region and account as given (the deploy and validate policies, which live elsewhere).
  private var followsStack = true

  public func render(_ set: PolicySet) -> String { lines(set) }

  /// This renderer with the ARNs `document` names written and made.
  private func forDocument(_ document: PolicyDocument) -> Self {
    var renderer = self
    let resources = document.statements.flatMap(\.resources)
    renderer.writtenARNs = Set(resources.filter(\.isWritten).compactMap(\.arn))
    renderer.madeARNs = Set(resources.filter { !$0.isWritten }.compactMap(\.arn))
    // A role of another account gets its policy there, where `${AWS::AccountId}` is not the
    // stack's: it names the stack's entries by their ARNs as given.
    renderer.followsStack = document.profile == .consumers && document.role?.account == nil
    for resource in resources where renderer.followsStack {
      if let arn = resource.arn, let portable = resource.portableARN {
        renderer.portableARNs[arn] = portable
      }
    }
    return renderer
  }

  /// Text for a comment line: a line break (or any other control character) in a file name
  /// or a role's name would end the comment and start YAML of its own, so it is escaped.
  static func commentText(_ text: String) -> String {
    var result = ""
    for scalar in text.unicodeScalars {
      switch scalar.properties.generalCategory {
      case .control, .lineSeparator, .paragraphSeparator:
        result += "\\u{" + String(scalar.value, radix: 16) + "}"
      default:
        result.unicodeScalars.append(scalar)
      }
    }
    return result
  }

  private func lines(_ set: PolicySet) -> String {
    var lines: [String] = [
      "# cinch policy: least-privilege access to the parameters and secrets of "
        + Self.commentText(files.joined(separator: ", ")) + ".",
      "# Add these resources to the template that creates the roles they name; the deploy and",
      "# validate policies belong with the roles that deploy and check it (their names are parameters).",
    ]
    let (ids, parameterNames) = logicalIDs(set.documents)
    let parameters = set.documents.compactMap(roleParameter)
    if !parameters.isEmpty {
      lines.append("Parameters:")
      for (parameter, description) in parameters {
        let name = parameterNames[parameter] ?? parameter
        lines.append("  \(name):")
        lines.append("    Type: String")
        lines.append("    Description: \(scalar(description))")
      }
    }
    lines.append("Resources:")
    for (index, document) in set.documents.enumerated() {
      lines.append("  \(ids[index]):")
      switch document.role?.kind {
      case .unresolved?, .function?:
        lines.append(
          "    # Attach to \(Self.commentText(document.role?.description ?? "the role")): it is "
            + "outside the template."
        )
      default:
        break
      }
      lines.append("    Type: AWS::IAM::ManagedPolicy")
      if let condition = document.role?.condition,
        roleValue(document, parameterNames: parameterNames) != nil
      {
        lines.append("    Condition: \(scalar(condition))")
      }
      lines.append("    Properties:")
      lines.append("      Description: \(scalar(description(document)))")
      if let role = roleValue(document, parameterNames: parameterNames) {
        lines.append("      Roles:")
        lines.append("        - \(role)")
      }
      lines.append("      PolicyDocument:")
      lines.append("        Version: '2012-10-17'")
      lines.append("        Statement:")
      let renderer = forDocument(document)
      // Consumers' policies go into the template itself, where `!Ref` names what it creates;
      // the others live beside the roles they are for, where only ARNs mean anything.
      let inTemplate = document.profile == .consumers
      for statement in inTemplate ? document.statements : document.statementsOutsideTheTemplate {
        lines += renderer.statement(statement, indent: "          ", expressions: inTemplate)
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  private func statement(_ statement: PolicyStatement, indent: String, expressions: Bool)
    -> [String]
  {
    var lines = [
      "\(indent)- Sid: \(statement.sid)",
      "\(indent)  Effect: \(statement.purpose.effect)",
      "\(indent)  Action:",
    ]
    lines += statement.actions.map { "\(indent)    - \(scalar($0))" }
    lines.append("\(indent)  Resource:")
    let resources = statement.resources.compactMap { resource($0, expressions: expressions) }
    lines += Array(Set(resources)).sorted().map { "\(indent)    - \($0)" }
    // The service endpoint that decrypts an entry named by ARN is in that ARN's region, wherever
    // the stack goes; one for an entry named by name follows the stack.
    let writtenEntries = statement.resources.contains(where: \.isWritten)
    let madeEntries = statement.resources.contains { !$0.isWritten }
    // Values only the template can write, in a policy outside it: left out, as in the JSON.
    guard let conditions = expressions ? statement.conditions : statement.writableConditions
    else { return [] }
    if !conditions.isEmpty {
      lines.append("\(indent)  Condition:")
      var lastTest: String?
      for condition in conditions {
        if condition.test != lastTest {
          // `Null` is YAML 1.1's null as a plain key (PyYAML, cfn-lint): quoted.
          lines.append("\(indent)    \(scalar(condition.test)):")
          lastTest = condition.test
        }
        lines.append("\(indent)      \(scalar(condition.key)):")
        let values = expressions ? condition.templateValues ?? condition.values : condition.values
        lines += values.flatMap { text in
          // A context ARN the template wrote stays as written; one made from a name follows the
          // stack; one that is both is given both ways.
          let written, made: Bool
          if condition.key == "kms:ViaService" {
            (written, made) = (writtenEntries, madeEntries)
          } else {
            (written, made) = (
              writtenARNs.contains(text), !writtenARNs.contains(text) || madeARNs.contains(text)
            )
          }
          var forms: [String] = []
          if written { forms.append(scalar(text)) }
          let following = portableARNs[text].map(substituted) ?? value(text)
          if made, !forms.contains(following) { forms.append(following) }
          return forms.map { "\(indent)        - \($0)" }
        }
        lines += condition.expressions.map { "\(indent)        - \($0)" }
      }
    }
    return lines
  }

  // MARK: Names

  /// The documents' logical ids, and the role parameters' names, none of them a name the
  /// templates use (`usedNames`).
  private func logicalIDs(_ documents: [PolicyDocument]) -> (
    ids: [String], parameters: [String: String]
  ) {
    var taken = usedNames
    var parameters: [String: String] = [:]
    for (parameter, _) in documents.compactMap(roleParameter) {
      var name = parameter
      var number = 2
      while taken.contains(name) {
        name = "\(parameter)\(number)"
        number += 1
      }
      taken.insert(name)
      parameters[parameter] = name
    }
    return (policyIDs(documents, taken: taken), parameters)
  }

  private func policyIDs(_ documents: [PolicyDocument], taken used: Set<String>) -> [String] {
    let bases = documents.map { document -> String in
      switch document.role {
      case nil: "Cinch" + StatementPurpose.identifier(document.profile.rawValue) + "Policy"
      case let role?:
        "Cinch" + StatementPurpose.identifier(role.name)
          + (role.conditionIsTheReaders ? StatementPurpose.identifier(role.condition ?? "") : "")
          + "Policy"
      }
    }
    var counts: [String: Int] = [:]
    for base in bases { counts[base, default: 0] += 1 }
    let qualified = zip(bases, documents).map { base, document in
      guard (counts[base] ?? 0) > 1, let file = document.role?.file else { return base }
      return base.dropLast("Policy".count)
        + StatementPurpose.identifier(PolicyGenerator.fileStem(file)) + "Policy"
    }
    // Roles whose names differ only in punctuation (`App-Role`, `AppRole`), or a role of the
    // template and a role named by ARN, in one file: numbered, since a template's resources
    // cannot share a logical id; so is one the templates use already.
    var taken = Set(qualified).union(used)
    var seen: Set<String> = []
    return qualified.map { id in
      guard !seen.insert(id).inserted || used.contains(id) else { return id }
      var number = 2
      var candidate: String
      repeat {
        candidate = id.dropLast("Policy".count) + "\(number)Policy"
        number += 1
      } while taken.contains(candidate)
      taken.insert(candidate)
      return candidate
    }
  }

  /// The parameter naming an identity outside the template, with its description.
  private func roleParameter(_ document: PolicyDocument) -> (String, String)? {
    switch (document.profile, document.role?.kind) {
    case (.deploy, nil):
      (
        "CinchDeployRoleName",
        "Name of the role that deploys the stack, or of CloudFormation's service role"
      )
    case (.validate, nil):
      ("CinchValidateRoleName", "Name of the role the pull-request job runs cinch check as")
    case (_, .application?):
      ("CinchApplicationRoleName", "Name of the role the application runs as")
    default:
      nil
    }
  }

  private func roleValue(_ document: PolicyDocument, parameterNames: [String: String]) -> String? {
    if let (parameter, _) = roleParameter(document) {
      return "!Ref \(parameterNames[parameter] ?? parameter)"
    }
    switch document.role?.kind {
    case .resource(let logicalID)?: return "!Ref \(logicalID)"
    case .external?: return document.role.map { scalar($0.name) }
    default: return nil
    }
  }

  private func description(_ document: PolicyDocument) -> String {
    switch document.profile {
    case .deploy:
      "What deploying the stack reads from Parameter Store and Secrets Manager (generated by cinch policy)"
    case .validate:
      "Metadata cinch check reads to confirm parameters and secrets exist, never a value (generated by cinch policy)"
    case .consumers:
      "What \(document.role?.description ?? "the role") reads from Parameter Store and Secrets Manager at run time"
        + (document.role.flatMap { $0.conditionIsTheReaders ? $0.condition : nil }.map {
          " for the resources that exist when '\($0)' holds"
        } ?? "") + " (generated by cinch policy)"
    }
  }

  // MARK: Values

  private func resource(_ resource: PolicyResource, expressions: Bool) -> String? {
    switch (expressions ? resource.expression : nil) {
    case .ref(let name)?: "!Ref \(name)"
    case .getAtt(let name, let attribute)?: "!GetAtt \(name).\(attribute)"
    case nil:
      resource.arn.map {
        resource.isWritten || !followsStack
          ? scalar($0) : resource.portableARN.map(substituted) ?? value($0)
      }
    }
  }

  /// A portable ARN (`PolicyResource.portableARN`) as it is: a `!Sub` of the placeholders it
  /// has, and of nothing else (a partition or region the template wrote out stays).
  private func substituted(_ portable: String) -> String {
    portable.contains("${") ? "!Sub " + quoted(portable) : scalar(portable)
  }

  /// An ARN cinch made from a name, in the target's partition, region and account: those as
  /// a `!Sub` of the pseudo-parameters; a `kms:ViaService` host likewise; anything else as a
  /// scalar. Never for an ARN the template gives, which is kept as written.
  func value(_ text: String) -> String {
    guard followsStack else { return scalar(text) }
    let fields = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(
      String.init)
    if fields.count == 6, fields[0] == "arn" {
      var parts = fields
      var substituted = false
      if parts[1] == target.partition { parts[1] = "${AWS::Partition}"; substituted = true }
      if parts[3] == target.region { parts[3] = "${AWS::Region}"; substituted = true }
      if parts[4] == target.accountID { parts[4] = "${AWS::AccountId}"; substituted = true }
      // A portable name's placeholders (`${Env}`) are `!Sub` variables too: no parameter or
      // secret name holds a `$`.
      if substituted || text.contains("${") {
        return "!Sub " + quoted(parts.joined(separator: ":"))
      }
    }
    let host = ".\(target.region).\(target.urlSuffix)"
    if text.hasSuffix(host), !text.dropLast(host.count).contains(".") {
      return "!Sub " + quoted(text.dropLast(host.count) + ".${AWS::Region}.${AWS::URLSuffix}")
    }
    return scalar(text)
  }

  /// A plain scalar when YAML reads it back as the same string, single-quoted otherwise.
  func scalar(_ text: String) -> String {
    let reserved: Set<String> = ["true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"]
    let plain =
      text.first.map { $0.isASCII && $0.isLetter } == true
      && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "_./:- ".contains($0)) }
      && !text.contains(": ") && !text.hasSuffix(":") && !text.hasSuffix(" ")
      && !reserved.contains(text.lowercased())
    return plain ? text : quoted(text)
  }

  private func quoted(_ text: String) -> String {
    "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
  }
}
