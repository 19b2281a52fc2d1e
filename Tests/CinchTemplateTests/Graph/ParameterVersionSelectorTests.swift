import CinchTemplate
import Testing

@Suite struct ParameterVersionSelectorTests {
  @Test func splitsAVersionOrALabelOffTheName() {
    func split(_ name: String) -> String {
      let (base, selector) = ParameterVersionSelector.split(name)
      return switch selector {
      case .version(let version)?: "\(base) v\(version)"
      case .label(let label)?: "\(base) label \(label)"
      case nil: base
      }
    }
    #expect(split("/myapp/db") == "/myapp/db")
    #expect(split("/myapp/db:3") == "/myapp/db v3")
    #expect(split("/myapp/db:blue") == "/myapp/db label blue")
    #expect(split("/myapp/db:") == "/myapp/db")
    #expect(split("db:12") == "db v12")
    // An ARN's own colons are not selectors; the one after its resource is.
    let arn = "arn:aws:ssm:eu-west-1:123456789012:parameter/myapp/db"
    #expect(split(arn) == arn)
    #expect(split(arn + ":7") == arn + " v7")
    #expect(split(arn + ":prod") == arn + " label prod")
    #expect(split("arn:aws:ssm:eu-west-1") == "arn:aws:ssm:eu-west-1")
    // Only ASCII digits make a version ("٣" is a number, not one Parameter Store counts).
    #expect(split("/myapp/db:٣") == "/myapp/db label ٣")
  }
}
