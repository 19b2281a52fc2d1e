import Foundation
import Testing
import _CinchTestSupport

/// Where `cinch kv …` and the `vault kv` CLI were found to differ (Vault's command/kv_*.go,
/// go-secure-stdlib's kv-builder), each pinned to what Vault does.
@Suite struct KVVaultParityTests {
  typealias Workspace = KVCommandTests.Workspace

  /// Vault's PrintRawField treats a nil value as missing: a field whose value is JSON null is
  /// `Field "NAME" not present in secret`, exit 1, rather than `<nil>`.
  @Test func aNullFieldIsNotPresent() async throws {
    let workspace = try await Workspace()
    let put = try await workspace.cinch(
      "kv", "put", "secret/n", "-", stdin: #"{"n": null, "s": "x"}"#)
    #expect(put.status == 0, "\(put.stderr)")
    for format in ["table", "json"] {
      let null = try await workspace.cinch("kv", "get", "-format=\(format)", "-field=n", "secret/n")
      #expect(null.status == 1, "\(format)")
      #expect(null.stdout == "", "\(format)")
      #expect(null.stderr == "Field \"n\" not present in secret\n", "\(format)")
    }
    #expect(try await workspace.cinch("kv", "get", "-field=s", "secret/n").stdout == "x")
    try await workspace.cinch("kv", "metadata", "put", "-max-versions=3", "secret/n")
    let custom = try await workspace.cinch(
      "kv", "metadata", "get", "-field=custom_metadata", "secret/n")
    #expect(custom.status == 1)
    #expect(custom.stderr == "Field \"custom_metadata\" not present in secret\n")
  }

  /// KVPatchCommand returns 2 for a method it does not know, with the same message.
  @Test func anUnsupportedPatchMethodExitsTwo() async throws {
    let workspace = try await Workspace()
    try await workspace.cinch("kv", "put", "secret/p", "a=1")
    let bogus = try await workspace.cinch("kv", "patch", "-method=bogus", "secret/p", "a=2")
    #expect(bogus.status == 2)
    #expect(bogus.stderr == "Unsupported method provided to -method flag: bogus\n")
    #expect(try await workspace.cinch("kv", "get", "-field=a", "secret/p").stdout == "1")
  }

  /// kv-builder keeps `KEY=-` exactly as read (`value = buf.String()`): a final newline too.
  @Test func aValueFromStdinKeepsItsNewline() async throws {
    let workspace = try await Workspace()
    try await workspace.cinch("kv", "put", "secret/nl", "password=-", stdin: "line\n")
    await #expect(
      try workspace.cinch("kv", "get", "-format=json", "-field=password", "secret/nl").stdout
        == #""line\n""#)
    try await workspace.cinch("kv", "put", "secret/raw", "password=-", stdin: "no newline")
    await #expect(
      try workspace.cinch("kv", "get", "-field=password", "secret/raw").stdout == "no newline")
  }
}
