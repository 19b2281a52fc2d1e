import CYAML
import CYAMLEvents
import Foundation
import Testing
import _CinchTestSupport

@testable import CinchTemplate

/// A large template's YAML is parsed on two threads: libyaml's events made on one, composed on
/// the other (`YAMLParser.parseDocument(pipelined:)`). Whatever the input, the tree, the
/// findings and their positions must be exactly those of the parse on one thread, and a parse
/// that stops early (a limit, a second document) must stop the other thread with it.
@Suite struct PipelinedParseTests {
  /// What one parse produced, as text: the dump of the tree, every finding with its position.
  private struct Outcome: Equatable, CustomStringConvertible {
    var tree: String?
    var findings: [String]
    var sawChoice: Bool

    var description: String {
      (tree ?? "no tree\n") + findings.joined(separator: "\n") + "\nsawChoice \(sawChoice)"
    }
  }

  private func compose(_ file: SourceFile, threaded: Bool, limits: ParseLimits = .default)
    -> Outcome
  {
    var diagnostics = Diagnostics()
    var composer = YAMLComposer(file: file, limits: limits)
    let root = composer.compose(threaded: threaded, into: &diagnostics)
    let findings = diagnostics.items.map { item in
      let notes = item.notes.map { " note \($0.message) \($0.range.map { "\($0)" } ?? "-")" }
      return "\(item.code.id) \(item.range.map { "\($0)" } ?? "-") \(item.message)"
        + notes.joined()
    }
    return Outcome(
      tree: root.map(NodeDump.render), findings: findings, sawChoice: composer.sawChoice)
  }

