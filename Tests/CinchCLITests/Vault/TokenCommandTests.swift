import Foundation
import Testing
import _CinchTestSupport

/// `cinch token lookup|renew|revoke` as a user runs them: `vault token`'s tables, its JSON,
/// its messages and exit codes (1 for flags and arguments, 2 for errors from the API).
@Suite struct TokenCommandTests {
  typealias Workspace = KVCommandTests.Workspace

  /// A token made by `cinch token create` with these flags: its id and accessor.
  static func create(_ workspace: Workspace, _ flags: String...) async throws -> (
    token: String, accessor: String
  ) {
    let made = try await CinchProcess.run(
      ["token", "create", "-format=json"] + flags, in: workspace.directory)
    #expect(made.status == 0, "\(made.stderr)")
    let token = try #require(field("client_token", made.stdout))
    let accessor = try #require(field("accessor", made.stdout))
    return (token, accessor)
  }

  /// `"name": "value"` out of pretty JSON.
  static func field(_ name: String, _ json: String) -> String? {
    guard
      let range = json.range(
        of: #""\#(name)": "[^"]*""#, options: .regularExpression)
    else { return nil }
    return String(json[range].split(separator: "\"").last ?? "")
  }

  /// Times and the token's own names change from run to run: blank them out.
  static func stable(_ text: String, _ names: [String: String] = [:]) -> String {
    var text = KVCommandTests.stable(text)
    text = text.replacingOccurrences(
      of: #"creation_time(\s+)\d+"#, with: "creation_time$1UNIX", options: .regularExpression)
    text = text.replacingOccurrences(
      of: #"last_renewal_time(\s+)\d+"#, with: "last_renewal_time$1UNIX",
      options: .regularExpression)
    // What is left of the TTL: 1h, or 59m59s a moment later.
    text = text.replacingOccurrences(
      of: #"(?m)^ttl(\s+)\S+$"#, with: "ttl$1LEFT", options: .regularExpression)
    for (value, name) in names { text = text.replacingOccurrences(of: value, with: name) }
    return text
  }

  @Test func lookupPrintsVaultsTable() async throws {
    let workspace = try await Workspace()
    let app = try await Self.create(workspace, "-policy=app", "-ttl=1h", "-display-name=ci")
    let names = [app.token: "TOKEN", app.accessor: "ACCESSOR"]
    let lookup = try await workspace.cinch("token", "lookup", app.token)
    #expect(lookup.status == 0, "\(lookup.stderr)")
    let expected = """
      Key                 Value
      ---                 -----
      accessor            ACCESSOR
      creation_time       UNIX
      creation_ttl        1h
      display_name        token-ci
      entity_id           n/a
      expire_time         TIME
      explicit_max_ttl    0s
      id                  TOKEN
      issue_time          TIME
      meta                <nil>
      num_uses            0
      orphan              true
      path                auth/token/create
      policies            [app default]
      renewable           true
      ttl                 LEFT
      type                service

      """
    #expect(Self.stable(lookup.stdout, names) == expected)

    // By accessor: the same, without the token.
    let byAccessor = try await workspace.cinch("token", "lookup", "-accessor", app.accessor)
    #expect(byAccessor.status == 0)
    #expect(!byAccessor.stdout.contains(app.token))
    #expect(byAccessor.stdout.contains("id                  n/a\n"))

    // No TOKEN: $VAULT_TOKEN, as vault looks up the local token.
    let root = try await workspace.cinch("token", "root").stdout
      .trimmingCharacters(in: .whitespacesAndNewlines)
    let own = try await CinchProcess.run(
      ["token", "lookup", "-format=json"], in: workspace.directory,
      environment: ["VAULT_TOKEN": root])
    #expect(own.status == 0)
    #expect(own.stdout.contains(#""path": "auth/token/root""#))
    #expect(own.stdout.contains(#""policies": [\#n      "root"\#n    ]"#))
    #expect(own.stdout.hasPrefix("{\n  \"request_id\": "))
    let field = try await workspace.cinch("token", "lookup", "-field=policies", app.token)
    #expect(field.stdout == "[app default]")
  }

  @Test func renewPrintsTheTokensNewLease() async throws {
    let workspace = try await Workspace()
    let app = try await Self.create(workspace, "-policy=app", "-ttl=1h")
    let names = [app.token: "TOKEN", app.accessor: "ACCESSOR"]
    let renewed = try await workspace.cinch("token", "renew", "-increment=2h", app.token)
    #expect(renewed.status == 0, "\(renewed.stderr)")
    #expect(
      Self.stable(renewed.stdout, names) == """
        Key                  Value
        ---                  -----
        token                TOKEN
        token_accessor       ACCESSOR
        token_duration       2h
        token_renewable      true
        token_policies       ["app" "default"]
        identity_policies    []
        policies             ["app" "default"]

        """)
    let lookup = try await workspace.cinch("token", "lookup", "-accessor", app.accessor)
    #expect(lookup.stdout.contains("creation_ttl         1h\n"))
    #expect(lookup.stdout.contains("last_renewal         "))
    #expect(lookup.stdout.contains("last_renewal_time    "))

    // By accessor the token is not printed; -i is -increment's short form, seconds allowed.
    let byAccessor = try await workspace.cinch(
      "token", "renew", "-accessor", "-i", "90", app.accessor)
    #expect(byAccessor.status == 0)
    #expect(
      byAccessor.stdout.hasPrefix(
        "Key                  Value\n---                  -----\ntoken                n/a\n"))
    #expect(byAccessor.stdout.contains("token_duration       1m30s\n"))
    #expect(!byAccessor.stdout.contains(app.token))
    let json = try await workspace.cinch(
      "token", "renew", "-accessor", "-format=json", app.accessor)
    #expect(json.stdout.contains(#""client_token": """#))
    #expect(json.stdout.contains(#""lease_duration": 90"#))

    let refused = try await workspace.cinch("token", "renew", "hvs.nope")
    #expect(refused.status == 2)
    #expect(
      refused.stderr == """
        Error renewing token: Error making API request.

        URL: PUT /v1/auth/token/renew
        Code: 400. Errors:

        * token not found

        """)
  }

