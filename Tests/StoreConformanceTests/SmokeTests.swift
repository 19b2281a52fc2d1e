import CinchStore
import Testing

@Suite struct SmokeTests {
  @Test(arguments: Backend.allCases) func putThenGet(_ backend: Backend) async throws {
    let subject = try await backend.makeStore()
    let store = subject.store
    #expect(try await store.put("/a/b", "v1", overwrite: false).version == 1)
    try await store.put("/a/b", "v2")
    let parameter = try await store.get("/a/b:1")
    #expect(parameter.value == "v1")
    #expect(parameter.arn == subject.arn("/a/b"))
    let resolved = try await store.resolveParameters(["/a/b", "/a/b:1", "/nope", "/a/b:9"])
    print(resolved.map { r -> String in
      switch r { case .resolved(let p): "\(p.reference) -> \(p.version) \(p.value.utf8String())"
      case .failed(let ref, let e): "\(ref) !! \(e)" } })
    print(try await store.parameterVersions("/a/b"))
  }
}
