/// A password-like property should take an `ssm-secure` or `secretsmanager` reference: E2032
/// for a value written in the template (kept in it and shown by the console), W2030 for a plain
/// `ssm` reference (stored and shown in clear) or a parameter without `NoEcho` (shown in the
/// stack's parameters). Each branch of an `Fn::If` is judged on its own, as is each value in
/// `Mappings` an `Fn::FindInMap` may give; a parameter that only picks one (a key, an index) is
/// not taken. Messages never quote the value, and the written value's span is marked sensitive
/// so no renderer shows it.
extension PlacementChecker {
  mutating func checkPasswords() {
    for resource in template.resources {
      guard let properties = resource.properties else { continue }
      var path = ["Resources", resource.logicalID, "Properties"]
      findPasswords(properties, path: &path)
    }
  }

  /// Walks property values looking for password-like keys; `path` is a stack, turned into a
  /// `TemplatePath` only for what is judged.
  private mutating func findPasswords(_ node: borrowing Node, path: inout [String]) {
    switch node.value {
    case .mapping(let entries):
      // By index: iterating would copy each entry, key and value nodes both.
      for index in entries.indices {
        let name = entries[index].name
        path.append(name)
        if PlacementRules.isPasswordProperty(name) {
          judge(entries[index].value, property: name, path: TemplatePath(path))
        } else {
          findPasswords(entries[index].value, path: &path)
        }
        path.removeLast()
      }
    case .sequence(let items):
      for index in items.indices {
        path.append(String(index))
        findPasswords(items[index], path: &path)
        path.removeLast()
      }
    case .intrinsic(let intrinsic) where intrinsic.function == .if:
      if let arguments = intrinsic.argument.sequence, arguments.count == 3 {
        findPasswords(arguments[1], path: &path)
        findPasswords(arguments[2], path: &path)
      }
    case .scalar, .intrinsic:
      break
    }
  }

  private mutating func judge(_ value: Node, property: String, path: TemplatePath) {
    switch value.value {
    case .intrinsic(let intrinsic) where intrinsic.function == .if:
      if let arguments = intrinsic.argument.sequence, arguments.count == 3 {
        judge(arguments[1], property: property, path: path)
        judge(arguments[2], property: property, path: path)
      }
      return
    case .intrinsic(let intrinsic) where intrinsic.function == .findInMap:
      judgeLookup(intrinsic.argument, at: value.range, property: property, path: path)
      return
    case .intrinsic(let intrinsic) where intrinsic.function == .ref:
      if intrinsic.argument.scalar == "AWS::NoValue" { return }
    case .scalar(let text):
      if text.isEmpty || value.isNull || PlacementRules.isPlaceholderSecret(text) { return }
    case .mapping, .sequence:
      return
    case .intrinsic:
      break
    }
    let inside = sites(within: value.range)
    if inside.contains(where: { $0.reference.kind.isSecure }) { return }
    if let plain = inside.first {
      diagnostics.report(
        Diagnostic(
          .insecurePassword,
          "'\(property)' takes a plain 'ssm' reference, whose value CloudFormation and Parameter "
            + "Store keep in clear; use 'ssm-secure' or 'secretsmanager'",
          file: template.path, range: plain.range, path: path))
      return
    }
    let parameters = Self.referencedNames(value).compactMap { template.parameter($0) }
    if let exposed = parameters.first(where: { !$0.noEcho }) {
      diagnostics.report(
        Diagnostic(
          .insecurePassword,
          "'\(property)' takes parameter '\(exposed.name)', which is not 'NoEcho: true' and "
            + "shows in the stack's parameters; use a secure reference or mark it 'NoEcho'",
          file: template.path, range: value.range, path: path,
          notes: [
            .init("parameter '\(exposed.name)'", file: template.path, range: exposed.keyRange)
          ]))
      return
    }
    // A malformed reference is reported by the scanner; calling it a literal would mislead.
    if case .scalar(let text) = value.value,
      text.contains("resolve:") && (text.contains("{{") || text.contains("<<"))
    {
      return
    }
    if parameters.isEmpty, Self.isLiteral(value) {
      diagnostics.report(
        Diagnostic(
          .passwordInTemplate,
          "'\(property)' is written in the template, where anyone who reads it sees it; use an "
            + "'ssm-secure' or 'secretsmanager' reference",
          file: template.path, range: value.range, path: path, sensitive: true))
    }
  }

  /// `Fn::FindInMap`: the property takes what the mapping holds under the keys (under every key
  /// where one is computed), each judged on its own, or the `DefaultValue`. What picks the keys
  /// (`!Ref Env`) is not taken.
  private mutating func judgeLookup(
    _ arguments: Node, at lookup: SourceRange, property: String, path: TemplatePath
  ) {
    guard let arguments = arguments.sequence, arguments.count >= 3 else { return }
    if arguments.count > 3, let fallback = arguments[3]["DefaultValue"] {
      judge(fallback, property: property, path: path)
    }
    guard let name = arguments[0].scalar, let mapping = template.mapping(name) else { return }
    for top in Self.values(of: mapping.node, at: arguments[1]) {
      for value in Self.values(of: top, at: arguments[2]) {
        judgeMapped(value, mapping: name, lookup: lookup, property: property, path: path)
      }
    }
  }

