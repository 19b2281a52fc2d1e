import CinchCompiler
import CinchStore
import CinchTemplate
import Testing

/// A run-time read (an ECS container's `Secrets`) that the store would not describe (throttled,
/// denied) is E4006 naming the entry, and says nothing of the deploy: only cinch's own question
/// went unanswered.
@Suite struct RuntimeReadStoreFailureTests {
  struct ThrottledCatalog: ParameterCatalog, SecretCatalog {
    static let error = StoreError(code: "ThrottlingException", message: "Rate exceeded")
    func parameterVersions(_ reference: String) async throws -> ParameterVersionList {
      throw Self.error
    }
    func secretVersions(_ secretID: String) async throws -> SecretVersionList { throw Self.error }
  }

  @Test func aReadTheStoreWouldNotDescribeNamesItsEntry() async throws {
    var diagnostics = Diagnostics()
    let file = SourceFile(
      path: "stack.yaml",
      text: """
        Resources:
          Task:
            Type: AWS::ECS::TaskDefinition
            Properties:
              ContainerDefinitions:
                - Name: app
                  Image: app
                  Secrets:
                    - Name: DB_HOST
                      ValueFrom: /app/prod/db-host
                    - Name: DB_PASSWORD
                      ValueFrom: arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db
        """)
    let analysis = TemplateAnalyzer.analyze(
      TemplateParser.parse(file, into: &diagnostics), inputs: EvaluationInputs(),
      into: &diagnostics)
    #expect(!diagnostics.hasErrors)
    let catalog = StoreCatalog(parameters: ThrottledCatalog(), secrets: ThrottledCatalog())
    _ = try await Checker(source: .store(catalog), lock: nil)
      .check([analysis], checkedFiles: ["stack.yaml"], into: &diagnostics)
    let messages = diagnostics.items.filter { $0.code.id == "E4006" }.map(\.message)
    #expect(
      messages == [
        "cannot check parameter '/app/prod/db-host', which 'Task' reads when it runs: the store "
          + "answered ThrottlingException: Rate exceeded",
        "cannot check secret 'arn:aws:secretsmanager:us-east-1:123456789012:secret:app/db', "
          + "which 'Task' reads when it runs: the store answered ThrottlingException: Rate "
          + "exceeded",
      ], "\(diagnostics.items.map(\.message))")
  }
}
