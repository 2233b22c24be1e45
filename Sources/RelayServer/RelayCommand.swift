import ArgumentParser

@main
struct RelayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relay",
        abstract: "A self-hosted real-time communication server: media relay, P2P signaling and web app.",
        subcommands: [ServeCommand.self, DrainCommand.self, AdminCommand.self],
        defaultSubcommand: ServeCommand.self)
}
