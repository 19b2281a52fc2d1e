/// Finds every dynamic reference in a parsed document, located in the file.
///
/// Walks the tree in document order, keeping two paths: the template path of the value
/// (`Resources/Db/Properties/MasterUserPassword`, intrinsic functions left out, which is what
/// placement rules match) and the full syntax path (`…/MasterUserPassword/Fn::Sub`). Every
/// scalar is scanned, keys included (a reference in a key is never resolved: E2027). The string
/// of an `Fn::Sub` is scanned with its `${…}` placeholders opaque, and the pieces of an
/// `Fn::Join` are joined first, so that a reference assembled from several pieces is found
/// (I2014) and a piece holding only `{{resolve:` is not reported as unterminated.
///
/// Spans found in decoded values are mapped back to the exact bytes of the file through
/// `YAMLScalarSourceMap`, built only for the scalars that hold a reference.
public enum ReferenceFinder {
  /// `intrinsicShapes`: also report (E1002) every intrinsic function whose argument has a shape
  /// CloudFormation refuses (`IntrinsicShape`), for a CloudFormation template.
  public static func find(
    in document: ParsedDocument, intrinsicShapes: Bool = false,
    into diagnostics: inout Diagnostics
  ) -> [ReferenceSite] {
    guard let root = document.root else { return [] }
    var walker = ReferenceWalker(document: document)
    walker.checksIntrinsicShapes = intrinsicShapes
    walker.visit(root)
    diagnostics.append(contentsOf: walker.diagnostics)
    return walker.sites
  }
}

struct ReferenceWalker {
  let document: ParsedDocument
  var sites: [ReferenceSite] = []
  var diagnostics = Diagnostics()
  /// The value path and the syntax path of the node being visited, as stacks: a path value is
  /// made only for what gets recorded.
  private(set) var path: [String] = []
  private(set) var syntax: [String] = []
  var checksIntrinsicShapes = false
  /// The syntax paths of `!Sub` strings that an enclosing `!Join` scanned with its other
  /// pieces, so that a reference the Sub opens and the join closes is read whole.
  var scannedSubStrings: Set<TemplatePath> = []
  /// Above zero while walking a `!Join` piece whose text the join read with its own (an
  /// `!If`, `!Select` or nested `!Join`): an opener left open there is closed by the join's
  /// other pieces, and was judged with them.
  var continuedByJoin = 0
  /// The `!Sub` variable being walked when the Sub's string has a `}}` after its placeholder:
  /// an opener left open in its value is closed there, in a reference cinch does not read
  /// (the evaluator reads references written in a Sub string or assembled by `Fn::Join`).
  var openerClosedBySubVariable: String?
  /// The identifiers of the `Fn::ForEach` loops whose body is being walked, innermost last.
  var loopIdentifiers: [String] = []

  /// Whether the `!Sub` string at the current syntax path is still to be scanned.
  var subStringIsUnscanned: Bool {
    scannedSubStrings.isEmpty || !scannedSubStrings.contains(TemplatePath(syntax))
  }

  init(document: ParsedDocument) {
    self.document = document
  }

  var file: SourceFile { document.file }

  /// Runs `body` one level down: `value` extends the value path (nil for an intrinsic's
  /// argument, which feeds the same value), `syntax` the syntax path.
  mutating func descend(
    value: String?, syntax component: String?, _ body: (inout ReferenceWalker) -> Void
  ) {
    if let value { path.append(value) }
    if let component { syntax.append(component) }
    body(&self)
    if value != nil { path.removeLast() }
    if component != nil { syntax.removeLast() }
  }

  // MARK: Walking

