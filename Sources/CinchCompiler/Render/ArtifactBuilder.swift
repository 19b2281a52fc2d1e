import CinchJSON
public import CinchStore
public import CinchTemplate
import Foundation

/// One rendered file.
public struct Artifact: Sendable {
  /// The template as the user named it.
  public var source: String
  /// Where it goes, relative to the output folder.
  public var output: String
  public var bytes: [UInt8]

  /// Never prints the bytes (inline artifacts hold values).
  public var description: String { "\(source) → \(output) (\(bytes.count) bytes)" }
}

/// `cinch render`'s middle: every analysed template rendered with the pins (or values) of its
/// references, plus the manifest that lists them. Pure: the command reads and writes.
public struct ArtifactBuilder: Sendable {
  public enum Mode: String, Sendable, CaseIterable {
    /// Each reference becomes its exact pinned form; the artifact holds no value.
    case pin
    /// Each reference becomes its value.
    case inline
  }

  public let mode: Mode
  public let paths: SitePaths
  /// The artifacts go to a folder with `manifest.json` beside them (not to standard output),
  /// so no template may be rendered to that name.
  public let writesManifest: Bool

  public init(mode: Mode, paths: SitePaths, writesManifest: Bool = true) {
    self.mode = mode
    self.paths = paths
    self.writesManifest = writesManifest
  }

  /// The file the manifest is written to, in the output folder.
  public static let manifestName = "manifest.json"

