import Testing

@testable import CinchStore

/// `NSString.deletingLastPathComponent` traps on a path of one character in this Foundation
/// (`--store s`, `--lock q` crashed with an illegal instruction); `PathFolder` gives the same
/// answers without it.
@Suite struct PathFolderTests {
  @Test(arguments: [
    ("s", ""), ("ab", ""), ("a/b", "a"), ("a/b/c", "a/b"), ("/a", "/"), ("/", "/"),
    ("a/b/", "a"), ("/a/b", "/a"), ("a//b", "a"), (".", ""), ("./q", "."), ("", ""),
  ])
  func folders(_ path: String, _ folder: String) {
    #expect(PathFolder.of(path) == folder)
  }

  @Test func theFolderToOpenIsTheCurrentOneForABareName() {
    #expect(PathFolder.containing("s") == ".")
    #expect(PathFolder.containing("a/s") == "a")
    #expect(PathFolder.containing("/s") == "/")
  }
}
