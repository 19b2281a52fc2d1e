import CinchJSON
import Foundation
import Testing
import _CinchTestSupport

@testable import CinchServer

/// The spelling of an error body's message member, held to the API models botocore ships.
struct AWSErrorShapesTests {
  /// Each exception shape of the three models and its message member (`null`: none), from the
  /// installed botocore's newest `service-2.json` of each service.
  static let modelDump = """
    import botocore, glob, gzip, json, os
    base = os.path.join(os.path.dirname(botocore.__file__), "data")
    found = {}
    for service in ("ssm", "secretsmanager", "kms"):
        folder = sorted(glob.glob(os.path.join(base, service, "*", "")))[-1]
        path = glob.glob(os.path.join(folder, "service-2.json*"))[0]
        opener = gzip.open if path.endswith(".gz") else open
        with opener(path, "rt") as handle:
            shapes = json.load(handle)["shapes"]
        found[service] = {
            name: next((m for m in shape.get("members", {}) if m.lower() == "message"), None)
            for name, shape in shapes.items() if shape.get("exception")}
    print(json.dumps(found))
    """

  @Test func theTableIsTheModels() async throws {
    let dump = try await offThePool { try CinchProcess.runTool("python3", ["-c", Self.modelDump]) }
    try #require(
      dump.status == 0,
      """
      botocore is not installed: run Scripts/deps.sh (it installs moto[server], which brings \
      botocore)
      \(dump.stderr)
      """)
    let models = try JSONValueParser.parse(dump.stdout)
    let names: [ServedService: String] = [
      .ssm: "ssm", .secretsManager: "secretsmanager", .kms: "kms",
    ]
    for (service, shapes) in AWSErrorShapes.members {
      let model = try #require(models[names[service] ?? ""]?.objectValue, "\(service)")
      for (code, member) in shapes {
        #expect(model[code]?.stringValue == member, "\(service) \(code)")
      }
    }
    // The shapes without a message member take the service's usual spelling.
    for code in [
      "InvalidFilterKey", "InvalidResourceId", "InvalidResourceType", "TooManyTagsError",
    ] {
      #expect(models["ssm"]?[code] == .null, "\(code)")
      #expect(AWSErrorShapes.messageMember(for: code, in: .ssm) == "message")
    }
  }
}
