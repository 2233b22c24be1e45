import Foundation
import RTP
import Testing
@testable import Relay

/// A room spread over two workers: a track published on one (the origin) reaches subscribers
/// on the other (the consumer) through a `WorkerPipe`, once per packet whatever their number.
@Suite struct MediaRouterMirrorTests {
    typealias Call = MediaRouterTests.Call

    static let video = TrackDescription(
        id: TrackID(1), transport: TransportID(1), kind: .video, mid: "1", ssrcs: [0x1111],
        payloadType: 96, clockRate: 90_000, midExtensionID: nil)

    /// The origin with a publisher of `video`, the consumer with subscribers on transports 11
    /// and 12 of the mirrored track, and the pipe between them.
    struct SpreadRoom {
        let origin: Call
        let consumer: Call
        let publisher: SimulatedBrowser
        let subscribers: [SimulatedBrowser]
        let pipe: WorkerPipe

        /// Hands the consumer what the pipe holds, as its socket loop does; returns how many.
        @discardableResult
        func carry(now: UInt64 = Monotonic.now()) -> Int {
            pipe.drain { packet in
                consumer.router.checkingDeadlines(now: now) {
                    consumer.router.handleMirrored(
                        packet.bytes, track: packet.track, layer: packet.layer, now: now, arrival: packet.arrival, sink: consumer.sink)
                }
            }
        }
    }

    static func spreadRoom(pipeCapacity: Int = 1_024) throws -> SpreadRoom {
        let origin = try MediaRouterTests.makeCall()
        let consumer = try MediaRouterTests.makeCall()
        let publisher = try MediaRouterTests.join(origin, id: 1, address: .ipv4(10, 0, 0, 1, port: 5000))
        let subscribers = try [11, 12].map { id in
            try MediaRouterTests.join(consumer, id: UInt64(id), address: .ipv4(10, 0, 1, UInt8(id), port: 6000))
        }
        origin.router.addTrack(video)
        let pipe = WorkerPipe(origin: 0, consumer: 1, capacity: pipeCapacity)
        let now = Monotonic.now()
        consumer.router.execute(.addMirroredTrack(video, through: pipe), now: now, sink: consumer.sink)
        origin.router.execute(.mirrorTrack(video.id, through: pipe), now: now, sink: origin.sink)
        for (index, id) in [11, 12].enumerated() {
            consumer.router.execute(
                .subscribe(SubscriptionRequest(
                    track: video.id, transport: TransportID(UInt64(id)), ssrc: 0xA000 + UInt32(index), payloadType: 96,
                    rtx: .init(ssrc: 0xB000 + UInt32(index), payloadType: 97))),
                now: now, sink: consumer.sink)
        }
        return SpreadRoom(origin: origin, consumer: consumer, publisher: publisher, subscribers: subscribers, pipe: pipe)
    }

    @Test func everySubscriberOnTheOtherWorkerGetsEachPacketThatCrossedOnce() throws {
        let room = try Self.spreadRoom()
        let sent = (UInt16(100)..<UInt16(130)).map { MediaRouterTests.videoPacket($0) }
        for packet in sent { try room.publisher.sendRtp(packet, to: room.origin.router, sink: room.origin.sink) }
        #expect(room.origin.router.forwardedPackets == 0, "no subscriber on the origin")

        #expect(room.carry() == 30, "one copy through the pipe per packet, for two subscribers")
        for (index, subscriber) in room.subscribers.enumerated() {
            subscriber.collect(from: room.consumer.sink)
            let received = try subscriber.received.map { try RtpPacket(parsing: $0) }
            #expect(received.map(\.payload) == sent.map(\.payload))
            #expect(received.allSatisfy { $0.ssrc == 0xA000 + UInt32(index) })
            #expect(zip(received, received.dropFirst()).allSatisfy { $1.sequenceNumber == $0.sequenceNumber &+ 1 })
            #expect(zip(received, sent).allSatisfy { $0.timestamp &- received[0].timestamp == $1.timestamp &- sent[0].timestamp })
        }
        #expect(room.consumer.router.forwardedPackets == 60)
    }

