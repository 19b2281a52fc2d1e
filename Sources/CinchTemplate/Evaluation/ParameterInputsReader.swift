/// Reads parameter values the way the aws CLI takes them:
/// - a file (`--parameters FILE`), JSON or YAML, either CloudFormation's list
///   `[{"ParameterKey": "Env", "ParameterValue": "prod"}]` or a plain object `{"Env": "prod"}`;
/// - `--parameter-overrides Env=prod Port=8080`, as `aws cloudformation deploy` takes them
///   (and its `file://` form: a list of `"Key=Value"` strings, or either shape above).
/// Later sources win over earlier ones; every value remembers where it came from.
public enum ParameterInputsReader {
  public static func read(
    _ file: SourceFile, into inputs: inout [String: EvaluationInputs.ParameterInput],
    diagnostics: inout Diagnostics
  ) {
    var parsed = Diagnostics()
    let document = TemplateParser.parse(file, into: &parsed)
    guard let root = document.root else {
      // Empty, or comments only: an error, as the aws CLI refuses `file://` of an empty file,
      // rather than a deploy with none of the values the file was meant to hold (the parser's
      // own word for it is a warning). `[]` or `{}` give none.
      if parsed.items.contains(where: { $0.severity == .error }) {
        diagnostics.append(contentsOf: parsed)
      } else {
        diagnostics.report(
          Diagnostic(
            .parameterFile,
            "the file holds no values: give a list of {ParameterKey, ParameterValue} or an "
              + "object of values ([] or {} for none)", file: file.path))
      }
      return
    }
    diagnostics.append(contentsOf: parsed)
    func add(_ key: String, _ valueNode: Node) {
      guard !valueNode.isNull else {
        diagnostics.report(
          Diagnostic(
            .parameterFile,
            "value of parameter '\(key)' is null; give a string (\"\" for an empty one), or "
              + "leave the parameter out to take its default",
            file: file.path, range: valueNode.range))
        return
      }
      guard
        let value = valueNode.scalar
          ?? valueNode.sequence.map({ items in
            items.compactMap(\.scalar).joined(separator: ",")
          })
      else {
        diagnostics.report(
          Diagnostic(
            .parameterFile, "value of parameter '\(key)' must be a string", file: file.path,
            range: valueNode.range))
        return
      }
      let position = valueNode.range.start
      inputs[key] = .init(
        value: value, origin: "\(file.path):\(position.line):\(position.column)", file: file.path,
        range: valueNode.range)
    }
    switch root.value {
    case .sequence(let items):
      for item in items {
        // `["Env=prod", …]`: the file `aws cloudformation deploy --parameter-overrides
        // file://…` takes.
        if let pair = item.scalar, let equals = pair.firstIndex(of: "="), equals != pair.startIndex
        {
          let position = item.range.start
          inputs[String(pair[..<equals])] = .init(
            value: String(pair[pair.index(after: equals)...]),
            origin: "\(file.path):\(position.line):\(position.column)", file: file.path,
            range: item.range)
          continue
        }
        guard let key = item["ParameterKey"]?.scalar else {
          diagnostics.report(
            Diagnostic(
              .parameterFile,
              item.scalar.map {
                "list entry '\(HumanDiagnosticRenderer.sanitized($0))' is not Key=Value (nor "
                  + "{ParameterKey, ParameterValue})"
              } ?? "list entry has no 'ParameterKey'", file: file.path, range: item.range))
          continue
        }
        // The aws CLI validates the shape before sending it: an unknown member (a typo of
        // `ParameterValue`) is refused, not dropped.
        // https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_Parameter.html
        if let unknown = item.mapping?.first(where: { !Self.parameterMembers.contains($0.name) }) {
          diagnostics.report(
            Diagnostic(
              .parameterFile,
              "parameter '\(key)' has a member '\(HumanDiagnosticRenderer.sanitized(unknown.name))', "
                + "which is not one of " + Self.parameterMembers.joined(separator: ", "),
              file: file.path, range: unknown.key.range))
          continue
        }
        if item["UsePreviousValue"]?.scalar == "true" {
          if let given = item["ParameterValue"], !given.isNull {
            // https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_Parameter.html
            diagnostics.report(
              Diagnostic(
                .parameterFile,
                "parameter '\(key)' gives both a 'ParameterValue' and 'UsePreviousValue': true, "
                  + "which CloudFormation refuses; keep one",
                file: file.path, range: item.range))
            continue
          }
          diagnostics.report(
            Diagnostic(
              .previousValue,
              "parameter '\(key)' uses its previous value, which only a deployed stack knows",
              file: file.path, range: item.range))
          continue
        }
        guard let value = item["ParameterValue"] else {
          diagnostics.report(
            Diagnostic(
              .parameterFile, "parameter '\(key)' has no 'ParameterValue'", file: file.path,
              range: item.range))
          continue
        }
        add(key, value)
      }
    case .mapping(let entries):
      // Also the `aws cloudformation deploy --parameter-overrides file://…` shape:
      // {"Parameters": {"Env": "prod"}}.
      if entries.count == 1, entries[0].name == "Parameters", let inner = entries[0].value.mapping {
        for entry in inner { add(entry.name, entry.value) }
      } else {
        for entry in entries { add(entry.name, entry.value) }
      }
    default:
      diagnostics.report(
        Diagnostic(
          .parameterFile,
          "a parameters file is a list of {ParameterKey, ParameterValue} or an object of values",
          file: file.path, range: root.range))
    }
  }

  /// The members of CloudFormation's `Parameter`.
  static let parameterMembers = [
    "ParameterKey", "ParameterValue", "UsePreviousValue", "ResolvedValue",
  ]

  /// `Key=Value` pairs; the value may contain `=`. Returns the malformed arguments.
  /// `origin` names where the pairs came from in findings about them.
  public static func readOverrides(
    _ arguments: [String], into inputs: inout [String: EvaluationInputs.ParameterInput],
    origin: String = "--parameter-overrides"
  ) -> [String] {
    var malformed: [String] = []
    for argument in arguments {
      guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else {
        malformed.append(argument)
        continue
      }
      let key = String(argument[..<equals])
      inputs[key] = .init(
        value: String(argument[argument.index(after: equals)...]), origin: origin)
    }
    return malformed
  }
}
