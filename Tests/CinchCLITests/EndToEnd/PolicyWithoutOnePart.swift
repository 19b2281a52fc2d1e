import Foundation

/// An IAM policy document with one part left out: a statement, one resource of a statement
/// that names several, or one action of a statement that has several. Each part of a
/// least-privilege policy is needed by some call it must allow (or, for a `Deny`, refuse).
struct PolicyWithoutOnePart: CustomStringConvertible {
  /// What was left out, named by the statement's `Sid`.
  var description: String
  /// The effect of the statement the part was taken from.
  var effect: String
  /// The policy without it, as `put-user-policy` takes it; nil when nothing is left (IAM
  /// refuses a policy without statements: the user then has no policy).
  var document: String?

  /// Every way of leaving out one part of `document`.
  static func all(of document: String) throws -> [PolicyWithoutOnePart] {
    guard
      let policy = try JSONSerialization.jsonObject(with: Data(document.utf8)) as? [String: Any],
      let statements = policy["Statement"] as? [[String: Any]]
    else { throw Malformed(document: document) }
    func variant(_ label: String, _ effect: String, _ changed: [[String: Any]]) throws -> Self {
      guard !changed.isEmpty else { return Self(description: label, effect: effect, document: nil) }
      var copy = policy
      copy["Statement"] = changed
      let data = try JSONSerialization.data(
        withJSONObject: copy, options: [.sortedKeys, .withoutEscapingSlashes])
      return Self(
        description: label, effect: effect, document: String(decoding: data, as: UTF8.self))
    }
    var result: [Self] = []
    for (index, statement) in statements.enumerated() {
      let sid = statement["Sid"] as? String ?? "statement \(index + 1)"
      let effect = statement["Effect"] as? String ?? ""
      var without = statements
      without.remove(at: index)
      result.append(try variant("statement '\(sid)'", effect, without))
      for member in ["Resource", "Action"] {
        guard let values = statement[member] as? [String], values.count > 1 else { continue }
        for (position, value) in values.enumerated() {
          var narrowed = statements
          var remaining = values
          remaining.remove(at: position)
          narrowed[index][member] = remaining
          result.append(
            try variant("\(member.lowercased()) '\(value)' of '\(sid)'", effect, narrowed))
        }
      }
    }
    return result
  }

  struct Malformed: Error, CustomStringConvertible {
    var document: String
    var description: String { "not an IAM policy with statements: \(document)" }
  }
}
