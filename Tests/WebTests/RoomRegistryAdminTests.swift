import Foundation
import Relay
import Testing
import VaporTesting
@testable import Web

/// The live rooms as the admin page sees them, and an admin ending a room or taking someone out.
@Suite struct RoomRegistryAdminTests {
    static func removals(_ connection: RecordingConnection) -> [String] {
        connection.messages.compactMap { if case .removed(let reason) = $0 { reason } else { nil } }
    }

    @Test func theLiveRoomsListEveryoneAndWhoIsReconnecting() async throws {
        let (registry, ada, bo) = await RoomRegistryResumeTests.adaAndBo(in: RoomRegistry())
        let cy = RecordingConnection()
        await registry.handle(.join(.init(room: "other", name: "Cy", mode: .p2p)), from: cy)
        await registry.connectionLost(bo)

        let rooms = await registry.liveRooms(statistics: nil)
        #expect(rooms.map(\.name) == ["other", "r"])
        let room = try #require(rooms.last)
        #expect(room.mode == .p2p && room.policy == .p2p && !room.locked)
        #expect(room.participants.map(\.name) == ["Ada", "Bo"])
        #expect(room.participants.map(\.id) == [ada.joinedID, bo.joinedID].compactMap { $0 })
        #expect(room.participants.map(\.isOnline) == [true, false], "Bo is held for his page to resume")
        #expect(room.participants.allSatisfy { $0.publishConnected == nil && $0.estimate == nil })
    }

    @Test func removingAParticipantTellsThemAndTheOthersAndLeavesNothingToResume() async throws {
        let (registry, ada, bo) = await RoomRegistryResumeTests.adaAndBo(in: RoomRegistry())
        let boID = try #require(bo.joinedID)
        let token = try #require(RoomRegistryResumeTests.token(of: bo))
        _ = ada.takeAll()

        #expect(await registry.removeParticipant(boID))
        #expect(Self.removals(bo) == ["removed"])
        #expect(ada.messages.contains { if case .peerLeft(let id) = $0 { id == boID } else { false } })
        #expect(await registry.members(of: "r") == ["Ada"])
        #expect(await !registry.removeParticipant(boID), "gone already")

        // His socket is no longer his: what it sends is refused, and his token takes nothing back.
        await registry.handle(.chat(text: "still here?", id: nil), from: bo)
        #expect(SfuSignalingTests.errors(bo) == ["not-joined"])
        let again = RecordingConnection()
        await registry.handle(.resume(token: token), from: again)
        #expect(SfuSignalingTests.errors(again) == ["resume-failed"])
    }

    @Test func endingARoomTakesEveryoneOutAndItsNameIsFreeAgain() async throws {
        let (registry, ada, bo) = await RoomRegistryResumeTests.adaAndBo(in: RoomRegistry())
        await registry.connectionLost(bo)
        #expect(await registry.end(room: "r") == 2)
        #expect(Self.removals(ada) == ["room-ended"])
        #expect(await registry.liveRooms(statistics: nil).isEmpty)
        #expect(await registry.end(room: "r") == 0)

        let cy = RecordingConnection()
        await registry.handle(.join(.init(room: "r", name: "Cy", mode: .p2p)), from: cy)
        #expect(cy.joinedID != nil)
        #expect(await registry.members(of: "r") == ["Cy"])
    }

    @Test func theRemovedMessageSaysWhy() {
        #expect(ServerMessage.removed(reason: "room-ended").encoded() == #"{"reason":"room-ended","type":"removed"}"#)
    }

    @Test func anAdminSeesTheLiveRoomsAndEndsOneFromTheAdminPage() async throws {
        try await WebTestApp.run { t in
            let registry = try #require(t.app.roomRegistry)
            let ada = RecordingConnection()
            await registry.handle(.join(.init(room: "standup", name: "<b>Ada</b>", mode: .p2p)), from: ada)
            let adaID = try #require(ada.joinedID)

            let (user, _) = try await t.loggedIn("mallory")
            #expect(try await user.get("/admin").status == .forbidden)
            #expect(try await user.postForm("/admin/rooms/standup/end", []).status == .forbidden)

            let (admin, _) = try await t.loggedIn("root", role: .admin)
            let page = try await admin.get("/admin")
            #expect(page.status == .ok)
            #expect(page.body.string.contains("standup"))
            #expect(page.body.string.contains("&lt;b&gt;Ada&lt;/b&gt;"), "names are escaped")
            #expect(page.body.string.contains("/admin/rooms/standup/participants/\(adaID)/remove"))

            let ended = try await admin.postForm("/admin/rooms/standup/end", [])
            #expect(ended.status == .seeOther)
            #expect(Self.removals(ada) == ["room-ended"])
            #expect(await registry.liveRooms(statistics: nil).isEmpty)
            #expect(try await admin.postForm("/admin/rooms/standup/participants/\(adaID)/remove", []).status == .notFound)
        }
    }
}

extension RoomRegistryAdminTests {
    @Test func aLiveRoomRowPutsEveryFigureInWords() {
        let estimate = SubscriberEstimate(
            transport: TransportID(4), bitrate: 1_250_000, acknowledgedBitrate: nil, lossFraction: 0.034, roundTripTime: 42_700_000)
        let room = LiveRoom(name: "r", mode: .sfu, policy: .auto, locked: true, participants: [
            LiveParticipant(
                id: "a1", name: "Ada", isOnline: true, publishConnected: true, subscribeConnected: false, estimate: estimate,
                layers: [("Bo", LiveLayer(rid: "h", width: 640, height: 360, paused: false)),
                         ("Cy", LiveLayer(rid: "q", width: 160, height: 90, paused: true))]),
            LiveParticipant(
                id: "b2", name: "Bo", isOnline: false, publishConnected: nil, subscribeConnected: nil, estimate: nil, layers: []),
        ])
        let row = LiveRoomRow(room)
        #expect(row.mode == "sfu (created auto)")
        #expect(row.participants[0].media == "publish connected, subscribe connecting")
        #expect(row.participants[0].roundTrip == "42 ms")
        #expect(row.participants[0].estimate == "1.2 Mbit/s, 3% lost")
        #expect(row.participants[0].layers == "Bo: h 640×360; Cy: video paused")
        #expect(row.participants[1].signaling == "reconnecting")
        #expect(row.participants[1].media == "publish not yet offered, subscribe not yet offered")
        #expect(row.participants[1].estimate == "–")
    }
}
