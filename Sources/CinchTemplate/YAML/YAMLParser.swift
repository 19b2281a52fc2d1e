/// YAML through libyaml's event API, composed into located `Node`s.
public enum YAMLParser {
  public static func parse(
    _ file: SourceFile, limits: ParseLimits = .default, into diagnostics: inout Diagnostics
  ) -> Node? {
    nil  // being written (issue 2)
  }
}
