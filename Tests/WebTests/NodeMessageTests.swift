import Foundation
import Relay
import Testing
@testable import Web

/// The node channel's messages: what crosses decodes to what was sent, and a batch too large for
/// one NOTIFY is split in order.
@Suite struct NodeMessageTests {
    static func track(_ id: UInt64) -> TrackDescription {
        TrackDescription(
            id: TrackID(id), transport: TransportID(1), kind: .video, mid: "1", ssrcs: [0x1111], payloadType: 96,
            codecName: "vp8", clockRate: 90_000, midExtensionID: 4, rids: ["q", "h", "f"], ridExtensionID: 10)
    }

    @Test func commandsAndEventsCrossUnchanged() throws {
        let setup = NodeLinkSetup.random(id: NodeLinkID(3), remote: .ipv4(192, 0, 2, 7, port: 41_000))
        let commands: [RemoteMediaCommand] = [
            .openLink(setup), .addLinkedTrack(Self.track(9), link: NodeLinkID(3), number: 2),
            .subscribe(SubscriptionRequest(track: TrackID(9), transport: TransportID(4), ssrc: 7, payloadType: 96, rtx: .init(ssrc: 8, payloadType: 97))),
            .setDisplaySize(DisplaySize(width: 640, height: 360), track: TrackID(9), transport: TransportID(4)),
            .closeTransport(TransportID(4)),
        ]
        let payloads = try #require(NodeMessage.payloads(from: "node-a", to: "node-b", .commands(worker: 1, commands)))
        #expect(payloads.count == 1)
        #expect(NodeMessage.decode(payloads[0]) == NodeMessage(from: "node-a", to: "node-b", body: .commands(worker: 1, commands)))
        let events: [RemoteMediaEvent] = [
            .transportClosed(TransportID(4), reason: "consentExpired"),
            .audioActivity([AudioActivity(track: TrackID(9), voicedFraction: 0.5, loudness: 0.25)]),
        ]
        let back = try #require(NodeMessage.payloads(from: "node-b", to: "node-a", .events(events)))
        #expect(NodeMessage.decode(back[0])?.body == .events(events))
    }

    @Test func aBatchTooLargeForOneNoticeIsSplitInOrder() throws {
        let commands = (1...60).map { RemoteMediaCommand.addTrack(Self.track(UInt64($0))) }
        let payloads = try #require(NodeMessage.payloads(from: "node-a", to: "node-b", .commands(worker: 0, commands)))
        #expect(payloads.count > 1)
        #expect(payloads.allSatisfy { $0.utf8.count <= NodeMessage.maximumPayload })
        let received = payloads.compactMap(NodeMessage.decode).flatMap { message -> [RemoteMediaCommand] in
            if case .commands(0, let part) = message.body { part } else { [] }
        }
        #expect(received == commands)
    }

    @Test func credentialsThatBreakTheRulesDoNotDecode() throws {
        let credentials = try #require(IceCredentials(ufrag: "abcd", pwd: "0123456789012345678901"))
        let payload = try #require(NodeMessage.payloads(
            from: "a", to: "b", .commands(worker: 0, [.setRemoteCredentials(credentials, transport: TransportID(1))])))[0]
        #expect(NodeMessage.decode(payload) != nil)
        #expect(NodeMessage.decode(payload.replacingOccurrences(of: "0123456789012345678901", with: "short")) == nil)
        #expect(NodeMessage.decode(payload.replacingOccurrences(of: "abcd", with: "a b")) == nil)
        #expect(NodeMessage.decode("not json") == nil)
    }
}
