import Foundation
import RTP
import Testing
@testable import Relay

/// Video to a subscriber leaves at most `SubscribeLeg.pacingFactor` times faster than its
/// estimate (300 kbit/s before the estimator has learned anything): a burst waits in the
/// subscriber's queue and leaves as the budget allows; audio never waits.
@Suite struct MediaRouterPacingTests {
    typealias Call = MediaRouterTests.Call

    /// A paced video call whose subscriber has sent its first feedback (the estimate starts).
    static func pacedCall(withAudio: Bool = false) throws -> (Call, SimulatedBrowser, SimulatedBrowser) {
        let call = try MediaRouterTests.makeCall(pacesVideo: true)
        let publisher = try MediaRouterTests.join(call, id: 1, address: .ipv4(10, 0, 0, 1, port: 5000))
        let subscriber = try MediaRouterTests.join(call, id: 2, address: .ipv4(10, 0, 0, 2, port: 6000))
        MediaRouterTests.publishVideo(call, from: 1)
        let now = Monotonic.now()
        call.router.subscribe(
            SubscriptionRequest(track: TrackID(1), transport: TransportID(2), ssrc: 0xABCD, payloadType: 96), now: now,
            sink: call.sink)
        if withAudio {
            call.router.addTrack(TrackDescription(
                id: TrackID(2), transport: TransportID(1), kind: .audio, mid: "0", ssrcs: [0x3333],
                payloadType: 111, clockRate: 48_000, midExtensionID: nil, audioLevelExtensionID: 1))
            call.router.subscribe(
                SubscriptionRequest(track: TrackID(2), transport: TransportID(2), ssrc: 0xBBBB, payloadType: 111), now: now,
                sink: call.sink)
        }
        _ = try MediaRouterForwardingTests.forward(
            1, from: 0, call: call, publisher: publisher, subscriber: subscriber, lostIndices: [], feedbackCount: 0)
        return (call, publisher, subscriber)
    }

    /// Runs the router's timers from `start` until its paced queues are empty, and returns
    /// when each datagram reached `subscriber`.
    static func release(_ call: Call, to subscriber: SimulatedBrowser, from start: UInt64) -> [(time: UInt64, bytes: [UInt8])] {
        var arrivals: [(time: UInt64, bytes: [UInt8])] = []
        var now = start
        for _ in 0..<10_000 {
            guard let leg = call.router.transports[TransportID(2)]?.subscribing, !leg.pacedQueue.isEmpty else { break }
            now = max(now + 100_000, call.router.nextTimeout ?? now)
            call.router.handleTimeout(now: now, sink: call.sink)
            for datagram in call.sink.take(for: subscriber.address) { arrivals.append((now, datagram)) }
        }
        return arrivals
    }