  mutating func visit(_ node: Node) {
    switch node.value {
    case .scalar(let text):
      scan(node, text: text, mode: .plain)
    case .sequence(let items):
      for (index, item) in items.enumerated() {
        let component = String(index)
        descend(value: component, syntax: component) { $0.visit(item) }
      }
    case .mapping(let entries):
      // A long form inside a short form (`!Base64 {Fn::Sub: …}`) can reach us as a plain
      // mapping: the parser normalises long forms only in untagged mappings.
      if entries.count == 1, let function = IntrinsicFunction(longFormKey: entries[0].name) {
        let intrinsic = Intrinsic(
          function: function, argument: entries[0].value, form: .longForm(key: entries[0].key.range)
        )
        visit(intrinsic, node: node)
        return
      }
      for entry in entries {
        let name = entry.name
        // `Fn::ForEach::Name: [Identifier, Collection, {OutputKey: OutputValue}]`: the
        // identifier is replaced throughout the body.
        let identifier =
          Template.isLoop(name) ? entry.value.sequence.flatMap { $0.first?.scalar } : nil
        if let identifier { loopIdentifiers.append(identifier) }
        descend(value: name, syntax: name) { walker in
          walker.scanKey(entry.key)
          walker.visit(entry.value)
        }
        if identifier != nil { loopIdentifiers.removeLast() }
      }
    case .intrinsic(let intrinsic):
      visit(intrinsic, node: node)
    }
  }

  /// An intrinsic's arguments feed the value at the current path, so they keep it; only the
  /// syntax path names the function and the argument index.
  private mutating func visit(_ intrinsic: Intrinsic, node: Node) {
    // The template's own Metadata is not processed by CloudFormation.
    if checksIntrinsicShapes, path.first != "Metadata",
      let problem = IntrinsicShape.problem(intrinsic, at: node)
    {
      diagnostics.report(
        Diagnostic(
          .malformedIntrinsic, problem.message, file: file.path, range: problem.node.range,
          path: TemplatePath(path)))
    }
    descend(value: nil, syntax: intrinsic.function.rawValue) { walker in
      let argument = intrinsic.argument
      switch intrinsic.function {
      case .sub:
        walker.visitSub(argument)
      case .join:
        if !walker.visitJoin(argument, join: node) { walker.visitArguments(argument, listAt: 1) }
      case .select:
        walker.visitArguments(argument, listAt: 1)
      default:
        walker.visitArguments(argument, listAt: nil)
      }
    }
  }

  /// Visits an argument list; the element at `listAt` (the list of `Fn::Join` and
  /// `Fn::Select`) is itself a list of arguments.
  mutating func visitArguments(_ argument: Node, listAt: Int?) {
    guard case .sequence(let items) = argument.value else {
      visit(argument)
      return
    }
    for (index, item) in items.enumerated() {
      descend(value: nil, syntax: String(index)) { walker in
        if index == listAt, case .sequence(let list) = item.value {
          for (inner, element) in list.enumerated() {
            walker.descend(value: nil, syntax: String(inner)) { $0.visit(element) }
          }
        } else {
          walker.visit(item)
        }
      }
    }
  }

  /// `!Sub 'text'` or `!Sub ['text', {Var: value}]`: the text in Sub mode, each variable's
  /// value as a value of the same path.
  private mutating func visitSub(_ argument: Node) {
    switch argument.value {
    case .scalar(let text):
      if subStringIsUnscanned { scan(argument, text: text, mode: .sub) }
    case .sequence(let items) where items.first?.scalar != nil:
      for (index, item) in items.enumerated() {
        descend(value: nil, syntax: String(index)) { walker in
          if index == 0, let text = item.scalar {
            if walker.subStringIsUnscanned { walker.scan(item, text: text, mode: .sub) }
          } else if index == 1, case .mapping(let variables) = item.value {
            let template = items[0].scalar ?? ""
            for variable in variables {
              walker.descend(value: variable.name, syntax: nil) { $0.scanKey(variable.key) }
              // A value that opens a reference the string closes after the placeholder
              // (`!Sub ['${Open}/a}}', {Open: '{{resolve:ssm:/prod'}]`): not read, and said so.
              let outer = walker.openerClosedBySubVariable
              if Self.closes(template, after: variable.name) {
                walker.openerClosedBySubVariable = variable.name
              }
              walker.descend(value: nil, syntax: variable.name) { $0.visit(variable.value) }
              walker.openerClosedBySubVariable = outer
            }
          } else {
            walker.visit(item)
          }
        }
      }
    default:
      visitArguments(argument, listAt: nil)
    }
  }

  /// Whether the `!Sub` string `template` has a `}}` after its first `${name}`.
  static func closes(_ template: String, after name: String) -> Bool {
    guard let placeholder = template.firstRange(of: "${\(name)}") else { return false }
    return template[placeholder.upperBound...].firstRange(of: "}}") != nil
  }

