import CinchCLI

await CinchMain.run()
