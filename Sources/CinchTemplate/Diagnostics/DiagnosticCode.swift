/// A diagnostic's identity, declared once here; `Docs/Diagnostics.md` and SARIF rule metadata
/// are generated from `DiagnosticCode.all`.
///
/// Codes follow cfn-lint's shape: the letter is the default severity (E/W/I) and the first
/// digit the family: 0 input and parsing, 1 template structure and intrinsics, 2 reference
/// syntax and placement, 3 graph, 4 store and resolution, 5 emit, 6 policy.
public struct DiagnosticCode: Sendable, Hashable, Comparable {
  /// `E2003`
  public let id: String
  /// A short kebab-case name, `version-not-a-number`.
  public let name: String
  /// One sentence: what the rule finds and why it matters (SARIF `fullDescription`).
  public let summary: String

  public init(_ id: String, _ name: String, _ summary: String) {
    self.id = id
    self.name = name
    self.summary = summary
  }

  public var defaultSeverity: Severity {
    switch id.first {
    case "E": .error
    case "W": .warning
    default: .info
    }
  }

  public var family: Family {
    Family(rawValue: id.dropFirst().first.map(String.init) ?? "0") ?? .input
  }

  /// Whether `--ignore` or a template's `Metadata` list may leave the code's findings out. An
  /// input error (E0xxx) may not: it means a file was not read as written (unreadable, not
  /// UTF-8, malformed, over a limit), and what was not read was not checked, so hiding the
  /// error would turn an unchecked file into a pass. Input warnings (W0016 aliases, …) may.
  public var canBeSuppressed: Bool {
    !(family == .input && defaultSeverity == .error)
  }

  public enum Family: String, Sendable, CaseIterable {
    case input = "0"
    case structure = "1"
    case reference = "2"
    case graph = "3"
    case store = "4"
    case emit = "5"
    case policy = "6"

    public var title: String {
      switch self {
      case .input: "Input and parsing"
      case .structure: "Template structure and intrinsic functions"
      case .reference: "Reference syntax and placement"
      case .graph: "Dependency graph"
      case .store: "Store, lockfile and resolution"
      case .emit: "Rendering"
      case .policy: "IAM policies"
      }
    }
  }

  public static func < (lhs: DiagnosticCode, rhs: DiagnosticCode) -> Bool {
    lhs.id.dropFirst() == rhs.id.dropFirst()
      ? lhs.id < rhs.id : lhs.id.dropFirst() < rhs.id.dropFirst()
  }

  public static func == (lhs: DiagnosticCode, rhs: DiagnosticCode) -> Bool { lhs.id == rhs.id }
  public func hash(into hasher: inout Hasher) { hasher.combine(id) }

  /// Looks a code up by id (`E2003`) or name (`version-not-a-number`), in any case, for
  /// `--ignore` and a template's `ignore:`.
  public static func named(_ text: String) -> DiagnosticCode? {
    let lowered = text.lowercased()
    return all.first { $0.id.lowercased() == lowered || $0.name == lowered }
  }
}
