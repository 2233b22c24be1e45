import Foundation
import Relay
import SDP
import Testing
@testable import Web

/// Sfu mode through the registry with a real media plane on loopback: publish offers as
/// Chrome and Firefox write them, subscribe offers to everyone else, answers, and cleanup.
@Suite(.serialized) struct SfuSignalingTests {
    static func fixture(_ name: String) throws -> String {
        // The browser offers kept with the SDP tests.
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../SDPTests/Fixtures/\(name).sdp").standardized
        return try String(contentsOf: url, encoding: .utf8)
    }

    static func makeRegistry() throws -> (RoomRegistry, MediaPlane) {
        let media = try MediaPlane(configuration: MediaPlaneConfiguration(
            workers: 1, firstPort: 0, listenAddress: 0x7F00_0001, announcedAddresses: ["127.0.0.1"]))
        media.start()
        return (RoomRegistry(media: media), media)
    }

    /// A subscribe answer as a browser writes one: every section accepted, the client's own
    /// credentials and certificate, DTLS client.
    static func answer(to offerText: String) throws -> String {
        var answer = try SessionDescription(parsing: offerText)
        answer.attributes = []
        answer.media = answer.media.map { section in
            var section = section
            section.attributes = [
                SdpAttribute("ice-ufrag", "cl1e"), SdpAttribute("ice-pwd", "clientpasswordclientpassword"),
                SdpAttribute("fingerprint", "sha-256 " + Array(repeating: "AB", count: 32).joined(separator: ":")),
                SdpAttribute("setup", "active"), SdpAttribute("mid", section.mid ?? ""), SdpAttribute("recvonly"),
                SdpAttribute("rtcp-mux"),
            ]
            return section
        }
        return answer.serialized()
    }

    static func offers(_ connection: RecordingConnection) -> [(sdp: String, tracks: [ServerMessage.OfferedTrack])] {
        connection.messages.compactMap { if case .offer(let sdp, let tracks) = $0 { (sdp, tracks) } else { nil } }
    }

    static func errors(_ connection: RecordingConnection) -> [String] {
        connection.messages.compactMap { if case .error(let error) = $0 { error.code } else { nil } }
    }

    @Test(arguments: ["chrome-offer", "firefox-offer"])
    func aPublisherIsAnsweredAndEveryoneElseIsOfferedItsTracks(offerName: String) async throws {
        let (registry, media) = try Self.makeRegistry()
        defer { media.stop() }
        let ada = RecordingConnection()
        let bo = RecordingConnection()
        await registry.handle(.join(.init(room: "r", name: "Ada", mode: .sfu)), from: ada)
        await registry.handle(.join(.init(room: "r", name: "Bo", mode: .sfu)), from: bo)
        let adaID = try #require(ada.joinedID)
        #expect(Self.offers(bo).isEmpty, "nothing to receive yet")

        await registry.handle(.publish(sdp: try Self.fixture(offerName)), from: ada)
        #expect(Self.errors(ada).isEmpty)
        let answerText = try #require(ada.messages.compactMap { if case .answer(let sdp) = $0 { sdp } else { nil } }.first)
        let answer = try SessionDescription(parsing: answerText)
        #expect(answer.isIceLite)
        let accepted = answer.media.filter { $0.port != 0 }
        #expect(accepted.map(\.kind) == [.audio, .video])
        let port = media.workers[0].port
        #expect(accepted.allSatisfy { $0.attributes.values("candidate").contains { $0.contains("127.0.0.1 \(port) typ host") } })
        #expect(accepted.allSatisfy { $0.attributes.values("setup") == ["passive"] })

        let offer = try #require(Self.offers(bo).first)
        #expect(offer.tracks.map(\.peer) == [adaID, adaID])
        #expect(offer.tracks.map(\.kind) == ["audio", "video"])
        #expect(Self.offers(ada).isEmpty, "no one sees their own tracks")

        await registry.handle(.answer(sdp: try Self.answer(to: offer.sdp)), from: bo)
        #expect(Self.errors(bo).isEmpty)
        let statistics = await media.statistics()
        #expect(statistics.transports == 2, "Ada's publish and Bo's subscribe transports")
        #expect(statistics.tracks == 2)
        #expect(statistics.subscriptions == 2)

        // A late joiner is offered what is already published, straight away.
        let cy = RecordingConnection()
        await registry.handle(.join(.init(room: "r", name: "Cy", mode: .sfu)), from: cy)
        #expect(Self.offers(cy).first?.tracks.count == 2)
    }

