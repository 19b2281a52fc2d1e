/// Paths into what the loops of `Fn::ForEach` make: a loop's body key is the logical ID of
/// what each element makes (`Resources/Fn::ForEach::Topics/2/Topic${N}/DeletionPolicy` is the
/// `DeletionPolicy` of `Topic${N}`), and the placement rules judge it as they judge one
/// written out.
extension Template {
  /// Where the logical ID is in a path of `Resources`, `Outputs` or `Conditions`, past the
  /// loops around it: 1 for `Resources/Topic/…`, 3 in a loop's body, 5 in a nested loop's;
  /// nil when the path ends before one.
  static func logicalIDPosition(in path: [String]) -> Int? {
    var position = 1
    while position < path.count, isLoop(path[position]) { position += 2 }
    return position < path.count ? position : nil
  }

  /// The `Type` of the resource whose logical ID (or loop body's key) is at `position` of a
  /// path of `Resources`.
  func resourceType(along path: [String], logicalIDAt position: Int) -> String? {
    if position == 1 { return resourcePosition(path[1]).flatMap { resources[$0].type } }
    let chain = nodes(along: TemplatePath(Array(path[...position])))
    // The root, then one node per component when the whole path is there.
    guard chain.count == position + 2 else { return nil }
    return chain[position + 1]["Type"]?.scalar
  }
}