  /// A value in `Mappings` a password-like property takes: a plain `ssm` reference is W2030,
  /// text E2032 (marked at the value, which is sensitive; the note shows the lookup).
  private mutating func judgeMapped(
    _ value: Node, mapping: String, lookup: SourceRange, property: String, path: TemplatePath
  ) {
    guard case .scalar(let text) = value.value, !text.isEmpty, !value.isNull,
      !PlacementRules.isPlaceholderSecret(text)
    else { return }
    let inside = sites(within: value.range)
    if inside.contains(where: { $0.reference.kind.isSecure }) { return }
    let note = Diagnostic.Note(
      "'\(property)' takes it by 'Fn::FindInMap'", file: template.path, range: lookup)
    if let plain = inside.first {
      diagnostics.report(
        Diagnostic(
          .insecurePassword,
          "'\(property)' takes a plain 'ssm' reference from mapping '\(mapping)', whose value "
            + "CloudFormation and Parameter Store keep in clear; use 'ssm-secure' or "
            + "'secretsmanager'",
          file: template.path, range: plain.range, path: path, notes: [note]))
      return
    }
    // A malformed reference is reported by the scanner; calling it a literal would mislead.
    if text.contains("resolve:") && (text.contains("{{") || text.contains("<<")) { return }
    diagnostics.report(
      Diagnostic(
        .passwordInTemplate,
        "'\(property)' is written in mapping '\(mapping)', where anyone who reads the template "
          + "sees it; use an 'ssm-secure' or 'secretsmanager' reference",
        file: template.path, range: value.range, path: path, notes: [note], sensitive: true))
  }

  /// The values of a mapping under `key`: the one entry a written key names, or every entry
  /// when the key is computed.
  private static func values(of node: Node, at key: Node) -> [Node] {
    guard let entries = node.mapping else { return [] }
    guard let written = key.scalar else { return entries.map(\.value) }
    return entries.first { $0.key.scalar == written }.map { [$0.value] } ?? []
  }

  /// Names a value takes from `Ref` and `${…}` (variables defined by the `Fn::Sub` itself are
  /// left out). What only picks the value is not taken: `Fn::FindInMap`'s map name and keys
  /// (its `DefaultValue` is), `Fn::Select`'s index, `Fn::If`'s condition.
  static func referencedNames(_ node: Node) -> [String] {
    var names: [String] = []
    func walk(_ node: Node) {
      switch node.value {
      case .scalar:
        break
      case .sequence(let items):
        items.forEach(walk)
      case .mapping(let entries):
        entries.forEach { walk($0.value) }
      case .intrinsic(let intrinsic):
        switch intrinsic.function {
        case .ref:
          if let name = intrinsic.argument.scalar { names.append(name) }
        case .sub:
          let arguments = intrinsic.argument.sequence ?? [intrinsic.argument]
          let local = Set(arguments.dropFirst().first?.mapping?.map(\.name) ?? [])
          if let text = arguments.first?.scalar {
            names += subVariables(text).filter { !local.contains($0) }
          }
          arguments.dropFirst().forEach(walk)
        case .findInMap:
          if let arguments = intrinsic.argument.sequence, arguments.count > 3 {
            arguments[3]["DefaultValue"].map(walk)
          }
        case .select:
          if let arguments = intrinsic.argument.sequence, arguments.count == 2 {
            walk(arguments[1])
          } else {
            walk(intrinsic.argument)
          }
        case .if:
          if let arguments = intrinsic.argument.sequence, arguments.count == 3 {
            arguments.dropFirst().forEach(walk)
          } else {
            walk(intrinsic.argument)
          }
        default:
          walk(intrinsic.argument)
        }
      }
    }
    walk(node)
    return names
  }

  /// Whether a value is text written in the template: a scalar, or an `Fn::Sub`/`Fn::Join`
  /// of literal text and pseudo parameters only.
  static func isLiteral(_ node: Node) -> Bool {
    switch node.value {
    case .scalar:
      return true
    case .intrinsic(let intrinsic) where intrinsic.function == .sub:
      guard let text = intrinsic.argument.scalar else { return false }
      return subVariables(text).allSatisfy { $0.hasPrefix("AWS::") }
    case .intrinsic(let intrinsic) where intrinsic.function == .join:
      guard let arguments = intrinsic.argument.sequence, arguments.count == 2,
        let pieces = arguments[1].sequence
      else { return false }
      return pieces.allSatisfy(isLiteral)
    default:
      return false
    }
  }

  /// The variables of an `Fn::Sub` string: `${Env}` gives `Env`, `${Db.Arn}` gives `Db`;
  /// `${!Literal}` gives nothing.
  static func subVariables(_ text: String) -> [String] {
    var names: [String] = []
    let bytes = Array(text.utf8)
    var index = 0
    while index + 2 < bytes.count {
      guard bytes[index] == UInt8(ascii: "$"), bytes[index + 1] == UInt8(ascii: "{") else {
        index += 1
        continue
      }
      guard bytes[index + 2] != UInt8(ascii: "!"),
        let close = bytes[(index + 2)...].firstIndex(of: UInt8(ascii: "}"))
      else {
        index += 2
        continue
      }
      let name = String(decoding: bytes[(index + 2)..<close], as: UTF8.self)
      names.append(name.hasPrefix("AWS::") ? name : String(name.prefix { $0 != "." }))
      index = close + 1
    }
    return names
  }
}
