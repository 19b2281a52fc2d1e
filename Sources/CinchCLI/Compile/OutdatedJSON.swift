import CinchCompiler
import CinchJSON

enum OutdatedJSON {
  static func render(_ findings: [OutdatedChecker.Finding]) -> String {
    JSONValue.array(
      findings.map { finding in
        let reason: String
        switch finding.reason {
        case .newerVersion: reason = "newer-version"
        case .stageMoved: reason = "stage-moved"
        case .nearRollOff: reason = "near-roll-off"
        case .pinGone: reason = "pin-gone"
        case .entryGone: reason = "entry-gone"
        case .scheduledForDeletion: reason = "scheduled-for-deletion"
        case .notChecked: reason = "not-checked"
        }
        return JSONValue.object([
          ("kind", .string(finding.entry.key.kind.rawValue)),
          ("name", .string(finding.entry.key.name)),
          ("jsonKey", .string(finding.entry.key.jsonKey)),
          ("requested", .string(finding.entry.key.selector.description)),
          ("pinned", .string(finding.entry.pin.versionText)),
          ("reason", .string(reason)),
          ("message", .string(finding.message)),
          ("sites", .array(finding.entry.sites.map(JSONValue.string))),
        ])
      }
    ).pretty()
  }
}
