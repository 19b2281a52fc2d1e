/// A JSON document as the aws CLI sees a parsed response: objects keep their keys in the order
/// they were written (botocore builds responses in the order of the operation's output shape),
/// and integers stay apart from doubles because Python prints `1` and `1.0` differently.
package enum JSONValue: Sendable, Hashable {
  case null
  case bool(Bool)
  case integer(Int64)
  case double(Double)
  case string(String)
  case array([JSONValue])
  case object(JSONObject)

  /// True for `null`, booleans, numbers and strings: what the text and table formatters put in a
  /// cell or on a line.
  package var isScalar: Bool {
    switch self {
    case .array, .object: false
    default: true
    }
  }

  package var objectValue: JSONObject? {
    if case .object(let object) = self { object } else { nil }
  }

  package var arrayValue: [JSONValue]? {
    if case .array(let array) = self { array } else { nil }
  }

  package var stringValue: String? {
    if case .string(let string) = self { string } else { nil }
  }

  /// The member `key` of an object, `nil` for a missing key or a value that is not an object.
  package subscript(key: String) -> JSONValue? {
    objectValue?[key]
  }
}

/// The members of a JSON object in insertion order. Setting an existing key replaces its value in
/// place, as a Python `dict` does, so a document keeps the shape of the response it came from.
package struct JSONObject: Sendable, Hashable, RandomAccessCollection {
  package struct Member: Sendable, Hashable {
    package var key: String
    package var value: JSONValue

    package init(key: String, value: JSONValue) {
      self.key = key
      self.value = value
    }
  }

  package private(set) var members: [Member]

  package init() { members = [] }

  package init(_ pairs: [(String, JSONValue)]) {
    members = []
    for (key, value) in pairs { self[key] = value }
  }

  /// Members whose keys are known to be distinct (an encoder's, which replaced repeated keys as
  /// it went), without a search per key.
  package init(distinctMembers: [Member]) {
    assert(Set(distinctMembers.map(\.key)).count == distinctMembers.count, "repeated key")
    members = distinctMembers
  }

  package var startIndex: Int { members.startIndex }
  package var endIndex: Int { members.endIndex }
  package subscript(position: Int) -> Member { members[position] }

  package var keys: [String] { members.map(\.key) }
  package var values: [JSONValue] { members.map(\.value) }

  /// Keys match by their code points, as JSON parsers do (RFC 8259 §8.3), not by Swift's
  /// canonical equivalence: a key spelt `e` + U+0301 is not the key `é` (U+00E9).
  package subscript(key: String) -> JSONValue? {
    get { members.first { $0.key.utf8.elementsEqual(key.utf8) }?.value }
    set {
      if let index = members.firstIndex(where: { $0.key.utf8.elementsEqual(key.utf8) }) {
        if let newValue { members[index].value = newValue } else { members.remove(at: index) }
      } else if let newValue {
        members.append(Member(key: key, value: newValue))
      }
    }
  }
}

extension JSONValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral,
  ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral,
  ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
  package init(nilLiteral: ()) { self = .null }
  package init(booleanLiteral value: Bool) { self = .bool(value) }
  package init(integerLiteral value: Int64) { self = .integer(value) }
  package init(floatLiteral value: Double) { self = .double(value) }
  package init(stringLiteral value: String) { self = .string(value) }
  package init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
  package init(dictionaryLiteral elements: (String, JSONValue)...) {
    self = .object(JSONObject(elements))
  }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
  package init(dictionaryLiteral elements: (String, JSONValue)...) { self.init(elements) }
}
