/// The rules `AWS::LanguageExtensions` holds the `Fn::ForEach` loops of `Resources`,
/// `Conditions` and `Outputs` to, which fail the transform and so the deploy:
///
/// - what the loops make are logical IDs, unique and alphanumeric within the template (as the
///   language-extensions RFC asks of output keys) (E1014): no two made alike, none made like one
///   written, none but letters and digits (`&{Identifier}` leaves the other characters of an
///   element out);
/// - a loop's name "can't conflict with any logical ID values in the Resources section" (E1014);
/// - "${Identifier} or &{Identifier} must be included within the OutputKey" (E1002), which a
///   key without it breaks whenever its loop has more than one element;
/// - "up to 5 nested Fn::ForEach loops" (E1002).
///
/// What a loop makes is judged only where every collection around it is known with the inputs
/// given (written out, a parameter's value or default, a mapping's entry): one known only at
/// deploy, or built from a region or account that is only a default, says nothing.
/// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-foreach.html
/// https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-language-extensions.html
enum LoopKeyRules {
  /// The deepest loops nest: "CloudFormation supports up to 5 nested Fn::ForEach loops".
  static let maxNesting = 5
  /// The most keys a section's loops are expanded to (CloudFormation takes 500 resources):
  /// past that, nothing more is judged.
  static let maxKeys = 10_000

  static func check(
    _ template: Template, evaluator: Evaluator, into diagnostics: inout Diagnostics
  ) {
    guard template.transforms.contains("AWS::LanguageExtensions"),
      let root = template.document.root
    else { return }
    // A region or account that is only a default decides nothing here: evaluated as any
    // deploy might make of it, a collection built from it is not known.
    var open = evaluator
    if !evaluator.inputs.assumed.isEmpty {
      var ignored = Diagnostics()
      open = Evaluator(
        template: template, inputs: evaluator.inputs.leavingOpen(evaluator.inputs.assumed),
        into: &ignored)
    }
    var expander = Expander(file: template.path, evaluator: open)
    var resourceIDs: [String: Made] = [:]
    var loops: [(entry: Entry, path: [String])] = []
    for section in ["Resources", "Conditions", "Outputs"] {
      guard let node = root[section], let entries = node.mapping else { continue }
      let made = expander.expand(section, entries, into: &diagnostics)
      if section == "Resources" { resourceIDs = made }
      for entry in entries where Template.isLoop(entry.name) {
        collectLoops(entry, path: [section], into: &loops)
      }
      checkNesting(node, path: [section], depth: 0, file: template.path, into: &diagnostics)
    }
    for (loop, path) in loops {
      let name = String(loop.name.dropFirst("Fn::ForEach::".count))
      guard let resource = resourceIDs[name] else { continue }
      diagnostics.report(
        Diagnostic(
          .invalidLogicalID,
          "loop '\(loop.name)' is named as resource '\(name)': a loop's name can't be a logical "
            + "ID of 'Resources'; CloudFormation rejects the template",
          file: template.path, range: loop.key.range, path: TemplatePath(path),
          notes: [resource.note(name)]))
    }
  }

  /// The loop `entry` and those nested in its body, with their paths.
  private static func collectLoops(
    _ entry: Entry, path: [String], into loops: inout [(entry: Entry, path: [String])]
  ) {
    let entryPath = path + [entry.name]
    loops.append((entry, entryPath))
    for inner in Template.Loop(entry.value)?.body.mapping ?? [] where Template.isLoop(inner.name) {
      collectLoops(inner, path: entryPath + ["2"], into: &loops)
    }
  }

