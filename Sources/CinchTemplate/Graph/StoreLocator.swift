/// Reads the forms resource properties use to point at a store entry, after evaluation (holes
/// kept as `${…}` placeholders):
/// - `valueFrom` (ECS and Batch `ValueFrom`, App Runner secrets): a Parameter Store name or ARN,
///   or a Secrets Manager ARN optionally followed by `:json-key:version-stage:version-id`.
///   https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html
/// - `parameterName` (CodeBuild `PARAMETER_STORE`): a parameter name (or ARN).
/// - `secretID`: a secret's name, partial ARN or complete ARN.
/// - `secretIDWithOptions` (CodeBuild `SECRETS_MANAGER`):
///   `secret-id:json-key:version-stage:version-id`, every part after the id optional.
///   https://docs.aws.amazon.com/codebuild/latest/userguide/build-spec-ref.html#build-spec.env.secrets-manager
///
/// A parameter ARN in the region and account being evaluated becomes the parameter's name, so it
/// meets the same store entry as a `{{resolve:ssm:…}}` of that name; secret ARNs stay ARNs (a
/// complete ARN's random suffix cannot be told from the name; `StoreEntry.matches` pairs them).
enum StoreLocator {
  enum Format: Sendable, Hashable {
    case valueFrom
    case parameterName
    case secretID
    case secretIDWithOptions
  }

  struct Location: Sendable, Hashable {
    var kind: StoreEntry.Kind?
    var name: String
    var isConcrete: Bool
    var waitsOn: [Dependency]
    var jsonKey: String?
    var versionStage: String?
    var versionID: String?
    /// Named as Parameter Store's `/aws/reference/secretsmanager/` view of the secret.
    var throughParameterStore = false
    /// Named by an ARN (a parameter's of the evaluated region and account becomes its name).
    var isNamedByARN = false
  }

  /// A marker for a hole while the text is split on `:`; holes' own placeholders may hold
  /// colons (`${AWS::Region}`).
  private static let marker: Character = "\u{FFFC}"

  /// `managed`: the kind of entry the first hole stands for when it is a secret or parameter the
  /// template creates (`!Sub '${DbSecret}:password::'`); what follows it is read as options.
  static func locate(
    _ segments: [Value.Segment], format: Format, inputs: EvaluationInputs,
    managed: StoreEntry.Kind? = nil
  ) -> Location {
    if let managed, case .hole(let placeholder, let dependencies)? = segments.first {
      var rest = locate(
        [.text("x")] + segments.dropFirst(), format: .secretIDWithOptions, inputs: inputs)
      let withOptions = format == .valueFrom || format == .secretIDWithOptions
      rest.kind = managed
      rest.name = placeholder
      rest.waitsOn = dependencies + rest.waitsOn.filter { !dependencies.contains($0) }
      rest.isConcrete = false
      if !withOptions || managed == .parameter {
        (rest.jsonKey, rest.versionStage, rest.versionID) = (nil, nil, nil)
      }
      return rest
    }
    var holes: [String] = []
    var waitsOn: [Dependency] = []
    var text = ""
    for segment in segments {
      switch segment {
      case .text(let part): text += part
      case .hole(let placeholder, let dependencies):
        text.append(marker)
        holes.append(placeholder)
        for dependency in dependencies where !waitsOn.contains(dependency) {
          waitsOn.append(dependency)
        }
      }
    }
    var fields = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
    var holeIndex = 0
    for index in fields.indices {
      var restored = ""
      for character in fields[index] {
        if character == marker, holeIndex < holes.count {
          restored += holes[holeIndex]
          holeIndex += 1
        } else {
          restored.append(character)
        }
      }
      fields[index] = restored
    }
    let concrete = waitsOn.isEmpty
    func option(_ index: Int) -> String? {
      fields.indices.contains(index) && !fields[index].isEmpty ? fields[index] : nil
    }

    if fields.count >= 6, fields[0] == "arn" {
      var location = locateARN(fields, format: format, inputs: inputs, waitsOn: waitsOn)
      location.isNamedByARN = true
      return location
    }

    switch format {
    case .valueFrom, .parameterName:
      let name = fields.joined(separator: ":")
      // ECS takes a parameter's name when it is in the task's region; a value that is nothing
      // but a hole could be either kind.
      let onlyHole = segments.count == 1 && holes.count == 1
      if onlyHole && format == .valueFrom {
        return Location(kind: nil, name: name, isConcrete: concrete, waitsOn: waitsOn)
      }
      return parameter(name, isConcrete: concrete, waitsOn: waitsOn)
    case .secretID:
      return Location(
        kind: .secret, name: fields.joined(separator: ":"), isConcrete: concrete, waitsOn: waitsOn)
    case .secretIDWithOptions:
      return Location(
        kind: .secret, name: fields.first ?? "", isConcrete: concrete, waitsOn: waitsOn,
        jsonKey: option(1), versionStage: option(2), versionID: option(3))
    }
  }

  /// A value that is an ARN (its fields split on `:`, holes restored).
  private static func locateARN(
    _ fields: [String], format: Format, inputs: EvaluationInputs, waitsOn: [Dependency]
  ) -> Location {
    let concrete = waitsOn.isEmpty
    func option(_ index: Int) -> String? {
      fields.indices.contains(index) && !fields[index].isEmpty ? fields[index] : nil
    }
    let service = fields[2]
    if service == "ssm", format != .secretID, format != .secretIDWithOptions {
      let arn = fields.joined(separator: ":")
      return parameter(
        normalizedParameter(arn, inputs: inputs), isConcrete: concrete, waitsOn: waitsOn)
    }
    if service == "secretsmanager", fields.count >= 7 {
      let arn = fields[0..<7].joined(separator: ":")
      let withOptions = format == .valueFrom || format == .secretIDWithOptions
      return Location(
        kind: .secret, name: arn, isConcrete: concrete, waitsOn: waitsOn,
        jsonKey: withOptions ? option(7) : nil, versionStage: withOptions ? option(8) : nil,
        versionID: withOptions ? option(9) : nil)
    }
    return Location(
      kind: format == .secretID || format == .secretIDWithOptions ? .secret : nil,
      name: fields.joined(separator: ":"), isConcrete: concrete, waitsOn: waitsOn)
  }

  /// A Parameter Store ARN in the evaluated region and account becomes the parameter's name,
  /// a `:VERSION` or `:LABEL` after it kept.
  private static func normalizedParameter(_ arn: String, inputs: EvaluationInputs) -> String {
    let bare = ParameterVersionSelector.split(arn).name
    guard let parsed = StoreARN(bare), parsed.region == inputs.region,
      parsed.account == inputs.accountID, parsed.partition == inputs.partition
    else { return arn }
    return parsed.name + String(arn.dropFirst(bare.count))
  }

  /// A parameter, except that `/aws/reference/secretsmanager/NAME` is Parameter Store's view of
  /// the Secrets Manager secret `NAME`, which is what is read.
  /// https://docs.aws.amazon.com/systems-manager/latest/userguide/integration-ps-secretsmanager.html
  private static func parameter(_ name: String, isConcrete: Bool, waitsOn: [Dependency]) -> Location
  {
    if let secret = StoreEntry.secretBehindParameter(name) {
      return Location(
        kind: .secret, name: secret.id, isConcrete: isConcrete, waitsOn: waitsOn,
        versionStage: secret.versionStage, versionID: secret.versionID,
        throughParameterStore: true)
    }
    return Location(kind: .parameter, name: name, isConcrete: isConcrete, waitsOn: waitsOn)
  }
}
