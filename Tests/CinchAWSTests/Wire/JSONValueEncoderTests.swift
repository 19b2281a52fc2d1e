import CinchJSON
import CinchStore
import Foundation
import Testing

@testable import CinchAWS

@Suite struct JSONValueEncoderTests {
  /// The shape a store response takes: Swift names, AWS member names in `CodingKeys`, members
  /// declared in the order of the operation's output shape.
  struct Parameter: Encodable {
    var name: String
    var type: String
    var value: String
    var version: Int
    var selector: String?
    var lastModifiedDate: Date
    var arn: String
    var dataType: String

    enum CodingKeys: String, CodingKey {
      case name = "Name", type = "Type", value = "Value", version = "Version"
      case selector = "Selector", lastModifiedDate = "LastModifiedDate", arn = "ARN"
      case dataType = "DataType"
    }
  }

  struct GetParameterResult: Encodable {
    var parameter: Parameter
    enum CodingKeys: String, CodingKey { case parameter = "Parameter" }
  }

  static let utc = TimeZone(secondsFromGMT: 0) ?? .current

  @Test func keepsDeclarationOrderAndOmitsNil() throws {
    let response = GetParameterResult(
      parameter: Parameter(
        name: "/a/b", type: "String", value: "v", version: 3, selector: nil,
        lastModifiedDate: Date(timeIntervalSince1970: 1_714_558_830.123),
        arn: "arn:aws:ssm:us-east-1:123456789012:parameter/a/b",
        dataType: "text"))
    let value = try JSONValueEncoder(timeZone: Self.utc).encode(response)
    let parameter = try #require(value["Parameter"]?.objectValue)
    #expect(
      parameter.keys == ["Name", "Type", "Value", "Version", "LastModifiedDate", "ARN", "DataType"])
    #expect(parameter["Version"] == .integer(3))
    #expect(parameter["LastModifiedDate"] == .string("2024-05-01T10:20:30.123000+00:00"))
  }

  /// `cinch serve`'s response bodies: declaration order, epoch seconds, and what the client's
  /// decoder (Foundation's, as botocore would) reads back is what was encoded.
  @Test func wireResponsesUseEpochSecondsAndDecodeBack() throws {
    let response = GetParameterResponse(
      parameter: CinchStore.Parameter(
        name: "/a/b", type: .secureString, value: "v\u{1F511}\"/", version: 3,
        lastModifiedDate: Date(timeIntervalSince1970: 1_714_558_830.123),
        arn: "arn:aws:ssm:us-east-1:123456789012:parameter/a/b", dataType: "text"))
    let body = try AWSWireCodec.encodeResponse(response)
    let text = String(decoding: body, as: UTF8.self)
    #expect(text.hasPrefix(#"{"Parameter":{"Name":"/a/b","Type":"SecureString","Value":"#))
    #expect(text.contains(#""LastModifiedDate":1714558830.123"#))
    let decoded = try AWSWireCodec.decode(GetParameterResponse.self, from: body)
    #expect(decoded == response)
  }

  @Test(arguments: [
    (1_714_558_830.0, "UTC", "2024-05-01T10:20:30+00:00"),
    (1_714_558_830.5, "UTC", "2024-05-01T10:20:30.500000+00:00"),
    (1_714_558_830.000001, "UTC", "2024-05-01T10:20:30.000001+00:00"),
    (1_714_558_830.9999996, "UTC", "2024-05-01T10:20:31+00:00"),
    (0.0, "UTC", "1970-01-01T00:00:00+00:00"),
    (1_714_558_830.123, "Europe/Berlin", "2024-05-01T12:20:30.123000+02:00"),
    (1_704_067_200.0, "America/Los_Angeles", "2023-12-31T16:00:00-08:00"),
    (1_704_067_200.0, "Asia/Kolkata", "2024-01-01T05:30:00+05:30"),
  ])
  func timestampsPrintLikePythonIsoformat(seconds: Double, zone: String, expected: String) throws {
    let timeZone = try #require(TimeZone(identifier: zone))
    #expect(
      JSONValueEncoder.timestamp(Date(timeIntervalSince1970: seconds), in: .fixed(timeZone))
        == expected)
  }

  @Test func encodesDataURLsNestedContainersAndJSONValues() throws {
    struct Payload: Encodable {
      var secretBinary: Data
      var link: URL
      var tags: [[String: String]]
      var extra: JSONValue
      var stages: [String: [String]]
      var ratio: Double
      var count: UInt64
      var flag: Bool
      enum CodingKeys: String, CodingKey {
        case secretBinary = "SecretBinary", link = "Link", tags = "Tags", extra = "Extra"
        case stages = "Stages", ratio = "Ratio", count = "Count", flag = "Flag"
      }
    }
    let link = try #require(URL(string: "https://example.com/a"))
    let value = try JSONValueEncoder(timeZone: Self.utc).encode(
      Payload(
        secretBinary: Data([0, 1, 2, 250]), link: link, tags: [["Key": "env"]],
        extra: ["a": [1, 2.5, nil]], stages: ["v1": ["AWSCURRENT"]], ratio: 0.5, count: .max,
        flag: true))
    #expect(value["SecretBinary"] == .string("AAEC+g=="))
    #expect(value["Link"] == .string("https://example.com/a"))
    #expect(value["Tags"] == .array([["Key": "env"]]))
    #expect(value["Extra"] == ["a": [1, 2.5, nil]])
    #expect(value["Stages"] == ["v1": ["AWSCURRENT"]])
    #expect(value["Ratio"] == .double(0.5))
    #expect(value["Count"] == .double(Double(UInt64.max)))
    #expect(value["Flag"] == .bool(true))
  }

  /// Special types are recognised by their static type, also in an array or as an optional.
  @Test func specialTypesAreFoundHoweverTheyArrive() throws {
    struct Mixed: Encodable {
      var dates: [Date]
      var maybe: Date?
      var blob: Data?
      func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(dates, forKey: .dates)
        try container.encodeIfPresent(maybe, forKey: .maybe)
        try container.encode(blob, forKey: .blob)
      }
      enum CodingKeys: String, CodingKey { case dates, maybe, blob }
    }
    let date = Date(timeIntervalSince1970: 1_714_558_830.5)
    let value = try JSONValueEncoder(dates: .epochSeconds).encode(
      Mixed(dates: [date], maybe: date, blob: Data([1])))
    #expect(value["dates"] == .array([.double(1_714_558_830.5)]))
    #expect(value["maybe"] == .double(1_714_558_830.5))
    #expect(value["blob"] == .string("AQ=="))
  }

  @Test func explicitNilIsNull() throws {
    struct Explicit: Encodable {
      var name: String?
      func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
      }
      enum CodingKeys: String, CodingKey { case name = "Name" }
    }
    #expect(try JSONValueEncoder().encode(Explicit(name: nil)) == ["Name": nil])
  }

  /// Scalars are kept without a box of their own and containers with one; either may replace
  /// the other under the same key, in the key's first place, and an unkeyed container counts both.
  @Test func aKeyEncodedAgainKeepsItsPlaceAndTheLastValue() throws {
    struct Twice: Encodable {
      enum CodingKeys: String, CodingKey { case a = "A", b = "B", list = "List" }
      func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("first", forKey: .a)
        var nested = container.nestedContainer(keyedBy: CodingKeys.self, forKey: .b)
        try nested.encode(1, forKey: .a)
        try container.encode(2, forKey: .b)
        var list = container.nestedUnkeyedContainer(forKey: .list)
        try list.encode("x")
        var inner = list.nestedUnkeyedContainer()
        try inner.encode(true)
        try list.encode(list.count)
        _ = container.nestedContainer(keyedBy: CodingKeys.self, forKey: .a)
      }
    }
    let value = try JSONValueEncoder().encode(Twice())
    guard case .object(let object) = value else {
      Issue.record("not an object: \(value)")
      return
    }
    #expect(object.keys == ["A", "B", "List"])
    #expect(value["A"] == .object(JSONObject()))
    #expect(value["B"] == .integer(2))
    #expect(value["List"] == .array([.string("x"), .array([.bool(true)]), .integer(2)]))
  }
}
