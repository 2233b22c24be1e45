import Foundation
import Testing
@testable import Web

/// A participant whose socket drops keeps its place for the grace period and takes it back with
/// its token; the others notice nothing unless it does not come back.
@Suite struct RoomRegistryResumeTests {
    /// Ada, then Bo, in room "r" of `registry`.
    static func adaAndBo(in registry: RoomRegistry) async -> (RoomRegistry, RecordingConnection, RecordingConnection) {
        let ada = RecordingConnection()
        let bo = RecordingConnection()
        await registry.handle(.join(.init(room: "r", name: "Ada", mode: .p2p)), from: ada)
        await registry.handle(.join(.init(room: "r", name: "Bo", mode: .p2p)), from: bo)
        return (registry, ada, bo)
    }

    static func token(of connection: RecordingConnection) -> String? {
        for case .resumable(let token, _) in connection.messages { return token }
        return nil
    }

    @Test func aDroppedParticipantResumesWithWhatWasSaidMeanwhileAndNoOneHearsOfIt() async throws {
        let (registry, ada, bo) = await Self.adaAndBo(in: RoomRegistry())
        let adaID = try #require(ada.joinedID)
        let token = try #require(Self.token(of: ada))
        #expect(token.count == 32)
        guard case .resumable(_, let seconds)? = ada.messages.first(where: { if case .resumable = $0 { true } else { false } }) else {
            Issue.record("no resumable")
            return
        }
        #expect(seconds == 30)
        _ = bo.takeAll()

        await registry.connectionLost(ada)
        await registry.handle(.chat(text: "are you there?", id: "m1"), from: bo)
        #expect(await registry.members(of: "r") == ["Ada", "Bo"], "Ada keeps her place")
        #expect(!bo.messages.contains { if case .peerLeft = $0 { true } else { false } })

        let again = RecordingConnection()
        await registry.handle(.resume(token: token), from: again)
        #expect(again.messages.first == .resumed(id: adaID))
        #expect(again.messages.contains { if case .chat(let message) = $0 { message.id == "m1" } else { false } }, "what was said meanwhile")
        #expect(!bo.messages.contains { if case .peerLeft = $0 { true } else { false } })
        #expect(!bo.messages.contains { if case .peerJoined = $0 { true } else { false } })

        // The resumed socket is Ada's: what she says reaches Bo as hers.
        await registry.handle(.chat(text: "back", id: "m2"), from: again)
        #expect(bo.messages.contains { if case .chat(let message) = $0 { message.id == "m2" && message.from == adaID } else { false } })
        await registry.handle(.resume(token: token), from: RecordingConnection())
        #expect(await registry.members(of: "r") == ["Ada", "Bo"], "a token resumes once")
    }

    /// A network that dropped without a close: the page reconnects while the server still holds
    /// its old socket. The participant moves to the new socket; the old one's end changes nothing.
    @Test func aResumeWhileTheOldSocketSeemsOpenMovesTheParticipant() async throws {
        let (registry, ada, bo) = await Self.adaAndBo(in: RoomRegistry())
        let adaID = try #require(ada.joinedID)
        let token = try #require(Self.token(of: ada))

        let again = RecordingConnection()
        await registry.handle(.resume(token: token), from: again)
        #expect(again.messages == [.resumed(id: adaID)])
        _ = ada.takeAll()
        await registry.handle(.chat(text: "hello", id: "m1"), from: bo)
        #expect(again.messages.contains { if case .chat = $0 { true } else { false } }, "the new socket hears the room")
        #expect(ada.messages.isEmpty, "the old one no longer does")
        await registry.connectionLost(ada)
        await registry.handle(.chat(text: "still here?", id: "m2"), from: again)
        #expect(bo.messages.contains { if case .chat(let message) = $0 { message.id == "m2" && message.from == adaID } else { false } })
        #expect(await registry.members(of: "r") == ["Ada", "Bo"])
    }

    @Test func afterTheGraceTheParticipantLeavesAndTheTokenIsRefused() async throws {
        let (registry, ada, bo) = await Self.adaAndBo(in: RoomRegistry(configuration: SignalingConfiguration(resumeGrace: .milliseconds(100))))
        let adaID = try #require(ada.joinedID)
        let token = try #require(Self.token(of: ada))

        await registry.connectionLost(ada)
        // The grace runs on a task: a busy machine may start it late.
        for _ in 0..<250 where await registry.members(of: "r") != ["Bo"] {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(await registry.members(of: "r") == ["Bo"])
        #expect(bo.messages.contains(.peerLeft(id: adaID)))
        let late = RecordingConnection()
        await registry.handle(.resume(token: token), from: late)
        #expect(late.messages == [.error(.resumeFailed)])
    }

    @Test func leavingOrAZeroGraceEndsAParticipantAtOnce() async throws {
        let (registry, ada, bo) = await Self.adaAndBo(in: RoomRegistry(configuration: SignalingConfiguration(resumeGrace: .zero)))
        #expect(Self.token(of: ada) == nil, "nothing to resume without a grace")
        await registry.connectionLost(ada)
        #expect(await registry.members(of: "r") == ["Bo"])

        let withGrace = RoomRegistry()
        let cy = RecordingConnection()
        await withGrace.handle(.join(.init(room: "q", name: "Cy", mode: .p2p)), from: cy)
        await withGrace.handle(.leave, from: cy)
        await withGrace.connectionLost(cy)
        #expect(await withGrace.roomCount == 0, "leave is final")
    }

    @Test func aParticipantThatMissedTooMuchJoinsAgain() async throws {
        let (registry, ada, bo) = await Self.adaAndBo(in: RoomRegistry())
        let token = try #require(Self.token(of: ada))
        await registry.connectionLost(ada)
        for index in 0...HeldMessages.limit {
            await registry.handle(.chat(text: "message \(index)", id: "m\(index)"), from: bo)
        }
        let again = RecordingConnection()
        await registry.handle(.resume(token: token), from: again)
        #expect(again.messages == [.error(.resumeFailed)])
        for _ in 0..<250 where await registry.members(of: "r") != ["Bo"] {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(await registry.members(of: "r") == ["Bo"], "it leaves now rather than at the end of its grace")
    }

    @Test func aResumeIsReadFromItsFrame() throws {
        let token = String(repeating: "ab", count: 16)
        #expect(try ClientMessage.decode(#"{"type":"resume","token":"\#(token)"}"#) == .resume(token: token))
        #expect(throws: SignalingError.invalidField("token", "the token from 'resumable'")) {
            try ClientMessage.decode(#"{"type":"resume","token":"not-a-token"}"#)
        }
        #expect(ServerMessage.resumable(token: token, seconds: 30).encoded() == #"{"seconds":30,"token":"\#(token)","type":"resumable"}"#)
        #expect(ServerMessage.resumed(id: "abc").encoded() == #"{"id":"abc","type":"resumed"}"#)
    }
}