  /// `pins` for every key read; `values` too in inline mode. References without a pin were
  /// reported by whoever resolved them and are left as written. `unlocked`: keys pinned at
  /// the store's version because the lock lacks them, marked `"locked": false` in the manifest.
  /// `inputs`: the evaluation inputs the pins were chosen with, recorded in the manifest as the
  /// lock records them: a pin is right only for a deploy with the same parameters (a name
  /// built with `!Sub` from `Env` keeps `${Env}` in the artifact, and reads another entry at
  /// that version under another `Env`).
  public func build(
    _ analyses: [TemplateAnalysis], pins: [ResolutionKey: Pin],
    values: [ResolutionKey: SecretBytes] = [:], unlocked: Set<ResolutionKey> = [],
    inputs: RecordedInputs = RecordedInputs(), into diagnostics: inout Diagnostics
  ) -> (artifacts: [Artifact], manifest: String) {
    var artifacts: [Artifact] = []
    var manifestFiles: [JSONValue] = []
    // The template each output file comes from, to refuse two for one file.
    var sources: [String: String] = [:]
    let outputs = Self.outputPaths(for: analyses.map(\.file.path), lockRelative: paths.relative)
    for (analysis, output) in zip(analyses, outputs) {
      var substitutions: [Substitution] = []
      substitutions.reserveCapacity(analysis.references.count)
      // Sites by their index in `analysis.references`, not copied (30,000 copies of a site
      // were 7 MB of rendering 10,000 resources).
      var keysHere: [ResolutionKey: [Int]] = [:]
      // How many concrete references stand at each place of this file (its byte range): a
      // composed `Fn::Join` that reads several cannot be rendered. Hashing whole sites, paths
      // and all, was a tenth of rendering 1,000 resources; an array of references per place
      // was 30,000 small allocations at 10,000 resources.
      var concretesAt: [SourceSpan: Int] = [:]
      concretesAt.reserveCapacity(analysis.references.count)
      for reference in analysis.references {
        guard case .concrete = reference.state else { continue }
        concretesAt[SourceSpan(reference.site.range), default: 0] += 1
      }
      // Places whose text aliases repeat: every use goes to the renderer, not only the first.
      var aliasedPlaces: Set<SourceSpan> = []
      for (index, reference) in analysis.references.enumerated() {
        guard case .concrete(let concrete) = reference.state else { continue }
        let site = reference.site
        let place = SourceSpan(site.range)
        // The first reference at its place stands for it in the manifest (a place with one has
        // only it). An alias's use is given to the renderer too: the one text at the anchor
        // must read right at every use, and a use inside an `Fn::Sub` string reads a value's
        // `${` as a variable where another use reads it as written.
        guard let count = concretesAt.removeValue(forKey: place) else {
          guard aliasedPlaces.contains(place), let pin = pins[ResolutionKey(concrete)] else {
            continue
          }
          if let substitution = substitution(site, concrete, pin: pin, values: values) {
            substitutions.append(substitution)
          }
          continue
        }
        guard count == 1 || Self.isAliasRepeat(site.range, key: concrete, analysis.references)
        else {
          // One written text, several references: a join that composes them, or a text an
          // alias repeats where it evaluates to other names.
          let message =
            if case .join = site.context {
              "this Fn::Join composes \(count) references; render each separately"
            } else {
              "this text is read as \(count) different references (an alias repeats it where it "
                + "evaluates otherwise); write it out at each place to render it"
            }
          diagnostics.report(
            Diagnostic(
              .notRendered, message, file: site.file, range: site.range, path: site.path))
          continue
        }
        if count > 1 { aliasedPlaces.insert(place) }
        let key = ResolutionKey(concrete)
        guard let pin = pins[key] else { continue }
        keysHere[key, default: []].append(index)
        if let substitution = substitution(site, concrete, pin: pin, values: values) {
          substitutions.append(substitution)
        }
      }
      let rendered = TemplateRenderer(isCloudFormation: analysis.template.isCloudFormation)
        .render(analysis.document, substitutions)
      // Said once a place: an alias's use left as written because another use of the same
      // bytes cannot be rendered is said by that use's issue.
      for issue in rendered.issues where issue.kind != .aliasRepeat {
        if issue.kind == .parameterType {
          diagnostics.report(
            Diagnostic(
              .parameterTypeNotPinned, issue.reason, file: issue.site.file, range: issue.site.range,
              path: issue.site.path))
        } else {
          diagnostics.report(
            Diagnostic(
              .notRendered, issue.reason, file: issue.site.file, range: issue.site.range,
              path: issue.site.path))
        }
      }
      let source = analysis.file.path
      if let earlier = sources.updateValue(source, forKey: output) {
        diagnostics.report(
          Diagnostic(
            .outputCollision,
            "'\(earlier)' and '\(source)' would both be rendered to '\(output)'",
            file: source))
      } else if writesManifest, output == Self.manifestName {
        diagnostics.report(
          Diagnostic(
            .outputCollision,
            "'\(source)' would be rendered to '\(output)', where render writes its manifest",
            file: source))
      }
      artifacts.append(Artifact(source: source, output: output, bytes: rendered.bytes))
      manifestFiles.append(
        manifestEntry(
          source: source, output: output, keys: keysHere, references: analysis.references,
          pins: pins, unlocked: unlocked))
    }
    let manifest = JSONValue.object([
      ("manifestVersion", .int(1)),
      ("mode", .string(mode.rawValue)),
      ("inputs", inputs.json),
      ("files", .array(manifestFiles)),
    ]).pretty()
    return (artifacts, manifest)
  }

  /// What `site` becomes in this mode; nil when the pin cannot be written or the value is
  /// missing (reported by whoever resolved it).
  private func substitution(
    _ site: ReferenceSite, _ concrete: Reference, pin: Pin, values: [ResolutionKey: SecretBytes]
  ) -> Substitution? {
    switch mode {
    case .pin:
      guard let pinned = PinnedReference(pin) else { return nil }
      // Only a composed reference can read as more segments than it is written with.
      return .pin(site, pinned, reads: site.needsEvaluation ? concrete : nil)
    case .inline:
      guard let value = values[ResolutionKey(concrete)] else { return nil }
      return .value(site, value.utf8String())
    }
  }

