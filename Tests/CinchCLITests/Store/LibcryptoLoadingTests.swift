import Foundation
import Testing
import _CinchTestSupport

#if os(Linux)
  /// libcrypto is loaded the first time the store seals or opens a value (or derives a key), not
  /// linked: a command that never touches the store does not map and relocate it before `main`
  /// (~2.5 M instructions), and one that does loads it on the thread opening the store while the
  /// arguments are parsed. Seen through glibc's dynamic loader, as in `LibcurlLoadingTests`.
  @Suite struct LibcryptoLoadingTests {
    /// The loader's lines saying who asked for libcrypto.
    static func libcryptoLoads(_ stderr: String) -> [String] {
      stderr.split(separator: "\n").filter {
        $0.contains("file=libcrypto") && ($0.contains("needed by") || $0.contains("loaded by"))
      }.map(String.init)
    }

    @Test(arguments: [
      ["--version"], ["refs", "t.yaml"], ["parse", "t.yaml"], ["graph", "t.yaml"],
    ])
    func commandsWithoutAStoreNeverLoadIt(_ arguments: [String]) async throws {
      let directory = try CinchProcess.temporaryDirectory()
      defer { try? FileManager.default.removeItem(at: directory) }
      try "Resources:\n  A:\n    Type: AWS::SNS::Topic\n".write(
        to: directory.appendingPathComponent("t.yaml"), atomically: true, encoding: .utf8)
      let result = try await CinchProcess.run(
        arguments, in: directory, environment: ["LD_DEBUG": "files"])
      #expect(result.status == 0)
      #expect(result.stderr.contains("file=libc.so"))
      #expect(Self.libcryptoLoads(result.stderr).isEmpty)
    }

    @Test func theStoreLoadsItOnceWhenItIsFirstUsed() async throws {
      let directory = try CinchProcess.temporaryDirectory()
      defer { try? FileManager.default.removeItem(at: directory) }
      #expect(try await CinchProcess.run(["init"], in: directory).status == 0)
      #expect(
        try await CinchProcess.run(
          ["ssm", "put-parameter", "--name", "/app/key", "--value", "v", "--type", "SecureString"],
          in: directory
        ).status == 0)
      let get = try await CinchProcess.run(
        ["ssm", "get-parameter", "--name", "/app/key", "--with-decryption"], in: directory,
        environment: ["LD_DEBUG": "files"])
      #expect(get.status == 0)
      #expect(get.stdout.contains("\"Value\": \"v\""))
      let loads = Self.libcryptoLoads(get.stderr)
      #expect(loads.count == 1)
      #expect(loads.allSatisfy { $0.contains("dynamically loaded by") })
    }
  }
#endif