  // MARK: Scanning scalars

  /// Scans one scalar value and records its references and issues.
  mutating func scan(_ node: Node, text: String, mode: ReferenceScanner.Mode) {
    let loopPlaceholders = loopIdentifiers.isEmpty ? [] : loopPlaceholders(in: text, mode: mode)
    var text = text
    let result =
      loopPlaceholders.isEmpty
      ? ReferenceScanner.scan(text, mode: mode)
      : text.withUTF8 { ReferenceScanner.scan(bytes: $0, mode: mode, opaque: loopPlaceholders) }
    guard !result.isEmpty else { return }
    var locator = ScalarLocator(node: node, text: text, in: document)
    let valuePath = TemplatePath(path)
    for found in result.references {
      // Closed by the `!Sub` string after the variable this value stands for, not by its own
      // variable: `{{resolve:ssm:/${Env}` in `Open` of `!Sub ['${Open}/db}}', …]`.
      if let variable = openerClosedBySubVariable, found.reference.isClosedByInput {
        let opener = found.span.lowerBound..<(found.span.lowerBound + "{{resolve:".utf8.count)
        diagnostics.report(
          Diagnostic(
            .unterminatedReference, Self.closedBySubVariable(variable), file: file.path,
            range: locator.range(opener), path: valuePath))
        continue
      }
      let context: ReferenceSite.Context =
        mode == .sub ? .sub(variables: found.placeholders.map(\.name)) : .literal
      var site = ReferenceSite(
        reference: found.reference, file: file.path, range: locator.range(found.span),
        path: valuePath, syntaxPath: TemplatePath(syntax), context: context)
      if !loopPlaceholders.isEmpty {
        site.loopIdentifiers = loopPlaceholders.filter { found.span.contains($0.span.lowerBound) }
          .map(\.name)
      }
      sites.append(site)
    }
    for issue in result.issues where continuedByJoin == 0 || issue.code != .unterminatedReference {
      var message = issue.message
      if let variable = openerClosedBySubVariable, issue.code == .unterminatedReference {
        message = Self.closedBySubVariable(variable)
      }
      diagnostics.report(
        Diagnostic(
          issue.code, message, file: file.path, range: locator.range(issue.span),
          path: valuePath))
    }
  }

  static func closedBySubVariable(_ variable: String) -> String {
    "'{{resolve:' is closed only in the !Sub string, through variable '\(variable)': a "
      + "reference assembled from a !Sub variable is not read (write it in the string, or "
      + "assemble it with Fn::Join)"
  }

  /// The spans of `&{Identifier}` (and, outside an `Fn::Sub` string, `${Identifier}`) of the
  /// loops being walked, in text order: they stand for a value of the loop's collection.
  private func loopPlaceholders(in text: String, mode: ReferenceScanner.Mode)
    -> [ReferencePlaceholder]
  {
    LoopPlaceholders.uses(in: text, where: loopIdentifiers.contains)
      .filter { $0.alphanumeric || mode == .plain }
      .map { ReferencePlaceholder(name: $0.identifier, span: $0.range) }
  }

  /// Scans a mapping key (the current path ends with it): any reference there is never
  /// resolved.
  private mutating func scanKey(_ key: Node) {
    guard case .scalar(let text) = key.value else { return }
    let result = ReferenceScanner.scan(text)
    guard !result.isEmpty else { return }
    var locator = ScalarLocator(node: key, text: text, in: document)
    let keyPath = TemplatePath(path)
    let isLogicalID =
      path.count == 2
      && ["Resources", "Parameters", "Outputs", "Mappings", "Conditions"].contains(path[0])
    for found in result.references {
      let message =
        isLogicalID
        ? "reference '\(found.reference.text)' in a logical ID in '\(path[0])' is never "
          + "resolved; logical IDs must be alphanumeric"
        : "reference '\(found.reference.text)' in a mapping key is never resolved; "
          + "CloudFormation resolves references in values only"
      diagnostics.report(
        Diagnostic(
          .referenceInLogicalID, message, file: file.path, range: locator.range(found.span),
          path: keyPath))
    }
    for issue in result.issues {
      diagnostics.report(
        Diagnostic(
          issue.code, issue.message, file: file.path, range: locator.range(issue.span),
          path: keyPath))
    }
  }
}