  private func manifestEntry(
    source: String, output: String, keys: [ResolutionKey: [Int]],
    references evaluated: [EvaluatedReference], pins: [ResolutionKey: Pin],
    unlocked: Set<ResolutionKey>
  ) -> JSONValue {
    let references = keys.sorted { $0.key < $1.key }.compactMap { key, indexes -> JSONValue? in
      guard let pin = pins[key] else { return nil }
      // The lock's site order (file, then line and column as numbers), sorted before the
      // sites become text rather than parsed back out of it.
      let sites = indexes.map { evaluated[$0].site }.sorted {
        ($0.file, $0.range.start.line, $0.range.start.column)
          < ($1.file, $1.range.start.line, $1.range.start.column)
      }.map { "\($0.file):\($0.range.start.line):\($0.range.start.column)" }
      var fields: [(String, JSONValue)] = [
        ("kind", .string(key.kind.rawValue)),
        ("name", .string(key.name)),
        ("jsonKey", .string(key.jsonKey)),
        ("requested", .string(key.selector.description)),
        ("arn", .string(pin.arn)),
        ("version", .int(pin.version)),
        ("versionId", .string(pin.versionId)),
        ("stage", .string(pin.stage)),
        ("type", .string(pin.type)),
        ("fingerprint", .string(pin.fingerprint)),
        ("sites", .array(sites.map(JSONValue.string))),
      ]
      // Pinned where the store was, not where a lock vouched for it.
      if unlocked.contains(key) { fields.append(("locked", .bool(false))) }
      return .object(fields)
    }
    return .object([
      ("source", .string(source)),
      ("output", .string(output)),
      ("references", .array(references)),
    ])
  }

  /// Whether the references at `range` are one reference that YAML aliases (`*name`) repeat
  /// elsewhere: the same text, read the same way, each at another place of the template. It
  /// is written once, at its anchor, which every alias repeats. (Several at one place and one
  /// path are a composed `Fn::Join`.) Only asked when a place holds more than one, which is
  /// rare, so the scan is cheap.
  static func isAliasRepeat(
    _ range: SourceRange, key: Reference, _ references: [EvaluatedReference]
  ) -> Bool {
    var paths: Set<TemplatePath> = []
    for reference in references where reference.site.range == range {
      guard case .concrete(let concrete) = reference.state,
        ResolutionKey(concrete) == ResolutionKey(key),
        paths.insert(reference.site.path).inserted
      else { return false }
    }
    return true
  }

  /// Where each template goes in the output folder, one layout for all of them: each one's
  /// own relative path (`templates/db.yaml`) when every template is under the current folder;
  /// else each one's path from the lockfile's folder, when every template is under that
  /// (`cinch render --lock ../cinch.lock` run in `ci/` writes `envs/dev/template.yaml` for
  /// `../envs/dev/template.yaml`, and `ci/x.yaml` for `x.yaml`, as a render run beside the lock
  /// would); else each one's path from the folder that holds them all.
  static func outputPaths(for sources: [String], lockRelative: (String) -> String) -> [String] {
    /// The path's components under its base, or nil when it leaves it.
    func clean(_ path: String) -> String? {
      let components = path.split(separator: "/").map(String.init).filter { $0 != "." }
      guard !path.hasPrefix("/"), !components.contains(".."), !components.isEmpty else {
        return nil
      }
      return components.joined(separator: "/")
    }
    func all(_ paths: [String?]) -> [String]? {
      paths.contains(nil) ? nil : paths.compactMap { $0 }
    }
    if let own = all(sources.map(clean)) { return own }
    if let fromLock = all(sources.map { clean(lockRelative($0)) }) { return fromLock }
    let absolute = sources.map { URL(fileURLWithPath: $0).standardizedFileURL.pathComponents }
    var common = absolute.first.map { Array($0.dropLast()) } ?? []
    for components in absolute.dropFirst() {
      var shared = 0
      while shared < min(common.count, components.count - 1), common[shared] == components[shared] {
        shared += 1
      }
      common = Array(common.prefix(shared))
    }
    return absolute.map { $0.dropFirst(common.count).joined(separator: "/") }
  }
}

/// A byte range of one file, as a dictionary key.
private struct SourceSpan: Hashable {
  var start: Int
  var end: Int

  init(_ range: SourceRange) {
    start = range.start.offset
    end = range.end.offset
  }
}
