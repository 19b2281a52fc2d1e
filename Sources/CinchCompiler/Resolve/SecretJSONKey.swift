import CinchJSON
public import CinchStore

/// What `{{resolve:secretsmanager:ID:SecretString:KEY}}` stands for: the member `KEY` of the
/// secret string, which must be a JSON object. A string member is its text; a number is its text
/// as written in the secret (`1.0` stays `1.0`, an integer past 64 bits keeps every digit); a
/// boolean, null, array or object member is its JSON text (compact). Failures name the secret and the
/// key, never a value, and a parse error's position is dropped with the rest of it.
public enum SecretJSONKey {
  public static func value(of jsonKey: String, secret id: String, in secretString: SecretBytes)
    -> Result<SecretBytes, ResolutionFailure>
  {
    let root: JSONValue
    let memberText: [String: String]
    do {
      (root, memberText) = try JSONValueParser.parseKeepingMemberText(secretString.utf8String())
    } catch {
      return .failure(.secretNotJSON(id: id, jsonKey: jsonKey))
    }
    guard case .object(let object) = root else {
      return .failure(.secretNotJSON(id: id, jsonKey: jsonKey))
    }
    guard let member = object[jsonKey] else {
      return .failure(.jsonKeyNotFound(id: id, jsonKey: jsonKey))
    }
    switch member {
    case .string(let text): return .success(SecretBytes(utf8: text))
    case .integer, .double:
      return .success(SecretBytes(utf8: memberText[jsonKey] ?? member.compact()))
    default: break
    }
    return .success(SecretBytes(utf8: member.compact()))
  }
}
