package import CinchTemplate

/// E2034: text shaped like a credential, anywhere in a file's bytes (values, keys and comments
/// alike; a key pasted into a comment is as leaked as one in a property).
///
/// One pass over the bytes, dispatching on the first byte of each known shape:
///
/// | shape | pattern |
/// |-------|---------|
/// | AWS access key id | `AKIA`/`ASIA` + 16 of `A-Z0-9` |
/// | AWS secret access key | 40 of `A-Za-z0-9/+` within a few lines of an access key id, or after a `secret_access_key`-style name |
/// | private key | `-----BEGIN … PRIVATE KEY-----` to its `-----END …-----` |
/// | GitHub token | `ghp_`/`gho_`/`ghu_`/`ghs_`/`ghr_` + 36 alphanumerics; `github_pat_` + 82 |
/// | Slack token, webhook | `xoxb-`/`xoxp-`/… + 20 or more; `https://hooks.slack.com/services/T…/B…/…` |
/// | Stripe secret key | `sk_live_`/`sk_test_`/`rk_live_`/`rk_test_` + 16 or more alphanumerics |
/// | Google API key | `AIza` + 35 of `A-Za-z0-9_-` |
/// | npm token | `npm_` + 36 alphanumerics |
/// | JSON Web Token | `eyJ…` `.eyJ…` `.signature` |
/// | password in a URL | `scheme://user:password@host` |
///
/// Matches must stand alone (no letter or digit glued to either end). Obvious placeholders are
/// left alone: text with `EXAMPLE` in it (AWS's documented keys, `AKIAIOSFODNN7EXAMPLE`),
/// the documented examples of Stripe and jwt.io, and filler (`AKIA` and sixteen `X`,
/// `AKIA` and an ascending `1234567890ABCDEF`: few distinct characters or a long ascending run).
package enum CredentialScanner {
  enum Kind: Sendable, Hashable {
    case awsAccessKeyID, awsSecretAccessKey, privateKey, gitHubToken, slackToken, slackWebhook
    case stripeKey, googleAPIKey, npmToken, jsonWebToken, urlPassword

    var noun: String {
      switch self {
      case .awsAccessKeyID: "an AWS access key id"
      case .awsSecretAccessKey: "an AWS secret access key"
      case .privateKey: "a private key"
      case .gitHubToken: "a GitHub token"
      case .slackToken: "a Slack token"
      case .slackWebhook: "a Slack webhook URL"
      case .stripeKey: "a Stripe secret key"
      case .googleAPIKey: "a Google API key"
      case .npmToken: "an npm token"
      case .jsonWebToken: "a JSON Web Token"
      case .urlPassword: "a password in a URL"
      }
    }
  }

  struct Match: Sendable, Hashable {
    var kind: Kind
    var start: Int
    var end: Int
  }

  static func scan(_ document: ParsedDocument, into diagnostics: inout Diagnostics) {
    let file = document.file
    for match in matches(file.bytes) {
      let range = file.range(fromByte: match.start, toByte: match.end)
      let path = document.root.map { NodePath.locate(match.start, in: $0) } ?? TemplatePath()
      diagnostics.report(
        Diagnostic(
          .credentialInTemplate,
          "\(match.kind.noun) is written in the template, where anyone who reads it can use "
            + "it; keep it in the store, read it with a 'secretsmanager' or 'ssm-secure' "
            + "reference, and revoke this one",
          file: file.path, range: range, path: path.isEmpty ? nil : path, sensitive: true))
    }
  }

  /// The byte ranges of every credential-shaped span in `bytes` (a finding's message), in
  /// order.
  package static func spans(in bytes: [UInt8]) -> [Range<Int>] {
    matches(bytes).map { $0.start..<$0.end }
  }

  /// Every credential-shaped span in `bytes`, in order, placeholders left out.
  static func matches(_ bytes: [UInt8]) -> [Match] {
    var found: [Match] = []
    var index = 0
    let count = bytes.count
    while index < count {
      // Most bytes start no shape; the two-byte guard keeps the common letters cheap.
      let byte = bytes[index]
      let next = index + 1 < count ? bytes[index + 1] : 0
      var match: Match?
      switch (byte, next) {
      case (UInt8(ascii: "A"), UInt8(ascii: "K")), (UInt8(ascii: "A"), UInt8(ascii: "S")):
        match = prefixed(
          bytes, index, ["AKIA", "ASIA"], body: 16, exact: true, allowed: isUpperOrDigit,
          .awsAccessKeyID)
      case (UInt8(ascii: "A"), UInt8(ascii: "I")):
        match = prefixed(
          bytes, index, ["AIza"], body: 35, exact: true, allowed: isBase64URL, .googleAPIKey)
      case (UInt8(ascii: "g"), UInt8(ascii: "h")), (UInt8(ascii: "g"), UInt8(ascii: "i")):
        match =
          prefixed(
            bytes, index, ["ghp_", "gho_", "ghu_", "ghs_", "ghr_"], body: 36, exact: true,
            allowed: isAlphanumeric, .gitHubToken)
          ?? prefixed(
            bytes, index, ["github_pat_"], body: 82, exact: false, allowed: isWordByte,
            .gitHubToken)
      case (UInt8(ascii: "x"), UInt8(ascii: "o")):
        match = prefixed(
          bytes, index, ["xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-", "xoxe-", "xoxo-"], body: 20,
          exact: false, allowed: { isAlphanumeric($0) || $0 == UInt8(ascii: "-") }, .slackToken)
      case (UInt8(ascii: "s"), UInt8(ascii: "k")), (UInt8(ascii: "r"), UInt8(ascii: "k")):
        match = prefixed(
          bytes, index, ["sk_live_", "sk_test_", "rk_live_", "rk_test_"], body: 16, exact: false,
          allowed: isAlphanumeric, .stripeKey)
      case (UInt8(ascii: "n"), UInt8(ascii: "p")):
        match = prefixed(
          bytes, index, ["npm_"], body: 36, exact: true, allowed: isAlphanumeric, .npmToken)
      case (UInt8(ascii: "e"), UInt8(ascii: "y")):
        match = jsonWebToken(bytes, index)
      case (UInt8(ascii: "h"), UInt8(ascii: "t")):
        match = slackWebhook(bytes, index)
      case (UInt8(ascii: "-"), UInt8(ascii: "-")):
        match = privateKey(bytes, index)
      case (UInt8(ascii: ":"), UInt8(ascii: "/")):
        match = urlPassword(bytes, index)
      default:
        break
      }
      if let match, !isPlaceholder(bytes[match.start..<match.end], kind: match.kind) {
        found.append(match)
        index = max(match.end, index + 1)
      } else {
        index += 1
      }
    }
    let keys = secretAccessKeys(bytes, near: found.filter { $0.kind == .awsAccessKeyID })
    found += keys.filter { key in !found.contains { $0.start <= key.start && key.end <= $0.end } }
    return found.sorted { $0.start < $1.start }
  }

  // MARK: Shapes

  /// `prefix` + `body` bytes that satisfy `allowed` (at least `body` when not `exact`), standing
  /// alone: no word byte before it, none after it.
  private static func prefixed(
    _ bytes: [UInt8], _ index: Int, _ prefixes: [String], body: Int, exact: Bool,
    allowed: (UInt8) -> Bool, _ kind: Kind
  ) -> Match? {
    guard index == 0 || !isAlphanumeric(bytes[index - 1]) else { return nil }
    for prefix in prefixes where hasPrefix(bytes, index, prefix) {
      var end = index + prefix.utf8.count
      let bodyStart = end
      while end < bytes.count, allowed(bytes[end]) { end += 1 }
      let length = end - bodyStart
      guard exact ? length == body : length >= body else { continue }
      if end < bytes.count, isAlphanumeric(bytes[end]) { continue }
      return Match(kind: kind, start: index, end: end)
    }
    return nil
  }

  /// `eyJ<header>.eyJ<claims>.<signature>`: a signed JWT (an unsigned one, `alg: none`, has
  /// an empty third part and proves nothing).
  private static func jsonWebToken(_ bytes: [UInt8], _ index: Int) -> Match? {
    guard hasPrefix(bytes, index, "eyJ"), index == 0 || !isBase64URL(bytes[index - 1]) else {
      return nil
    }
    var end = index
    var lengths: [Int] = []
    var segmentStart = index
    while end < bytes.count {
      let byte = bytes[end]
      if isBase64URL(byte) {
        end += 1
      } else if byte == UInt8(ascii: "."), lengths.count < 2 {
        lengths.append(end - segmentStart)
        end += 1
        segmentStart = end
      } else {
        break
      }
    }
    lengths.append(end - segmentStart)
    guard lengths.count == 3, lengths[0] >= 10, lengths[1] >= 10, lengths[2] >= 16,
      hasPrefix(bytes, index + lengths[0] + 1, "eyJ")
    else { return nil }
    return Match(kind: .jsonWebToken, start: index, end: end)
  }

  private static func slackWebhook(_ bytes: [UInt8], _ index: Int) -> Match? {
    let prefix = "https://hooks.slack.com/services/"
    guard hasPrefix(bytes, index, prefix) else { return nil }
    var end = index + prefix.utf8.count
    var parts = 0
    var partLength = 0
    while end < bytes.count {
      let byte = bytes[end]
      if isAlphanumeric(byte) {
        partLength += 1
      } else if byte == UInt8(ascii: "/"), partLength > 0, parts < 2 {
        parts += 1
        partLength = 0
      } else {
        break
      }
      end += 1
    }
    guard parts == 2, partLength >= 16 else { return nil }
    return Match(kind: .slackWebhook, start: index, end: end)
  }

  /// `-----BEGIN [RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP ]PRIVATE KEY[ BLOCK]-----` through the
  /// matching `-----END …-----` (or the header alone when the block is cut short).
  private static func privateKey(_ bytes: [UInt8], _ index: Int) -> Match? {
    guard hasPrefix(bytes, index, "-----BEGIN ") else { return nil }
    var end = index + 11
    while end < bytes.count, end - index < 64,
      isUpperOrDigit(bytes[end]) || bytes[end] == UInt8(ascii: " ")
    {
      end += 1
    }
    let label = String(decoding: bytes[(index + 11)..<end], as: UTF8.self)
    guard label.hasSuffix("PRIVATE KEY") || label.hasSuffix("PRIVATE KEY BLOCK"),
      hasPrefix(bytes, end, "-----")
    else { return nil }
    let headerEnd = end + 5
    // The footer closes the block; look for it within a generous key size.
    let limit = min(bytes.count, headerEnd + 16_384)
    var scan = headerEnd
    while scan < limit {
      if bytes[scan] == UInt8(ascii: "-"), hasPrefix(bytes, scan, "-----END ") {
        var close = scan + 9
        while close < limit, bytes[close] != UInt8(ascii: "-"), bytes[close] != 0x0A { close += 1 }
        if hasPrefix(bytes, close, "-----") {
          return Match(kind: .privateKey, start: index, end: close + 5)
        }
        break
      }
      scan += 1
    }
    return Match(kind: .privateKey, start: index, end: headerEnd)
  }

  /// `scheme://user:password@host`, found at the `:` of `://`. A password that is a template
  /// variable (`${DbPassword}`), a reference or filler is not one.
  private static func urlPassword(_ bytes: [UInt8], _ index: Int) -> Match? {
    guard hasPrefix(bytes, index, "://") else { return nil }
    var schemeStart = index
    while schemeStart > 0, isSchemeByte(bytes[schemeStart - 1]) { schemeStart -= 1 }
    guard schemeStart < index, isLetter(bytes[schemeStart]) else { return nil }
    var cursor = index + 3
    let userStart = cursor
    while cursor < bytes.count, isUserInfoByte(bytes[cursor]), bytes[cursor] != UInt8(ascii: ":") {
      cursor += 1
    }
    guard cursor > userStart, cursor < bytes.count, bytes[cursor] == UInt8(ascii: ":") else {
      return nil
    }
    let passwordStart = cursor + 1
    cursor = passwordStart
    while cursor < bytes.count, isUserInfoByte(bytes[cursor]) { cursor += 1 }
    guard cursor > passwordStart, cursor < bytes.count, bytes[cursor] == UInt8(ascii: "@") else {
      return nil
    }
    let password = bytes[passwordStart..<cursor]
    if password.allSatisfy(isDigit) { return nil }  // host:port@… is not a password
    let text = String(decoding: password, as: UTF8.self)
    for marker in ["${", "{{", "<<", "$(", "%s", "{"] where text.contains(marker) { return nil }
    let filler = ["password", "passwd", "pass", "pwd", "secret", "token", "changeme", "<password>"]
    if filler.contains(text.lowercased()) { return nil }
    return Match(kind: .urlPassword, start: passwordStart, end: cursor)
  }

  /// 40 bytes of `A-Za-z0-9/+` standing alone, with upper and lower case letters and a digit or
  /// `/`/`+`, near an access key id (three lines either way) or right after a name that says
  /// what it is (`aws_secret_access_key`, `SecretAccessKey`).
  private static func secretAccessKeys(_ bytes: [UInt8], near keyIDs: [Match]) -> [Match] {
    var found: [Match] = []
    var seen = Set<Int>()
    func consider(from low: Int, to high: Int) {
      var index = max(low, 0)
      let end = min(high, bytes.count)
      while index < end {
        // `=` may come before a key (`AWS_SECRET_ACCESS_KEY=…`), not after it: forty bytes
        // and then `=` are the end of longer base64 text.
        guard isSecretKeyByte(bytes[index]), index == 0 || !isSecretKeyByte(bytes[index - 1])
        else {
          index += 1
          continue
        }
        var stop = index
        while stop < bytes.count, isSecretKeyByte(bytes[stop]) { stop += 1 }
        if stop - index == 40, stop == bytes.count || !isSecretKeyBoundary(bytes[stop]),
          looksRandom(bytes[index..<stop]),
          !isPlaceholder(bytes[index..<stop], kind: .awsSecretAccessKey),
          seen.insert(index).inserted
        {
          found.append(Match(kind: .awsSecretAccessKey, start: index, end: stop))
        }
        index = stop
      }
    }
    // Each key id's window, merged with the next where they overlap, so that many key ids on
    // one long line read it once, not once each.
    var table: LineTable?
    func lines() -> LineTable {
      if let table { return table }
      let made = LineTable(bytes)
      table = made
      return made
    }
    let windows = keyIDs.map { keyID in
      lines().start(of: keyID.start, back: 3)..<lines().end(of: keyID.end, forward: 3)
    }
    for window in windows.mergingOverlaps() {
      consider(from: window.lowerBound, to: window.upperBound)
    }
    // Names that announce a secret key, wherever the key id is (or is not): `secret`, then
    // `_access_key`, `AccessKey` or `-access-key`, in any case.
    var namesReadTo = 0
    var index = 0
    while index + 6 <= bytes.count {
      if bytes[index] | 0x20 == UInt8(ascii: "s"), bytes[index + 1] | 0x20 == UInt8(ascii: "e"),
        matchesFolded(bytes, index, "secret")
      {
        var after = index + 6
        if after < bytes.count,
          bytes[after] == UInt8(ascii: "_") || bytes[after] == UInt8(ascii: "-")
        {
          after += 1
        }
        if matchesFolded(bytes, after, "access") {
          after += 6
          if after < bytes.count,
            bytes[after] == UInt8(ascii: "_") || bytes[after] == UInt8(ascii: "-")
          {
            after += 1
          }
          if matchesFolded(bytes, after, "key") {
            // The rest of the line, less what an earlier name on it already had read (what
            // `consider` finds at an offset does not depend on where it started reading).
            let end = lines().end(of: after + 3, forward: 0)
            if max(after + 3, namesReadTo) < end {
              consider(from: max(after + 3, namesReadTo), to: end)
            }
            namesReadTo = max(namesReadTo, end)
          }
        }
        index = after
      } else {
        index += 1
      }
    }
    return found
  }

  // MARK: Placeholders

  /// Text no one would use as a credential: marked as an example, one of the examples vendors
  /// document, or filler.
  static func isPlaceholder(_ text: ArraySlice<UInt8>, kind: Kind) -> Bool {
    let string = String(decoding: text, as: UTF8.self)
    if string.uppercased().contains("EXAMPLE") { return true }
    if documentedExamples.contains(string) { return true }
    let body: ArraySlice<UInt8>
    switch kind {
    case .privateKey:
      // A header alone, or a block without a key in it: fewer than 64 base64 bytes between the
      // lines, or `...` standing in for them.
      let parts = string.components(separatedBy: "-----")
      guard parts.count >= 5 else { return true }
      let inside = parts[2].utf8.filter {
        isAlphanumeric($0) || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "/")
      }
      return inside.count < 64 || parts[2].contains("...") || parts[2].contains("…")
    case .awsAccessKeyID, .googleAPIKey, .npmToken:
      body = text.dropFirst(4)
    case .gitHubToken:
      body = text.drop { $0 != UInt8(ascii: "_") }.dropFirst()
    case .stripeKey:
      body = text.dropFirst(8)
    case .slackToken, .slackWebhook, .jsonWebToken, .urlPassword, .awsSecretAccessKey:
      body = text
    }
    if Set(body).count < 5 { return true }
    return ascendingRun(body) >= 8
  }

  /// Examples the vendors publish in their documentation (those without `EXAMPLE` in them).
  static let documentedExamples: Set<String> = [
    // Stripe's API reference.
    "sk_test_4eC39HqLyjWDarjtT1zdp7dc", "sk_test_BQokikJOvBiI2HlWgH4olfQ2",
    // jwt.io's introduction.
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
  ]

  /// The longest run of bytes each one more than the last (`12345678`, `ABCDEFGH`).
  static func ascendingRun(_ bytes: ArraySlice<UInt8>) -> Int {
    var longest = 0
    var run = 0
    var previous: UInt8?
    for byte in bytes {
      run = previous.map { byte == $0 &+ 1 } == true ? run + 1 : 1
      longest = max(longest, run)
      previous = byte
    }
    return longest
  }

  /// Upper and lower case letters, and a digit or `/` or `+`: base64 of random bytes, not a
  /// word or a hex digest.
  static func looksRandom(_ bytes: ArraySlice<UInt8>) -> Bool {
    bytes.contains(where: isUpper) && bytes.contains(where: isLower)
      && bytes.contains { isDigit($0) || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "+") }
  }

  // MARK: Bytes

  static func hasPrefix(_ bytes: [UInt8], _ index: Int, _ prefix: String) -> Bool {
    var position = index
    for byte in prefix.utf8 {
      guard position < bytes.count, bytes[position] == byte else { return false }
      position += 1
    }
    return true
  }

  /// Whether `word` (lowercase ASCII letters) is at `index`, in any case.
  static func matchesFolded(_ bytes: [UInt8], _ index: Int, _ word: String) -> Bool {
    var position = index
    for byte in word.utf8 {
      guard position < bytes.count, bytes[position] | 0x20 == byte else { return false }
      position += 1
    }
    return true
  }

  /// Where the lines of a text start and end, found by bisection: many key ids on one long
  /// line look up its ends without walking it each time.
  struct LineTable {
    /// The offset of every newline.
    let newlines: [Int]
    let count: Int

    init(_ bytes: [UInt8]) {
      var newlines: [Int] = []
      for (offset, byte) in bytes.enumerated() where byte == 0x0A { newlines.append(offset) }
      self.newlines = newlines
      count = bytes.count
    }

    /// How many newlines come before `offset`: the 0-based line that holds it.
    func line(of offset: Int) -> Int {
      var low = 0
      var high = newlines.count
      while low < high {
        let middle = (low + high) / 2
        if newlines[middle] < offset { low = middle + 1 } else { high = middle }
      }
      return low
    }

    /// The start of the line `back` lines above the one holding `offset`.
    func start(of offset: Int, back: Int) -> Int {
      let target = line(of: offset) - back
      return target <= 0 ? 0 : newlines[target - 1] + 1
    }

    /// The end (its newline, or the end of the text) of the line `forward` lines below the one
    /// holding `offset`.
    func end(of offset: Int, forward: Int) -> Int {
      let target = line(of: offset) + forward
      return target < newlines.count ? newlines[target] : count
    }
  }

  static func isUpper(_ byte: UInt8) -> Bool { byte >= 0x41 && byte <= 0x5A }
  static func isLower(_ byte: UInt8) -> Bool { byte >= 0x61 && byte <= 0x7A }
  static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
  static func isLetter(_ byte: UInt8) -> Bool { isUpper(byte) || isLower(byte) }
  static func isAlphanumeric(_ byte: UInt8) -> Bool { isLetter(byte) || isDigit(byte) }
  static func isUpperOrDigit(_ byte: UInt8) -> Bool { isUpper(byte) || isDigit(byte) }
  static func isWordByte(_ byte: UInt8) -> Bool {
    isAlphanumeric(byte) || byte == UInt8(ascii: "_")
  }
  static func isBase64URL(_ byte: UInt8) -> Bool {
    isAlphanumeric(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
  }
  static func isSecretKeyByte(_ byte: UInt8) -> Bool {
    isAlphanumeric(byte) || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "+")
  }
  static func isSecretKeyBoundary(_ byte: UInt8) -> Bool {
    isSecretKeyByte(byte) || byte == UInt8(ascii: "=")
  }
  static func isSchemeByte(_ byte: UInt8) -> Bool {
    isAlphanumeric(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".")
      || byte == UInt8(ascii: "-")
  }
  /// Bytes of a URL's user info (RFC 3986 unreserved, sub-delims, `%` and `:`), without quotes,
  /// which end a YAML or JSON string.
  static func isUserInfoByte(_ byte: UInt8) -> Bool {
    if isAlphanumeric(byte) { return true }
    switch byte {
    case UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"),
      UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "("),
      UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","),
      UInt8(ascii: ";"), UInt8(ascii: "="), UInt8(ascii: "%"), UInt8(ascii: ":"),
      UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "<"), UInt8(ascii: ">"):
      return true
    default:
      return false
    }
  }
}

