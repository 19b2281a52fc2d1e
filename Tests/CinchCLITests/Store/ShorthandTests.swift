import Testing

@testable import CinchCLI

/// The aws CLI's shorthand syntax for structure parameters.
@Suite struct ShorthandTests {
  @Test func scalarsListsAndQuotes() throws {
    let tag = try Shorthand.parse("Key=Env,Value=prod")
    #expect(tag["Key"] == .scalar("Env"))
    #expect(tag["Value"] == .scalar("prod"))

    let filter = try Shorthand.parse("Key=Type,Option=Equals,Values=SecureString,String")
    #expect(filter["Values"] == .list(["SecureString", "String"]))
    #expect(filter["Option"] == .scalar("Equals"))

    let tagKey = try Shorthand.parse("Key=tag:Env,Values=prod")
    #expect(tagKey["Key"] == .scalar("tag:Env"))
    #expect(tagKey["Values"]?.list == ["prod"])

    let bracketed = try Shorthand.parse("Key=Name,Values=[/a,/b]")
    #expect(bracketed["Values"] == .list(["/a", "/b"]))

    let quoted = try Shorthand.parse(#"Key=Note,Value="a, b=c""#)
    #expect(quoted["Value"] == .scalar("a, b=c"))

    let equals = try Shorthand.parse("Key=k,Value=a=b")
    #expect(equals["Value"] == .scalar("a=b"))
  }

  @Test func malformedShorthandIsRefused() {
    #expect(throws: Shorthand.ParseError.self) { try Shorthand.parse("Key") }
    #expect(throws: Shorthand.ParseError.self) { try Shorthand.parse("Key=\"open") }
    #expect(throws: Shorthand.ParseError.self) { try Shorthand.parse("=value") }
  }

  /// Two structures typed with a comma between them instead of a space: the aws CLI refuses
  /// the second `Value=`, which would otherwise replace the first.
  @Test func aKeyGivenTwiceIsRefusedAsTheAWSCLIRefusesIt() {
    #expect {
      try Shorthand.parse("Key=a,Value=b Key=c,Value=d")
    } throws: { error in
      "\(error)"
        == "Second instance of key \"Value\" encountered for input:\nKey=a,Value=b Key=c,Value=d\n"
        + "This is often because there is a preceding \",\" instead of a space."
    }
    #expect(throws: Shorthand.ParseError.self) { try Shorthand.parse("Key=a,Value=b,Key=c") }
  }

  @Test func anEscapedCommaBelongsToTheValue() throws {
    #expect(try Shorthand.parse(#"Key=a,Value=b\,c"#)["Value"] == .scalar("b,c"))
    #expect(
      try Shorthand.parse(#"Key=name,Values=many\,app,other"#)["Values"]
        == .list(["many,app", "other"]))
  }

  @Test func structuresFromShorthandAndJSON() throws {
    let objects = try AWSStructures.parse(
      [
        "Key=Env,Value=prod", #"{"Key": "Team", "Value": "ops"}"#, #"[{"Key": "A", "Value": "1"}]"#,
      ],
      option: "--tags")
    let tags = try AWSStructures.tags(objects)
    #expect(tags?.map(\.key) == ["Env", "Team", "A"])
    #expect(tags?.map(\.value) == ["prod", "ops", "1"])
    #expect(throws: AWSUsageError.self) {
      try AWSStructures.tags(try AWSStructures.parse(["Key=Env,Colour=blue"], option: "--tags"))
    }
  }

  /// awscli strips keys and values: a `file://` document's line break is not part of its last
  /// value, and white space before a key's `=` is not part of the key.
  @Test func whiteSpaceAroundKeysAndValuesIsNotKept() throws {
    let filter = try Shorthand.parse("Key=Name,Option=BeginsWith,Values=/app\n")
    #expect(filter["Values"] == .scalar("/app"))
    #expect(
      try Shorthand.parse("Key=Type,Values=SecureString,String\r\n")["Values"]
        == .list(["SecureString", "String"]))
    let spaced = try Shorthand.parse("Key=k6,Value =v6")
    #expect(spaced["Key"] == .scalar("k6"))
    #expect(spaced["Value"] == .scalar("v6"))
    let first = try Shorthand.parse("Value=v7,Key = k7")
    #expect(first["Key"] == .scalar("k7"))
    #expect(first["Value"] == .scalar("v7"))
    // A space inside a value that is no key stays part of the value.
    #expect(try Shorthand.parse("Key=a,Value=two words")["Value"] == .scalar("two words"))
  }
}