  /// E1002 for the first loop nested deeper than `maxNesting` (in a resource's properties
  /// too), once along each line of nesting.
  private static func checkNesting(
    _ node: Node, path: [String], depth: Int, file: String, into diagnostics: inout Diagnostics
  ) {
    switch node.value {
    case .scalar:
      return
    case .sequence(let items):
      for (index, item) in items.enumerated() {
        checkNesting(
          item, path: path + [String(index)], depth: depth, file: file, into: &diagnostics)
      }
    case .mapping(let entries):
      for entry in entries {
        let entryPath = path + [entry.name]
        guard Template.isLoop(entry.name) else {
          checkNesting(entry.value, path: entryPath, depth: depth, file: file, into: &diagnostics)
          continue
        }
        if depth + 1 > maxNesting {
          diagnostics.report(
            Diagnostic(
              .malformedIntrinsic,
              "'\(entry.name)' nests loops \(depth + 1) deep; CloudFormation supports up to "
                + "\(maxNesting) nested 'Fn::ForEach' loops and rejects the template",
              file: file, range: entry.key.range, path: TemplatePath(entryPath)))
          continue
        }
        checkNesting(
          entry.value, path: entryPath, depth: depth + 1, file: file, into: &diagnostics)
      }
    case .intrinsic(let intrinsic):
      checkNesting(intrinsic.argument, path: path, depth: depth, file: file, into: &diagnostics)
    }
  }

  /// Where a logical ID comes from: written in its section, or made by a loop's key for one
  /// iteration.
  struct Made {
    var range: SourceRange
    var file: String
    /// The key that made it (`Topic${N}`), its loop and the elements of the iteration.
    var making: (key: String, loop: String, iteration: [(String, String)])?

    func note(_ id: String) -> Diagnostic.Note {
      guard let making else {
        return Diagnostic.Note("'\(id)' is written here", file: file, range: range)
      }
      return Diagnostic.Note(
        "'\(id)' is made here, by '\(making.key)' of '\(making.loop)' "
          + Made.describe(making.iteration), file: file, range: range)
    }

    /// `(N 'a.b')`, `(Env 'dev', App 'api')`.
    static func describe(_ iteration: [(String, String)]) -> String {
      "("
        + iteration.map { "\($0.0) '\(HumanDiagnosticRenderer.sanitized($0.1))'" }
        .joined(separator: ", ") + ")"
    }
  }

  /// Expands the loops of one section at a time, as the transform merges what they make into
  /// the section.
  struct Expander {
    let file: String
    var evaluator: Evaluator
    /// The keys (by their offset) already reported: one finding per key of a body.
    private var reported: Set<Int> = []
    private var count = 0

    init(file: String, evaluator: Evaluator) {
      self.file = file
      self.evaluator = evaluator
    }

    /// The logical IDs of a section once its loops are expanded, each where it comes from.
    mutating func expand(
      _ section: String, _ entries: [Entry], into diagnostics: inout Diagnostics
    ) -> [String: Made] {
      var made: [String: Made] = [:]
      count = 0
      for entry in entries where !Template.isLoop(entry.name) && entry.name != "Fn::Transform" {
        made[entry.name] = made[entry.name] ?? Made(range: entry.key.range, file: file)
      }
      for entry in entries where Template.isLoop(entry.name) {
        expandLoop(
          entry, section: section, path: [section, entry.name], around: [], made: &made,
          into: &diagnostics)
      }
      return made
    }

    private mutating func expandLoop(
      _ entry: Entry, section: String, path: [String], around: [(String, String)],
      made: inout [String: Made], into diagnostics: inout Diagnostics
    ) {
      guard let loop = Template.Loop(entry.value), let identifier = loop.identifier.scalar,
        let body = loop.body.mapping, let elements = elements(of: loop.collection, around: around)
      else { return }
      let noun = Self.nouns[section] ?? "entry"
      for key in body where !Template.isLoop(key.name) && elements.count > 1 {
        let names = !LoopPlaceholders.uses(in: key.name, where: { $0 == identifier }).isEmpty
        guard !names, reported.insert(key.key.range.start.offset).inserted else { continue }
        diagnostics.report(
          Diagnostic(
            .malformedIntrinsic,
            "\(noun) key '\(HumanDiagnosticRenderer.sanitized(key.name))' of '\(entry.name)' has "
              + "no '${\(identifier)}' or '&{\(identifier)}', and the loop has \(elements.count) "
              + "elements: it is made once for each; CloudFormation rejects the template "
              + "(the identifier must be included within the OutputKey)",
            file: file, range: key.key.range, path: TemplatePath(path + ["2", key.name])))
      }
      for element in elements where count <= LoopKeyRules.maxKeys {
        let iteration = around + [(identifier, element)]
        for key in body {
          let keyPath = path + ["2", key.name]
          if Template.isLoop(key.name) {
            expandLoop(
              key, section: section, path: keyPath, around: iteration, made: &made,
              into: &diagnostics)
            continue
          }
          count += 1
          guard count <= LoopKeyRules.maxKeys else { return }
          guard let id = Self.substitute(key.name, iteration) else { continue }
          let making = Made(
            range: key.key.range, file: file, making: (key.name, entry.name, iteration))
          judge(id, making, noun: noun, path: keyPath, made: &made, into: &diagnostics)
        }
      }
    }

