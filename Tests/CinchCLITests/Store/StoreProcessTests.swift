import Foundation
import Testing
import _CinchTestSupport

#if canImport(Glibc)
  import Glibc
#endif

/// Real processes against one store: concurrent writers, and a writer killed mid-run.
@Suite(.serialized) struct StoreProcessTests {
  /// Runs a shell script with the cinch binary in `$CINCH`; returns the process and its stdout.
  /// Foundation's `Process` makes the shell lead a process group of its own, which the cinch
  /// processes it runs join: `kill(-pid, …)` ends them all. (Through `setsid`, as until
  /// 2026-12-03, the shell ran in a child `setsid` forked, since a group leader cannot start a
  /// session, and the kill of the group reached nobody: no writer was ever killed.)
  static func shell(_ script: String, in directory: URL) throws -> (Process, Pipe) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", script]
    process.currentDirectoryURL = directory
    process.environment = [
      "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
      "CINCH": CinchProcess.executable.path, "USER": "tester", "HOME": NSTemporaryDirectory(),
    ]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    try process.run()
    return (process, output)
  }

  @Test func fourProcessesWritingOneNameGetVersions1Through1000() async throws {
    let directory = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    #expect(try await CinchProcess.run(["init"], in: directory).status == 0)
    var writers: [(Process, Pipe)] = []
    for writer in 0..<4 {
      writers.append(
        try Self.shell(
          """
          i=0
          while [ $i -lt 250 ]; do
            i=$((i + 1))
            "$CINCH" ssm put-parameter --name /load/counter --value "w\(writer)-$i" --type String \
              --overwrite --query Version --output text || echo FAILED
          done
          """, in: directory))
    }
    let running = writers
    let lines = try await offThePool {
      var lines: [String] = []
      for (process, pipe) in running {
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        lines += String(decoding: output, as: UTF8.self).split(separator: "\n").map(String.init)
      }
      return lines
    }
    #expect(!lines.contains("FAILED"))
    #expect(lines.compactMap(Int.init).sorted() == Array(1...1000))

    let history = try await CinchProcess.run(
      [
        "ssm", "get-parameter-history", "--name", "/load/counter", "--query",
        "Parameters[].Version", "--output", "text",
      ],
      in: directory)
    #expect(
      history.stdout.split(whereSeparator: { $0 == "\t" || $0 == "\n" }).compactMap { Int($0) }
        == Array(901...1000))
    let verify = try await CinchProcess.run(["audit", "verify"], in: directory)
    #expect(verify.status == 0)
    // Init, 1000 writes, and the history read (one row per version it returned).
    #expect(verify.stdout.hasPrefix("audit log intact: 1101 rows"))
  }

  @Test(arguments: [8, 20, 33])
  func aWriterKilledMidRunLosesNothingItAcknowledged(killAfter: Int) async throws {
    let directory = try CinchProcess.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    #expect(try await CinchProcess.run(["init"], in: directory).status == 0)
    // Each acknowledged write prints "INDEX VERSION".
    let (writer, pipe) = try Self.shell(
      """
      i=0
      while [ $i -lt 90 ]; do
        i=$((i + 1))
        v=$("$CINCH" ssm put-parameter --name /crash/p --value "value-$i" --type String --overwrite \
          --query Version --output text) && echo "$i $v"
      done
      """, in: directory)
    try #require(getpgid(writer.processIdentifier) == writer.processIdentifier)
    let killed = (writer, pipe.fileHandleForReading)
    let (received, reason) = try await offThePool {
      let (writer, handle) = killed
      var received = Data()
      while String(decoding: received, as: UTF8.self).split(separator: "\n").count < killAfter {
        let chunk = handle.availableData
        if chunk.isEmpty { break }
        received += chunk
      }
      // Somewhere inside the next write: the whole group, shell and cinch, at once.
      usleep(useconds_t(killAfter * 1_000))
      kill(-writer.processIdentifier, SIGKILL)
      writer.waitUntilExit()
      received += handle.readDataToEndOfFile()
      return (received, writer.terminationReason)
    }
    let acknowledged = String(decoding: received, as: UTF8.self).split(separator: "\n").compactMap {
      line -> (Int, Int)? in
      let parts = line.split(separator: " ")
      guard parts.count == 2, let index = Int(parts[0]), let version = Int(parts[1]) else {
        return nil
      }
      return (index, version)
    }
    #expect(acknowledged.count >= killAfter)
    // Killed, not run to its end.
    #expect(reason == .uncaughtSignal)
    #expect(acknowledged.count < 90)

    // The store opens, its audit log verifies, and every acknowledged write is there.
    let verify = try await CinchProcess.run(["audit", "verify"], in: directory)
    #expect(verify.status == 0, "\(verify.stderr)")
    for (index, version) in acknowledged {
      let read = try await CinchProcess.run(
        [
          "ssm", "get-parameter", "--name", "/crash/p:\(version)", "--query", "Parameter.Value",
          "--output", "text",
        ],
        in: directory)
      #expect(read.stdout == "value-\(index)\n", "version \(version)")
    }
    // And the store takes writes again.
    let after = try await CinchProcess.run(
      [
        "ssm", "put-parameter", "--name", "/crash/p", "--value", "after", "--type", "String",
        "--overwrite",
      ],
      in: directory)
    #expect(after.status == 0)
  }
}
