/// A reference site after evaluation: what it reads once the inputs are known.
public struct EvaluatedReference: Sendable, Hashable {
  public var site: ReferenceSite
  public var state: State

  public enum State: Sendable, Hashable {
    /// The reference CloudFormation will resolve, every `${…}` and `Fn::Join` piece folded in
    /// (its `text` is the evaluated text; `site.reference.text` is what the file says).
    case concrete(Reference)
    /// The name is still symbolic: it waits on these inputs.
    case waiting(on: [Dependency])
    /// Under a condition that is false, or in the `Fn::If` branch not taken: not read.
    case inactive
    /// The evaluated text is not a valid reference (reported).
    case invalid
  }

  public init(site: ReferenceSite, state: State) {
    self.site = site
    self.state = state
  }

  /// Written in the template, not a read a parameter's type makes
  /// (`AWS::SSM::Parameter::Value<…>`, whose site is the parameter).
  public var isWritten: Bool {
    if case .parameterType = site.context { return false }
    return true
  }

  public var concrete: Reference? {
    if case .concrete(let reference) = state { return reference }
    return nil
  }
}
