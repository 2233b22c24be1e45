import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Vapor

/// Points Fluent at the configured database and registers every migration, in order.
enum DatabaseSetup {
    static func configure(_ app: Application, _ location: DatabaseLocation) throws {
        switch location {
        case .sqliteFile(let path):
            let absolute = absolutePath(path, in: app.directory.workingDirectory)
            try FileManager.default.createDirectory(
                atPath: (absolute as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            app.databases.use(.sqlite(.file(absolute)), as: .sqlite)
        case .postgres(let url, let schema):
            var configuration = try SQLPostgresConfiguration(url: url)
            if let schema {
                configuration.searchPath = [schema]
            }
            app.databases.use(.postgres(configuration: configuration), as: .psql)
        }
        app.migrations.add(SessionRecord.migration)
        app.migrations.add(CreateUsers())
        app.migrations.add(CreateLotteryTickets())
        app.migrations.add(CreateBlacklistEntries())
        app.migrations.add(CreateChatMessages())
        app.migrations.add(CreateCallChatRecords())
        app.migrations.add(AddCallChatGenerations())
        app.migrations.add(CreateAccountSessions())
        app.migrations.add(AddChatMessageRoomIndex())
        app.migrations.add(CreateClusterNodes())
        app.migrations.add(CreateClusterRooms())
        app.migrations.add(AddClusterNodePresenceAndFingerprint())
        app.migrations.add(AddClusterRoomGenerations())
    }

    static func absolutePath(_ path: String, in workingDirectory: String) -> String {
        if path.hasPrefix("/") {
            return path
        }
        let base = workingDirectory.hasSuffix("/") ? workingDirectory : workingDirectory + "/"
        return base + path
    }
}
