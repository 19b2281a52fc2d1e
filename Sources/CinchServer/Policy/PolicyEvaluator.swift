/// What IAM decides for one action on one resource under a set of identity-based policies: an
/// explicit `Deny` wins, then any `Allow`; with neither, the request is denied implicitly.
package enum PolicyDecision: Sendable, Equatable {
  case allowed
  case implicitlyDenied
  case explicitlyDenied
}

package enum PolicyEvaluator {
  /// `action` as `service:Operation`, `resource` an ARN (or `*`), `context` the request's
  /// condition keys, lower-cased.
  package static func decide(
    _ policies: [PolicyDocument], action: String, resource: String, context: [String: String]
  ) -> PolicyDecision {
    var allowed = false
    let action = action.lowercased()
    for policy in policies {
      for statement in policy.statements
      where statement.actions.matches(action) && statement.resources.matches(resource)
        && statement.conditions.allSatisfy({ $0.holds(in: context) })
      {
        if statement.effect == .deny { return .explicitlyDenied }
        allowed = true
      }
    }
    return allowed ? .allowed : .implicitlyDenied
  }
}
