import Foundation
import Testing
import _CinchTestSupport

/// `refs`, `graph` and `consumers` print what the templates read with the values given; with a
/// `--parameters` file that does not read, that would be another deploy's names (the
/// defaults'), kept by a pipe or a file as this one's. They print nothing but why.
@Suite struct UnreadParameterValuesTests {
  @Test(arguments: [
    ["refs", "stack.yaml"], ["refs", "stack.yaml", "--format", "json"],
    ["graph", "stack.yaml"], ["consumers", "prod/shop/db", "stack.yaml"],
  ])
  func nothingIsPrintedWithoutTheValues(_ command: [String]) async throws {
    let directory = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try """
    Parameters:
      Env: {Type: String, Default: prod}
    Resources:
      Fn:
        Type: AWS::Lambda::Function
        Properties:
          Description: !Sub '{{resolve:secretsmanager:${Env}/shop/db:SecretString:host}}'
    """.write(
      to: directory.appendingPathComponent("stack.yaml"), atomically: true, encoding: .utf8)
    try #"{"Env": "dev" "Other": "x"}"#.write(
      to: directory.appendingPathComponent("values.json"), atomically: true, encoding: .utf8)
    let result = try await CinchProcess.run(
      command + ["--parameters", "values.json"], in: directory)
    #expect(result.status == 1)
    #expect(result.stdout.isEmpty, "\(result.stdout)")
    #expect(
      result.stderr.hasPrefix(
        "cinch: nothing printed: the parameter values given could not all be read (below)\n"
          + "values.json:1:15: error[E0004]"), "\(result.stderr)")
    // Read, the same command prints.
    try #"{"Env": "dev"}"#.write(
      to: directory.appendingPathComponent("values.json"), atomically: true, encoding: .utf8)
    let read = try await CinchProcess.run(command + ["--parameters", "values.json"], in: directory)
    #expect(read.status == 0, "\(read.stderr)")
    if command[0] != "consumers" { #expect(!read.stdout.isEmpty) }
  }

  /// The same file given as `--parameter-overrides file://` is refused the same way: one line,
  /// exit 1, no usage text, nothing printed; a file that is not there is an I/O failure, exit 2,
  /// as a `--parameters` file that is not there is.
  @Test func anOverridesFileThatDoesNotReadIsOneLine() async throws {
    let directory = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try "Resources:\n  T: {Type: AWS::SNS::Topic}\n".write(
      to: directory.appendingPathComponent("stack.yaml"), atomically: true, encoding: .utf8)
    try "# values come later\n".write(
      to: directory.appendingPathComponent("values.yaml"), atomically: true, encoding: .utf8)
    let result = try await CinchProcess.run(
      ["refs", "stack.yaml", "--parameter-overrides", "file://values.yaml"], in: directory)
    #expect(result.status == 1)
    #expect(result.stdout.isEmpty)
    #expect(!result.stderr.contains("Usage"), "\(result.stderr)")
    #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
    #expect(result.stderr.contains("file://values.yaml: the file holds no values"))
    for flag in ["--parameter-overrides", "--parameters"] {
      let missing = try await CinchProcess.run(
        ["refs", "stack.yaml", flag, flag == "--parameters" ? "gone.json" : "file://gone.json"],
        in: directory)
      #expect(missing.status == 2, "\(flag): \(missing.stderr)")
      #expect(missing.stderr.hasPrefix("cinch: error: "), "\(missing.stderr)")
      #expect(missing.stderr.split(separator: "\n").count == 1, "\(missing.stderr)")
    }
  }
}
