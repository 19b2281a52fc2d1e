import Foundation
import Synchronization
import Testing

@testable import CinchAWS

/// A transport that answers from a script and records what it was sent.
final class FakeTransport: HTTPTransport {
  enum Answer: Sendable {
    case response(HTTPResponse)
    case failure(HTTPTransportError)
  }

  private let state: Mutex<(answers: [Answer], sent: [HTTPRequest])>
  private let fallback: @Sendable (HTTPRequest) -> Answer

  init(
    _ answers: [Answer] = [],
    fallback: @escaping @Sendable (HTTPRequest) -> Answer = { _ in
      .failure(HTTPTransportError(reason: "no answer scripted"))
    }
  ) {
    state = Mutex((answers, []))
    self.fallback = fallback
  }

  var sent: [HTTPRequest] { state.withLock { $0.sent } }

  func send(_ request: HTTPRequest) async throws(HTTPTransportError) -> HTTPResponse {
    let answer = state.withLock { state -> Answer in
      state.sent.append(request)
      return state.answers.isEmpty ? fallback(request) : state.answers.removeFirst()
    }
    switch answer {
    case .response(let response): return response
    case .failure(let error): throw error
    }
  }

  static func json(_ status: Int, _ body: String, headers: [String: String] = [:]) -> Answer {
    .response(HTTPResponse(status: status, headers: headers, body: Array(body.utf8)))
  }
}

extension HTTPRequest {
  func header(_ name: String) -> String? {
    headers.first { $0.name.lowercased() == name.lowercased() }?.value
  }
  var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// A value shared with `@Sendable` closures.
final class Box<Value: Sendable>: Sendable {
  private let mutex: Mutex<Value>
  init(_ value: Value) { mutex = Mutex(value) }
  var value: Value { mutex.withLock { $0 } }
  func update<Result: Sendable>(_ body: (inout Value) -> Result) -> Result {
    mutex.withLock { body(&$0) }
  }
}

/// Expects `body` to throw `expected`.
func expectThrows<E: Error & Equatable>(
  _ expected: E, sourceLocation: SourceLocation = #_sourceLocation,
  _ body: () async throws -> Void
) async {
  do {
    try await body()
    Issue.record("expected \(expected), nothing was thrown", sourceLocation: sourceLocation)
  } catch let error as E {
    #expect(error == expected, sourceLocation: sourceLocation)
  } catch {
    Issue.record("expected \(expected), got \(error)", sourceLocation: sourceLocation)
  }
}

/// Expects `body` to throw an error of type `E`.
func expectThrows<E: Error>(
  _ type: E.Type, sourceLocation: SourceLocation = #_sourceLocation,
  _ body: () async throws -> Void
) async {
  do {
    try await body()
    Issue.record("expected \(E.self), nothing was thrown", sourceLocation: sourceLocation)
  } catch is E {
  } catch {
    Issue.record("expected \(E.self), got \(error)", sourceLocation: sourceLocation)
  }
}
