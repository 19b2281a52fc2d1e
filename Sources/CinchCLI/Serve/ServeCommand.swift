import ArgumentParser
import CinchServer
import CinchStore
import CinchVault
import Dispatch
import Foundation

/// `cinch serve`: the embedded store over the AWS JSON API, so the aws CLI, boto3 and every
/// SDK read and write it unchanged (`AWS_ENDPOINT_URL=http://127.0.0.1:4583`).
struct ServeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract: "Serve the store over the AWS JSON API (Parameter Store, Secrets Manager, KMS).",
    discussion: """
      Requests must be signed (SigV4) with an access key of the store: create one with \
      'cinch iam create-access-key'. The region is --region's, else AWS_REGION's, else \
      AWS_DEFAULT_REGION's, else us-east-1; requests signed for another region are refused, as \
      AWS refuses them. SIGTERM or SIGINT stops \
      accepting connections, lets requests in flight finish, and exits 0. GET /health answers \
      {"status":"ok"} (503 while stopping).
      """)

  @OptionGroup var storeOptions: StoreOptions

  @Option(
    help: ArgumentHelp(
      "The address to listen on (port 0: any free port).", valueName: "host:port"))
  var listen: String = ListenAddress.loopback.description

  @Option(
    help: ArgumentHelp(
      "The region served: of the store's ARNs, and the one requests must be signed for (default: $AWS_REGION, $AWS_DEFAULT_REGION, else us-east-1).",
      valueName: "region"))
  var region: String?

  @Flag(
    help: """
      Listen on an address other than loopback. cinch serve speaks plain HTTP: put a TLS proxy \
      in front of it.
      """)
  var allowNonLoopback = false

  @Flag(
    help: "Log one line per request on stderr (operation, access key id, status; never a value).")
  var accessLog = false

  @Option(help: "Seconds between sweeps that revoke expired Vault leases (dropping their roles).")
  var leaseInterval: Double = 5

  @Option(help: "Seconds to let requests in flight finish after SIGTERM.")
  var drainTimeout: Double = 30

  func run() async throws {
    let address: ListenAddress
    do {
      address = try ListenAddress(parsing: listen)
    } catch {
      throw CommandFailure(message: "\(error)")
    }
    if !address.isLoopback {
      guard allowNonLoopback else {
        throw CommandFailure(
          message: "refusing to listen on '\(address)': it is not a loopback address and cinch "
            + "serve speaks plain HTTP; pass --allow-non-loopback (and put TLS in front)")
      }
      Output.stderr(
        "cinch: warning: listening on '\(address)' without TLS: signatures, request bodies and "
          + "secret values cross the network in clear text; put a TLS proxy in front\n")
    }
    let store: SQLiteStore
    do {
      // A RotateSecret call runs command rotators as `cinch secretsmanager rotate-secret`
      // does: with the store's location, the key file's path and this `cinch` to call back.
      store = try await storeOptions.open(regionFlag: region).withRotationHost(
        storeOptions.rotationHost(ProcessEnvironment.current))
    } catch let error as StoreAccessError {
      throw CommandFailure(message: "\(error)")
    }
    let keys = try await store.listAccessKeys(userName: nil).accessKeyMetadata
    // Vault clients authenticate with tokens (`cinch token create`, `cinch token root`).
    let vaultTokens = try await store.vaultTokens()
    guard keys.contains(where: { $0.status == .active }) || !vaultTokens.isEmpty else {
      throw CommandFailure(
        message: "the store '\(store.path)' has no active access key and no Vault token, so no "
          + "request could be signed: create one with 'cinch iam create-access-key "
          + "[--user-name NAME]' (AWS clients) or 'cinch token root' (Vault clients)")
    }
    for policy in try await store.allUserPolicies() {
      do {
        _ = try PolicyDocument(parsing: policy.policyDocument)
      } catch {
        throw CommandFailure(
          message: "policy '\(policy.policyName)' of user '\(policy.userName)' cannot be "
            + "enforced: \(error.message)")
      }
    }

    var routes = RouteTable()
    routes.mount(prefix: "/", name: "aws", AWSJSONEndpoint(store: store).handler)
    let vaultAPI = VaultAPI(store: store)
    routes.mount(
      prefix: "/v1/", name: "vault", bodyLimit: VaultRoute.bodyLimit,
      logPath: VaultRoute.logPath, VaultRoute.handler(vaultAPI))
    let server: CinchHTTPServer
    do {
      server = try CinchHTTPServer(
        address: address, routes: routes, accessLog: accessLog,
        log: { line in Output.stderr("cinch serve: \(line)\n") })
    } catch {
      throw CommandFailure(message: "cannot listen on '\(address)': \(error)")
    }

    let stop = StopSignals([SIGTERM, SIGINT])
    let port: UInt16
    do {
      port = try server.start()
    } catch {
      throw CommandFailure(message: "cannot listen on '\(address)': \(error)")
    }
    let serving = Task { try await server.run() }
    var bound = address
    bound.port = port
    // Both on stdout, the first line first: a script or test reads where it listens there.
    Output.stdout(
      "cinch serve: listening on http://\(bound) (region \(store.configuration.region); "
        + "ssm, secretsmanager, kms; GET /health)\n"
        + "cinch serve: Vault API under http://\(bound)/v1/ (VAULT_ADDR=http://\(bound))\n")

    let interval = max(leaseInterval, 0.1)
    let reaper = Task {
      // A store that cannot list the leases is said once, not at every sweep, and again when
      // the reason changes.
      var lastFailure: String?
      // Why each lease could not be revoked, said once per lease (again when the reason
      // changes), as Vault logs "failed to revoke lease" with the lease and the error.
      var leaseFailures: [String: String] = [:]
      while !Task.isCancelled {
        do {
          let sweep = try await vaultAPI.revokeExpiredLeases()
          if Task.isCancelled { break }
          lastFailure = nil
          var failing: [String: String] = [:]
          for failure in sweep.failures {
            failing[failure.leaseID] = failure.reason
            if leaseFailures[failure.leaseID] != failure.reason {
              Output.stderr(
                "cinch serve: lease '\(failure.leaseID)' cannot be revoked: \(failure.reason) "
                  + "(tried again at each sweep)\n")
            }
          }
          let changed = Set(failing.keys) != Set(leaseFailures.keys)
          leaseFailures = failing
          // A sweep that only fails again on the same leases says nothing new.
          if sweep.revoked > 0 || (sweep.failed > 0 && changed) {
            Output.stderr(
              "cinch serve: expired leases: \(sweep.revoked) revoked, \(sweep.failed) left for "
                + "the next sweep\n")
          }
        } catch {
          // Stopping: the store's waits were ended, or it is closed, under the sweep.
          if Task.isCancelled { break }
          let failure = "\(error)"
          if failure != lastFailure {
            Output.stderr("cinch serve: expired leases cannot be listed: \(failure)\n")
          }
          lastFailure = failure
        }
        try? await Task.sleep(for: .milliseconds(Int(interval * 1000)))
      }
    }

    let signal = await stop.next()
    reaper.cancel()
    Output.stderr(
      "cinch serve: \(signal == SIGTERM ? "SIGTERM" : "SIGINT"): finishing requests in flight\n")
    let drained = await server.stop(drainTimeout: drainTimeout)
    // The drain timeout holds for whatever waits for the store's write lock (another process
    // holding it): a request, the lease sweep. Their waits end now, and a request is answered
    // busy (`TooManyUpdates`, `ThrottlingException`: SDKs retry), a second given for the
    // answers to go out; a request still running then (a rotator's command, a database) is cut
    // off. The store is closed once the operations on it have ended, never under one.
    store.stopWaiting()
    if !drained, await !server.waitForConnections(seconds: 1) {
      let cut = server.cutOff()
      Output.stderr(
        "cinch serve: \(cut) request\(cut == 1 ? "" : "s") not answered within the drain "
          + "timeout (\(Self.describe(drainTimeout)) s): connection\(cut == 1 ? "" : "s") "
          + "closed\n")
    }
    serving.cancel()
    _ = await serving.result
    try? store.close()
    withExtendedLifetime(stop) {}
    Output.stderr("cinch serve: stopped\n")
  }
}

extension ServeCommand {
  /// Seconds as given: `5`, `0.5`.
  static func describe(_ seconds: Double) -> String {
    seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
  }
}

/// SIGTERM and SIGINT as an async sequence: the default action (ending the process at once) is
/// replaced, so the server can drain. Keep the value alive while waiting.
final class StopSignals {
  private let sources: [any DispatchSourceSignal]
  let stream: AsyncStream<Int32>

  init(_ signals: [Int32]) {
    let (stream, continuation) = AsyncStream<Int32>.makeStream()
    self.stream = stream
    sources = signals.map { number in
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler { continuation.yield(number) }
      source.resume()
      return source
    }
  }

  /// The next signal received.
  func next() async -> Int32? {
    for await number in stream { return number }
    return nil
  }
}
