/// A parsed file: its bytes and the located tree (nil when the file could not be parsed at
/// all; the reasons are in the diagnostics).
public struct ParsedDocument: Sendable {
  public enum Format: String, Sendable, Hashable {
    case yaml
    case json
  }

  public let file: SourceFile
  public let format: Format
  public let root: Node?
  /// False when the parser made no `Fn::If` or `Fn::Select`: then every place in a deployed
  /// resource or output is live, and `Evaluator.isLive` need not walk to it. True when not known.
  public let mayContainChoice: Bool

  public init(file: SourceFile, format: Format, root: Node?, mayContainChoice: Bool = true) {
    self.file = file
    self.format = format
    self.root = root
    self.mayContainChoice = mayContainChoice
    assert(
      mayContainChoice || root.map { Evaluator.containsChoice($0) } != true,
      "an Fn::If or Fn::Select the parser did not see")
  }
}

/// The front end's entry point: detects the format from the content (not the file name) and
/// runs the matching parser.
public enum TemplateParser {
  /// `pipelined`: a large YAML file may be parsed on two threads (`YAMLParser.parseDocument`),
  /// for a caller that parses one file at a time.
  public static func parse(
    _ file: SourceFile, limits: ParseLimits = .default, pipelined: Bool = false,
    into diagnostics: inout Diagnostics
  ) -> ParsedDocument {
    if file.bytes.count > limits.maxFileSize {
      diagnostics.report(
        Diagnostic(
          .fileTooLarge,
          "file is \(file.bytes.count) bytes, over the limit of \(limits.maxFileSize)",
          file: file.path, range: file.range(fromByte: 0, toByte: 0)))
      return ParsedDocument(file: file, format: .yaml, root: nil)
    }
    if let bad = UTF8Validation.firstInvalidByte(in: file.bytes) {
      diagnostics.report(
        Diagnostic(
          .invalidUTF8, "invalid UTF-8 at byte offset \(bad)", file: file.path,
          range: file.range(fromByte: bad, toByte: min(bad + 1, file.bytes.count))))
      return ParsedDocument(file: file, format: .yaml, root: nil)
    }
    guard looksLikeJSON(file.bytes) else {
      let (root, sawChoice) = YAMLParser.parseDocument(
        file, limits: limits, pipelined: pipelined, into: &diagnostics)
      return ParsedDocument(file: file, format: .yaml, root: root, mayContainChoice: sawChoice)
    }
    var jsonDiagnostics = Diagnostics()
    let (root, sawChoice) = JSONParser.parseDocument(file, limits: limits, into: &jsonDiagnostics)
    if root == nil, !jsonDiagnostics.items.contains(where: { $0.code != .jsonSyntax }) {
      // A YAML flow mapping also starts with `{`: accept it when YAML reads the file cleanly.
      var yamlDiagnostics = Diagnostics()
      let (yamlRoot, yamlSawChoice) = YAMLParser.parseDocument(
        file, limits: limits, into: &yamlDiagnostics)
      if let yamlRoot, !yamlDiagnostics.hasErrors {
        // CloudFormation takes a template that opens like JSON for JSON, and refuses one that
        // is not well-formed ("Template format error: JSON not well-formed (line L, column C)"):
        // the tree is YAML's, so the rest is still checked, and the JSON error is a warning.
        for error in jsonDiagnostics.items {
          diagnostics.report(
            Diagnostic(
              .jsonReadAsYAML, "not well-formed JSON (\(error.message)); read as YAML",
              file: error.file, range: error.range))
        }
        diagnostics.append(contentsOf: yamlDiagnostics)
        return ParsedDocument(
          file: file, format: .yaml, root: yamlRoot, mayContainChoice: yamlSawChoice)
      }
    }
    diagnostics.append(contentsOf: jsonDiagnostics)
    return ParsedDocument(file: file, format: .json, root: root, mayContainChoice: sawChoice)
  }

  /// JSON when the first significant byte (after a BOM and whitespace) opens an object or array.
  static func looksLikeJSON(_ bytes: [UInt8]) -> Bool {
    var index = 0
    if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
    while index < bytes.count {
      switch bytes[index] {
      case 0x20, 0x09, 0x0A, 0x0D: index += 1
      case UInt8(ascii: "{"), UInt8(ascii: "["): return true
      default: return false
      }
    }
    return false
  }
}
