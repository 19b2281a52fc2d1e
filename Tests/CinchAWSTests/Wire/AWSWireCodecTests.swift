import CinchStore
import Testing

@testable import CinchAWS

@Suite struct AWSWireCodecTests {
  /// An empty `NextToken` (moto's end of a listing) decodes as none, so every caller's loop
  /// ends there; a real token is kept.
  @Test func anEmptyNextTokenEndsAListing() throws {
    let last = try AWSWireCodec.decode(
      DescribeParametersResponse.self, from: Array(#"{"Parameters":[],"NextToken":""}"#.utf8))
    #expect(last.nextToken == nil)
    let secrets = try AWSWireCodec.decode(
      ListSecretsResponse.self, from: Array(#"{"SecretList":[],"NextToken":""}"#.utf8))
    #expect(secrets.nextToken == nil)
    let more = try AWSWireCodec.decode(
      GetParametersByPathResponse.self, from: Array(#"{"Parameters":[],"NextToken":"t1"}"#.utf8))
    #expect(more.nextToken == "t1")
  }
}