  private func expectSameOnBothPaths(
    _ file: SourceFile, limits: ParseLimits = .default,
    sourceLocation: SourceLocation = #_sourceLocation
  ) -> Outcome {
    let alone = compose(file, threaded: false, limits: limits)
    let pipelined = compose(file, threaded: true, limits: limits)
    #expect(
      pipelined == alone, "\(file.path): pipelined parse differs", sourceLocation: sourceLocation)
    return alone
  }

  /// Every YAML file of the test fixtures and of `templates/`: valid templates, syntax errors,
  /// hostile inputs, non-ASCII text.
  static let yamlFiles: [URL] = {
    var files: [URL] = []
    for folder in [Fixtures.root, Fixtures.packageRoot.appendingPathComponent("templates")] {
      let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
      while let url = walker?.nextObject() as? URL {
        if ["yaml", "yml"].contains(url.pathExtension) { files.append(url) }
      }
    }
    return files.sorted { $0.path < $1.path }
  }()

  @Test func everyFixtureComposesTheSameOnTwoThreads() throws {
    #expect(Self.yamlFiles.count > 50)
    for url in Self.yamlFiles {
      let text = try String(contentsOf: url, encoding: .utf8)
      _ = expectSameOnBothPaths(SourceFile(path: url.lastPathComponent, text: text))
    }
  }

  /// A template far larger than the ring of batches the threads share (thousands of events),
  /// with every shape the composer handles: short-form and long-form intrinsics, anchors and
  /// aliases, block and flow collections, quoted, block and non-ASCII scalars, comments.
  static func largeTemplate(services: Int) -> String {
    var text = """
      AWSTemplateFormatVersion: '2010-09-09'
      # Größe: a large template, non-ASCII in a comment and in values
      Parameters:
        Env: {Type: String, Default: prod, AllowedValues: [dev, prod]}
      Conditions:
        IsProd: !Equals [!Ref Env, prod]
      Mappings:
        Sizes: &sizes
          prod: {Instance: db.r5.large}
          dev: {Instance: db.t3.micro}
      Resources:

      """
    for index in 0..<services {
      text += """
          Database\(index):
            Type: AWS::RDS::DBInstance
            Condition: IsProd
            Properties:
              DBInstanceClass: !FindInMap [Sizes, !Ref Env, Instance]
              MasterUsername: '{{resolve:ssm:/app/${Env}/db-user-\(index)}}'
              MasterUserPassword: !Sub '{{resolve:ssm-secure:/app/${Env}/db-password-\(index):3}}'
              Tags:
                - {Key: Name, Value: "Datenbank «\(index)» – café"}
                - Key: Owner
                  Value: !If [IsProd, team-\(index), !Ref AWS::NoValue]
          Function\(index):
            Type: AWS::Lambda::Function
            Properties:
              Code:
                ZipFile: |
                  def handler(event, context):
                      return "\(index)"
              Environment:
                Variables:
                  SECRET: !Join ['', ['{{resolve:secretsmanager:', !Ref Env, '/app/\(index):SecretString:password}}']]
                  SIZES: !Base64 {Fn::Sub: 'size-${Env}'}
              Role: !GetAtt Role\(index).Arn
          Role\(index):
            Type: AWS::IAM::Role
            Properties: {AssumeRolePolicyDocument: {Version: '2012-10-17', Statement: []}}
            Metadata: {Sizes: *sizes}

        """
    }
    return text
  }

  @Test func aLargeTemplateComposesTheSameOnTwoThreads() {
    let text = Self.largeTemplate(services: 300)
    #expect(text.utf8.count > YAMLParser.pipelineMinimumBytes * 4)
    let outcome = expectSameOnBothPaths(SourceFile(path: "large.yaml", text: text))
    var diagnostics = Diagnostics()
    var composer = YAMLComposer(file: SourceFile(path: "large.yaml", text: text), limits: .default)
    _ = composer.compose(threaded: true, into: &diagnostics)
    #expect(composer.ranOnTwoThreads, "no thread was made: both sides of the comparison ran alone")
    #expect(outcome.tree != nil)
    // Its aliases, said once.
    #expect(outcome.findings.map { String($0.prefix(5)) } == [DiagnosticCode.yamlAlias.id])
    #expect(outcome.sawChoice)
  }

  @Test func parseDocumentPipelinesOnlyWhenAskedAndLargeEnough() {
    let large = SourceFile(path: "large.yaml", text: Self.largeTemplate(services: 200))
    var first = Diagnostics()
    var second = Diagnostics()
    let alone = YAMLParser.parseDocument(large, into: &first)
    let pipelined = YAMLParser.parseDocument(large, pipelined: true, into: &second)
    #expect(alone.root.map(NodeDump.render) == pipelined.root.map(NodeDump.render))
    #expect(first.items.map(\.code) == [.yamlAlias] && second.items.map(\.code) == [.yamlAlias])
  }

  /// libyaml fails near the end of a large file: the same located error, from the parser state
  /// the other thread left.
  @Test func aSyntaxErrorAfterManyEventsIsReportedTheSame() {
    let text = Self.largeTemplate(services: 150) + "  Broken:\n    Value: \"unterminated\n"
    let outcome = expectSameOnBothPaths(SourceFile(path: "broken.yaml", text: text))
    #expect(outcome.tree == nil)
    #expect(outcome.findings.count == 1)
    #expect(outcome.findings.first?.hasPrefix(DiagnosticCode.yamlSyntax.id) == true)
  }

  /// The composer stops in the middle of the stream; the producer may be anywhere ahead of it.
  /// Repeated so a race between stopping and producing would show.
  @Test func stoppingEarlyStopsTheOtherThread() {
    let text = Self.largeTemplate(services: 150)
    let file = SourceFile(path: "limited.yaml", text: text)
    for maxNodes in [10, 500, 5_000] {
      for _ in 0..<5 {
        let outcome = expectSameOnBothPaths(file, limits: ParseLimits(maxNodes: maxNodes))
        #expect(outcome.tree == nil)
        #expect(outcome.findings.map { String($0.prefix(5)) } == [DiagnosticCode.tooManyNodes.id])
      }
    }
    // A second document: the composer returns at its start, events still being made after it.
    let twoDocuments = SourceFile(
      path: "two.yaml", text: "---\n" + text + "---\n" + text)
    for _ in 0..<5 {
      let outcome = expectSameOnBothPaths(twoDocuments)
      #expect(
        outcome.findings.map { String($0.prefix(5)) } == [DiagnosticCode.multipleDocuments.id])
    }
  }

  @Test func emptyAndTinyInputsOnTwoThreads() {
    for text in [
      "", "\n", "# only a comment\n", "a: 1\n", "- x\n", "---\n...\n", "[", "{a: [1, 2}",
    ] {
      _ = expectSameOnBothPaths(SourceFile(path: "tiny.yaml", text: text))
    }
  }
}

/// The hand-over itself, through the C API: the same events in the same order with the same
/// marks and bytes as libyaml gives on one thread, whichever side waits for the other (a
/// consumer that pauses makes the producer fill the ring and sleep; huge scalars make the
/// consumer sleep), and a close at any point returns.
@Suite struct YAMLEventsHandOverTests {
  struct Run {
    var events: [String] = []
    var failed = false
    var threaded = false
  }

  /// Reads the events of `text`; `pauseEvery` sleeps 1 ms every that many events, `stopAfter`
  /// stops after that many (then sleeps 5 ms, so the producer is asleep, and closes).
  static func read(
    _ text: String, threaded: Bool, pauseEvery: Int? = nil, delayStart: Bool = false,
    stopAfter: Int? = nil
  ) -> Run {
    let bytes = Array(text.utf8)
    return bytes.withUnsafeBufferPointer { buffer in
      guard let events = cinch_yaml_events_open(buffer.baseAddress, buffer.count, threaded ? 1 : 0)
      else { return Run(failed: true) }
      var run = Run(threaded: cinch_yaml_events_is_threaded(events) == 1)
      if delayStart { usleep(3_000) }
      while stopAfter.map({ run.events.count < $0 }) ?? true {
        guard let event = cinch_yaml_events_next(events)?.pointee else {
          run.failed = true
          break
        }
        run.events.append(describe(event))
        if event.type == YAML_STREAM_END_EVENT { break }
        if let pauseEvery, run.events.count % pauseEvery == 0 { usleep(1_000) }
      }
      if stopAfter != nil { usleep(5_000) }
      cinch_yaml_events_close(events)
      return run
    }
  }

