import Foundation

/// A problem found in an input, located as precisely as the stage that found it can.
///
/// Stages report diagnostics into a `Diagnostics` collection and keep going; they throw only
/// when they cannot produce output at all. A diagnostic never carries a secret value: messages
/// name paths, names and versions.
public struct Diagnostic: Sendable, Hashable {
  public var code: DiagnosticCode
  public var severity: Severity
  public var message: String
  /// The file as the user named it, or nil for a problem with no file (a store, a flag).
  public var file: String?
  public var range: SourceRange?
  public var path: TemplatePath?
  public var notes: [Note]
  /// The text in `range` is (or may be) a secret: renderers never show it. The human format
  /// masks it in the source line it prints; the other formats print no source text at all.
  public var sensitive: Bool

  public struct Note: Sendable, Hashable {
    public var message: String
    public var file: String?
    public var range: SourceRange?

    public init(_ message: String, file: String? = nil, range: SourceRange? = nil) {
      self.message = message
      self.file = file
      self.range = range
    }
  }

  public init(
    _ code: DiagnosticCode, _ message: String, file: String? = nil, range: SourceRange? = nil,
    path: TemplatePath? = nil, notes: [Note] = [], severity: Severity? = nil,
    sensitive: Bool = false
  ) {
    self.code = code
    self.severity = severity ?? code.defaultSeverity
    self.message = message
    self.file = file
    self.range = range
    self.path = path
    self.notes = notes
    self.sensitive = sensitive
  }
}

public enum Severity: String, Sendable, Hashable, Comparable, CaseIterable {
  case info
  case warning
  case error

  private var rank: Int {
    switch self {
    case .info: 0
    case .warning: 1
    case .error: 2
    }
  }

  public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// The sink stages report into. A value: a stage takes it `inout`, so stages stay pure and
/// concurrent work can merge collections afterwards.
public struct Diagnostics: Sendable {
  public private(set) var items: [Diagnostic] = []
  /// The spans of sensitive findings that were left out (`--ignore`, a template's suppression,
  /// a stage's filter), by file: the finding is not reported, but its text is still a secret,
  /// and the human format masks it in any other finding's excerpt of its line.
  public private(set) var hiddenSecrets: [String: [SourceRange]] = [:]

  public init() {}

  public mutating func report(_ diagnostic: Diagnostic) {
    items.append(diagnostic)
  }

  public mutating func append(contentsOf other: Diagnostics) {
    items.append(contentsOf: other.items)
    keepHiddenSecrets(of: other)
  }

  /// Leaves `diagnostic` out of what is reported; a sensitive one's span stays masked.
  public mutating func leaveOut(_ diagnostic: Diagnostic) {
    guard diagnostic.sensitive, let file = diagnostic.file, let range = diagnostic.range else {
      return
    }
    hiddenSecrets[file, default: []].append(range)
  }

  /// Takes over what `other` left out, without its findings.
  public mutating func keepHiddenSecrets(of other: Diagnostics) {
    for (file, ranges) in other.hiddenSecrets { hiddenSecrets[file, default: []] += ranges }
  }

  /// Drops repeats (same code, severity, file, range and message), keeping the first, or the
  /// first that names a template path when an earlier copy did not: stages that share an
  /// evaluator may both report what it found (the reference evaluator and the graph builder
  /// both meet `${Missing}` in a `!Sub`; only the first knows where in the template it sits).
  public mutating func removeDuplicates() {
    struct Identity: Hashable {
      var code: DiagnosticCode
      var severity: Severity
      var message: String
      var file: String?
      var range: SourceRange?
    }
    var position: [Identity: Int] = [:]
    var kept: [Diagnostic] = []
    kept.reserveCapacity(items.count)
    for item in items {
      let identity = Identity(
        code: item.code, severity: item.severity, message: item.message, file: item.file,
        range: item.range)
      if let index = position[identity] {
        if kept[index].path == nil, item.path != nil { kept[index] = item }
      } else {
        position[identity] = kept.count
        kept.append(item)
      }
    }
    items = kept
  }

  public func filtering(_ isIncluded: (Diagnostic) -> Bool) -> Diagnostics {
    var copy = Diagnostics()
    copy.hiddenSecrets = hiddenSecrets
    copy.items.reserveCapacity(items.count)
    for item in items {
      if isIncluded(item) { copy.items.append(item) } else { copy.leaveOut(item) }
    }
    return copy
  }

  public func mapping(_ transform: (Diagnostic) -> Diagnostic) -> Diagnostics {
    var copy = Diagnostics()
    copy.hiddenSecrets = hiddenSecrets
    copy.items = items.map(transform)
    return copy
  }

  public var hasErrors: Bool { items.contains { $0.severity == .error } }
  public var isEmpty: Bool { items.isEmpty }
  public var count: Int { items.count }

  /// Diagnostics in reading order: file, then position, then code. Files are ordered by where
  /// they are, not by how they were named, so `./a.yaml`, `a.yaml` and `$PWD/a.yaml` give one
  /// order (the paths are compared absolute and normalized, a file's key made once).
  public var sorted: [Diagnostic] {
    var keys: [String: String] = [:]
    let workingDirectory = PathComponents(FileManager.default.currentDirectoryPath)
    for file in Set(items.lazy.compactMap(\.file)) {
      let path = file.hasPrefix("/") ? PathComponents(file) : workingDirectory.appending(file)
      keys[file] = "/" + path.components.joined(separator: "/")
    }
    return items.enumerated().sorted { lhs, rhs in
      let a = lhs.element
      let b = rhs.element
      let aKey = a.file.flatMap { keys[$0] } ?? ""
      let bKey = b.file.flatMap { keys[$0] } ?? ""
      // Two spellings of one file (`./a.yaml`, `a.yaml`) are one file: by position then.
      if aKey != bKey { return aKey < bKey }
      let ao = a.range?.start.offset ?? -1
      let bo = b.range?.start.offset ?? -1
      if ao != bo { return ao < bo }
      if a.code.id != b.code.id { return a.code.id < b.code.id }
      return lhs.offset < rhs.offset
    }.map(\.element)
  }
}
