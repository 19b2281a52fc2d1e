package import CinchJSON

/// `--generate-cli-skeleton [input|yaml-input|output]`: the request an operation takes, with a
/// placeholder for every member, printed instead of running the command so that it can be
/// filled in and given back with `--cli-input-json` or `--cli-input-yaml`
/// (https://docs.aws.amazon.com/cli/latest/userguide/cli-usage-skeleton.html).
///
/// The placeholders are botocore's `ArgumentGenerator`'s, which the aws CLI prints: `""` for a
/// string, `0` and `0.0` for numbers, `true` for a boolean, one element for a list, a
/// `KeyName` entry for a map, `1970-01-01T00:00:00` for a timestamp, `null` for a blob (in YAML
/// an empty `!!binary`). An enumeration shows its first value where botocore picks one at
/// random. The YAML form marks required members and lists an enumeration's values in a comment,
/// as the aws CLI's does (without its copy of the API documentation). The members are the ones
/// the command accepts (`AWSInputSkeletons.swift`, generated from botocore's models).
/// `output` prints botocore's sample response as a response prints; unlike the aws CLI, it
/// does not check the request first.
package struct AWSInputSkeleton: Sendable {
  package indirect enum Shape: Sendable, Equatable {
    case string, integer, double, boolean, timestamp, blob
    case enumeration([String])
    case list(Shape)
    case map(Shape)
    case structure([Member])
  }

  package struct Member: Sendable, Equatable {
    package var name: String
    package var required: Bool
    package var shape: Shape

    init(_ name: String, required: Bool, _ shape: Shape) {
      self.name = name
      self.required = required
      self.shape = shape
    }
  }

  package enum Format: String, CaseIterable, Sendable {
    case input
    /// A sample of the output, printed as a response is (`--output`, `--query`).
    case output
    case yamlInput = "yaml-input"
  }

  /// The sample response `--generate-cli-skeleton output` prints: botocore's, every string its
  /// member's name, a number 0, a timestamp 1970-01-01T00:00:00.
  package static func sampleOutput(for operation: String) -> JSONValue? {
    outputs[operation].flatMap { try? JSONValueParser.parse($0) }
  }

  /// The skeleton of `operation` in `format`, ending with a newline; nil for an operation that
  /// is cinch's own (`PutPublicParameter`), which has no API model.
  package static func text(for operation: String, format: Format) -> String? {
    guard let shape = operations[operation] else { return nil }
    switch format {
    case .input, .output:
      return PythonJSONWriter.awsCLI.string(placeholder(shape)) + "\n"
    case .yamlInput:
      return yaml(shape)
    }
  }

  static func yaml(_ shape: Shape) -> String {
    guard case .structure(let members) = shape, !members.isEmpty else { return "{}\n" }
    var output = ""
    yamlMembers(members, indent: 0, into: &output)
    return output
  }

  // MARK: JSON, written as the aws CLI writes JSON (`json.dump(…, indent=4)`)

  /// botocore's placeholder for a shape, as a value.
  static func placeholder(_ shape: Shape) -> JSONValue {
    switch shape {
    case .string: .string("")
    case .integer: .integer(0)
    case .double: .double(0)
    case .boolean: .bool(true)
    case .timestamp: .string("1970-01-01T00:00:00")
    case .blob: .null
    case .enumeration(let values): .string(values.first ?? "")
    case .list(let element): .array([placeholder(element)])
    case .map(let value): .object(JSONObject([("KeyName", placeholder(value))]))
    case .structure(let members):
      .object(JSONObject(members.map { ($0.name, placeholder($0.shape)) }))
    }
  }

  // MARK: YAML, block style as ruamel writes it, comments at the end of a member's line

  private static func yamlMembers(_ members: [Member], indent: Int, into output: inout String) {
    let pad = String(repeating: " ", count: indent)
    for (index, member) in members.enumerated() {
      // A list's first item continues the `- ` line its parent opened.
      output += (index == 0 && indent > 0 && output.hasSuffix("- ") ? "" : pad) + member.name + ":"
      yamlValue(member.shape, indent: indent, comment: comment(for: member), into: &output)
    }
  }

  private static func yamlValue(
    _ shape: Shape, indent: Int, comment: String, into output: inout String
  ) {
    let pad = String(repeating: " ", count: indent)
    switch shape {
    case .string: output += " ''" + comment + "\n"
    case .integer: output += " 0" + comment + "\n"
    case .double: output += " 0.0" + comment + "\n"
    case .boolean: output += " true" + comment + "\n"
    case .timestamp: output += " 1970-01-01 00:00:00" + comment + "\n"
    case .blob: output += " !!binary ''" + comment + "\n"
    case .enumeration(let values): output += " \(values.first ?? "''")" + comment + "\n"
    case .list(let element):
      output += comment + "\n" + pad + "-"
      switch element {
      case .structure(let members) where !members.isEmpty:
        output += " "
        yamlMembers(members, indent: indent + 2, into: &output)
      case .list, .map, .structure:
        output += "\n"
        yamlValue(element, indent: indent + 2, comment: "", into: &output)
      default:
        yamlValue(element, indent: indent + 2, comment: "", into: &output)
      }
    case .map(let value):
      output += comment + "\n" + pad + "  KeyName:"
      yamlValue(value, indent: indent + 2, comment: "", into: &output)
    case .structure(let members):
      guard !members.isEmpty else { return output += " {}" + comment + "\n" }
      output += comment + "\n"
      yamlMembers(members, indent: indent + 2, into: &output)
    }
  }

  private static func comment(for member: Member) -> String {
    var parts: [String] = []
    if member.required { parts.append("[REQUIRED]") }
    if case .enumeration(let values) = member.shape {
      parts.append("Valid values are: \(values.joined(separator: ", ")).")
    }
    return parts.isEmpty ? "" : "  # " + parts.joined(separator: " ")
  }
}
