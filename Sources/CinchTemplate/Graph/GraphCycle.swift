/// A cycle, its members in order, starting with the member that comes first in the template:
/// `["resource:Db", "resource:Sg"]` is `Db → Sg → Db`.
public struct GraphCycle: Sendable, Hashable, CustomStringConvertible {
  public var members: [String]

  public init(members: [String]) { self.members = members }

  /// `Db → Sg → Db`: the members' names, the first repeated at the end.
  public var description: String {
    let names = members.map { id in
      id.firstIndex(of: ":").map { String(id[id.index(after: $0)...]) } ?? id
    }
    return (names + names.prefix(1)).joined(separator: " → ")
  }
}
