package import CinchJSON

/// `--output text`, following the aws CLI's text formatter:
/// - a scalar prints alone on its line (`str()` of it: `True`, `None`, `1.5`);
/// - an object prints its scalar values on one line, tab-separated, in key order, prefixed by
///   the upper-cased name it was reached through; then each non-scalar member in key order,
///   named by its key;
/// - a list of scalars prints on one tab-separated line, or one `NAME\tvalue` line per item
///   when it was reached through a key;
/// - a list holding objects prints every element with the union of the elements' scalar keys as
///   columns (an absent key prints as an empty field).
package enum AWSTextFormatter {
  package static func format(_ value: JSONValue) -> String {
    var output = ""
    write(value, identifier: nil, scalarKeys: nil, into: &output)
    return output
  }

  private static func write(
    _ value: JSONValue, identifier: String?, scalarKeys: [String]?, into output: inout String
  ) {
    switch value {
    case .object(let object):
      writeObject(object, identifier: identifier, scalarKeys: scalarKeys, into: &output)
    case .array(let array): writeList(array, identifier: identifier, into: &output)
    default: output += PythonText.str(value) + "\n"
    }
  }

  private static func writeList(_ list: [JSONValue], identifier: String?, into output: inout String)
  {
    guard !list.isEmpty else { return }
    if list.contains(where: { $0.objectValue != nil }) {
      let keys = allScalarKeys(list)
      for element in list {
        write(element, identifier: identifier, scalarKeys: keys, into: &output)
      }
    } else if list.contains(where: { $0.arrayValue != nil }) {
      let scalars = list.filter(\.isScalar)
      if !scalars.isEmpty { writeScalarList(scalars, identifier: identifier, into: &output) }
      for element in list where !element.isScalar {
        write(element, identifier: identifier, scalarKeys: nil, into: &output)
      }
    } else {
      writeScalarList(list, identifier: identifier, into: &output)
    }
  }

  private static func writeScalarList(
    _ elements: [JSONValue], identifier: String?, into output: inout String
  ) {
    if let identifier {
      for element in elements {
        output += "\(pythonUpper(identifier))\t\(PythonText.str(element))\n"
      }
    } else {
      output += elements.map(PythonText.str).joined(separator: "\t") + "\n"
    }
  }

  private static func writeObject(
    _ object: JSONObject, identifier: String?, scalarKeys: [String]?, into output: inout String
  ) {
    var scalars: [String] = []
    var nested: [(String, JSONValue)] = []
    if let scalarKeys {
      for key in scalarKeys { scalars.append(object[key].map(PythonText.str) ?? "") }
      let remaining = Set(object.keys).subtracting(scalarKeys)
      for key in pythonSorted(Array(remaining)) {
        if let value = object[key] { nested.append((key, value)) }
      }
    } else {
      for member in object.sorted(by: { pythonLess($0.key, $1.key) }) {
        if member.value.isScalar {
          scalars.append(PythonText.str(member.value))
        } else {
          nested.append((member.key, member.value))
        }
      }
    }
    if !scalars.isEmpty {
      if let identifier { scalars.insert(pythonUpper(identifier), at: 0) }
      output += scalars.joined(separator: "\t") + "\n"
    }
    for (key, value) in nested { write(value, identifier: key, scalarKeys: nil, into: &output) }
  }

  private static func allScalarKeys(_ list: [JSONValue]) -> [String] {
    var seen = Set<String>()
    for element in list {
      guard let object = element.objectValue else { continue }
      for member in object where member.value.isScalar { seen.insert(member.key) }
    }
    return pythonSorted(Array(seen))
  }
}

/// Python orders strings by code point; Swift's `<` on `String` does not, so sorting keys the
/// way `sorted()` does needs this.
package func pythonLess(_ left: String, _ right: String) -> Bool {
  left.unicodeScalars.lexicographicallyPrecedes(right.unicodeScalars) { $0.value < $1.value }
}

package func pythonSorted(_ strings: [String]) -> [String] {
  strings.sorted(by: pythonLess)
}

/// `str.upper()`, which maps characters through the full Unicode case mapping, like Swift's.
package func pythonUpper(_ string: String) -> String {
  string.uppercased()
}