    @Test func aKeyframeAskedOnTheConsumerIsAskedOfThePublisherThroughTheOrigin() throws {
        let room = try Self.spreadRoom()
        try room.publisher.sendRtp(MediaRouterTests.videoPacket(1), to: room.origin.router, sink: room.origin.sink)
        room.carry()
        // The consumer asks only its origin: no transport of its own leads to the publisher.
        let pli = try RtcpPictureLossIndication(senderSsrc: 0x5555, mediaSsrc: 0xA000).bytes()
        try room.subscribers[0].sendRtcp(pli, to: room.consumer.router, sink: room.consumer.sink)
        try room.subscribers[1].sendRtcp(try RtcpPictureLossIndication(senderSsrc: 0x5556, mediaSsrc: 0xA001).bytes(),
                                          to: room.consumer.router, sink: room.consumer.sink)
        let upstream = room.consumer.router.takeUpstream()
        #expect(upstream.count == 1, "two subscribers' requests within the interval go up as one")
        #expect(upstream.first?.worker == 0)
        #expect(upstream.first?.command == .requestKeyframe(Self.video.id, layer: 0))

        room.publisher.receivedRtcp.removeAll()
        for (_, command) in upstream { room.origin.router.execute(command, now: Monotonic.now(), sink: room.origin.sink) }
        room.publisher.collect(from: room.origin.sink)
        let reports = room.publisher.receivedRtcp.compactMap { try? RtcpCompound.parse($0.withUnsafeBytes { $0 }) }
        #expect(reports.contains { $0.packets.contains { if case .pictureLossIndication(let pli) = $0 { pli.mediaSsrc == 0x1111 } else { false } } })
    }

    @Test func aNackOnTheConsumerIsAnsweredFromItsOwnHistory() throws {
        let room = try Self.spreadRoom()
        for sequence in UInt16(300)..<UInt16(305) {
            try room.publisher.sendRtp(MediaRouterTests.videoPacket(sequence), to: room.origin.router, sink: room.origin.sink)
        }
        room.carry()
        _ = room.consumer.router.takeUpstream()
        let subscriber = room.subscribers[0]
        subscriber.collect(from: room.consumer.sink)
        let lost = try subscriber.received.map { try RtpPacket(parsing: $0) }[1...2]
        subscriber.received.removeAll()
        let nack = RtcpGenericNack(senderSsrc: 0x5555, mediaSsrc: 0xA000, lostSequenceNumbers: lost.map(\.sequenceNumber))
        try subscriber.sendRtcp(try nack.bytes(), to: room.consumer.router, sink: room.consumer.sink)
        subscriber.collect(from: room.consumer.sink)
        let resent = try subscriber.received.map { try RtpPacket(parsing: $0) }
        #expect(resent.count == 2)
        #expect(resent.allSatisfy { $0.ssrc == 0xB000 })
        #expect(resent.map { Array($0.payload.dropFirst(2)) } == lost.map(\.payload))
        #expect(room.consumer.router.takeUpstream().isEmpty, "nothing asked of the origin")
    }