  @Test func revokeEndsTheTokenInEachMode() async throws {
    let workspace = try await Workspace()
    let first = try await Self.create(workspace, "-ttl=1h")
    let revoked = try await workspace.cinch("token", "revoke", first.token)
    #expect(revoked.status == 0)
    #expect(revoked.stdout == "Success! Revoked token (if it existed)\n")
    let gone = try await workspace.cinch("token", "lookup", first.token)
    #expect(gone.status == 2)
    #expect(
      gone.stderr == """
        Error looking up token: Error making API request.

        URL: POST /v1/auth/token/lookup
        Code: 403. Errors:

        * bad token

        """)
    // Again: no error, as in Vault.
    #expect(try await workspace.cinch("token", "revoke", first.token).status == 0)

    let second = try await Self.create(workspace, "-ttl=1h")
    #expect(try await workspace.cinch("token", "revoke", "-accessor", second.accessor).status == 0)
    #expect(try await workspace.cinch("token", "lookup", second.token).status == 2)

    let third = try await Self.create(workspace, "-ttl=1h")
    let orphan = try await workspace.cinch("token", "revoke", "-mode=orphan", third.token)
    #expect(orphan.stdout == "Success! Revoked token (if it existed)\n")
    #expect(try await workspace.cinch("token", "lookup", third.token).status == 2)
    let unknown = try await workspace.cinch("token", "revoke", "-mode=orphan", third.token)
    #expect(unknown.status == 2)
    #expect(
      unknown.stderr == """
        Error revoking token: Error making API request.

        URL: PUT /v1/auth/token/revoke-orphan
        Code: 400. Errors:

        * token to revoke not found

        """)

    // -mode=path: every token created under the path; the root token was not.
    let root = try await workspace.cinch("token", "root").stdout
      .trimmingCharacters(in: .whitespacesAndNewlines)
    let fourth = try await Self.create(workspace, "-ttl=1h")
    let fifth = try await Self.create(workspace, "-policy=root")
    let byPath = try await workspace.cinch("token", "revoke", "-mode=path", "auth/token/create")
    #expect(byPath.status == 0)
    for token in [fourth.token, fifth.token] {
      #expect(try await workspace.cinch("token", "lookup", token).status == 2)
    }
    #expect(try await workspace.cinch("token", "lookup", root).status == 0)

    // -self: $VAULT_TOKEN.
    let selfRevoked = try await CinchProcess.run(
      ["token", "revoke", "-self"], in: workspace.directory, environment: ["VAULT_TOKEN": root])
    #expect(selfRevoked.status == 0)
    #expect(try await workspace.cinch("token", "lookup", root).status == 2)
  }

  /// Vault's own words for flags and arguments it refuses, exit code 1.
  @Test func usageErrorsAreVaults() async throws {
    let workspace = try await Workspace()
    let cases: [([String], String)] = [
      (["lookup", "a", "b"], "Too many arguments (expected 0-1, got 2)"),
      (["lookup", "-accessor"], "Not enough arguments with -accessor (expected 1, got 0)"),
      (["lookup", "-accessor", "a", "b"], "Too many arguments with -accessor (expected 1, got 2)"),
      (["renew", "a", "b"], "Too many arguments (expected 1, got 2)"),
      (["renew", "-increment=soon", "a"], #"invalid duration "soon""#),
      (["revoke"], "Not enough arguments (expected 1 or -self, got 0)"),
      (["revoke", "a", "b"], "Too many arguments (expected 1 or -self, got 2)"),
      (["revoke", "-self", "a"], "Too many arguments with -self (expected 0, got 1)"),
      (["revoke", "-self", "-accessor"], "Cannot use -self with -accessor!"),
      (["revoke", "-self", "-mode=orphan"], "Cannot use -self with -mode!"),
      (["revoke", "-accessor", "-mode=orphan", "a"], "Cannot use -accessor with -mode=orphan!"),
      (["revoke", "-accessor", "-mode=path", "a"], "Cannot use -accessor with -mode=path!"),
      (["revoke", "-mode=all", "a"], "Invalid mode: all"),
      (
        ["lookup"],
        "No token given: name one, or set VAULT_TOKEN ('cinch token root' prints the root token)"
      ),
      (
        ["revoke", "-self"],
        "No token given: name one, or set VAULT_TOKEN ('cinch token root' prints the root token)"
      ),
    ]
    for (arguments, message) in cases {
      let run = try await CinchProcess.run(["token"] + arguments, in: workspace.directory)
      #expect(run.status == 1, "\(arguments)")
      #expect(run.stderr == message + "\n", "\(arguments)")
      #expect(run.stdout.isEmpty, "\(arguments)")
    }
  }
}
