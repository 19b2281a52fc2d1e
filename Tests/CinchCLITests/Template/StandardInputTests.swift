import Foundation
import Testing
import _CinchTestSupport

/// `-` names the template on standard input for the commands that only read templates, shown
/// as `<stdin>`; the commands that keep a lock, which records each template's path, refuse it.
@Suite struct StandardInputTests {
  static let template = """
    Resources:
      Topic:
        Type: AWS::SNS::Topic
        Properties:
          TopicName: !Ref Nope
          DisplayName: '{{resolve:ssm:/app/name}}'

    """

  /// Run in an empty folder: no store, no lock, no file named `-`.
  private func run(_ arguments: [String], stdin: String? = template) async throws
    -> CinchProcess.Result
  {
    let directory = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    return try await CinchProcess.run(arguments, in: directory, stdin: stdin)
  }

  @Test func checkReadsTheTemplateFromStandardInputAsStdin() async throws {
    let result = try await run(["check", "-"])
    #expect(result.status == 1, "\(result.stderr)")
    #expect(result.stdout.hasPrefix("<stdin>:5:23: error[E3002]: 'Nope' is not a parameter"))
    #expect(!result.stdout.contains("no such file"))
    #expect(result.stdout.contains("      TopicName: !Ref Nope\n"))
  }

  @Test(arguments: [
    ["refs", "-"], ["parse", "-", "--dump"], ["graph", "-", "--format", "json"],
    ["consumers", "/app/name", "-"],
    ["policy", "-", "--account-id", "123456789012", "--region", "us-east-1"],
  ])
  func theOtherReadingCommandsReadIt(arguments: [String]) async throws {
    let valid = Self.template.replacingOccurrences(of: "TopicName: !Ref Nope\n", with: "")
    let result = try await run(arguments, stdin: valid)
    #expect(result.status == 0, "\(arguments): \(result.stderr)")
    #expect(!result.stdout.isEmpty, "\(arguments)")
    #expect(!(result.stdout + result.stderr).contains("no such file"), "\(arguments)")
  }

  @Test func refsNamesItsLocationStdin() async throws {
    let result = try await run(["refs", "-", "--format", "json"])
    #expect(result.stdout.contains("\"file\": \"<stdin>\""), "\(result.stdout)")
  }

  @Test func standardInputIsReadOnce() async throws {
    let result = try await run(["check", "-", "-"])
    #expect(result.status == 2)
    #expect(
      result.stderr
        == "cinch: error: '-' (standard input) is named more than once; it can be read only once\n"
    )
    #expect(result.stdout.isEmpty)
  }

  @Test(arguments: [["lock", "-"], ["render", "-", "--output", "out"], ["plan", "-"]])
  func theCommandsThatKeepALockRefuseIt(arguments: [String]) async throws {
    let result = try await run(arguments)
    #expect(result.status == 2)
    #expect(
      result.stderr
        == "cinch: error: \(arguments[0]) does not read a template from standard input ('-'): "
        + "the lock records each template's path to read it again; name the file\n")
  }
}
