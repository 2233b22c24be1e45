import CUDP
import Foundation
import Testing
@testable import Relay

@Suite struct ForwardingDelayTests {
    @Test func aDelayLandsInTheFirstBucketWhoseBoundHoldsIt() {
        var histogram = ForwardingDelayHistogram()
        let now: UInt64 = 5_000_000_000
        // Queued at these times and sent at `now`; a zero origin (sent by a timer) and one
        // after `now` are not timed.
        let origins: [UInt64] = [now - 10_000, now - 10_001, 0, now - 1_500_000, now - 3_000_000_000, now + 1]
        origins.withUnsafeBufferPointer { histogram.record(origins: $0, at: now) }
        #expect(histogram.counts[0] == 1, "10 µs is within the first bound")
        #expect(histogram.counts[1] == 1, "just over 10 µs is in the 20 µs bucket")
        #expect(histogram.counts[7] == 1, "1.5 ms is in the 2 ms bucket")
        #expect(histogram.counts.last == 1, "over a second is in the last")
        #expect(histogram.count == 4)
        #expect(histogram.sumNanoseconds == 10_000 + 10_001 + 1_500_000 + 3_000_000_000)
        let doubled = histogram + histogram
        #expect(doubled.counts[7] == 2 && doubled.count == 8)
    }

    @Test func oneDelayRecordedAloneLandsWhereABatchWouldPutIt() {
        var single = ForwardingDelayHistogram()
        var batched = ForwardingDelayHistogram()
        let now: UInt64 = 9_000_000_000
        for delay: UInt64 in [0, 10_000, 10_001, 499_999, 1_000_000, 7_000_000, 2_000_000_000] {
            single.record(delay)
            [now - delay].withUnsafeBufferPointer { batched.record(origins: $0, at: now) }
        }
        #expect(single == batched)
        #expect(single.count == 7 && single.counts[0] == 2 && single.counts.last == 1)
    }

    /// What the sink sends in answer to a datagram is timed from that datagram's arrival to the
    /// send; what timers send is not timed at all.
    @Test func theSinkTimesWhatItSendsInAnswerToADatagramOnly() throws {
        let receiver = relay_udp_bind_ipv4(0x7F00_0001, 0)
        let sender = relay_udp_bind_ipv4(0x7F00_0001, 0)
        #expect(receiver >= 0 && sender >= 0)
        defer {
            close(receiver)
            close(sender)
        }
        let destination = TransportAddress.ipv4(127, 0, 0, 1, port: UInt16(relay_udp_local_port(receiver)))
        let sink = BatchingSink(socket: sender)
        let write: (UnsafeMutableRawBufferPointer) -> Int = { buffer in
            buffer[0] = 0x80
            return 20
        }
        sink.send(to: destination, write)
        sink.flush()
        #expect(sink.delays.count == 0, "sent by a timer: no datagram to time it from")

        sink.origin = Monotonic.now() - 30_000_000
        sink.send(to: destination, write)
        sink.send(to: destination, write)
        sink.origin = 0
        sink.send(to: destination, write)
        sink.flush()
        #expect(sink.delays.count == 2, "two copies answered the datagram")
        #expect(sink.delays.sumNanoseconds >= 60_000_000)
        let below30Milliseconds = ForwardingDelayHistogram.upperBoundsNanoseconds.firstIndex(of: 20_000_000) ?? 0
        #expect(sink.delays.counts[0...below30Milliseconds].allSatisfy { $0 == 0 }, "held at least 30 ms: \(sink.delays.counts)")
    }
}
