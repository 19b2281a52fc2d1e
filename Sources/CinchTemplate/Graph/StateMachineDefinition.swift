/// The store reads of a Step Functions state machine: `Task` states that call Parameter Store or
/// Secrets Manager through the AWS SDK integration (`arn:aws:states:::aws-sdk:ssm:getParameter`),
/// which run as the state machine's role and need the IAM action of the API they call.
/// https://docs.aws.amazon.com/step-functions/latest/dg/supported-services-awssdk.html
///
/// States are found at the top and inside `Parallel` branches and `Map` processors
/// (`ItemProcessor`, and the older `Iterator`); arguments are `Parameters` (JSONPath) or
/// `Arguments` (JSONata). A name chosen when the execution runs (`"Name.$": "$.name"`, a JSONata
/// `{% … %}` expression) names nothing the template knows, and is left out.
enum StateMachineDefinition {
  /// An SDK call whose argument names a store entry.
  struct API: Sendable {
    /// The argument that names the entry, in Step Functions' PascalCase.
    var field: String
    /// Whether the argument is a list of names (`Names`).
    var isList: Bool
    var format: StoreLocator.Format
    /// The IAM action the state machine's role needs for the call.
    var action: String
  }

  /// The calls cinch follows, by `service:apiAction` as the `Resource` ARN ends.
  static let apis: [String: API] = [
    "ssm:getParameter": API(
      field: "Name", isList: false, format: .parameterName, action: "ssm:GetParameter"),
    "ssm:getParameters": API(
      field: "Names", isList: true, format: .parameterName, action: "ssm:GetParameters"),
    "secretsmanager:getSecretValue": API(
      field: "SecretId", isList: false, format: .secretID,
      action: "secretsmanager:GetSecretValue"),
  ]

  /// A field the call may take from the template or from the execution.
  enum Field {
    case absent
    case written(Node)
    /// A JSONPath `Field.$` or a JSONata `{% … %}`: known only when the state runs.
    case chosenAtRunTime
  }

  /// One argument that names a store entry.
  struct Argument {
    var api: API
    /// The value: a node of the template for `Definition`, of the parsed text for
    /// `DefinitionString`.
    var node: Node
    /// From the definition's root: `States/Fetch/Parameters/Name`.
    var path: [String]
    /// A secret's `VersionStage` and `VersionId`.
    var versionStage: Field = .absent
    var versionID: Field = .absent
    /// Whether the call asks for decryption (`WithDecryption`, false when absent): only then
    /// does Parameter Store call KMS as the caller. Secrets Manager always decrypts.
    var decrypts: Bool
    /// The role of the task's `Credentials` (`RoleArn`), which Step Functions assumes to make
    /// the call, instead of the state machine's own.
    /// https://docs.aws.amazon.com/step-functions/latest/apireference/API_TaskCredentials.html
    var credentials: Field = .absent
  }

  /// The arguments of every SDK call in `definition` that names store entries. `text` gives a
  /// node's string value (`Resource` may be a `!Sub`), nil when it is not one.
  static func arguments(in definition: Node, text: (Node) -> String?) -> [Argument] {
    var found: [Argument] = []
    // An explicit stack: a definition nests states in branches and processors without bound.
    var pending: [(states: Node, path: [String], jsonata: Bool)] = []
    let topJSONata = isJSONata(definition, text: text, default: false)
    if let states = definition["States"] { pending.append((states, ["States"], topJSONata)) }
    while let (states, path, jsonata) = pending.popLast() {
      for entry in (states.mapping ?? []).reversed() {
        let state = entry.value
        let statePath = path + [entry.name]
        let stateJSONata = isJSONata(state, text: text, default: jsonata)
        for (index, branch) in (state["Branches"]?.sequence ?? []).enumerated().reversed() {
          if let nested = branch["States"] {
            pending.append(
              (nested, statePath + ["Branches", String(index), "States"], stateJSONata))
          }
        }
        for key in ["ItemProcessor", "Iterator"] {
          if let processor = state[key], let nested = processor["States"] {
            pending.append(
              (
                nested, statePath + [key, "States"],
                isJSONata(processor, text: text, default: stateJSONata)
              ))
          }
        }
        let argumentsKey = stateJSONata ? "Arguments" : "Parameters"
        guard state["Type"].flatMap(text) == "Task",
          let resource = state["Resource"].flatMap(text), let api = api(resource),
          let arguments = state[argumentsKey], let value = arguments[api.field]
        else { continue }
        func field(_ name: String, in node: Node?) -> Field {
          guard let node else { return .absent }
          if !stateJSONata, node["\(name).$"] != nil { return .chosenAtRunTime }
          guard let written = node[name] else { return .absent }
          if stateJSONata, let string = written.scalar, isExpression(string) {
            return .chosenAtRunTime
          }
          return .written(written)
        }
        let decrypts: Bool
        switch field("WithDecryption", in: arguments) {
        case .absent: decrypts = api.format != .parameterName
        case .chosenAtRunTime: decrypts = true
        case .written(let flag): decrypts = flag.scalar.map { $0 != "false" } ?? true
        }
        let argumentPath = statePath + [argumentsKey, api.field]
        let values: [(Node, [String])] =
          api.isList
          ? (value.sequence ?? []).enumerated().map { ($1, argumentPath + [String($0)]) }
          : [(value, argumentPath)]
        for (node, nodePath) in values {
          if stateJSONata, let string = node.scalar, isExpression(string) { continue }
          var argument = Argument(api: api, node: node, path: nodePath, decrypts: decrypts)
          if api.format == .secretID {
            argument.versionStage = field("VersionStage", in: arguments)
            argument.versionID = field("VersionId", in: arguments)
          }
          argument.credentials = field("RoleArn", in: state["Credentials"])
          found.append(argument)
        }
      }
    }
    return found
  }

  /// The SDK call a Task's `Resource` names, when cinch follows it: the text after
  /// `:states:::aws-sdk:`, without a service integration pattern (`.waitForTaskToken`). The
  /// partition before it may still be a placeholder (`${AWS::Partition}`).
  static func api(_ resource: String) -> API? {
    guard let range = resource.firstRange(of: ":states:::aws-sdk:"), resource.hasPrefix("arn:")
    else {
      return nil
    }
    let call = resource[range.upperBound...].split(separator: ".", maxSplits: 1).first ?? ""
    return apis[String(call)]
  }

  /// A JSONata expression, which Step Functions evaluates when the state runs.
  /// https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html
  private static func isExpression(_ text: String) -> Bool {
    text.hasPrefix("{%") && text.hasSuffix("%}")
  }

  /// The `QueryLanguage` a definition or a state sets, or the one it inherits.
  private static func isJSONata(_ node: Node, text: (Node) -> String?, default inherited: Bool)
    -> Bool
  {
    guard let language = node["QueryLanguage"].flatMap(text) else { return inherited }
    return language == "JSONata"
  }
}
