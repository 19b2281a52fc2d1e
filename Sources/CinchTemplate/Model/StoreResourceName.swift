extension Template.Resource {
  /// The name an `AWS::SSM::Parameter` or `AWS::SecretsManager::Secret` of the template is
  /// created with: its `Name`, evaluated; nil when it gives none or the name is not known yet
  /// (CloudFormation then makes one up).
  public func createdName(_ evaluator: inout Evaluator, into diagnostics: inout Diagnostics)
    -> String?
  {
    properties?["Name"].flatMap { evaluator.evaluate($0, into: &diagnostics).string }
  }
}
