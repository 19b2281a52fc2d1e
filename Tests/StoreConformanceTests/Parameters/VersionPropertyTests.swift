import CinchStore
import Foundation
import PropertyBased
import Testing

/// Random sequences of writes, deletes and labels against a model of Parameter Store's version
/// rules, drawn from a fixed `Xoshiro` seed: versions grow by one per write, restart after a
/// delete, the history keeps the newest 100, labels move.
@Suite struct VersionPropertyTests {
  enum Step: Sendable {
    case put(name: Int, overwrite: Bool)
    case delete(name: Int)
    case label(name: Int, label: Int, back: Int)
  }

  static let steps = Generator<[Step], Shrink.None<[Step]>>(run: { rng in
    (0..<700).map { _ in
      // Mostly one name, so its history passes 100 versions; deletes are rare.
      let name = Int.random(in: 0..<4, using: &rng) == 0 ? 1 : 0
      switch Int.random(in: 0..<200, using: &rng) {
      case 0: return .delete(name: name)
      case 1..<9:
        return .label(
          name: name, label: Int.random(in: 0..<3, using: &rng),
          back: Int.random(in: 0..<110, using: &rng))
      case 9..<13: return .put(name: name, overwrite: false)
      default: return .put(name: name, overwrite: true)
      }
    }
  })

  struct Model {
    var versions: [Int] = []
    var labels: [String: Int] = [:]
  }

  @Test(arguments: Backend.allCases) func versionsFollowTheModel(_ backend: Backend) async throws {
    var random = Xoshiro(
      seed: (
        0x0000_7E45_1015_0001, 0x9E37_79B9_7F4A_7C15, 0xBF58_476D_1CE4_E5B9, 0x94D0_49BB_1331_11EB
      ))
    let steps = Self.steps.run(using: &random)
    let store = try await backend.makeStore().store
    var models = Array(repeating: Model(), count: 2)
    var checked = 0
    var rolledOff = 0
    var blocked = 0
    for step in steps {
      switch step {
      case .put(let index, let overwrite):
        let name = "/p/\(index)"
        var model = models[index]
        let exists = !model.versions.isEmpty
        let next = (model.versions.last ?? 0) + 1
        let oldestLabelled =
          model.versions.count >= 100 && model.labels.values.contains(model.versions[0])
        do {
          let response = try await store.put(name, "v\(next)", overwrite: overwrite)
          #expect(!exists || overwrite)
          #expect(!oldestLabelled)
          #expect(response.version == next)
          if model.versions.count >= 100 {
            model.versions.removeFirst()
            rolledOff += 1
          }
          model.versions.append(next)
        } catch let error as StoreError {
          if exists && !overwrite {
            #expect(error.code == "ParameterAlreadyExists")
          } else {
            #expect(oldestLabelled)
            #expect(error.code == "ParameterMaxVersionLimitExceeded")
            blocked += 1
          }
        }
        models[index] = model
      case .delete(let index):
        do {
          _ = try await store.deleteParameter(DeleteParameterRequest(name: "/p/\(index)"))
          #expect(!models[index].versions.isEmpty)
        } catch let error as StoreError {
          #expect(models[index].versions.isEmpty)
          #expect(error.code == "ParameterNotFound")
        }
        models[index] = Model()
      case .label(let index, let label, let back):
        var model = models[index]
        guard let first = model.versions.first, let last = model.versions.last else { continue }
        let version = max(first, last - back)
        _ = try await store.labelParameterVersion(
          LabelParameterVersionRequest(
            name: "/p/\(index)", parameterVersion: version, labels: ["L\(label)"]))
        model.labels["L\(label)"] = version
        models[index] = model
      }
      // The store agrees with the model.
      if case .put(let index, _) = step, !models[index].versions.isEmpty,
        models[index].versions.count % 7 == 0 || models[index].versions.count >= 99
      {
        let list = try await store.parameterVersions("/p/\(index)")
        #expect(list.versions.map(\.version) == models[index].versions)
        for (label, version) in models[index].labels {
          #expect(list.version(labelled: label)?.version == version)
        }
        checked += 1
      }
    }
    #expect(checked > 50)
    #expect(rolledOff > 20)
    #expect(blocked > 0)
  }
}
