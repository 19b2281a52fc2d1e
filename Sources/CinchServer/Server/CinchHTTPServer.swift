package import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The HTTP/1.1 server of `cinch serve`: one listening socket, a thread per connection reading
/// requests with blocking reads (keep-alive and pipelining included), every request handed to
/// the route its path selects (`RouteTable`), a health endpoint, an optional access log, and a
/// graceful stop that lets in-flight requests finish.
///
/// Its own, not FlyingFox's: FlyingFox parsed each request byte by byte through layers of async
/// sequences, about half of a signed `GetParameter`'s instructions (Benchmarks/NOTES.md). Here a
/// request usually arrives in one `recv`, its head is scanned once, and its answer leaves in one
/// `send`. The handlers stay async: the connection's thread waits while a task runs the route.
///
/// The access log names method, path, status, time and what the route adds (operation, access
/// key id, error code); never a header value, a body or a secret.
package final class CinchHTTPServer: Sendable {
  package let address: ListenAddress
  let dispatcher: Dispatcher
  let requestTimeout: TimeInterval
  let headTimeout: TimeInterval
  let maximumConnections: Int
  let state = Mutex(ServerState())

  /// Requests with a larger body are refused with 413, unless their route sets its own limit
  /// (`BodyLimit`; AWS's largest request, a secret of 64 KiB, base64-encoded in a JSON body,
  /// fits well within).
  package static let maximumBodyBytes = 1 << 20

  /// - Parameters:
  ///   - requestTimeout: how long a request may take to arrive and to be answered, and how
  ///     long an idle keep-alive connection is kept.
  ///   - headTimeout: how long a request's head may take to arrive: from the accept for a
  ///     connection's first request, from its first byte for a later one (Vault's listener:
  ///     Go's `ReadHeaderTimeout`, 10 s, which counts from the accept too).
  ///   - maximumConnections: connections served at once; more are answered 503 and closed.
  package init(
    address: ListenAddress, routes: RouteTable, accessLog: Bool = false,
    requestTimeout: TimeInterval = 120, headTimeout: TimeInterval = 10,
    maximumConnections: Int = 1024, log: @escaping @Sendable (String) -> Void
  ) throws {
    _ = try SocketAddress(address)
    self.address = address
    self.requestTimeout = requestTimeout
    self.headTimeout = headTimeout
    self.maximumConnections = maximumConnections
    dispatcher = Dispatcher(routes: routes, accessLog: accessLog, log: log)
  }

  struct ServerState {
    enum Phase {
      case starting
      case listening(descriptor: Int32, port: UInt16)
      case failed(HTTPServerError)
      case stopped
    }
    var phase = Phase.starting
    var draining = false
    var nextConnectionID = 0
    /// Open connections: their socket and whether a request is being read or answered.
    var connections: [Int: (descriptor: Int32, busy: Bool)] = [:]
    /// Resumed when the accept loop ends.
    var finished: CheckedContinuation<Void, Never>?
    /// The accept loop has ended, or will never run (stopped before it started).
    var acceptLoopEnded = false
    /// `start` is binding the socket (so a second `start` is refused).
    var opening = false
  }

  /// Binds and listens on the address and accepts connections on a thread of its own from now
  /// on; returns the port (the one the system chose for port 0). Synchronous: the caller knows
  /// the port, and clients may connect, before any task is scheduled, so a server started on a
  /// busy cooperative pool is reachable at once. Throws when the address cannot be bound, or
  /// when the server was already started or stopped.
  @discardableResult
  package func start() throws -> UInt16 {
    let claimed = state.withLock { state -> Bool in
      guard case .starting = state.phase, !state.opening else { return false }
      state.opening = true
      return true
    }
    guard claimed else { throw HTTPServerError(operation: "listen", code: EALREADY) }
    let listener: Int32
    let port: UInt16
    do throws(HTTPServerError) {
      (listener, port) = try Self.openListener(on: SocketAddress(address))
    } catch {
      state.withLock { $0.phase = .failed(error) }
      throw error
    }
    let stopped = state.withLock { state -> Bool in
      if case .stopped = state.phase { return true }
      state.phase = .listening(descriptor: listener, port: port)
      return false
    }
    guard !stopped else {
      close(listener)
      state.withLock { $0.acceptLoopEnded = true }
      throw HTTPServerError(operation: "listen", code: ECANCELED)
    }
    let thread = Thread { [self] in acceptLoop(listener) }
    thread.name = "cinch-serve-accept"
    thread.start()
    return port
  }

  /// Serves until `stop` is called or the task is cancelled, starting first unless `start` was
  /// called. Throws when the address cannot be bound.
  package func run() async throws {
    let phase = state.withLock { $0.phase }
    switch phase {
    case .starting:
      do {
        try start()
      } catch let error as HTTPServerError where error.code == ECANCELED {
        return  // stopped while the socket was being opened
      }
    case .failed(let error): throw error
    case .listening, .stopped: break
    }
    await withTaskCancellationHandler {
      await withCheckedContinuation { continuation in
        let ended = state.withLock { state -> Bool in
          if state.acceptLoopEnded { return true }
          state.finished = continuation
          return false
        }
        if ended { continuation.resume() }
      }
    } onCancel: {
      stopListening()
    }
  }

  /// Stops accepting connections and waits until the requests in flight are answered (up to
  /// `drainTimeout` seconds); whether they all were. Idle keep-alive connections are closed; a
  /// request of which any byte has arrived is still read and answered, with
  /// `Connection: close`.
  @discardableResult
  package func stop(drainTimeout: TimeInterval) async -> Bool {
    dispatcher.draining.store(true, ordering: .relaxed)
    state.withLock { state in
      state.draining = true
      for connection in state.connections.values where !connection.busy {
        shutdown(connection.descriptor, Int32(SHUT_RDWR))
      }
    }
    stopListening()
    return await waitForConnections(seconds: drainTimeout)
  }

  /// Waits up to `seconds` for every connection to close; whether they all did.
  package func waitForConnections(seconds: TimeInterval) async -> Bool {
    let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
    while true {
      if state.withLock({ $0.connections.isEmpty }) { return true }
      guard ContinuousClock.now < deadline else { return false }
      try? await Task.sleep(for: .milliseconds(10))
    }
  }

  /// Closes every connection still open (after a drain that did not end in time): their
  /// requests are cut off, and their clients see the connection close without an answer.
  /// Returns how many there were. Their threads end as their next read or write fails.
  @discardableResult
  package func cutOff() -> Int {
    state.withLock { state in
      for connection in state.connections.values {
        shutdown(connection.descriptor, Int32(SHUT_RDWR))
      }
      return state.connections.count
    }
  }

  /// Requests being read or answered now.
  package var inFlight: Int { state.withLock { $0.connections.values.count { $0.busy } } }

  private func stopListening() {
    state.withLock { state in
      switch state.phase {
      case .listening(let descriptor, _):
        // Wakes the thread blocked in accept(), which then closes the socket.
        shutdown(descriptor, Int32(SHUT_RDWR))
      case .starting:
        state.phase = .stopped
        // A `start` under way ends it once its socket is open; without one, no loop will run.
        if !state.opening { state.acceptLoopEnded = true }
      case .failed, .stopped:
        break
      }
    }
  }

  // MARK: Listening

  static func openListener(on address: SocketAddress) throws(HTTPServerError) -> (Int32, UInt16) {
    #if canImport(Glibc)
      let descriptor = socket(
        address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    #else
      let descriptor = socket(address.family, SOCK_STREAM, 0)
    #endif
    guard descriptor >= 0 else { throw HTTPServerError(operation: "socket", code: errno) }
    var on: Int32 = 1
    setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
    // Inherited by accepted connections: an answer leaves as soon as it is written.
    setsockopt(
      descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
    let bound = address.withSockaddr { bind(descriptor, $0, $1) }
    guard bound == 0 else {
      let code = errno
      close(descriptor)
      throw HTTPServerError(operation: "bind", code: code)
    }
    guard listen(descriptor, SOMAXCONN) == 0 else {
      let code = errno
      close(descriptor)
      throw HTTPServerError(operation: "listen", code: code)
    }
    return (descriptor, SocketAddress.boundPort(of: descriptor) ?? address.port)
  }

  private func acceptLoop(_ listener: Int32) {
    while true {
      let descriptor = accept(listener, nil, nil)
      if descriptor < 0 {
        switch errno {
        case EINTR, ECONNABORTED, EPROTO: continue
        case EMFILE, ENFILE, ENOBUFS, ENOMEM:
          usleep(10_000)
          continue
        default: break
        }
        break
      }
      let accepted = ContinuousClock.now
      // Not inherited by the processes command rotators start.
      _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
      open(descriptor, accepted: accepted)
    }
    close(listener)
    let continuation = state.withLock { state in
      state.phase = .stopped
      state.acceptLoopEnded = true
      defer { state.finished = nil }
      return state.finished
    }
    continuation?.resume()
  }

  private func open(_ descriptor: Int32, accepted: ContinuousClock.Instant) {
    let (id, draining) = state.withLock { state -> (Int?, Bool) in
      guard !state.draining, state.connections.count < maximumConnections else {
        return (nil, state.draining)
      }
      state.nextConnectionID += 1
      state.connections[state.nextConnectionID] = (descriptor, true)
      return (state.nextConnectionID, false)
    }
    guard let id else {
      // Said as it is: a drain (SIGTERM) refuses new connections too, below the cap.
      dispatcher.logRefusal(
        503,
        draining
          ? "shutting down: no new connections"
          : "connection limit (\(maximumConnections)) reached")
      _ = HTTPConnection.sendAll(
        HTTPConnection.encode(
          ServerResponse.text(503, "the server is not accepting more connections now"),
          keepAlive: false, minorVersion: 1, includeBody: true), to: descriptor)
      close(descriptor)
      return
    }
    let connection = HTTPConnection(
      id: id, descriptor: descriptor, server: self, timeout: requestTimeout,
      headTimeout: headTimeout, accepted: accepted)
    let thread = Thread { connection.serve() }
    thread.name = "cinch-serve-connection"
    // The handler runs on this thread (`ConnectionExecutor`): the stack of the pool's threads,
    // reserved, not committed.
    thread.stackSize = 8 << 20
    thread.start()
  }

  // MARK: Connections

  /// Marks a connection idle (waiting for the next request) or busy (a request has begun).
  /// Returns false when the server is draining and an idle connection should close.
  func connection(_ id: Int, busy: Bool) -> Bool {
    state.withLock { state in
      if !busy && state.draining { return false }
      state.connections[id]?.busy = busy
      return true
    }
  }

  var isDraining: Bool { state.withLock { $0.draining } }

  /// Forgets a connection and closes its socket (under the lock, so `stop` never shuts down a
  /// descriptor number already reused).
  func closeConnection(_ id: Int) {
    state.withLock { state in
      if let connection = state.connections.removeValue(forKey: id) {
        close(connection.descriptor)
      }
    }
  }
}

/// Why the server could not listen: the system call and its error.
package struct HTTPServerError: Error, Sendable, CustomStringConvertible {
  package var operation: String
  package var code: Int32

  package var description: String {
    "\(operation): \(String(cString: strerror(code)))"
  }
}

/// A listening address as the socket calls take it.
struct SocketAddress: Sendable {
  private enum Storage {
    case ipv4(sockaddr_in)
    case ipv6(sockaddr_in6)
  }
  private let storage: Storage
  let port: UInt16

  init(_ address: ListenAddress) throws(HTTPServerError) {
    port = address.port
    switch address.family {
    case .ipv4:
      var value = sockaddr_in()
      value.sin_family = sa_family_t(AF_INET)
      value.sin_port = address.port.bigEndian
      guard inet_pton(AF_INET, address.host, &value.sin_addr) == 1 else {
        throw HTTPServerError(operation: "address '\(address.host)'", code: EINVAL)
      }
      storage = .ipv4(value)
    case .ipv6:
      var value = sockaddr_in6()
      value.sin6_family = sa_family_t(AF_INET6)
      value.sin6_port = address.port.bigEndian
      guard inet_pton(AF_INET6, address.host, &value.sin6_addr) == 1 else {
        throw HTTPServerError(operation: "address '\(address.host)'", code: EINVAL)
      }
      storage = .ipv6(value)
    }
  }

  var family: Int32 {
    switch storage {
    case .ipv4: AF_INET
    case .ipv6: AF_INET6
    }
  }

  func withSockaddr<T>(_ body: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T {
    switch storage {
    case .ipv4(var value):
      return withUnsafePointer(to: &value) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          body($0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
      }
    case .ipv6(var value):
      return withUnsafePointer(to: &value) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          body($0, socklen_t(MemoryLayout<sockaddr_in6>.size))
        }
      }
    }
  }

  /// The local port of a bound socket.
  static func boundPort(of descriptor: Int32) -> UInt16? {
    var storage = sockaddr_storage()
    var size = socklen_t(MemoryLayout<sockaddr_storage>.size)
    let named = withUnsafeMutablePointer(to: &storage) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &size) }
    }
    guard named == 0 else { return nil }
    return withUnsafePointer(to: &storage) { pointer in
      switch Int32(pointer.pointee.ss_family) {
      case AF_INET:
        pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
          UInt16(bigEndian: $0.pointee.sin_port)
        }
      case AF_INET6:
        pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
          UInt16(bigEndian: $0.pointee.sin6_port)
        }
      default: nil
      }
    }
  }

  /// The peer's address as text (`127.0.0.1`, `::1`), for the access log.
  static func peerAddress(of descriptor: Int32) -> String? {
    var storage = sockaddr_storage()
    var size = socklen_t(MemoryLayout<sockaddr_storage>.size)
    let named = withUnsafeMutablePointer(to: &storage) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(descriptor, $0, &size) }
    }
    guard named == 0 else { return nil }
    var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
    let converted: UnsafePointer<CChar>? = withUnsafePointer(to: &storage) { pointer in
      switch Int32(pointer.pointee.ss_family) {
      case AF_INET:
        pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { address in
          var value = address.pointee.sin_addr
          return inet_ntop(AF_INET, &value, &text, socklen_t(text.count))
        }
      case AF_INET6:
        pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { address in
          var value = address.pointee.sin6_addr
          return inet_ntop(AF_INET6, &value, &text, socklen_t(text.count))
        }
      default: nil
      }
    }
    guard converted != nil else { return nil }
    return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}
