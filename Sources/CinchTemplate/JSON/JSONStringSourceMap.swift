/// Where each byte of a JSON string's decoded value came from in the file, so that a span
/// found in the decoded text (a `{{resolve:…}}` reference) can be reported at its exact source
/// bytes even when the string holds escapes.
package enum JSONStringSourceMap {
  /// For the string token at `token` (both quotes included) in `bytes`: an array of
  /// `decodedUTF8Count + 1` source offsets. Entry `i` is the offset of the source text that
  /// produced decoded byte `i` (every byte of one escape's scalar maps to the escape's
  /// backslash); the last entry is the offset of the closing quote, so a decoded span `a..<b`
  /// lies at `map[a]..<map[b]` in the file. Without escapes, entry `i` is
  /// `token.lowerBound + 1 + i`.
  ///
  /// The token is expected to be one the parser accepted; a malformed escape is mapped as if
  /// its backslash were a literal byte rather than trapping.
  package static func offsets(in bytes: [UInt8], token: Range<Int>) -> [Int] {
    let start = max(0, min(token.lowerBound, bytes.count))
    let end = max(start, min(token.upperBound, bytes.count))
    guard end - start >= 2 else { return [start] }
    let contentStart = start + 1
    let contentEnd = end - 1
    var map: [Int] = []
    map.reserveCapacity(contentEnd - contentStart + 1)
    bytes.withUnsafeBufferPointer { buffer in
      var cursor = contentStart
      while cursor < contentEnd {
        guard buffer[cursor] == UInt8(ascii: "\\") else {
          map.append(cursor)
          cursor += 1
          continue
        }
        if case .scalar(let scalar, let length) = JSONEscape.decode(
          buffer, at: cursor, end: contentEnd)
        {
          for _ in 0..<UTF8.width(scalar) { map.append(cursor) }
          cursor += length
        } else {
          map.append(cursor)
          cursor += 1
        }
      }
    }
    map.append(contentEnd)
    return map
  }
}
