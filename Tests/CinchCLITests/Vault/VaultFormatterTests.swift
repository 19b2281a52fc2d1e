import CinchJSON
import CinchStore
import Testing

@testable import CinchCLI

/// The pieces of Vault's table output (`command/format.go`) that token commands lean on.
@Suite struct VaultFormatterTests {
  /// `humanDuration`: a trailing `0s` after minutes goes, and so do zero minutes after hours.
  @Test(arguments: [
    (Int64(0), "0s"), (45, "45s"), (60, "1m"), (90, "1m30s"), (3600, "1h"), (3605, "1h5s"),
    (5400, "1h30m"), (2_764_800, "768h"), (2_764_799, "767h59m59s"),
  ])
  func durationsPrintAsVaultsCLIPrintsThem(seconds: Int64, text: String) {
    #expect(GoDuration.humanSeconds(seconds) == text)
  }

  /// Go's `%q` of a string slice.
  @Test func policiesPrintQuoted() {
    #expect(
      VaultFormatter.quotedList(.array([.string("app"), .string("default")]))
        == #"["app" "default"]"#)
    #expect(VaultFormatter.quotedList(.array([])) == "[]")
    #expect(VaultFormatter.quotedList(.null) == "[]")
    #expect(VaultFormatter.quotedList(.array([.string(#"a"b\c"#)])) == #"["a\"b\\c"]"#)
  }

  /// Data fields that look like durations print as durations; an auth section always has its
  /// token rows, with its metadata as `token_meta_` rows.
  @Test func secretTableAsVaultPrintsIt() throws {
    let response = try JSONValueParser.parse(
      #"""
      {"lease_duration":0,"data":{"creation_ttl":3600,"period":"1h","ttl":0,"num_uses":3},
       "auth":{"client_token":"","accessor":"a1","lease_duration":90,"renewable":true,
               "token_policies":["default"],"policies":["default"],
               "metadata":{"team":"payments","app":"web"}}}
      """#)
    #expect(
      VaultFormatter.secretTable(response) == """
        Key                  Value
        ---                  -----
        token                n/a
        token_accessor       a1
        token_duration       1m30s
        token_renewable      true
        token_policies       ["default"]
        identity_policies    []
        policies             ["default"]
        token_meta_app       web
        token_meta_team      payments
        creation_ttl         1h
        num_uses             3
        period               1h
        ttl                  0s

        """)
  }

  /// `padEqualSigns` and `getHeaderForMap` measure with Go's len(): bytes.
  @Test func titlesArePaddedByBytes() {
    #expect(
      VaultFormatter.pathSection("Secret Path", "secret/data/éé").hasPrefix("== Secret Path ==\n"))
    #expect(
      VaultFormatter.section("Data", ["éééééé": .string("x")]).hasPrefix("======== Data ========\n")
    )
  }
}
