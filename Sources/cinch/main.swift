import CinchCLI

ProcessSetup.beforeThreads(arguments: CommandLine.arguments)
await CinchMain.run()
