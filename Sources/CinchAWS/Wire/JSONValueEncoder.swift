package import CinchJSON
import CinchStore
package import Foundation

/// Encodes any `Encodable` straight into a `JSONValue`, the way botocore hands a parsed response to
/// the aws CLI's formatters:
/// - object keys in encoding order (a response struct declares its members in the order of the
///   operation's output shape, which is the order the aws CLI prints);
/// - `nil` optionals left out (synthesized `Encodable` uses `encodeIfPresent`), as botocore omits
///   members the service did not return;
/// - `Date` as the aws CLI v2 prints timestamps under its default `cli_timestamp_format` of
///   `iso8601`: Python's `datetime.isoformat()` in the local time zone, e.g.
///   `2024-05-01T10:20:30.123000+00:00`, the fraction only when it is not zero (see `timestamp`);
///   or, for the AWS JSON 1.1 wire (`cinch serve`'s responses), seconds since 1970 as a number;
/// - `Data` as base64 (the aws CLI leaves blobs base64-encoded);
/// - `JSONValue` members inserted as they are.
package struct JSONValueEncoder: Sendable {
  /// How a `Date` is written.
  package enum Dates: Sendable {
    /// As the aws CLI prints it, in this zone.
    case awsCLI(Zone)
    /// Seconds since 1970, a JSON number (fractions allowed): the AWS JSON 1.1 wire.
    case epochSeconds
  }

  /// The zone dates are printed in.
  package enum Zone: Sendable {
    /// The machine's local zone as the C library has it (`TZ`, else /etc/localtime), which is
    /// what the aws CLI uses (`CivilTime.localOffset`).
    case local
    case fixed(TimeZone)

    /// Seconds east of UTC at `seconds` since 1970.
    func offset(atSecondsSince1970 seconds: Int64) -> Int {
      switch self {
      case .local: CivilTime.localOffset(atSecondsSince1970: seconds)
      case .fixed(let zone): zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds)))
      }
    }
  }

  package var dates: Dates

  /// Dates as the aws CLI prints them, in the local zone.
  package init() {
    self.dates = .awsCLI(.local)
  }

  /// Dates as the aws CLI prints them, in `timeZone`.
  package init(timeZone: TimeZone) {
    self.dates = .awsCLI(.fixed(timeZone))
  }

  package init(dates: Dates) {
    self.dates = dates
  }

  package func encode(_ value: some Encodable) throws -> JSONValue {
    let root = EncodingBox(dates: dates)
    try root.encodeValue(value)
    return root.result()
  }

  /// Python's `datetime.fromtimestamp(seconds, tz).isoformat()`: microseconds rounded half to
  /// even, printed only when non-zero; the UTC offset as `+HH:MM` (seconds added when present).
  package static func timestamp(_ date: Date, in zone: Zone) -> String {
    let interval = date.timeIntervalSince1970
    var seconds = interval.rounded(.down)
    var microseconds = ((interval - seconds) * 1_000_000).rounded(.toNearestOrEven)
    if microseconds >= 1_000_000 {
      seconds += 1
      microseconds -= 1_000_000
    }
    let offset = zone.offset(atSecondsSince1970: Int64(seconds))
    return CivilTime(secondsSince1970: Int64(seconds), offset: offset).text(
      separators: true, fraction: microseconds > 0 ? (Int(microseconds), 6) : nil,
      zone: .offset(seconds: offset))
  }
}

/// One node being built. Containers hand out child boxes and read them back when asked for the
/// result, so nested containers can be filled in any order, as `Encoder` allows.
private final class EncodingBox: Encoder {
  enum Content {
    case empty
    case value(JSONValue)
    case object([(String, Member)])
    case array([Member])
  }

  /// A container's member: a scalar, kept as it is, or a box for a value that encodes itself
  /// (only those need one; a box per scalar was half the allocations of a served response).
  enum Member {
    case value(JSONValue)
    case box(EncodingBox)

    func result() -> JSONValue {
      switch self {
      case .value(let value): value
      case .box(let box): box.result()
      }
    }
  }

  let dates: JSONValueEncoder.Dates
  /// Unowned: the parent holds its children (a strong reference back would leak the tree), and
  /// every box lives until `encode` has read the root's result.
  private unowned let parent: EncodingBox?
  private let key: (any CodingKey)?
  /// Built when asked for (an error, or an `encode(to:)` that reads it), not for every node.
  var codingPath: [any CodingKey] {
    guard let parent, let key else { return [] }
    return parent.codingPath + [key]
  }
  var userInfo: [CodingUserInfoKey: Any] { [:] }
  var content: Content = .empty

  init(dates: JSONValueEncoder.Dates, parent: EncodingBox? = nil, key: (any CodingKey)? = nil) {
    self.dates = dates
    self.parent = parent
    self.key = key
  }

  func child(_ key: any CodingKey) -> EncodingBox {
    EncodingBox(dates: dates, parent: self, key: key)
  }

