import Foundation
import Logging
import Testing
@testable import Web

/// The registry's log lines carry their room and participant as metadata, so that an operator
/// can follow one call or one person through the log.
@Suite struct RoomRegistryLogTests {
    final class CapturedLines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [(message: String, metadata: Logger.Metadata)] = []

        func append(_ message: String, _ metadata: Logger.Metadata) {
            lock.withLock { lines.append((message, metadata)) }
        }

        var all: [(message: String, metadata: Logger.Metadata)] { lock.withLock { lines } }
    }

    struct CapturingHandler: LogHandler {
        let lines: CapturedLines
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(
            level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String,
            function: String, line: UInt
        ) {
            lines.append(message.description, self.metadata.merging(metadata ?? [:]) { $1 })
        }
    }

    @Test func joiningLosingTheSocketAndRemovalAreLoggedWithTheirRoomAndParticipant() async throws {
        let lines = CapturedLines()
        let logger = Logger(label: "test") { _ in CapturingHandler(lines: lines) }
        let registry = RoomRegistry(logger: logger)
        let ada = RecordingConnection()
        let bo = RecordingConnection()
        await registry.handle(.join(.init(room: "standup", name: "Ada", mode: .p2p)), from: ada)
        await registry.handle(.join(.init(room: "standup", name: "Bo", mode: .p2p)), from: bo)
        let adaID = try #require(ada.joinedID)
        await registry.connectionLost(ada)
        await registry.removeParticipant(adaID)

        let ofAda = lines.all.filter { $0.metadata["participant"] == .string(adaID) }
        #expect(ofAda.map(\.message) == ["joined", "connection lost, held for resuming", "taken out by an admin", "left"])
        #expect(ofAda.allSatisfy { $0.metadata["room"] == .string("standup") })
        #expect(ofAda.first?.metadata["mode"] == .string("p2p"))
        #expect(!lines.all.contains { $0.message.contains("Ada") }, "names stay out of the log; ids identify")
    }
}
