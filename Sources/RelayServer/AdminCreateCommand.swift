import ArgumentParser
import Foundation
import Vapor
import Web

/// `relay admin create NAME`: creates an administrator, or makes an existing account one and sets
/// its password. The password is read from standard input (first line), never from the command
/// line, where other users of the machine could see it.
struct AdminCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create an administrator; the password is read from standard input.")

    @ArgumentParser.Argument(help: "Username of the administrator.")
    var username: String

    @ArgumentParser.OptionGroup var web: WebOptions

    func run() async throws {
        guard let password = readLine(strippingNewline: true), !password.isEmpty else {
            throw ValidationError("Give the password on standard input, e.g. `printf '%s\\n' \"$PW\" | relay admin create \(username)`.")
        }
        var environment = try Environment.detect(arguments: [CommandLine.arguments[0]])
        try LoggingSystem.bootstrap(from: &environment)
        let app = try await Application.make(environment)
        do {
            try configure(app, WebConfiguration(webApp: web.configuration()))
            try await AdministratorAccounts.create(username: username, password: password, on: app)
        } catch let error as any AbortError {
            try? await app.asyncShutdown()
            throw ValidationError(error.reason)
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
        print("admin: \(username) is an administrator")
    }
}
