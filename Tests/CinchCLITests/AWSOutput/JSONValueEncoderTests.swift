import CinchJSON
import Foundation
import Testing

@testable import CinchCLI

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
      JSONValueEncoder.timestamp(Date(timeIntervalSince1970: seconds), in: timeZone) == expected)
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
}

@Suite struct PythonTextTests {
  @Test(arguments: [
    (1.0, "1.0"), (1.5, "1.5"), (100.0, "100.0"), (1e15, "1000000000000000.0"), (1e16, "1e+16"),
    (1.5e16, "1.5e+16"), (123456789.125, "123456789.125"), (0.0001, "0.0001"), (0.00001, "1e-05"),
    (1.5e-7, "1.5e-07"), (-0.0, "-0.0"), (0.1 + 0.2, "0.30000000000000004"),
    (Double.leastNonzeroMagnitude, "5e-324"),
    (1.7976931348623157e308, "1.7976931348623157e+308"), (-2.5, "-2.5"), (Double.infinity, "inf"),
  ])
  func floatsPrintLikeRepr(value: Double, expected: String) {
    #expect(PythonText.float(value) == expected)
  }

  @Test func reprQuotesAndEscapesLikePython() {
    #expect(PythonText.repr("abc") == "'abc'")
    #expect(PythonText.repr("it's") == "\"it's\"")
    #expect(PythonText.repr("it's \"x\"") == "'it\\'s \"x\"'")
    #expect(PythonText.repr("a\nb\t\u{1}\u{7F}é😀\u{A0}") == "'a\\nb\\t\\x01\\x7fé😀\\xa0'")
    #expect(PythonText.repr(["a": [1, 2.0, true, nil]]) == "{'a': [1, 2.0, True, None]}")
  }
}