extension CredentialScanner {
  /// How many lines either side of a shown line are read for credentials: an AWS secret key
  /// is recognised by an access key id a few lines away, and a line of a private key by the
  /// `-----BEGIN` above it (a 4,096-bit RSA key is 51 lines).
  static let context = 60

  /// The credential-shaped spans on and around `lines` of `file`, for masking excerpts of
  /// findings by commands that do not report credentials (`refs`, `graph`, `lock`, …): a source
  /// line printed to a CI log never shows a key, whether or not E2034 was asked for. Reads each
  /// window of lines once, and never more than the whole file.
  package static func spans(in file: SourceFile, near lines: Set<Int>) -> [SourceRange] {
    let count = file.lineStarts.count
    // Windows of 1-based line numbers, the last one excluded.
    let windows = lines.filter { $0 >= 1 && $0 <= count }.map { line in
      Swift.max(1, line - context)..<Swift.min(count, line + context) + 1
    }
    var spans: [SourceRange] = []
    for window in windows.mergingOverlaps() {
      let start = file.lineStarts[window.lowerBound - 1]
      let end =
        window.upperBound <= count ? file.lineStarts[window.upperBound - 1] : file.bytes.count
      for match in matches(Array(file.bytes[start..<end])) {
        spans.append(file.range(fromByte: start + match.start, toByte: start + match.end))
      }
    }
    return spans
  }
}
