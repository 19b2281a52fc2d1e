/// The version or label a parameter name may end with where a resource reads it when it runs
/// (an ECS secret's `ValueFrom: /myapp/db:3`, `ValueFrom: /myapp/db:prod`), as `GetParameter`
/// takes it. Parameter names hold no `:`, so the last one in the name (after an ARN's resource
/// type) starts the selector.
/// https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-versions.html
public enum ParameterVersionSelector: Sendable, Hashable {
  case version(Int)
  case label(String)

  /// The name (or ARN) without its selector, and the selector.
  public static func split(_ name: String) -> (name: String, selector: ParameterVersionSelector?) {
    let start: String.Index
    if name.hasPrefix("arn:") {
      let fields = name.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
      guard fields.count == 6 else { return (name, nil) }
      start = fields[5].startIndex
    } else {
      start = name.startIndex
    }
    guard let colon = name[start...].lastIndex(of: ":") else { return (name, nil) }
    let text = name[name.index(after: colon)...]
    // Digits are a version (labels cannot start with one); anything else is a label.
    guard !text.isEmpty else { return (String(name[..<colon]), nil) }
    let selector: ParameterVersionSelector =
      if text.allSatisfy(\.isASCII) && text.allSatisfy(\.isNumber), let version = Int(text) {
        .version(version)
      } else {
        .label(String(text))
      }
    return (String(name[..<colon]), selector)
  }
}
