public import ArgumentParser

/// The `cinch` command tree.
public struct CinchMain: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "cinch",
    abstract: "A compiler for infrastructure templates: check, pin and render dynamic references.",
    version: CinchVersion.current,
    subcommands: []
  )

  public init() {}

  public static func run() async {
    await AWSCommandLine.main(CinchMain.self)
  }
}

public enum CinchVersion {
  public static let current = "0.1.0"
}
