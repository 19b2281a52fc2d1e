/// `DeleteResourcePolicy`: removes a secret's resource-based policy (nothing to remove in the
/// embedded store, which keeps none, so it only confirms the secret exists).
public typealias DeleteResourcePolicyRequest = SecretIDRequest

public typealias DeleteResourcePolicyResponse = SecretIdentity
