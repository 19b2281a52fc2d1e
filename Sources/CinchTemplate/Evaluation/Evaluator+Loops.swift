/// Where a condition comes from: written in `Conditions`, made by an `Fn::ForEach` loop there,
/// or from nowhere cinch can see.
public enum ConditionOrigin: Equatable, Sendable {
  case written
  /// Made by the loop with this key in `Conditions` (`Fn::ForEach::Conds`), the graph's node
  /// for it: for an element of a collection known before deploy (`known`, so the condition
  /// can be evaluated), or, where the collection is known only at deploy, by a key the name
  /// fits (`Is${N}` for `IsProd`).
  case loop(String, known: Bool)
  /// Possibly added at deploy by what cinch does not read: an `AWS::Include` of conditions, a
  /// loop that is not of the three-element form.
  case unknown
  case undefined
}

/// The conditions the `Fn::ForEach` loops of `Conditions` make (`AWS::LanguageExtensions`),
/// expanded once per evaluator: each loop's collection evaluated (a written list, or a
/// `CommaDelimitedList` parameter with a value), and each key and definition of its body read
/// with the identifiers standing for an element.
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/intrinsic-function-reference-foreach-example-conditions.html
struct ConditionLoops: Sendable {
  struct Made: Sendable {
    /// The loop's key in `Conditions`.
    var loop: String
    var keyRange: SourceRange
    /// The definition, as the loop's body writes it.
    var node: Node
    /// The element each enclosing loop's identifier stands for.
    var elements: [String: String]
  }

  /// By the name each iteration gives (the first iteration that gives it).
  var made: [String: Made] = [:]
  /// The loops whose collection (or a nested loop's) is not known before deploy, with what
  /// their keys can make.
  var open: [(loop: String, names: Template.LoopNames)] = []
  /// A loop that is not of the three-element form: it may make any name.
  var unreadable = false

  /// The most conditions the loops are expanded into: past that, they are read as open.
  static let maxMade = 1_000
}

extension Evaluator {
  /// Where the condition `name` comes from.
  public mutating func conditionOrigin(_ name: String) -> ConditionOrigin {
    if template.condition(name) != nil { return .written }
    let loops = madeConditions()
    if let made = loops.made[name] { return .loop(made.loop, known: true) }
    if let open = loops.open.first(where: { $0.names.makes(name) }) {
      return .loop(open.loop, known: false)
    }
    return template.mayDefineConditions || loops.unreadable ? .unknown : .undefined
  }

  /// The definition of a condition a loop makes for a known element, with the elements its
  /// identifiers stand for there.
  mutating func madeCondition(_ name: String) -> ConditionLoops.Made? {
    madeConditions().made[name]
  }

  /// The loops of `Conditions`, expanded the first time a name the template does not write is
  /// asked about.
  private mutating func madeConditions() -> ConditionLoops {
    if let conditionLoops { return conditionLoops }
    // A collection whose evaluation asks about a condition (an `Fn::If` in it) finds none
    // made yet.
    if expandingConditionLoops { return ConditionLoops() }
    expandingConditionLoops = true
    let outside = loopElements
    var loops = ConditionLoops()
    for condition in template.conditions where Template.isLoop(condition.name) {
      let made = loops.made.count
      var budget = ConditionLoops.maxMade - made
      guard
        expand(
          condition.node, loop: condition.name, keyRange: condition.keyRange, elements: [:],
          budget: &budget, into: &loops)
      else {
        var names = Template.LoopNames()
        if names.collect(condition.node, keysName: true) {
          loops.open.append((condition.name, names))
        } else {
          loops.unreadable = true
        }
        continue
      }
    }
    loopElements = outside
    expandingConditionLoops = false
    conditionLoops = loops
    return loops
  }

  /// Adds what one loop makes per element of its collection; false when the loop is malformed,
  /// a collection (its own or a nested loop's) is not known, or the budget runs out.
  private mutating func expand(
    _ node: Node, loop: String, keyRange: SourceRange, elements: [String: String],
    budget: inout Int, into loops: inout ConditionLoops
  ) -> Bool {
    guard let value = Template.Loop(node), let identifier = value.identifier.scalar,
      let body = value.body.mapping
    else { return false }
    // A nested loop's collection may use the identifiers of the loops around it.
    loopElements = elements
    guard let collection = self.elements(of: value) else { return false }
    var complete = true
    for element in collection {
      var inner = elements
      inner[identifier] = element
      for entry in body {
        if Template.isLoop(entry.name) {
          complete =
            expand(
              entry.value, loop: loop, keyRange: keyRange, elements: inner, budget: &budget,
              into: &loops) && complete
          continue
        }
        guard budget > 0 else { return false }
        budget -= 1
        let name = LoopPlaceholders.substitute(entry.name, inner)
        if loops.made[name] == nil {
          loops.made[name] = ConditionLoops.Made(
            loop: loop, keyRange: keyRange, node: entry.value, elements: inner)
        }
      }
    }
    return complete
  }
}

extension Evaluator {
  /// Whether `name` (in an iteration of a loop, its identifiers replaced) is a condition the
  /// template writes or a loop makes for a known element: one whose value can be asked for
  /// without a report of a dangling name.
  public mutating func definesCondition(_ name: String) -> Bool {
    let name = loopElements.isEmpty ? name : LoopPlaceholders.substitute(name, loopElements)
    return template.condition(name) != nil || madeCondition(name) != nil
  }
}

extension Evaluator {
  /// A loop's collection, when it is known before deploy: a written list, or a
  /// `CommaDelimitedList` parameter with a value (what its findings would be, the graph's walk
  /// of the collection reports).
  public mutating func elements(of loop: Template.Loop) -> [String]? {
    var scratch = Diagnostics()
    guard case .list(let items) = evaluate(loop.collection, into: &scratch) else { return nil }
    let elements = items.compactMap(\.string)
    return elements.count == items.count ? elements : nil
  }
}
