/// A reference where it sits: file, exact byte range, template path and how the value around
/// it is built.
public struct ReferenceSite: Sendable, Hashable {
  /// How the text holding the reference reaches CloudFormation.
  public enum Context: Sendable, Hashable {
    /// Plain text in a scalar value.
    case literal
    /// Inside the string of an `Fn::Sub`; `variables` are the `${…}` names the reference itself
    /// uses (`Env`, `AWS::Region`, `Db.Endpoint.Address`), in order, repeats kept.
    case sub(variables: [String])
    /// Assembled by `Fn::Join` from the pieces that make it up; the reference exists only once
    /// the pieces are joined, and its name is known only after evaluation.
    case join(pieces: [JoinPiece])
    /// The value of an `AWS::SSM::Parameter::Value<…>` template parameter (its input or
    /// `Default`) names a Parameter Store parameter that CloudFormation reads at deploy.
    case parameterType(parameter: String)
  }

  /// One element of an `Fn::Join` list that contributes to a composed reference.
  public enum JoinPiece: Sendable, Hashable {
    /// A literal string piece, as decoded.
    case literal(String)
    /// A piece known only after evaluation (`!Ref DbSecret`, `!ImportValue …`). `placeholder` is
    /// how it appears in the composed `Reference` (`${DbSecret}`, `${Db.Arn}`,
    /// `${Fn::ImportValue}`); `path` locates the piece's node.
    case unknown(placeholder: String, path: TemplatePath)
  }

  public var reference: Reference
  /// The file as the user named it.
  public var file: String
  /// The bytes of the reference text in the file. For a composed reference, the `Fn::Join`.
  /// The bytes equal `reference.text` except where YAML escapes or folds the scalar.
  public var range: SourceRange
  /// Where the value holding the reference sits, intrinsic functions left out:
  /// `Resources/Db/Properties/MasterUserPassword` also for a `!Sub`, an `!If` branch or a
  /// `!Join` piece in that property. Placement rules match on it.
  public var path: TemplatePath
  /// The full path to the scalar, intrinsic functions and their argument indexes included:
  /// `Resources/Db/Properties/MasterUserPassword/Fn::Sub/0`.
  public var syntaxPath: TemplatePath
  public var context: Context
  /// The identifiers of enclosing `Fn::ForEach` loops that the reference's text uses as
  /// `&{Identifier}` (anywhere) or `${Identifier}` (outside an `Fn::Sub` string, which reads it
  /// as its own variable): the loop replaces them, one value per iteration, before anything
  /// else reads the text, so the name is known only per iteration.
  public var loopIdentifiers: [String] = []

  public init(
    reference: Reference, file: String, range: SourceRange, path: TemplatePath,
    syntaxPath: TemplatePath, context: Context
  ) {
    self.reference = reference
    self.file = file
    self.range = range
    self.path = path
    self.syntaxPath = syntaxPath
    self.context = context
  }

  /// Whether the reference text is only known after evaluation (`Fn::Join` pieces, or
  /// `Fn::Sub` variables inside it).
  public var needsEvaluation: Bool {
    switch context {
    case .literal: false
    case .sub(let variables): !variables.isEmpty
    case .join: true
    case .parameterType: false
    }
  }
}
