import Foundation
import RTP
import Testing
@testable import Relay

/// A room across two nodes: a track published on one node's worker (the origin) reaches
/// subscribers on another node's worker (the consumer) over a relay link, SRTP over UDP, once
/// per packet whatever their number; keyframe requests and repairs cross back.
@Suite struct MediaRouterLinkTests {
    typealias Call = MediaRouterTests.Call

    static let video = MediaRouterMirrorTests.video
    static let originAddress = TransportAddress.ipv4(192, 0, 2, 1, port: 40_000)
    static let consumerAddress = TransportAddress.ipv4(192, 0, 2, 2, port: 40_002)
    static let link = NodeLinkID(7)
    static let number: UInt32 = 3

    struct LinkedRoom {
        let origin: Call
        let consumer: Call
        let publisher: SimulatedBrowser
        let subscribers: [SimulatedBrowser]

        /// What the origin sent over the link, handed to the consumer as its socket would;
        /// `dropping` the ones at those positions, lost on the way. Returns how many crossed.
        @discardableResult
        func carry(dropping lost: Set<Int> = [], now: UInt64 = Monotonic.now()) -> Int {
            let datagrams = origin.sink.take(for: MediaRouterLinkTests.consumerAddress)
            for (index, datagram) in datagrams.enumerated() where !lost.contains(index) {
                var bytes = datagram
                bytes.withUnsafeMutableBytes { buffer in
                    consumer.router.checkingDeadlines(now: now) {
                        consumer.router.handleDatagram(buffer, from: MediaRouterLinkTests.originAddress, now: now, sink: consumer.sink)
                    }
                }
            }
            return datagrams.count - lost.count
        }

        /// What the consumer sent back over the link, handed to the origin.
        @discardableResult
        func carryBack(now: UInt64 = Monotonic.now()) -> Int {
            let datagrams = consumer.sink.take(for: MediaRouterLinkTests.originAddress)
            for datagram in datagrams {
                var bytes = datagram
                bytes.withUnsafeMutableBytes { buffer in
                    origin.router.checkingDeadlines(now: now) {
                        origin.router.handleDatagram(buffer, from: MediaRouterLinkTests.consumerAddress, now: now, sink: origin.sink)
                    }
                }
            }
            return datagrams.count
        }
    }

    static func linkedRoom() throws -> LinkedRoom {
        let origin = try MediaRouterTests.makeCall()
        let consumer = try MediaRouterTests.makeCall()
        let publisher = try MediaRouterTests.join(origin, id: 1, address: .ipv4(10, 0, 0, 1, port: 5000))
        let subscribers = try [11, 12].map { id in
            try MediaRouterTests.join(consumer, id: UInt64(id), address: .ipv4(10, 0, 1, UInt8(id), port: 6000))
        }
        let now = Monotonic.now()
        origin.router.execute(.addTrack(video), now: now, sink: origin.sink)
        let setup = NodeLinkSetup.random(id: link, remote: consumerAddress)
        origin.router.execute(.openLink(setup), now: now, sink: origin.sink)
        consumer.router.execute(.openLink(setup.reversed(remote: originAddress)), now: now, sink: consumer.sink)
        consumer.router.execute(.addLinkedTrack(video, link: link, number: number), now: now, sink: consumer.sink)
        origin.router.execute(.sendOverLink(video.id, link: link, number: number), now: now, sink: origin.sink)
        for (index, id) in [11, 12].enumerated() {
            consumer.router.execute(
                .subscribe(SubscriptionRequest(
                    track: video.id, transport: TransportID(UInt64(id)), ssrc: 0xA000 + UInt32(index), payloadType: 96,
                    rtx: .init(ssrc: 0xB000 + UInt32(index), payloadType: 97))),
                now: now, sink: consumer.sink)
        }
        return LinkedRoom(origin: origin, consumer: consumer, publisher: publisher, subscribers: subscribers)
    }

