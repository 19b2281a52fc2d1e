import Foundation

/// Sockets on 127.0.0.1 for tests: a free port, a port that refuses connections, a listener that
/// never answers.
package enum LoopbackSocket {
  package struct Failure: Error, CustomStringConvertible {
    package var description: String
  }

  /// A port the kernel just handed out on 127.0.0.1 (closed again at once, so free for a
  /// moment).
  package static func freePort() throws -> Int {
    let (descriptor, port) = try closedPort()
    close(descriptor)
    return port
  }

  /// A socket listening on a free port of 127.0.0.1 that nobody accepts on: the kernel completes
  /// connections, and nothing ever answers. Closed by the caller.
  package static func listening() throws -> (descriptor: Int32, port: Int) {
    let descriptor = try bound()
    guard listen(descriptor, 16) == 0 else {
      close(descriptor)
      throw Failure(description: "listen() failed")
    }
    return (descriptor, try port(of: descriptor))
  }

  /// A socket bound to a free port of 127.0.0.1 but not listening: connecting to the port is
  /// refused, and no one else can take the port while the socket stays open. Closed by the
  /// caller.
  package static func closedPort() throws -> (descriptor: Int32, port: Int) {
    let descriptor = try bound()
    return (descriptor, try port(of: descriptor))
  }

  private static func bound() throws -> Int32 {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw Failure(description: "socket() failed") }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let result = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard result == 0 else {
      close(descriptor)
      throw Failure(description: "bind() failed")
    }
    return descriptor
  }

  private static func port(of descriptor: Int32) throws -> Int {
    var address = sockaddr_in()
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let result = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        getsockname(descriptor, $0, &length)
      }
    }
    guard result == 0 else {
      close(descriptor)
      throw Failure(description: "getsockname() failed")
    }
    return Int(UInt16(bigEndian: address.sin_port))
  }
}
