import Foundation
import RTP
import Testing
@testable import Relay

@Suite struct MediaRouterVideoPauseTests {
    /// A VP8 packet whose payload header marks a keyframe or an interframe (RFC 7741 §4.3).
    static func vp8Packet(_ sequence: UInt16, keyframe: Bool) -> RtpPacket {
        RtpPacket(
            marker: true, payloadType: 96, sequenceNumber: sequence, timestamp: 90_000 + UInt32(sequence) * 3000,
            ssrc: 0x1111, payload: [0x10, keyframe ? 0x00 : 0x01] + [UInt8](repeating: 0x42, count: 600))
    }

    static func setUp() throws -> (MediaRouterTests.Call, SimulatedBrowser, SimulatedBrowser) {
        let call = try MediaRouterTests.makeCall()
        let publisher = try MediaRouterTests.join(call, id: 1, address: .ipv4(10, 0, 0, 1, port: 5000))
        let subscriber = try MediaRouterTests.join(call, id: 2, address: .ipv4(10, 0, 0, 2, port: 6000))
        call.router.addTrack(TrackDescription(
            id: TrackID(1), transport: TransportID(1), kind: .video, mid: "1", ssrcs: [0x1111],
            payloadType: 96, codecName: "vp8", clockRate: 90_000, midExtensionID: nil))
        call.router.subscribe(
            SubscriptionRequest(track: TrackID(1), transport: TransportID(2), ssrc: 0xABCD, payloadType: 96, rtx: .init(ssrc: 0xDCBA, payloadType: 97)),
            now: Monotonic.now(), sink: call.sink)
        return (call, publisher, subscriber)
    }

    @Test func videoToASubscriberWhosePathCannotCarryItPausesWhileAudioWouldGoOn() throws {
        let (call, publisher, subscriber) = try Self.setUp()
        var sequence: UInt16 = 0
        var feedbackCount: UInt8 = 0
        // The subscriber reports most of what the relay sends as lost, while the publisher
        // sends about 2.4 Mbit/s: the path is congested and cannot carry it.
        let end = Monotonic.now() + 4_000_000_000
        while Monotonic.now() < end, call.router.videoPauses == 0 {
            for _ in 0..<5 {
                sequence &+= 1
                try publisher.sendRtp(Self.vp8Packet(sequence, keyframe: sequence == 1), to: call.router, sink: call.sink)
            }
            subscriber.collect(from: call.sink)
            let numbers = MediaRouterEstimationTests.transportNumbers(try MediaRouterEstimationTests.received(subscriber))
            subscriber.received.removeAll()
            if let first = numbers.first {
                let statuses = [TransportFeedbackStatus.receivedSmallDelta(4)]
                    + [TransportFeedbackStatus](repeating: .notReceived, count: numbers.count - 1)
                let report = try RtcpTransportFeedback(
                    senderSsrc: 0x5555, mediaSsrc: 0, baseSequenceNumber: first, referenceTime: Int32(feedbackCount),
                    feedbackPacketCount: feedbackCount, statuses: statuses).bytes()
                feedbackCount &+= 1
                try subscriber.sendRtcp(report, to: call.router, sink: call.sink)
            }
            call.router.handleTimeout(now: Monotonic.now(), sink: call.sink)
            usleep(10_000)
        }
        #expect(call.router.videoPauses == 1)
        #expect(call.router.statistics.subscribers.first?.videoPaused == true)
        subscriber.collect(from: call.sink)
        subscriber.received.removeAll()
        // The publisher's microphone starts now: audio is never held back.
        call.router.addTrack(TrackDescription(
            id: TrackID(2), transport: TransportID(1), kind: .audio, mid: "0", ssrcs: [0x3333],
            payloadType: 111, codecName: "opus", clockRate: 48_000, midExtensionID: nil))
        call.router.subscribe(
            SubscriptionRequest(track: TrackID(2), transport: TransportID(2), ssrc: 0xBBBB, payloadType: 111),
            now: Monotonic.now(), sink: call.sink)
        for index in 0..<5 {
            sequence &+= 1
            try publisher.sendRtp(Self.vp8Packet(sequence, keyframe: false), to: call.router, sink: call.sink)
            try publisher.sendRtp(MediaRouterForwardingTests.audioPacket(UInt16(index)), to: call.router, sink: call.sink)
        }
        subscriber.collect(from: call.sink)
        let received = try MediaRouterEstimationTests.received(subscriber)
        #expect(received.filter { $0.ssrc == 0xABCD }.isEmpty)
        #expect(received.filter { $0.ssrc == 0xBBBB }.count == 5)
        #expect(call.router.drops[.videoPaused] >= 5)
    }

    @Test func aResumedStreamRestartsAtAKeyframeWithNoGap() throws {
        let (call, publisher, subscriber) = try Self.setUp()
        for sequence in UInt16(0)..<3 {
            try publisher.sendRtp(Self.vp8Packet(sequence, keyframe: sequence == 0), to: call.router, sink: call.sink)
        }
        subscriber.collect(from: call.sink)
        let before = try MediaRouterEstimationTests.received(subscriber)
        let last = try #require(before.last)
        subscriber.received.removeAll()
        let subscription = try #require(call.router.transports[TransportID(2)]?.subscribing.subscription(ssrc: 0xABCD))

        subscription.stopLayer()
        for sequence in UInt16(3)..<10 {
            try publisher.sendRtp(Self.vp8Packet(sequence, keyframe: false), to: call.router, sink: call.sink)
        }
        subscription.targetLayer = 0
        for sequence in UInt16(10)..<13 {
            try publisher.sendRtp(Self.vp8Packet(sequence, keyframe: sequence == 12), to: call.router, sink: call.sink)
        }
        try publisher.sendRtp(Self.vp8Packet(13, keyframe: false), to: call.router, sink: call.sink)
        subscriber.collect(from: call.sink)
        let after = try MediaRouterEstimationTests.received(subscriber)
        #expect(after.count == 2, "the keyframe and what follows it")
        #expect(call.router.drops[.awaitingKeyframe] == 2)
        #expect(after.map(\.sequenceNumber) == [last.sequenceNumber &+ 1, last.sequenceNumber &+ 2])
        #expect(after.first.map { $0.timestamp &- last.timestamp > 0 && $0.timestamp &- last.timestamp < 90_000 } == true,
                "the timestamp moves on by the time that passed, not by the source's jump")
        #expect(after.first?.payload.prefix(2) == [0x10, 0x00])
    }
}