    /// E1014 for a made logical ID that is not one, or that is made (or written) already.
    private mutating func judge(
      _ id: String, _ making: Made, noun: String, path: [String], made: inout [String: Made],
      into diagnostics: inout Diagnostics
    ) {
      let offset = making.range.start.offset
      guard let origin = making.making else { return }
      let (key, loop, iteration) = origin
      // A key reported already (without its identifier, say) still makes what it makes.
      guard !reported.contains(offset) else {
        if made[id] == nil { made[id] = making }
        return
      }
      let shown = HumanDiagnosticRenderer.sanitized(id)
      let by = "by '\(key)' of '\(loop)' \(Made.describe(iteration))"
      if !Template.isLogicalID(id) {
        reported.insert(offset)
        var message: String
        if id.isEmpty || id.utf8.allSatisfy(Template.isLogicalIDByte) {
          message =
            "\(noun) '\(shown.prefix(40))…' made \(by) has a logical ID of \(id.utf8.count) "
            + "characters; CloudFormation takes at most 255"
          if id.isEmpty { message = "\(noun) made \(by) has an empty logical ID" }
        } else {
          message =
            "\(noun) '\(shown)' made \(by) has a logical ID CloudFormation rejects: letters and "
            + "digits only (A-Za-z0-9)"
          // `&{N}` leaves the element's other characters out.
          let amended = key.replacingOccurrences(of: "${", with: "&{")
          if amended != key, let fixed = Self.substitute(amended, iteration),
            Template.isLogicalID(fixed)
          {
            message += "; '\(amended)' leaves out what is not a letter or digit"
          }
        }
        diagnostics.report(
          Diagnostic(
            .invalidLogicalID, message, file: file, range: making.range,
            path: TemplatePath(path)))
        return
      }
      guard let first = made[id] else {
        made[id] = making
        return
      }
      reported.insert(offset)
      diagnostics.report(
        Diagnostic(
          .invalidLogicalID,
          "\(noun) '\(shown)' is made \(by), and "
            + (first.making == nil ? "is written in the template too" : "is made already")
            + ": logical IDs are unique within a template; CloudFormation rejects the template",
          file: file, range: making.range, path: TemplatePath(path), notes: [first.note(id)]))
    }

    /// The elements of a collection, the loops around it giving their identifiers' elements;
    /// nil when not all are known strings with the inputs given.
    private mutating func elements(of collection: Node, around: [(String, String)]) -> [String]? {
      evaluator.loopElements = Dictionary(around, uniquingKeysWith: { _, inner in inner })
      var ignored = Diagnostics()
      guard case .list(let values) = evaluator.evaluate(collection, into: &ignored) else {
        return nil
      }
      var elements: [String] = []
      for value in values {
        guard let text = value.string else { return nil }
        elements.append(text)
      }
      return elements
    }

    /// The key with each `${Identifier}` replaced by its element and each `&{Identifier}` by
    /// the element's letters and digits; nil when a placeholder names no identifier around it
    /// (what the transform does then is not judged).
    static func substitute(_ key: String, _ iteration: [(String, String)]) -> String? {
      let elements = Dictionary(iteration, uniquingKeysWith: { _, inner in inner })
      guard LoopPlaceholders.uses(in: key, where: { elements[$0] == nil }).isEmpty else {
        return nil
      }
      return LoopPlaceholders.substitute(key, elements)
    }

    static let nouns = ["Resources": "resource", "Conditions": "condition", "Outputs": "output"]
  }
}
