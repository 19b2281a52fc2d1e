import Testing

@testable import CinchTemplate

@Suite struct ParameterInputsReaderTests {
  private func read(_ text: String, path: String = "params.json") -> (
    [String: EvaluationInputs.ParameterInput], Diagnostics
  ) {
    var inputs: [String: EvaluationInputs.ParameterInput] = [:]
    var diagnostics = Diagnostics()
    ParameterInputsReader.read(
      SourceFile(path: path, text: text), into: &inputs, diagnostics: &diagnostics)
    return (inputs, diagnostics)
  }

  @Test func cloudFormationListForm() {
    let (inputs, diagnostics) = read(
      """
      [
        {"ParameterKey": "Env", "ParameterValue": "prod"},
        {"ParameterKey": "Subnets", "ParameterValue": "a,b"}
      ]
      """)
    #expect(diagnostics.isEmpty)
    #expect(inputs["Env"]?.value == "prod")
    #expect(inputs["Env"]?.origin == "params.json:2:45")
    #expect(inputs["Subnets"]?.value == "a,b")
  }

  @Test func plainObjectInYAML() {
    let (inputs, diagnostics) = read("Env: prod\nPort: 8080\nZones: [a, b]\n", path: "params.yaml")
    #expect(diagnostics.isEmpty)
    #expect(inputs["Env"]?.value == "prod")
    #expect(inputs["Port"]?.value == "8080")
    #expect(inputs["Zones"]?.value == "a,b")
  }

  @Test func deployParametersShape() {
    let (inputs, _) = read(#"{"Parameters": {"Env": "dev"}}"#)
    #expect(inputs["Env"]?.value == "dev")
  }

  @Test func malformedEntriesAreLocated() {
    let (inputs, diagnostics) = read(
      #"[{"ParameterValue": "x"}, {"ParameterKey": "A"}, {"ParameterKey": "B", "UsePreviousValue": true}]"#
    )
    #expect(inputs.isEmpty)
    #expect(diagnostics.items.map(\.code) == [.parameterFile, .parameterFile, .previousValue])
    #expect(diagnostics.items.map(\.severity) == [.error, .error, .warning])
    #expect(diagnostics.items.first?.range?.start.column == 2)
  }

  /// A null is no value (the aws CLI sends none, and CloudFormation takes the default or
  /// fails), not the text "null"; a previous value with a value given is refused by
  /// CloudFormation's API ("Cannot specify usePreviousValue as true and non empty value").
  @Test func nullsAndAPreviousValueBesideAValueAreRefused() {
    for text in [
      #"{"Env": null}"#, #"[{"ParameterKey": "Env", "ParameterValue": null}]"#, "Env: ~",
      "Env: null",
    ] {
      let (inputs, diagnostics) = read(text, path: text.hasPrefix("Env") ? "p.yaml" : "p.json")
      #expect(inputs.isEmpty, "\(text)")
      #expect(diagnostics.items.map(\.code) == [.parameterFile], "\(text)")
      #expect(diagnostics.items.first?.message.contains("is null") == true, "\(text)")
    }
    #expect(read(#"{"Env": "null"}"#).0["Env"]?.value == "null")
    let (inputs, diagnostics) = read(
      #"[{"ParameterKey": "Env", "ParameterValue": "a", "UsePreviousValue": true}]"#)
    #expect(inputs.isEmpty)
    #expect(diagnostics.items.map(\.code) == [.parameterFile])
    #expect(diagnostics.items.map(\.severity) == [.error])
  }

  /// A word of a `["Key=Value"]` list that is no pair is named as such.
  @Test func aListWordThatIsNoPairIsNamed() {
    let (inputs, diagnostics) = read(#"["Env=dev", "Region"]"#)
    #expect(inputs["Env"]?.value == "dev")
    #expect(
      diagnostics.items.map(\.message)
        == ["list entry 'Region' is not Key=Value (nor {ParameterKey, ParameterValue})"])
  }

  @Test func overrides() {
    var inputs: [String: EvaluationInputs.ParameterInput] = [:]
    let malformed = ParameterInputsReader.readOverrides(
      ["Env=prod", "Url=a=b", "=x", "novalue"], into: &inputs)
    #expect(inputs["Env"]?.value == "prod")
    #expect(inputs["Url"]?.value == "a=b")
    #expect(malformed == ["=x", "novalue"])
  }

  /// An empty file (or one of comments) is refused, as the aws CLI refuses `file://` of one,
  /// rather than read as no values; `[]` and `{}` say none on purpose.
  @Test func anEmptyFileIsAnErrorAndAnEmptyListIsNot() {
    for text in ["", "# values come later\n", "\n\n"] {
      let (inputs, diagnostics) = read(text, path: "params.yaml")
      #expect(inputs.isEmpty)
      #expect(
        diagnostics.items.map(\.message) == [
          "the file holds no values: give a list of {ParameterKey, ParameterValue} or an object "
            + "of values ([] or {} for none)"
        ])
      #expect(diagnostics.items.allSatisfy { $0.severity == .error && $0.file == "params.yaml" })
    }
    for text in ["[]", "{}"] {
      let (inputs, diagnostics) = read(text)
      #expect(inputs.isEmpty && diagnostics.isEmpty)
    }
  }

  /// A member the API does not define (a typo of `ParameterValue`) is refused, as the aws CLI
  /// refuses it, not dropped.
  @Test func anUnknownMemberOfAListEntryIsRefused() {
    let (inputs, diagnostics) = read(
      #"[{"ParameterKey": "Env", "ParameterValue": "dev", "Extra": 1}, {"ParameterKey": "A", "ParameterValue": "b", "ResolvedValue": "c"}]"#
    )
    #expect(inputs["Env"] == nil)
    #expect(inputs["A"]?.value == "b")
    #expect(
      diagnostics.items.map(\.message) == [
        "parameter 'Env' has a member 'Extra', which is not one of ParameterKey, ParameterValue, "
          + "UsePreviousValue, ResolvedValue"
      ])
  }
}
