import Foundation
import PropertyBased
import Testing
import _CinchTestSupport

@testable import CinchTemplate

@Suite struct ReferenceFinderTests {
  /// A JSON document built by hand: strings map to their exact bytes, with or without escapes
  /// (through `JSONStringSourceMap`).
  @Test func jsonStringsMapExactly() {
    let text = #"{"a": "x {{resolve:ssm:/plain}}", "b": "\u0041{{resolve:ssm:/escaped}}"}"#
    let file = SourceFile(path: "t.json", text: text)
    let bytes = Array(text.utf8)
    func range(of needle: String) -> SourceRange {
      let pattern = Array(needle.utf8)
      let start =
        (0...(bytes.count - pattern.count)).first {
          Array(bytes[$0..<($0 + pattern.count)]) == pattern
        } ?? 0
      return file.range(fromByte: start, toByte: start + pattern.count)
    }
    func string(_ source: String, _ value: String) -> Node {
      Node(.scalar(value), style: .doubleQuoted, range: range(of: source))
    }
    let root = Node(
      .mapping([
        Entry(
          key: string(#""a""#, "a"),
          value: string(#""x {{resolve:ssm:/plain}}""#, "x {{resolve:ssm:/plain}}")),
        Entry(
          key: string(#""b""#, "b"),
          value: string(#""\u0041{{resolve:ssm:/escaped}}""#, "A{{resolve:ssm:/escaped}}")),
      ]), style: .flow, range: file.range(fromByte: 0, toByte: bytes.count))
    var diagnostics = Diagnostics()
    let sites = ReferenceFinder.find(
      in: ParsedDocument(file: file, format: .json, root: root), into: &diagnostics)
    #expect(diagnostics.isEmpty)
    #expect(sites.count == 2)
    #expect(file.text(sites[0].range) == "{{resolve:ssm:/plain}}")
    #expect(file.text(sites[1].range) == "{{resolve:ssm:/escaped}}")
  }

  @Test func sitesCarryBothPaths() throws {
    let file = SourceFile(
      path: "t.yaml",
      text:
        "Resources:\n  Db:\n    Properties:\n      P: !If [c, !Sub '{{resolve:ssm:/${Env}/p}}', x]\n"
    )
    var diagnostics = Diagnostics()
    let document = TemplateParser.parse(file, into: &diagnostics)
    let site = try #require(ReferenceFinder.find(in: document, into: &diagnostics).first)
    #expect(site.path.description == "Resources/Db/Properties/P")
    #expect(site.syntaxPath.description == "Resources/Db/Properties/P/Fn::If/1/Fn::Sub")
    #expect(site.context == .sub(variables: ["Env"]))
    #expect(site.needsEvaluation)
    #expect(site.file == "t.yaml")
  }

  @Test func aDocumentWithoutATreeHasNoSites() {
    var diagnostics = Diagnostics()
    let file = SourceFile(path: "t.yaml", text: "")
    let sites = ReferenceFinder.find(
      in: ParsedDocument(file: file, format: .yaml, root: nil), into: &diagnostics)
    #expect(sites.isEmpty && diagnostics.isEmpty)
  }
}

extension ReferenceFinderTests {
  /// JSON files with escapes around and inside references: every site's range is the
  /// reference's source text, which decodes to the reference.
  @Test func jsonFilesMapReferencesToTheirBytes() {
    let escapes = ["\\n", "\\t", "\\u00e9", "\\\"", "\\\\", "\\ud83d\\ude00", "x", " "]
    let generator = Generator<(String, [String]), Shrink.None<(String, [String])>>(run: { rng in
      var references: [String] = []
      var value = ""
      for _ in 0..<Int.random(in: 1...4, using: &rng) {
        value += escapes.randomElement(using: &rng) ?? ""
        let reference = GeneratedReference.make(using: &rng).reference.text
        references.append(reference)
        // `/` may be written `\/` in JSON: escape some slashes inside the reference too.
        value += Bool.random(using: &rng) ? reference.replacingSlashes : reference
      }
      return ("{\"k\": [\"\(value)\"]}", references)
    })
    let seed: (UInt64, UInt64, UInt64, UInt64) = (11, 0x9E37_79B9_7F4A_7C15, 3, 4)
    seededCheck(generator, count: 400, seed: seed) { source, references in
      let file = SourceFile(path: "t.json", text: source)
      var diagnostics = Diagnostics()
      let document = TemplateParser.parse(file, into: &diagnostics)
      #expect(document.format == .json)
      let sites = ReferenceFinder.find(in: document, into: &diagnostics)
      #expect(diagnostics.isEmpty, "\(source)")
      #expect(sites.map(\.reference.text) == references, "\(source)")
      for site in sites {
        let slice = file.text(site.range)
        #expect(slice.replacingOccurrences(of: "\\/", with: "/") == site.reference.text)
      }
    }
  }
}

extension String {
  fileprivate var replacingSlashes: String { replacingOccurrences(of: "/", with: "\\/") }
}