    @Test func leavingTakesTheTracksAwayFromEveryone() async throws {
        let (registry, media) = try Self.makeRegistry()
        defer { media.stop() }
        let ada = RecordingConnection()
        let bo = RecordingConnection()
        await registry.handle(.join(.init(room: "r", name: "Ada", mode: .sfu)), from: ada)
        await registry.handle(.join(.init(room: "r", name: "Bo", mode: .sfu)), from: bo)
        await registry.handle(.publish(sdp: try Self.fixture("chrome-offer")), from: ada)
        let first = try #require(Self.offers(bo).first)
        await registry.handle(.answer(sdp: try Self.answer(to: first.sdp)), from: bo)

        await registry.handle(.leave, from: ada)
        let second = try #require(Self.offers(bo).last)
        #expect(Self.offers(bo).count == 2)
        #expect(second.tracks.isEmpty)
        let sections = try SessionDescription(parsing: second.sdp).media
        #expect(sections.count == 2 && sections.allSatisfy { $0.attributes.contains("inactive") }, "slots are kept, inactive")
        await registry.handle(.answer(sdp: try Self.answer(to: second.sdp)), from: bo)
        #expect(Self.errors(bo).isEmpty)

        let statistics = await media.statistics()
        #expect(statistics.transports == 1, "only Bo's subscribe transport is left")
        #expect(statistics.tracks == 0 && statistics.subscriptions == 0)

        await registry.disconnected(bo)
        #expect(await media.statistics().transports == 0)
    }

