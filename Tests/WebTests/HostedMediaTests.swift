import Foundation
import Relay
import Testing
@testable import Web

/// The media a node carries for other nodes' rooms, under ids of its own that never meet its
/// rooms' or each other's, mapped back for the events.
@Suite struct HostedMediaTests {
    static func setup(_ id: UInt64) -> TransportSetup {
        TransportSetup(
            id: TransportID(id), localCredentials: .random(), remoteCredentials: .random(),
            remoteFingerprint: .init(digest: [UInt8](repeating: 1, count: 32)))
    }

    @Test func twoNodesSameIdsMapApartAndBack() throws {
        var hosted = HostedMedia()
        let openedA = hosted.translate(.openTransport(Self.setup(1)), from: "node-a", worker: 0)
        let openedB = hosted.translate(.openTransport(Self.setup(1)), from: "node-b", worker: 0)
        guard case .openTransport(let a) = openedA, case .openTransport(let b) = openedB else {
            Issue.record("not opened: \(String(describing: openedA)), \(String(describing: openedB))")
            return
        }
        #expect(a.id != b.id)
        #expect(HostedMedia.isHosted(a.id.value) && HostedMedia.isHosted(b.id.value))
        #expect(hosted.participants == 1, "two transports: one participant's")
        let description = NodeMessageTests.track(5)
        var published = description
        published.transport = TransportID(1)
        let translated = hosted.translate(.addTrack(published), from: "node-a", worker: 0)
        guard case .addTrack(let added) = translated else {
            Issue.record("not added: \(String(describing: translated))")
            return
        }
        #expect(added.transport == a.id && HostedMedia.isHosted(added.id.value))
        let event = try #require(hosted.translate(.transportClosed(b.id, .consentExpired)))
        #expect(event.node == "node-b")
        #expect(event.event == .transportClosed(TransportID(1), reason: "consentExpired"))
        let (own, others) = hosted.split([
            AudioActivity(track: added.id, voicedFraction: 1, loudness: 1), AudioActivity(track: TrackID(77), voicedFraction: 1, loudness: 1),
        ])
        #expect(own.map(\.track) == [TrackID(77)])
        #expect(others["node-a"]?.map(\.track) == [TrackID(5)])
        #expect(hosted.translate(.transportClosed(TransportID(77), .consentExpired)) == nil, "this node's own")
        #expect(hosted.translate(.transportConnected(a.id)) == nil, "signaling does not act on it")
    }

    @Test func whatIsNotHeldIsNotTranslated() {
        var hosted = HostedMedia()
        #expect(hosted.translate(.closeTransport(TransportID(1)), from: "node-a", worker: 0) == nil)
        #expect(hosted.translate(.removeTrack(TrackID(1)), from: "node-a", worker: 0) == nil)
        #expect(hosted.translate(.sendOverLink(TrackID(1), link: NodeLinkID(1), number: 1), from: "node-a", worker: 0) == nil)
        _ = hosted.translate(.openTransport(Self.setup(1)), from: "node-a", worker: 0)
        #expect(hosted.translate(.closeTransport(TransportID(1)), from: "node-b", worker: 0) == nil, "node-a's, not node-b's")
    }

    @Test func aGoneNodesMediaIsClosedOnItsWorkers() throws {
        var hosted = HostedMedia()
        _ = hosted.translate(.openTransport(Self.setup(1)), from: "node-a", worker: 1)
        _ = hosted.translate(.openTransport(Self.setup(2)), from: "node-a", worker: 1)
        _ = hosted.translate(
            .openLink(.random(id: NodeLinkID(1), remote: .ipv4(192, 0, 2, 1, port: 40_000))), from: "node-a", worker: 1)
        _ = hosted.translate(.openTransport(Self.setup(1)), from: "node-b", worker: 0)
        let commands = hosted.release("node-a")
        #expect(Set(commands.keys) == [1])
        #expect(commands[1]?.count == 3)
        #expect(hosted.nodes == ["node-b"])
        #expect(hosted.participants == 1)
    }
}
