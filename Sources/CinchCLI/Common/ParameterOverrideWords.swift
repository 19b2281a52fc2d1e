/// `--parameter-overrides` takes the words up to the next option, as `aws cloudformation deploy`
/// reads it. That command names no files, so a user who knows it types the template after the
/// pairs (`cinch lock --parameter-overrides Env=prod app.yaml`), and ArgumentParser would read
/// the template as one more override. An override always holds a `=`: the words of the run
/// that do not are moved in front of the option, where they are the files they are.
enum ParameterOverrideWords {
  static let option = "--parameter-overrides"

  static func filesMoved(_ arguments: [String]) -> [String] {
    guard arguments.contains(option) else { return arguments }
    var moved: [String] = []
    moved.reserveCapacity(arguments.count)
    var index = 0
    while index < arguments.count {
      let word = arguments[index]
      index += 1
      if word == "--" {
        moved += arguments[(index - 1)...]
        break
      }
      guard word == option else {
        moved.append(word)
        continue
      }
      var pairs: [String] = []
      var files: [String] = []
      while index < arguments.count, !arguments[index].hasPrefix("-") {
        if arguments[index].contains("=") {
          pairs.append(arguments[index])
        } else {
          files.append(arguments[index])
        }
        index += 1
      }
      // With no pair at all the words stay: the option then says it wants Key=Value pairs.
      if pairs.isEmpty {
        moved += [option] + files
      } else {
        moved += files + [option] + pairs
      }
    }
    return moved
  }
}
