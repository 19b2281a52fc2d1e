import ArgumentParser
import CinchStore
import Foundation

/// `cinch bench-store`: decrypted reads per second inside one process, for `make bench` (a
/// process round trip is mostly process start; this measures the store itself). Reads every
/// parameter of the store, decrypted, through the two paths cinch uses: the resolver's batched
/// read (`lock`, `render`, `plan`: one transaction per batch, an audit row per value read) and
/// one `GetParameter` at a time (`cinch ssm get-parameter`: a transaction each; `serve`'s
/// concurrent reads share theirs, `ReadBatcher`). Every read is audited, as any other; values
/// are read and dropped, never printed.
struct BenchStoreCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench-store",
    abstract: "Measure decrypted store reads per second in this process (for make bench).",
    shouldDisplay: false)

  @OptionGroup var storeOptions: StoreOptions

  @Option(help: "Seconds to spend on each path.")
  var seconds: Double = 2

  @Option(help: "Names per resolver batch.")
  var batch: Int = 100

  @Flag(help: "Print one JSON object instead of text.")
  var json = false

  func run() async throws {
    let store: SQLiteStore
    do {
      store = try await storeOptions.open()
    } catch let error as StoreAccessError {
      throw CLIFailure("\(error)")
    }
    var names: [String] = []
    var token: String?
    repeat {
      let page = try await store.describeParameters(
        DescribeParametersRequest(maxResults: 50, nextToken: token))
      names += page.parameters.map(\.name)
      token = page.nextToken
    } while token != nil
    guard !names.isEmpty else { throw CLIFailure("the store has no parameters to read") }
    let size = max(1, batch)
    let batches = stride(from: 0, to: names.count, by: size).map {
      Array(names[$0..<min($0 + size, names.count)])
    }

    let batched = try await Self.measure(for: seconds) { round in
      let answers = try await store.resolveParameters(batches[round % batches.count])
      return answers.reduce(0) { count, answer in
        if case .resolved = answer { return count + 1 }
        return count
      }
    }
    let single = try await Self.measure(for: seconds) { round in
      _ = try await store.getParameter(
        GetParameterRequest(name: names[round % names.count], withDecryption: true))
      return 1
    }

    if json {
      let object: [String: Any] = [
        "readsPerSecond": batched.rate, "singleReadsPerSecond": single.rate,
        "parameters": names.count, "batchSize": size,
        "batchedReads": batched.reads, "singleReads": single.reads,
      ]
      let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
      Output.stdout(String(decoding: data, as: UTF8.self) + "\n")
    } else {
      Output.stdout(
        String(
          format:
            "%.0f decrypted reads/s batched by %d (%d reads), %.0f reads/s one GetParameter at a time (%d reads), over %d parameters\n",
          batched.rate, size, batched.reads, single.rate, single.reads, names.count))
    }
  }

  /// Runs `body` round after round for `seconds`; the reads it reports per second.
  private static func measure(
    for seconds: Double, _ body: (Int) async throws -> Int
  ) async throws -> (rate: Double, reads: Int) {
    let clock = ContinuousClock()
    let start = clock.now
    let limit = Duration.milliseconds(Int64(seconds * 1000))
    var reads = 0
    var round = 0
    while clock.now - start < limit {
      reads += try await body(round)
      round += 1
    }
    let elapsed = clock.now - start
    let elapsedSeconds =
      Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return (Double(reads) / elapsedSeconds, reads)
  }
}
