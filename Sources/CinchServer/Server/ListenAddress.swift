/// Where `cinch serve` listens: `HOST:PORT` with an IPv4 address, `[IPv6]:PORT`, or
/// `localhost:PORT` (127.0.0.1). Loopback addresses are the default and the only ones allowed
/// without an explicit flag: the server speaks plain HTTP.
package struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
  package enum Family: Sendable, Hashable {
    case ipv4
    case ipv6
  }

  package var host: String
  package var port: UInt16
  package var family: Family

  package static let defaultPort: UInt16 = 4583
  package static let loopback = ListenAddress(host: "127.0.0.1", port: defaultPort, family: .ipv4)

  package init(host: String, port: UInt16, family: Family) {
    self.host = host
    self.port = port
    self.family = family
  }

  /// Parses `HOST:PORT`, `[IPv6]:PORT`, `:PORT` or `PORT` (both on 127.0.0.1).
  package init(parsing text: String) throws(ListenAddressError) {
    var host = "127.0.0.1"
    var portText = text
    var family = Family.ipv4
    if text.hasPrefix("[") {
      guard let close = text.firstIndex(of: "]"),
        text[text.index(after: close)...].hasPrefix(":")
      else { throw ListenAddressError(text: text) }
      host = String(text[text.index(after: text.startIndex)..<close])
      portText = String(text[text.index(close, offsetBy: 2)...])
      family = .ipv6
    } else if let colon = text.lastIndex(of: ":") {
      let name = String(text[..<colon])
      if !name.isEmpty { host = name == "localhost" ? "127.0.0.1" : name }
      portText = String(text[text.index(after: colon)...])
    }
    guard let port = UInt16(portText) else { throw ListenAddressError(text: text) }
    if family == .ipv4 {
      let parts = host.split(separator: ".", omittingEmptySubsequences: false)
      guard parts.count == 4, parts.allSatisfy({ UInt8($0) != nil }) else {
        throw ListenAddressError(text: text)
      }
    } else {
      guard host.contains(":"), host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." })
      else { throw ListenAddressError(text: text) }
    }
    self.init(host: host, port: port, family: family)
  }

  /// 127.0.0.0/8 or ::1.
  package var isLoopback: Bool {
    switch family {
    case .ipv4: host.hasPrefix("127.")
    case .ipv6: host == "::1" || host == "0:0:0:0:0:0:0:1"
    }
  }

  /// As a URL authority: `127.0.0.1:4583`, `[::1]:4583`.
  package var description: String {
    family == .ipv6 ? "[\(host)]:\(port)" : "\(host):\(port)"
  }
}

package struct ListenAddressError: Error, Sendable, CustomStringConvertible {
  package var text: String
  package var description: String {
    "'\(text)' is not an address to listen on: write HOST:PORT (127.0.0.1:4583) or [IPV6]:PORT"
  }
}
