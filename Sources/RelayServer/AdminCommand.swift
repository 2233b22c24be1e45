import ArgumentParser

/// `relay admin ...`: account management from the machine itself.
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin", abstract: "Manage administrator accounts.",
        subcommands: [AdminCreateCommand.self])
}
