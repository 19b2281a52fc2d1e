/// One action on one resource under some conditions, and the lines that need it: what the
/// generator produces before `StatementMerger` folds grants into statements.
struct PolicyGrant: Sendable, Hashable {
  var purpose: StatementPurpose
  var action: String
  var resource: PolicyResource
  /// Sorted.
  var conditions: [PolicyCondition]
  var reasons: Set<PolicyReason>

  init(
    _ purpose: StatementPurpose, _ action: String, _ resource: PolicyResource,
    conditions: [PolicyCondition] = [], reason: PolicyReason
  ) {
    self.purpose = purpose
    self.action = action
    self.resource = resource
    self.conditions = conditions.sorted()
    self.reasons = [reason]
  }
}
