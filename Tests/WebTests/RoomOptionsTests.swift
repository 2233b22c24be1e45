import Testing
@testable import Web

/// A room's password, participant cap and lock, and what a joiner is told about the room.
@Suite struct RoomOptionsTests {
    static func join(_ registry: RoomRegistry, _ request: JoinRequest) async -> RecordingConnection {
        let connection = RecordingConnection()
        await registry.handle(.join(request), from: connection)
        return connection
    }

    static func roomState(_ connection: RecordingConnection) -> RoomState? {
        connection.messages.compactMap { if case .room(let state) = $0 { state } else { nil } }.last
    }

    @Test func aPasswordKeepsOutWhoeverDoesNotHaveIt() async throws {
        let registry = RoomRegistry(configuration: SignalingConfiguration(adminToken: "admin-secret"))
        let ada = await Self.join(registry, JoinRequest(room: "r", name: "Ada", password: "open sesame"))
        await registry.handle(.chat(text: "private", id: nil), from: ada)
        #expect(Self.roomState(ada)?.passwordProtected == true)

        let none = await Self.join(registry, JoinRequest(room: "r", name: "Bo"))
        let wrong = await Self.join(registry, JoinRequest(room: "r", name: "Bo", password: "guess"))
        for refused in [none, wrong] {
            #expect(refused.messages == [.error(.forbidden("wrong room password"))], "no history, no peers")
        }
        let right = await Self.join(registry, JoinRequest(room: "r", name: "Bo", password: "open sesame"))
        #expect(right.joinedID != nil)
        let admin = await Self.join(registry, JoinRequest(room: "r", name: "Admin", token: "admin-secret"))
        #expect(admin.joinedID != nil)
        #expect(await registry.members(of: "r") == ["Ada", "Bo", "Admin"])
    }

    @Test func theCreatorCapsTheRoomWithinTheServersLimit() async {
        let registry = RoomRegistry(configuration: SignalingConfiguration(maximumParticipants: 3))
        let ada = await Self.join(registry, JoinRequest(room: "small", name: "Ada", maximumParticipants: 2))
        #expect(Self.roomState(ada)?.capacity == 2)
        _ = await Self.join(registry, JoinRequest(room: "small", name: "Bo"))
        let cy = await Self.join(registry, JoinRequest(room: "small", name: "Cy"))
        #expect(cy.messages == [.error(.roomFull(limit: 2))])

        // A p2p room, the mesh cap (4) above the server's limit.
        let big = await Self.join(registry, JoinRequest(room: "big", name: "Ada", mode: .p2p, maximumParticipants: 40))
        #expect(Self.roomState(big)?.capacity == 3, "never above the server's limit")
    }

    @Test func theOwnerOrAnAdminLocksTheRoom() async throws {
        let registry = RoomRegistry(configuration: SignalingConfiguration(adminToken: "admin-secret"))
        let ada = await Self.join(registry, JoinRequest(room: "r", name: "Ada"))
        let bo = await Self.join(registry, JoinRequest(room: "r", name: "Bo"))
        let adaID = try #require(ada.joinedID)
        let boID = try #require(bo.joinedID)
        #expect(Self.roomState(bo)?.owner == adaID)

        await registry.handle(.lock(true), from: bo)
        #expect(bo.messages.last == .error(.forbidden("only the room's owner or an admin can lock or unlock it")))
        await registry.handle(.lock(true), from: ada)
        #expect(Self.roomState(bo)?.locked == true)
        let late = await Self.join(registry, JoinRequest(room: "r", name: "Cy"))
        #expect(late.messages == [.error(.roomLocked)])
        let admin = await Self.join(registry, JoinRequest(room: "r", name: "Admin", token: "admin-secret"))
        #expect(admin.joinedID != nil, "an admin enters a locked room")

        await registry.handle(.leave, from: ada)
        #expect(Self.roomState(bo)?.owner == boID, "the longest present takes over")
        await registry.handle(.lock(false), from: bo)
        #expect(Self.roomState(admin)?.locked == false)
        await registry.handle(.lock(true), from: admin)
        #expect(Self.roomState(bo)?.locked == true, "an admin locks a room it does not own")
        let wrongToken = await Self.join(registry, JoinRequest(room: "r", name: "Eve", token: "guess"))
        #expect(wrongToken.messages == [.error(.roomLocked)])
    }
}
