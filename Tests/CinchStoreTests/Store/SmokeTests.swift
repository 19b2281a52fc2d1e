import Foundation
import Testing

@testable import CinchStore

@Suite struct SmokeTests {
  @Test func putThenGet() async throws {
    let fixture = try await StoreFixture.make()
    let response = try await fixture.store.put("/myapp/prod/dbpassword", "S3cr3t!", type: .secureString, overwrite: false)
    #expect(response.version == 1)
    #expect(response.tier == .standard)
    let parameter = try await fixture.store.get("/myapp/prod/dbpassword")
    #expect(parameter.value == "S3cr3t!")
    #expect(parameter.arn == "arn:aws:ssm:us-east-1:123456789012:parameter/myapp/prod/dbpassword")
    let sealed = try await fixture.store.get("/myapp/prod/dbpassword", decrypt: false)
    #expect(sealed.value != "S3cr3t!")
  }
}