    /// The subscriber's media packets since the last call, in order of arrival.
    static func received(by subscriber: SimulatedBrowser, from call: Call) throws -> [RtpPacket] {
        subscriber.collect(from: call.sink)
        defer { subscriber.received.removeAll() }
        return try subscriber.received.map { try RtpPacket(parsing: $0) }
    }

    @Test func everyPacketCrossesOnceEncryptedAndReachesEverySubscriberThere() throws {
        let room = try Self.linkedRoom()
        let sent = (UInt16(100)..<UInt16(130)).map { MediaRouterTests.videoPacket($0) }
        for packet in sent { try room.publisher.sendRtp(packet, to: room.origin.router, sink: room.origin.sink) }
        #expect(room.origin.router.forwardedPackets == 0, "no subscriber on the origin")

        let crossing = room.origin.sink.datagrams.filter { $0.to == Self.consumerAddress }.map(\.bytes)
        #expect(crossing.count == 30, "one link packet per packet, for two subscribers")
        let payload = sent[0].payload
        #expect(!crossing.contains { $0.count > payload.count && Self.contains($0, payload) }, "encrypted on the link")
        #expect(room.carry() == 30)
        for (index, subscriber) in room.subscribers.enumerated() {
            let received = try Self.received(by: subscriber, from: room.consumer)
            #expect(received.map(\.payload) == sent.map(\.payload))
            #expect(received.allSatisfy { $0.ssrc == 0xA000 + UInt32(index) })
            #expect(zip(received, received.dropFirst()).allSatisfy { $1.sequenceNumber == $0.sequenceNumber &+ 1 })
        }
        #expect(room.consumer.router.forwardedPackets == 60)
        let origin = room.origin.router.statistics
        let consumer = room.consumer.router.statistics
        #expect(origin.links == 1 && origin.linkTraffic.packetsSent == 30)
        #expect(consumer.links == 1 && consumer.linkedTracks == 1 && consumer.tracks == 0)
        #expect(consumer.linkTraffic.packetsReceived == 30)
    }

    @Test func aForgedDatagramOnTheLinkIsRefusedAndCounted() throws {
        let room = try Self.linkedRoom()
        try room.publisher.sendRtp(MediaRouterTests.videoPacket(1), to: room.origin.router, sink: room.origin.sink)
        var forged = try #require(room.origin.sink.take(for: Self.consumerAddress).first)
        forged[20] ^= 0x01
        forged.withUnsafeMutableBytes {
            room.consumer.router.handleDatagram($0, from: Self.originAddress, now: Monotonic.now(), sink: room.consumer.sink)
        }
        #expect(room.consumer.router.drops[.linkRefused] == 1)
        #expect(try Self.received(by: room.subscribers[0], from: room.consumer).isEmpty)
        // The same bytes from another address are no link's: an unknown source.
        var stray = forged
        stray.withUnsafeMutableBytes {
            room.consumer.router.handleDatagram(
                $0, from: .ipv4(192, 0, 2, 9, port: 40_000), now: Monotonic.now(), sink: room.consumer.sink)
        }
        #expect(room.consumer.router.drops[.linkRefused] == 1)
        #expect(room.consumer.router.drops[.unknownSource] == 1)
    }

    @Test func aKeyframeAskedOnTheOtherNodeReachesThePublisher() throws {
        let room = try Self.linkedRoom()
        try room.publisher.sendRtp(MediaRouterTests.videoPacket(1), to: room.origin.router, sink: room.origin.sink)
        room.carry()
        room.publisher.collect(from: room.origin.sink)
        room.publisher.receivedRtcp.removeAll()
        // Both subscriptions asked for a first keyframe when they started: one request crosses.
        #expect(room.carryBack() == 1, "two subscribers' requests within the interval cross as one")
        room.publisher.collect(from: room.origin.sink)
        let plis = MediaRouterTests.reports(room.publisher.receivedRtcp).filter {
            if case .pictureLossIndication(let pli) = $0 { pli.mediaSsrc == 0x1111 } else { false }
        }
        #expect(plis.count == 1)
        #expect(room.origin.router.statistics.linkTraffic.keyframeRequestsReceived == 1)
        #expect(room.consumer.router.statistics.linkTraffic.keyframeRequestsSent == 1)
        // A subscriber asking again within the interval: nothing more crosses.
        try room.subscribers[0].sendRtcp(
            try RtcpPictureLossIndication(senderSsrc: 0x5555, mediaSsrc: 0xA000).bytes(), to: room.consumer.router,
            sink: room.consumer.sink)
        #expect(room.carryBack() == 0)
    }

