import CinchJSON
import CinchStore
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

  /// The error shapes each Parameter Store operation lists, from the installed botocore's model.
  static let ssmOperationErrors = """
    import botocore, glob, gzip, json, os
    base = os.path.join(os.path.dirname(botocore.__file__), "data", "ssm")
    folder = sorted(glob.glob(os.path.join(base, "*", "")))[-1]
    path = glob.glob(os.path.join(folder, "service-2.json*"))[0]
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt") as handle:
        operations = json.load(handle)["operations"]
    print(json.dumps({name: [e["shape"] for e in o.get("errors", [])]
                      for name, o in operations.items()}))
    """

  /// A store held past the busy timeout is Parameter Store's `TooManyUpdates` only for the
  /// operations whose model lists it (the writes: PutParameter, the label and tag operations);
  /// the others, `GetParameter` above all (its audit row needs the write lock), answer the
  /// common `ThrottlingException`, which botocore retries and whose shape the model has.
  @Test func theBusyErrorOfEachParameterStoreOperationIsOneItsModelLists() async throws {
    let dump = try await offThePool {
      try CinchProcess.runTool("python3", ["-c", Self.ssmOperationErrors])
    }
    try #require(dump.status == 0, "botocore is not installed: \(dump.stderr)")
    let model = try JSONValueParser.parse(dump.stdout)
    let busy = StoreError.tooManyUpdates(store: "/tmp/store.db")
    let targets = AWSOperationTable.standard.targets.filter { $0.hasPrefix("AmazonSSM.") }
    #expect(targets.count > 10)
    for target in targets {
      let operation = String(target.dropFirst("AmazonSSM.".count))
      let listed =
        model[operation]?.arrayValue?.contains { $0.stringValue == "TooManyUpdates" } == true
      let served = busy.inService(.ssm, operation: operation).served
      #expect(served.code == (listed ? "TooManyUpdates" : "ThrottlingException"), "\(operation)")
      #expect(served.message == StoreError.busyMessage)
    }
  }
}