  func result() -> JSONValue {
    switch content {
    case .empty: return .object(JSONObject())
    case .value(let value): return value
    case .array(let elements): return .array(elements.map { $0.result() })
    case .object(let members):
      return .object(
        JSONObject(distinctMembers: members.map { .init(key: $0.0, value: $0.1.result()) }))
    }
  }

  /// The types written specially, recognised by their metatype (a pointer comparison) before
  /// any dynamic cast: casting every value to each of them in turn cost ~20 k instructions of a
  /// served `GetParameter`'s body. A value typed as an existential still goes through them.
  func encodeValue<Value: Encodable>(_ value: Value) throws {
    let type = Value.self
    if type == JSONValue.self || type == Date.self || type == Data.self || type == URL.self
      || type == Decimal.self || type == (any Encodable).self
    {
      try encodeSpecial(value)
    } else {
      try value.encode(to: self)
    }
  }

  private func encodeSpecial(_ value: some Encodable) throws {
    switch value {
    case let json as JSONValue: content = .value(json)
    case let date as Date:
      switch dates {
      case .awsCLI(let zone):
        content = .value(.string(JSONValueEncoder.timestamp(date, in: zone)))
      case .epochSeconds: content = .value(.double(date.timeIntervalSince1970))
      }
    case let data as Data: content = .value(.string(data.base64EncodedString()))
    case let url as URL: content = .value(.string(url.absoluteString))
    case let decimal as Decimal:
      content = .value(.double(NSDecimalNumber(decimal: decimal).doubleValue))
    default: try value.encode(to: self)
    }
  }

  func appendMember(_ key: String) -> EncodingBox {
    let box = child(AnyKey(key))
    setMember(key, .box(box))
    return box
  }

  // `setMember` and `appendElement` take the container's array out of `content` before changing
  // it, so that it is uniquely referenced and appending does not copy it (which made a container
  // of n members cost n² copies).
  func setMember(_ key: String, _ member: Member) {
    guard case .object(var members) = content else {
      content = .object([(key, member)])
      return
    }
    content = .empty
    if let index = members.firstIndex(where: { $0.0 == key }) {
      members[index].1 = member
    } else {
      members.append((key, member))
    }
    content = .object(members)
  }

  func appendElement() -> EncodingBox {
    let box = child(AnyKey(index: elementCount))
    appendElement(.box(box))
    return box
  }

  func appendElement(_ member: Member) {
    var elements: [Member] = []
    if case .array(let existing) = content {
      content = .empty
      elements = existing
    }
    elements.append(member)
    content = .array(elements)
  }

  var elementCount: Int {
    if case .array(let elements) = content { elements.count } else { 0 }
  }

  func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
    if case .object = content {} else { content = .object([]) }
    return KeyedEncodingContainer(KeyedBox<Key>(box: self))
  }

  func unkeyedContainer() -> any UnkeyedEncodingContainer {
    if case .array = content {} else { content = .array([]) }
    return UnkeyedBox(box: self)
  }

  func singleValueContainer() -> any SingleValueEncodingContainer { SingleBox(box: self) }
}

private struct AnyKey: CodingKey {
  var stringValue: String
  var intValue: Int?
  init(_ string: String) { stringValue = string }
  init(index: Int) {
    stringValue = String(index)
    intValue = index
  }
  init?(stringValue: String) { self.stringValue = stringValue }
  init?(intValue: Int) { self.init(index: intValue) }
}

private func number(_ value: some BinaryInteger) -> JSONValue {
  if let integer = Int64(exactly: value) { return .integer(integer) }
  return .double(Double(value))
}

private struct KeyedBox<Key: CodingKey>: KeyedEncodingContainerProtocol {
  let box: EncodingBox
  var codingPath: [any CodingKey] { box.codingPath }

  func set(_ value: JSONValue, _ key: Key) {
    box.setMember(key.stringValue, .value(value))
  }

  mutating func encodeNil(forKey key: Key) throws { set(.null, key) }
  mutating func encode(_ value: Bool, forKey key: Key) throws { set(.bool(value), key) }
  mutating func encode(_ value: String, forKey key: Key) throws { set(.string(value), key) }
  mutating func encode(_ value: Double, forKey key: Key) throws { set(.double(value), key) }
  mutating func encode(_ value: Float, forKey key: Key) throws { set(.double(Double(value)), key) }
  mutating func encode(_ value: Int, forKey key: Key) throws { set(number(value), key) }
  mutating func encode(_ value: Int8, forKey key: Key) throws { set(number(value), key) }
  mutating func encode(_ value: Int16, forKey key: Key) throws { set(number(value), key) }
  mutating func encode(_ value: Int32, forKey key: Key) throws { set(number(value), key) }
  mutating func encode(_ value: Int64, forKey key: Key) throws { set(number(value), key) }
  mutating func encode(_ value: UInt, forKey key: Key) throws { set(number(value), key) }
  mutating func encode(_ value: UInt8, forKey key: Key) throws { set(number(value), key) }
  mutating func encode(_ value: UInt16, forKey key: Key) throws { set(number(value), key) }
  mutating func encode(_ value: UInt32, forKey key: Key) throws { set(number(value), key) }
  mutating func encode(_ value: UInt64, forKey key: Key) throws { set(number(value), key) }
  mutating func encode(_ value: some Encodable, forKey key: Key) throws {
    try box.appendMember(key.stringValue).encodeValue(value)
  }