    @Test func aPublisherWhosePathMovedIsAskedForAKeyframeForTheOtherWorkersSubscribers() throws {
        let room = try Self.spreadRoom()
        try room.publisher.sendRtp(MediaRouterTests.videoPacket(1), to: room.origin.router, sink: room.origin.sink)
        room.carry()
        room.publisher.collect(from: room.origin.sink)
        room.publisher.receivedRtcp.removeAll()

        // No subscriber on the origin: only the mirror's subscribers lost what went into the gap.
        room.publisher.address = .ipv4(10, 0, 1, 1, port: 7000)
        room.publisher.deliver(room.publisher.bindingRequest(), to: room.origin.router, sink: room.origin.sink)
        let check = try #require(room.origin.sink.take(for: room.publisher.address).compactMap { try? StunMessage.parse($0) }.last)
        let answer = StunMessage(.successResponse, .binding, transactionId: check.transactionId, attributes: [.xorMappedAddress(room.publisher.address)])
            .encoded(integrityKey: Array(room.publisher.credentials.pwd.utf8), fingerprint: true)
        room.publisher.deliver(answer, to: room.origin.router, sink: room.origin.sink)
        room.publisher.collect(from: room.origin.sink)
        let plis = MediaRouterTests.reports(room.publisher.receivedRtcp).filter {
            if case .pictureLossIndication(let pli) = $0 { pli.mediaSsrc == 0x1111 } else { false }
        }
        #expect(plis.count == 1)
    }

    @Test func aFullPipeRefusesPacketsAndCountsThem() throws {
        let room = try Self.spreadRoom(pipeCapacity: 4)
        for sequence in UInt16(0)..<UInt16(10) {
            try room.publisher.sendRtp(MediaRouterTests.videoPacket(sequence), to: room.origin.router, sink: room.origin.sink)
        }
        #expect(room.origin.router.drops[.mirrorPipeFull] == 6)
        #expect(room.carry() == 4)
    }

    @Test func packetsOfAMirrorRemovedOnTheWayAreCounted() throws {
        let room = try Self.spreadRoom()
        for sequence in UInt16(0)..<UInt16(3) {
            try room.publisher.sendRtp(MediaRouterTests.videoPacket(sequence), to: room.origin.router, sink: room.origin.sink)
        }
        room.consumer.router.removeTrack(Self.video.id)
        room.origin.router.execute(.stopMirroring(Self.video.id, through: room.pipe), now: Monotonic.now(), sink: room.origin.sink)
        #expect(room.carry() == 3)
        #expect(room.consumer.router.drops[.mirroredTrackGone] == 3)
        try room.publisher.sendRtp(MediaRouterTests.videoPacket(3), to: room.origin.router, sink: room.origin.sink)
        #expect(room.carry() == 0, "the origin no longer sends it")
    }

    @Test func aMirroredAudioTrackIsNotReportedAsActivityOnTheConsumer() throws {
        let origin = try MediaRouterTests.makeCall()
        let consumer = try MediaRouterTests.makeCall()
        let publisher = try MediaRouterTests.join(origin, id: 1, address: .ipv4(10, 0, 0, 1, port: 5000))
        let audio = TrackDescription(
            id: TrackID(2), transport: TransportID(1), kind: .audio, mid: "0", ssrcs: [0x3333],
            payloadType: 111, clockRate: 48_000, midExtensionID: nil, audioLevelExtensionID: 1)
        origin.router.addTrack(audio)
        let pipe = WorkerPipe(origin: 0, consumer: 1)
        let start = Monotonic.now()
        consumer.router.addMirroredTrack(audio, through: pipe)
        origin.router.mirror(audio.id, through: pipe)
        origin.router.handleTimeout(now: start, sink: origin.sink)
        consumer.router.handleTimeout(now: start, sink: consumer.sink)
        for sequence in UInt16(0)..<UInt16(10) {
            try publisher.sendRtp(MediaRouterForwardingTests.audioPacket(sequence), to: origin.router, sink: origin.sink)
        }
        pipe.drain { consumer.router.handleMirrored($0.bytes, track: $0.track, layer: $0.layer, now: start, arrival: $0.arrival, sink: consumer.sink) }
        let later = start + MediaRouter.activityInterval
        origin.router.handleTimeout(now: later, sink: origin.sink)
        consumer.router.handleTimeout(now: later, sink: consumer.sink)
        #expect(origin.log.all.contains { if case .audioActivity = $0 { true } else { false } })
        #expect(!consumer.log.all.contains { if case .audioActivity = $0 { true } else { false } }, "its publisher's worker reports it, once")
    }
}
