import CinchJSON
public import CinchStore

/// What `{{resolve:secretsmanager:ID:SecretString:KEY}}` stands for: the member `KEY` of the
/// secret string, which must be a JSON object. A string member is its text; a number, boolean,
/// null, array or object member is its JSON text (compact). Failures name the secret and the
/// key, never a value, and a parse error's position is dropped with the rest of it.
public enum SecretJSONKey {
  public static func value(of jsonKey: String, secret id: String, in secretString: SecretBytes)
    -> Result<SecretBytes, ResolutionFailure>
  {
    let root: JSONValue
    do {
      root = try JSONValueParser.parse(secretString.utf8String())
    } catch {
      return .failure(.secretNotJSON(id: id, jsonKey: jsonKey))
    }
    guard case .object(let object) = root else {
      return .failure(.secretNotJSON(id: id, jsonKey: jsonKey))
    }
    guard let member = object[jsonKey] else {
      return .failure(.jsonKeyNotFound(id: id, jsonKey: jsonKey))
    }
    if case .string(let text) = member { return .success(SecretBytes(utf8: text)) }
    return .success(SecretBytes(utf8: member.compact()))
  }
}
