import Foundation
import Testing
import _CinchTestSupport

#if os(Linux)
  /// libcurl (and its ~30 libraries) is loaded when the AWS backend sends its first request, not
  /// when `cinch` starts: the executable does not need it, and work on the embedded store never
  /// loads it. Seen through glibc's dynamic loader: `LD_DEBUG=files` names every library as it
  /// is loaded, and what needed or loaded it.
  ///
  /// In a debug build Foundation is a shared library, and FoundationNetworking, when something
  /// links it, needs libcurl itself, so libcurl is there from the start: these tests then check
  /// that nothing but FoundationNetworking asked for it. A release build
  /// (`--static-swift-stdlib`) has no libcurl at all until the first AWS request.
  @Suite struct LibcurlLoadingTests {
    /// The loader's lines saying who asked for libcurl ("needed by …" or "dynamically loaded
    /// by …"), and whether Foundation came as a shared library.
    static func loads(_ stderr: String) -> (libcurl: [String], sharedFoundation: Bool) {
      let lines = stderr.split(separator: "\n").filter {
        $0.contains("file=") && ($0.contains("needed by") || $0.contains("loaded by"))
      }
      return (
        lines.filter { $0.contains("file=libcurl") }.map(String.init),
        lines.contains { $0.contains("file=libFoundation.so") }
      )
    }

    static func expectNoLibcurlOfItsOwn(_ stderr: String) {
      let (libcurl, sharedFoundation) = loads(stderr)
      #expect(stderr.contains("file=libc.so"))
      #expect(
        libcurl.allSatisfy { $0.contains("needed by") && $0.contains("libFoundationNetworking") })
      if !sharedFoundation { #expect(libcurl.isEmpty) }
    }

    @Test func startingDoesNotLoadLibcurl() async throws {
      let result = try await CinchProcess.run(["--version"], environment: ["LD_DEBUG": "files"])
      #expect(result.status == 0)
      Self.expectNoLibcurlOfItsOwn(result.stderr)
    }

    @Test func theEmbeddedStoreNeverLoadsLibcurl() async throws {
      let directory = try CinchProcess.temporaryDirectory()
      defer { try? FileManager.default.removeItem(at: directory) }
      #expect(try await CinchProcess.run(["init"], in: directory).status == 0)
      let put = try await CinchProcess.run(
        ["ssm", "put-parameter", "--name", "/app/key", "--value", "v", "--type", "SecureString"],
        in: directory, environment: ["LD_DEBUG": "files"])
      #expect(put.status == 0)
      Self.expectNoLibcurlOfItsOwn(put.stderr)
      let get = try await CinchProcess.run(
        ["ssm", "get-parameter", "--name", "/app/key", "--with-decryption"], in: directory,
        environment: ["LD_DEBUG": "files"])
      #expect(get.status == 0)
      Self.expectNoLibcurlOfItsOwn(get.stderr)
    }

    @Test func theFirstAWSRequestLoadsLibcurl() async throws {
      let (descriptor, port) = try LoopbackSocket.closedPort()
      defer { close(descriptor) }
      let result = try await CinchProcess.run(
        ["ssm", "get-parameter", "--store", "aws://us-west-1", "--name", "/x"],
        environment: [
          "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
          "AWS_EC2_METADATA_DISABLED": "true", "AWS_MAX_ATTEMPTS": "1",
          "AWS_ENDPOINT_URL": "http://127.0.0.1:\(port)", "LD_DEBUG": "files",
        ])
      #expect(result.status == 255)
      let (libcurl, sharedFoundation) = Self.loads(result.stderr)
      #expect(!libcurl.isEmpty)
      if !sharedFoundation { #expect(libcurl.contains { $0.contains("dynamically loaded by") }) }
      #expect(
        result.stderr.contains(
          "Could not connect to the endpoint URL: \"http://127.0.0.1:\(port)\" (connection refused)"
        ))
    }
  }
#endif
