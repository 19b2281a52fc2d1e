import CinchCLI

ProcessSetup.beforeThreads(arguments: CommandLine.arguments)
ProcessSetup.startAhead(arguments: CommandLine.arguments)
await CinchMain.run()