  mutating func nestedContainer<NestedKey: CodingKey>(
    keyedBy keyType: NestedKey.Type, forKey key: Key
  ) -> KeyedEncodingContainer<NestedKey> {
    box.appendMember(key.stringValue).container(keyedBy: keyType)
  }

  mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
    box.appendMember(key.stringValue).unkeyedContainer()
  }

  mutating func superEncoder() -> any Encoder { box.appendMember("super") }
  mutating func superEncoder(forKey key: Key) -> any Encoder { box.appendMember(key.stringValue) }
}

private struct UnkeyedBox: UnkeyedEncodingContainer {
  let box: EncodingBox
  var codingPath: [any CodingKey] { box.codingPath }
  var count: Int { box.elementCount }

  func append(_ value: JSONValue) { box.appendElement(.value(value)) }

  mutating func encodeNil() throws { append(.null) }
  mutating func encode(_ value: Bool) throws { append(.bool(value)) }
  mutating func encode(_ value: String) throws { append(.string(value)) }
  mutating func encode(_ value: Double) throws { append(.double(value)) }
  mutating func encode(_ value: Float) throws { append(.double(Double(value))) }
  mutating func encode(_ value: Int) throws { append(number(value)) }
  mutating func encode(_ value: Int8) throws { append(number(value)) }
  mutating func encode(_ value: Int16) throws { append(number(value)) }
  mutating func encode(_ value: Int32) throws { append(number(value)) }
  mutating func encode(_ value: Int64) throws { append(number(value)) }
  mutating func encode(_ value: UInt) throws { append(number(value)) }
  mutating func encode(_ value: UInt8) throws { append(number(value)) }
  mutating func encode(_ value: UInt16) throws { append(number(value)) }
  mutating func encode(_ value: UInt32) throws { append(number(value)) }
  mutating func encode(_ value: UInt64) throws { append(number(value)) }
  mutating func encode(_ value: some Encodable) throws {
    try box.appendElement().encodeValue(value)
  }

  mutating func nestedContainer<NestedKey: CodingKey>(
    keyedBy keyType: NestedKey.Type
  ) -> KeyedEncodingContainer<NestedKey> {
    box.appendElement().container(keyedBy: keyType)
  }

  mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
    box.appendElement().unkeyedContainer()
  }

  mutating func superEncoder() -> any Encoder { box.appendElement() }
}

private struct SingleBox: SingleValueEncodingContainer {
  let box: EncodingBox
  var codingPath: [any CodingKey] { box.codingPath }

  func set(_ value: JSONValue) { box.content = .value(value) }

  mutating func encodeNil() throws { set(.null) }
  mutating func encode(_ value: Bool) throws { set(.bool(value)) }
  mutating func encode(_ value: String) throws { set(.string(value)) }
  mutating func encode(_ value: Double) throws { set(.double(value)) }
  mutating func encode(_ value: Float) throws { set(.double(Double(value))) }
  mutating func encode(_ value: Int) throws { set(number(value)) }
  mutating func encode(_ value: Int8) throws { set(number(value)) }
  mutating func encode(_ value: Int16) throws { set(number(value)) }
  mutating func encode(_ value: Int32) throws { set(number(value)) }
  mutating func encode(_ value: Int64) throws { set(number(value)) }
  mutating func encode(_ value: UInt) throws { set(number(value)) }
  mutating func encode(_ value: UInt8) throws { set(number(value)) }
  mutating func encode(_ value: UInt16) throws { set(number(value)) }
  mutating func encode(_ value: UInt32) throws { set(number(value)) }
  mutating func encode(_ value: UInt64) throws { set(number(value)) }
  mutating func encode(_ value: some Encodable) throws { try box.encodeValue(value) }
}

extension JSONValue: Encodable {
  package func encode(to encoder: any Encoder) throws {
    switch self {
    case .null:
      var container = encoder.singleValueContainer()
      try container.encodeNil()
    case .bool(let bool):
      var container = encoder.singleValueContainer()
      try container.encode(bool)
    case .integer(let integer):
      var container = encoder.singleValueContainer()
      try container.encode(integer)
    case .double(let double):
      var container = encoder.singleValueContainer()
      try container.encode(double)
    case .string(let string):
      var container = encoder.singleValueContainer()
      try container.encode(string)
    case .array(let array):
      var container = encoder.unkeyedContainer()
      for element in array { try container.encode(element) }
    case .object(let object):
      var container = encoder.container(keyedBy: MemberKey.self)
      for member in object { try container.encode(member.value, forKey: MemberKey(member.key)) }
    }
  }

  private struct MemberKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }
}