    @Test func aPacketLostOnTheLinkIsAskedForAndReachesBothSubscribersLate() throws {
        let room = try Self.linkedRoom()
        room.carryBack()
        let sent = (UInt16(500)..<UInt16(510)).map { MediaRouterTests.videoPacket($0) }
        for packet in sent { try room.publisher.sendRtp(packet, to: room.origin.router, sink: room.origin.sink) }
        let start = Monotonic.now()
        #expect(room.carry(dropping: [4], now: start) == 9)
        for subscriber in room.subscribers {
            #expect(try Self.received(by: subscriber, from: room.consumer).count == 9)
        }
        // The consumer asks for the link packet it missed, once its NACK is due.
        let deadline = try #require(room.consumer.router.nextTimeout)
        room.consumer.router.handleTimeout(now: max(deadline, start), sink: room.consumer.sink)
        #expect(room.carryBack() == 1)
        #expect(room.carry() == 1, "the origin resent it from the link's history")
        for subscriber in room.subscribers {
            let late = try Self.received(by: subscriber, from: room.consumer)
            #expect(late.map(\.payload) == [sent[4].payload])
        }
        #expect(room.consumer.router.statistics.linkTraffic.requestedRetransmissions == 1)
        #expect(room.origin.router.statistics.linkTraffic.retransmissions == 1)
    }

    @Test func closingTheLinkEndsWhatCrossedIt() throws {
        let room = try Self.linkedRoom()
        let now = Monotonic.now()
        try room.publisher.sendRtp(MediaRouterTests.videoPacket(1), to: room.origin.router, sink: room.origin.sink)
        #expect(room.carry() == 1)
        room.consumer.router.execute(.closeLink(Self.link), now: now, sink: room.consumer.sink)
        #expect(room.consumer.router.statistics.linkedTracks == 0)
        #expect(room.consumer.router.statistics.links == 0)
        #expect(room.consumer.router.statistics.linkTraffic.packetsReceived == 1, "the counters outlive the link")
        room.origin.router.execute(.closeLink(Self.link), now: now, sink: room.origin.sink)
        try room.publisher.sendRtp(MediaRouterTests.videoPacket(2), to: room.origin.router, sink: room.origin.sink)
        #expect(room.origin.sink.take(for: Self.consumerAddress).isEmpty, "nothing more goes over a closed link")
    }

    @Test func stoppingATrackOnTheLinkStopsOnlyIt() throws {
        let room = try Self.linkedRoom()
        let now = Monotonic.now()
        room.origin.router.execute(.stopSendingOverLink(Self.video.id, link: Self.link), now: now, sink: room.origin.sink)
        try room.publisher.sendRtp(MediaRouterTests.videoPacket(1), to: room.origin.router, sink: room.origin.sink)
        #expect(room.origin.sink.take(for: Self.consumerAddress).isEmpty)
        room.origin.router.execute(.sendOverLink(Self.video.id, link: Self.link, number: Self.number), now: now, sink: room.origin.sink)
        try room.publisher.sendRtp(MediaRouterTests.videoPacket(2), to: room.origin.router, sink: room.origin.sink)
        #expect(room.carry() == 1)
        #expect(try Self.received(by: room.subscribers[0], from: room.consumer).count == 1)
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        return (0...(haystack.count - needle.count)).contains { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}
