import Foundation
import Testing
import _CinchTestSupport

@testable import CinchTemplate

/// A template fixture read as the graph stages see it: `input.yaml` (or `input.json`), optional
/// `inputs.txt` (`Key=Value` lines; `@region=…`, `@account=…`, `@stack=…`) and optional
/// `reads.txt` (the deploy-time reads the reference scanner would give:
/// `parameter|secret NAME SYNTAX-PATH`, one a line; a name not yet known keeps its `${…}`
/// placeholders and has `?` after its kind: `parameter? /app/${Env}/db …`).
struct GraphFixture {
  var template: Template
  var inputs: EvaluationInputs
  var reads: [DeployRead]
  var diagnostics: Diagnostics

  /// `template`: a template kept outside the case folder (`templates/app.yaml`).
  init(stage: String, name: String, template templateURL: URL? = nil) throws {
    let url = try templateURL ?? #require(Fixtures.file(stage, name, prefix: "input."))
    let file = SourceFile(path: url.lastPathComponent, bytes: Array(try Data(contentsOf: url)))
    var diagnostics = Diagnostics()
    template = TemplateReader.read(
      TemplateParser.parse(file, into: &diagnostics), into: &diagnostics)
    inputs = EvaluationInputs()
    if let inputsURL = Fixtures.file(stage, name, prefix: "inputs") {
      for line in try String(contentsOf: inputsURL, encoding: .utf8).split(separator: "\n") {
        let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { continue }
        switch parts[0] {
        case "@region": inputs.region = parts[1]
        case "@account": inputs.accountID = parts[1]
        case "@stack": inputs.stackName = parts[1]
        default:
          inputs.parameters[parts[0]] = .init(value: parts[1], origin: "--parameter-overrides")
        }
      }
    }
    reads = []
    if let readsURL = Fixtures.file(stage, name, prefix: "reads") {
      for line in try String(contentsOf: readsURL, encoding: .utf8).split(separator: "\n") {
        let fields = line.split(separator: " ").map(String.init)
        guard fields.count == 3 else { continue }
        let concrete = !fields[0].hasSuffix("?")
        let kind = try #require(
          StoreEntry.Kind(rawValue: fields[0].replacingOccurrences(of: "?", with: "")))
        let syntaxPath = TemplatePath(fields[2].split(separator: "/").map(String.init))
        let node = try #require(
          Self.node(at: syntaxPath, in: template.document.root), "no node at \(fields[2])")
        reads.append(
          DeployRead(
            entry: StoreEntry(kind: kind, name: fields[1], isConcrete: concrete), file: file.path,
            range: node.range, path: Self.placementPath(syntaxPath), syntaxPath: syntaxPath))
      }
    }
    self.diagnostics = diagnostics
  }

  /// The node a full path leads to, through intrinsic functions.
  static func node(at path: TemplatePath, in root: Node?) -> Node? {
    guard var node = root else { return nil }
    for component in path.components {
      if let intrinsic = node.intrinsic, component == intrinsic.function.rawValue {
        node = intrinsic.argument
        continue
      }
      switch node.value {
      case .mapping: guard let child = node[component] else { return nil }; node = child
      case .sequence(let items):
        guard let index = Int(component), items.indices.contains(index) else { return nil }
        node = items[index]
      default: return nil
      }
    }
    return node
  }

  /// The path without intrinsic functions and their argument indexes, as the scanner reports it.
  static func placementPath(_ syntaxPath: TemplatePath) -> TemplatePath {
    var components: [String] = []
    var skipIndex = false
    for component in syntaxPath.components {
      if IntrinsicFunction(rawValue: component) != nil {
        skipIndex = true
        continue
      }
      if skipIndex, Int(component) != nil {
        skipIndex = false
        continue
      }
      skipIndex = false
      components.append(component)
    }
    return TemplatePath(components)
  }
}