    @Test func aBurstOfVideoLeavesAtThePacingRateInOrder() throws {
        let (call, publisher, subscriber) = try Self.pacedCall()
        let start = Monotonic.now()
        for sequence in UInt16(1)...40 {
            try publisher.sendRtp(MediaRouterTests.videoPacket(sequence), to: call.router, sink: call.sink, at: start)
        }
        let atOnce = call.sink.take(for: subscriber.address)
        #expect(atOnce.count <= 2, "the burst allowance is 10 ms at the pacing rate: under two of these packets")
        let later = Self.release(call, to: subscriber, from: start)
        #expect(atOnce.count + later.count == 40)
        #expect(call.router.forwardedPackets == 41)
        #expect(call.router.pacedPackets == UInt64(40 - atOnce.count))

        // 750 kbit/s: 2.5 times the 300 kbit/s estimate (the drain rate, a queue emptied in
        // 0.5 s, is lower here).
        let bits = later.reduce(0) { $0 + ($1.bytes.count + SubscribeLeg.datagramOverhead) * 8 }
        let expected = Double(bits) / 750_000
        let took = Double(try #require(later.last).time - start) / 1e9
        #expect(took > expected * 0.8 && took < expected * 1.25, "\(took) s for \(bits) bits")

        for datagram in atOnce + later.map(\.bytes) { subscriber.receive(datagram) }
        let packets = try MediaRouterEstimationTests.received(subscriber).filter { $0.ssrc == 0xABCD }.suffix(40)
        let numbers = packets.map(\.sequenceNumber)
        #expect(zip(numbers, numbers.dropFirst()).allSatisfy { $1 == $0 &+ 1 }, "no gap, nothing reordered")
        #expect(packets.map { $0.payload[2] } == (1...40).map { UInt8($0 & 0x7F) })
        let transportNumbers = MediaRouterEstimationTests.transportNumbers(Array(packets))
        #expect(zip(transportNumbers, transportNumbers.dropFirst()).allSatisfy { $1 == $0 &+ 1 })
    }

    /// What the pacing budget held is the subscriber's path's wait, kept apart from the time
    /// the relay itself held a packet: the sink is told the packet arrived as late as it waited.
    @Test func aWaitForThePacingBudgetIsTimedApartFromTheRelaysHold() throws {
        let (call, publisher, subscriber) = try Self.pacedCall()
        let start = Monotonic.now()
        for sequence in UInt16(1)...20 {
            try publisher.sendRtp(MediaRouterTests.videoPacket(sequence), to: call.router, sink: call.sink, at: start)
        }
        let atOnce = call.sink.take(for: subscriber.address)
        #expect(call.sink.origins.isEmpty, "what went at once is timed from the arrival the worker set")
        #expect(call.router.pacingWaits.count == 0)
        let later = Self.release(call, to: subscriber, from: start)
        #expect(atOnce.count + later.count == 20)
        // Each waited from its arrival at `start` to the pass that let it go.
        #expect(call.sink.origins.map(\.origin) == later.map(\.time))
        #expect(call.router.pacingWaits.count == UInt64(later.count))
        #expect(call.router.pacingWaits.sumNanoseconds == later.reduce(0) { $0 + ($1.time - start) })
        let longest = try #require(later.last).time - start
        #expect(longest > 50_000_000, "20 packets at 750 kbit/s take longer than 50 ms: \(longest) ns")
        let bucket = try #require(ForwardingDelayHistogram.upperBoundsNanoseconds.firstIndex { $0 >= longest })
        #expect(call.router.pacingWaits.counts[bucket] >= 1, "the last waited \(longest) ns")
        #expect(call.router.statistics.pacingWait == call.router.pacingWaits)
    }

    @Test func videoThatWaitsTellsTheSocketLoopWhenItMayGo() throws {
        let (call, publisher, subscriber) = try Self.pacedCall()
        let start = Monotonic.now()
        // What the socket loop waits for after a pass over the timers, before the burst.
        let next = try #require(call.router.handleTimeout(now: start, sink: call.sink))
        _ = call.sink.take(for: subscriber.address)
        #expect(call.router.takeInputDeadline() == nil)
        for sequence in UInt16(1)...20 {
            try publisher.sendRtp(MediaRouterTests.videoPacket(sequence), to: call.router, sink: call.sink, at: start)
        }
        let leg = try #require(call.router.transports[TransportID(2)]?.subscribing)
        let release = try #require(leg.pacingDeadline, "the burst waits")
        #expect(release < next, "the waiting video is due before anything the loop waited for")
        let noted = try #require(call.router.takeInputDeadline())
        #expect(noted <= release)
        #expect(call.router.takeInputDeadline() == nil, "taken once")
    }

    @Test func audioOvertakesVideoWaitingForTheBudget() throws {
        let (call, publisher, subscriber) = try Self.pacedCall(withAudio: true)
        let start = Monotonic.now()
        for sequence in UInt16(1)...20 {
            try publisher.sendRtp(MediaRouterTests.videoPacket(sequence), to: call.router, sink: call.sink, at: start)
        }
        _ = call.sink.take(for: subscriber.address)
        try publisher.sendRtp(MediaRouterForwardingTests.audioPacket(1), to: call.router, sink: call.sink, at: start + 1_000_000)
        subscriber.collect(from: call.sink)
        let audio = try MediaRouterEstimationTests.received(subscriber).filter { $0.ssrc == 0xBBBB }
        #expect(audio.count == 1, "audio goes at once, ahead of the waiting video")
        #expect(call.router.transports[TransportID(2)]?.subscribing.pacedQueue.count ?? 0 > 10)
        #expect(Self.release(call, to: subscriber, from: start + 1_000_000).count > 10)
    }

    @Test func videoGoesAsItComesUntilTheSubscriberSendsFeedback() throws {
        let call = try MediaRouterTests.makeCall(pacesVideo: true)
        let publisher = try MediaRouterTests.join(call, id: 1, address: .ipv4(10, 0, 0, 1, port: 5000))
        let subscriber = try MediaRouterTests.join(call, id: 2, address: .ipv4(10, 0, 0, 2, port: 6000))
        MediaRouterTests.publishVideo(call, from: 1)
        call.router.subscribe(
            SubscriptionRequest(track: TrackID(1), transport: TransportID(2), ssrc: 0xABCD, payloadType: 96),
            now: Monotonic.now(), sink: call.sink)
        for sequence in UInt16(0)..<40 {
            try publisher.sendRtp(MediaRouterTests.videoPacket(sequence), to: call.router, sink: call.sink)
        }
        #expect(call.sink.take(for: subscriber.address).count == 40)
    }

    @Test func aFullQueueDropsWhatItHasNoRoomFor() throws {
        let (call, publisher, subscriber) = try Self.pacedCall()
        let start = Monotonic.now()
        let burst = PacedQueue.capacity + 20
        for index in 1...burst {
            try publisher.sendRtp(MediaRouterTests.videoPacket(UInt16(index)), to: call.router, sink: call.sink, at: start)
        }
        let atOnce = call.sink.take(for: subscriber.address).count
        #expect(call.router.drops[.pacingQueueFull] == UInt64(burst - atOnce - PacedQueue.capacity))
        // The pacing rate rises so that nothing waits much over half a second.
        let later = Self.release(call, to: subscriber, from: start)
        #expect(later.count == PacedQueue.capacity)
        let took = Double(try #require(later.last).time - start) / 1e9
        #expect(took > 0.45 && took < 0.55, "\(took) s")
    }

    @Test func videoOfASubscriptionThatEndedWhileItWaitedIsNotSent() throws {
        let (call, publisher, subscriber) = try Self.pacedCall()
        let start = Monotonic.now()
        for sequence in UInt16(1)...20 {
            try publisher.sendRtp(MediaRouterTests.videoPacket(sequence), to: call.router, sink: call.sink, at: start)
        }
        _ = call.sink.take(for: subscriber.address)
        call.router.unsubscribe(track: TrackID(1), transport: TransportID(2))
        #expect(Self.release(call, to: subscriber, from: start).isEmpty)
    }
}
