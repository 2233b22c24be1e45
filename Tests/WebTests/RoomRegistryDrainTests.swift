import Foundation
import Testing
@testable import Web

/// A draining server tells everyone, keeps its rooms going and opens no new one.
@Suite struct RoomRegistryDrainTests {
    @Test func drainingTellsEveryParticipantAndOpensNoNewRoom() async throws {
        let registry = RoomRegistry()
        let ada = RecordingConnection()
        let bo = RecordingConnection()
        await registry.handle(.join(.init(room: "r", name: "Ada", mode: .p2p)), from: ada)
        await registry.handle(.join(.init(room: "other", name: "Bo", mode: .p2p)), from: bo)
        _ = ada.takeAll()
        _ = bo.takeAll()

        #expect(await registry.beginDraining(until: Date().addingTimeInterval(30)))
        for connection in [ada, bo] {
            guard case .serverDraining(let seconds)? = connection.messages.last else {
                Issue.record("not told of the drain: \(connection.messages)")
                continue
            }
            #expect((29...30).contains(seconds))
        }

        let late = RecordingConnection()
        await registry.handle(.join(.init(room: "new", name: "Cy", mode: .p2p)), from: late)
        #expect(late.messages == [.error(.serverDraining)], "no new room")
        #expect(await registry.roomCount == 2)

        let friend = RecordingConnection()
        await registry.handle(.join(.init(room: "r", name: "Di", mode: .p2p)), from: friend)
        #expect(friend.joinedID != nil, "a call in progress can still be joined")
        #expect(friend.messages.contains { if case .serverDraining = $0 { true } else { false } }, "and the newcomer hears of the drain")
    }

    @Test func theDrainMessageSaysHowLongIsLeft() {
        #expect(ServerMessage.serverDraining(seconds: 42).encoded() == #"{"seconds":42,"type":"server-draining"}"#)
    }
}
