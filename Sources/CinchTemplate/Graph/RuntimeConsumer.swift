/// A resource property that makes the resource read the store when it runs (not at deploy): an
/// ECS container's `Secrets`, a CodeBuild `PARAMETER_STORE` variable, a proxy's `SecretArn`…
/// with the role the read happens as. `RuntimeConsumerFinder` lists the properties it knows.
public struct RuntimeConsumer: Sendable, Hashable {
  /// The logical id of the resource that reads.
  public var resource: String
  public var resourceType: String
  /// The property, intrinsic functions left out:
  /// `Resources/Task/Properties/ContainerDefinitions/0/Secrets/1/ValueFrom`.
  public var property: TemplatePath
  /// The full path to the value, intrinsic functions and their argument indexes included.
  public var syntaxPath: TemplatePath
  /// Parameter or secret; nil when the value names neither yet (`!Ref SomeArn` unset, in a
  /// property that takes both).
  public var kind: StoreEntry.Kind?
  /// The parameter's name or the secret's id or ARN, evaluated, `${…}` where still unknown.
  /// A Parameter Store ARN in the evaluated region and account is shown as the name.
  public var name: String
  /// What the name still waits on; empty when it is concrete.
  public var waitsOn: [Dependency]
  /// A secret's JSON key, version stage and version id, where the property names them.
  public var jsonKey: String?
  public var versionStage: String?
  public var versionID: String?
  /// When the value is a secret or parameter this template creates (`!Ref DbSecret`,
  /// `!GetAtt Db.MasterUserSecret.SecretArn`), that resource's logical id.
  public var managedBy: String?
  public var role: RoleReference
  /// The property that names the role (or the function whose role it is), when there is one:
  /// `Resources/Task/Properties/ExecutionRoleArn`.
  public var roleProperty: TemplatePath?
  public var roleRange: SourceRange?
  public var file: String
  /// The value's span.
  public var range: SourceRange
  /// False when the value sits in a resource whose condition is false or in the untaken branch
  /// of an `Fn::If`.
  public var isLive: Bool
  /// Whether the value is an ARN in the template's own text (a plain scalar, or a `!Sub` with
  /// no variable), not one made with the stack's region and account. A Parameter Store ARN of
  /// the evaluated region and account is still one, though `name` holds the name it names.
  public var isWrittenOut = false
  /// Whether the value names the entry by an ARN, whether written in place, taken from a
  /// mapping or a parameter's value, or built with `!Sub` (a Parameter Store ARN of the
  /// evaluated region and account is still one, though `name` holds the name it names).
  public var isNamedByARN = false
  /// For a resource a loop of `Fn::ForEach` makes (`resource` is the loop), the elements its
  /// loops' identifiers stand for in the iteration read, outermost first; empty for a read
  /// every iteration makes alike.
  public var iteration: [String] = []
  /// Whether the secret is named as Parameter Store's view of it,
  /// `/aws/reference/secretsmanager/NAME`: the reader calls `ssm:GetParameters` on that path,
  /// and Parameter Store reads the secret as the caller.
  public var throughParameterStore = false
  /// The Parameter Store action the reader calls: `ssm:GetParameters` for the services that
  /// read parameters themselves (ECS, CodeBuild, …), `ssm:GetParameter` for a Step Functions
  /// task that calls the SDK's `getParameter`.
  public var parameterAction = "ssm:GetParameters"
  /// Whether the reader has the value decrypted, so calls KMS through the service as itself:
  /// the services that read parameters do; a Step Functions `getParameter` task only with
  /// `WithDecryption: true`.
  public var decrypts = true
  /// A secret's version stage or id that the reader takes from its input when it runs (a Step
  /// Functions task's `VersionStage.$`): any version may be read.
  public var versionChosenAtRunTime = false

  public var isConcrete: Bool { waitsOn.isEmpty }

  /// The store entry read, when its kind is known and the template does not create it: a
  /// parameter without the version or label its name may end with (`/myapp/db:3` reads
  /// `/myapp/db`, as `{{resolve:ssm:/myapp/db:3}}` does, and as the policy grants it).
  public var entry: StoreEntry? {
    guard let kind, managedBy == nil else { return nil }
    guard kind == .parameter else {
      return StoreEntry(kind: kind, name: name, isConcrete: isConcrete)
    }
    let split = ParameterVersionSelector.split(name)
    // A placeholder still in the name may hold the last colon (`${AWS::Region}`): no label
    // holds `}` or `/`.
    if case .label(let label)? = split.selector, label.contains(where: { $0 == "}" || $0 == "/" }) {
      return StoreEntry(kind: kind, name: name, isConcrete: isConcrete)
    }
    return StoreEntry(kind: kind, name: split.name, isConcrete: isConcrete)
  }
}

/// The role a run-time read happens as.
public enum RoleReference: Sendable, Hashable, CustomStringConvertible {
  /// An `AWS::IAM::Role` of this template (`!GetAtt Role.Arn`, `!Ref Role`, a `!Sub` ARN built
  /// from it, or a literal ARN whose name is the role's `RoleName`).
  case resource(String)
  /// The role the SAM transform generates for a function without `Role`: `<Function>Role`.
  case generated(String)
  /// A role outside the template, by ARN or name as evaluated.
  case external(String)
  /// An expression that is not known yet, `${…}` where it waits.
  case symbolic(String, waitsOn: [Dependency])
  /// The execution role of a function outside the template, named as evaluated.
  case functionRole(String)
  /// A role the reader takes from its input when it runs (a Step Functions task's
  /// `Credentials` given by `RoleArn.$` or a JSONata expression).
  case chosenAtRunTime
  /// No property names a role (an ECS task without `ExecutionRoleArn`), or the reading service
  /// uses its own.
  case none

  public var description: String {
    switch self {
    case .resource(let name): "role '\(name)'"
    case .generated(let name): "role '\(name)' (generated by the SAM transform)"
    case .external(let arn): "role '\(arn)' (outside the template)"
    case .symbolic(let text, let waitsOn):
      "role '\(text)' (waits on \(waitsOn.map(\.description).joined(separator: ", ")))"
    case .functionRole(let function): "the role of function '\(function)' (outside the template)"
    case .chosenAtRunTime: "a role chosen when it runs"
    case .none: "no role"
    }
  }

  /// The logical id of the role resource in this template, if any.
  public var logicalID: String? {
    if case .resource(let name) = self { return name }
    return nil
  }

  /// What the role still waits on, when it is not known yet.
  public var waitsOn: [Dependency] {
    if case .symbolic(_, let waitsOn) = self { return waitsOn }
    return []
  }
}
