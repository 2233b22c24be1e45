import ArgumentParser
import Vapor
import Web

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the server.")

    @ArgumentParser.Option(help: "Address the HTTP server listens on.")
    var httpHost: String = "0.0.0.0"

    @ArgumentParser.Option(help: "Port of the HTTP server.")
    var httpPort: Int = 8080

    @ArgumentParser.OptionGroup var web: WebOptions

    func run() async throws {
        var environment = try Environment.detect(arguments: [CommandLine.arguments[0]])
        try LoggingSystem.bootstrap(from: &environment)
        let app = try await Application.make(environment)
        do {
            try configure(app, WebConfiguration(hostname: httpHost, port: httpPort, webApp: web.configuration()))
            try await app.execute()
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}