    @Test func badRequestsAreRefusedWithACodeAndTheConnectionLivesOn() async throws {
        let (registry, media) = try Self.makeRegistry()
        defer { media.stop() }
        let ada = RecordingConnection()
        await registry.handle(.publish(sdp: "v=0"), from: ada)
        await registry.handle(.join(.init(room: "r", name: "Ada", mode: .sfu)), from: ada)
        await registry.handle(.publish(sdp: "this is not SDP"), from: ada)
        await registry.handle(.answer(sdp: try Self.answer(to: try Self.fixture("chrome-offer"))), from: ada)
        var offerWithoutFingerprint = try Self.fixture("chrome-offer")
        offerWithoutFingerprint = offerWithoutFingerprint.split(separator: "\r\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("a=fingerprint") }.joined(separator: "\r\n")
        await registry.handle(.publish(sdp: offerWithoutFingerprint), from: ada)
        // A ufrag of two characters breaks RFC 8839 §5.4 (4 to 256 ice-chars).
        let shortUfrag = try Self.fixture("chrome-offer").replacingOccurrences(
            of: #"a=ice-ufrag:[^\r\n]+"#, with: "a=ice-ufrag:ab", options: .regularExpression)
        await registry.handle(.publish(sdp: shortUfrag), from: ada)
        #expect(Self.errors(ada) == ["not-joined", "invalid-sdp", "negotiation-failed", "negotiation-failed", "negotiation-failed"])
        #expect(await media.statistics().transports == 0, "nothing was created for the refused offers")

        await registry.handle(.publish(sdp: try Self.fixture("chrome-offer")), from: ada)
        #expect(ada.messages.contains { if case .answer = $0 { true } else { false } }, "a good offer still works after bad ones")

        let p2p = RecordingConnection()
        await registry.handle(.join(.init(room: "direct", name: "Bo", mode: .p2p)), from: p2p)
        await registry.handle(.publish(sdp: try Self.fixture("chrome-offer")), from: p2p)
        #expect(Self.errors(p2p) == ["not-available"])
    }
}

extension SfuSignalingTests {
    static func speakers(_ connection: RecordingConnection) -> [String] {
        connection.messages.compactMap { if case .speaker(let id) = $0 { id } else { nil } }
    }

    @Test func theRoomHearsWhoIsSpeakingAndANewcomerIsToldOnJoining() async throws {
        let (registry, media) = try Self.makeRegistry()
        defer { media.stop() }
        let ada = RecordingConnection()
        let bo = RecordingConnection()
        await registry.handle(.join(.init(room: "r", name: "Ada", mode: .sfu)), from: ada)
        await registry.handle(.join(.init(room: "r", name: "Bo", mode: .sfu)), from: bo)
        let adaID = try #require(ada.joinedID)
        await registry.handle(.publish(sdp: try Self.fixture("chrome-offer")), from: ada)
        // Ada's first track is her microphone (the offer's audio section comes first).
        let adaTracks = await registry.ownerByTrack.filter { $0.value == adaID }.keys.sorted { $0.value < $1.value }
        let microphone = try #require(adaTracks.first)

        // Two seconds of Ada talking, reported every 250 ms as a worker does.
        for step in 0..<8 {
            await registry.audioActivity(
                [AudioActivity(track: microphone, voicedFraction: 1, loudness: 0.7)], at: UInt64(step) * 250_000_000)
        }
        #expect(Self.speakers(bo) == [adaID], "announced once, to everyone")
        #expect(Self.speakers(ada) == [adaID])

        let cy = RecordingConnection()
        await registry.handle(.join(.init(room: "r", name: "Cy", mode: .sfu)), from: cy)
        #expect(Self.speakers(cy) == [adaID])
        // Activity of a track nobody owns any more changes nothing.
        await registry.handle(.leave, from: ada)
        await registry.audioActivity(
            [AudioActivity(track: microphone, voicedFraction: 1, loudness: 0.7)], at: 3_000_000_000)
        #expect(Self.speakers(bo) == [adaID])
    }
}

extension SfuSignalingTests {
    static func layers(_ connection: RecordingConnection) -> [String] {
        connection.messages.compactMap {
            if case .videoLayer(let peer, let rid, let width, let height, let paused) = $0 {
                "\(peer) \(rid ?? "-") \(width)x\(height)\(paused ? " paused" : "")"
            } else {
                nil
            }
        }
    }

    @Test func aSubscriberHearsWhichLayerItGetsOfWhomAndTilesOfStrangersAreIgnored() async throws {
        let (registry, media) = try Self.makeRegistry()
        defer { media.stop() }
        let ada = RecordingConnection()
        let bo = RecordingConnection()
        await registry.handle(.join(.init(room: "r", name: "Ada", mode: .sfu)), from: ada)
        await registry.handle(.join(.init(room: "r", name: "Bo", mode: .sfu)), from: bo)
        let adaID = try #require(ada.joinedID)
        let boID = try #require(bo.joinedID)
        await registry.handle(.publish(sdp: try Self.fixture("chrome-offer")), from: ada)
        let adaTracks = await registry.ownerByTrack.filter { $0.value == adaID }.keys.sorted { $0.value < $1.value }
        let camera = try #require(adaTracks.last)
        let boSubscribe = try #require(await registry.mediaByParticipant[boID]?.subscribe.transport)

        await registry.layerChanged(LayerChange(track: camera, subscriber: boSubscribe, rid: "h", width: 320, height: 240, paused: false))
        await registry.layerChanged(LayerChange(track: camera, subscriber: boSubscribe, rid: nil, width: 0, height: 0, paused: true))
        #expect(Self.layers(bo) == ["\(adaID) h 320x240", "\(adaID) - 0x0 paused"])
        #expect(Self.layers(ada).isEmpty)

        // A tile of someone who is not in the room, or of nobody, is no error: it crossed a leave.
        await registry.handle(.tile(peer: "nobody", width: 10, height: 10), from: bo)
        await registry.handle(.tile(peer: adaID, width: 640, height: 360), from: bo)
        #expect(Self.errors(bo).isEmpty)
    }
}