  static func describe(_ event: yaml_event_t) -> String {
    func text(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String {
      pointer.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
        ?? "-"
    }
    var line = "\(event.type.rawValue) \(event.start_mark.index)-\(event.end_mark.index)"
    switch event.type {
    case YAML_SCALAR_EVENT:
      let scalar = event.data.scalar
      let value =
        scalar.value.map {
          String(decoding: UnsafeBufferPointer(start: $0, count: scalar.length), as: UTF8.self)
        } ?? ""
      line += " \(text(scalar.anchor)) \(text(scalar.tag)) \(scalar.style.rawValue) \(value)"
    case YAML_ALIAS_EVENT:
      line += " *\(text(event.data.alias.anchor))"
    case YAML_MAPPING_START_EVENT:
      let start = event.data.mapping_start
      line += " \(text(start.anchor)) \(text(start.tag)) \(start.style.rawValue)"
    case YAML_SEQUENCE_START_EVENT:
      let start = event.data.sequence_start
      line += " \(text(start.anchor)) \(text(start.tag)) \(start.style.rawValue)"
    default:
      break
    }
    return line
  }

  static let large = PipelinedParseTests.largeTemplate(services: 200)
  static let broken = PipelinedParseTests.largeTemplate(services: 100) + "x: [unclosed\n"
  /// Scalars of a few megabytes between small events: libyaml takes longer over one of them
  /// than the consumer spins, so the consumer sleeps.
  static let hugeScalars: String = {
    var text = "Resources:\n"
    for index in 0..<6 {
      text += "  Big\(index): '\(String(repeating: "ab", count: 1 << 19))'\n"
      for item in 0..<400 { text += "  Small\(index)x\(item): [\(item), !Ref X\(item)]\n" }
    }
    return text
  }()

  @Test(arguments: [
    ("large", large), ("broken", broken), ("huge scalars", hugeScalars),
  ])
  func theSameEventsWhoeverWaits(name: String, text: String) {
    let alone = Self.read(text, threaded: false)
    #expect(!alone.threaded)
    #expect(alone.events.count > 1_000)
    for (pauseEvery, delayStart) in [(nil, false), (nil, true), (300, false), (1_000, true)] {
      let pipelined = Self.read(
        text, threaded: true, pauseEvery: pauseEvery, delayStart: delayStart)
      #expect(pipelined.threaded)
      #expect(pipelined.failed == alone.failed, "\(name)")
      #expect(pipelined.events.count == alone.events.count, "\(name)")
      if let index = pipelined.events.indices.first(where: {
        $0 < alone.events.count && pipelined.events[$0] != alone.events[$0]
      }) {
        Issue.record("\(name): event \(index) differs: \(pipelined.events[index])")
      }
    }
  }

  @Test(arguments: [0, 1, 15, 16, 17, 240, 2_000, 5_000])
  func closingAfterAnyNumberOfEventsReturns(count: Int) {
    for text in [Self.large, Self.hugeScalars] {
      let alone = Self.read(text, threaded: false, stopAfter: count)
      let pipelined = Self.read(text, threaded: true, stopAfter: count)
      #expect(pipelined.events == alone.events)
    }
  }

  @Test func askingAgainAfterTheEndOrAFailure() {
    for threaded in [false, true] {
      for (text, failing) in [(Self.large, false), (Self.broken, true)] {
        let bytes = Array(text.utf8)
        bytes.withUnsafeBufferPointer { buffer in
          guard
            let events = cinch_yaml_events_open(buffer.baseAddress, buffer.count, threaded ? 1 : 0)
          else {
            Issue.record("cannot open")
            return
          }
          defer { cinch_yaml_events_close(events) }
          var last: yaml_event_type_t?
          while let event = cinch_yaml_events_next(events)?.pointee {
            last = event.type
            if event.type == YAML_STREAM_END_EVENT { break }
          }
          if failing {
            #expect(cinch_yaml_events_parser(events).pointee.error != YAML_NO_ERROR)
            #expect(cinch_yaml_events_next(events) == nil)
            #expect(cinch_yaml_events_next(events) == nil)
          } else {
            #expect(last == YAML_STREAM_END_EVENT)
            #expect(cinch_yaml_events_next(events)?.pointee.type == YAML_NO_EVENT)
          }
        }
      }
    }
  }
}
