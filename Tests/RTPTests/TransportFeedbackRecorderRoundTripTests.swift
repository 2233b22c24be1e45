import Testing
@testable import RTP

/// Milliseconds, in the recorder's nanoseconds.
private func ms(_ value: Double) -> UInt64 { UInt64((value * 1_000_000).rounded()) }

/// Round trips through the parser and hostile input.
extension TransportFeedbackRecorderTests {
    static func expectReports(
        _ packets: [RtcpTransportFeedback], _ recorded: [UInt16: UInt64],
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let period: Int64 = (1 << 24) * 64_000_000  // nanoseconds
        var reported: Set<UInt16> = []
        for packet in packets {
            let bytes = try packet.bytes()
            #expect(bytes.count <= Recorder.maxPacketSize, sourceLocation: sourceLocation)
            let parsed = try RtcpTransportFeedback.parse(bytes)
            #expect(parsed == packet, sourceLocation: sourceLocation)
            for received in parsed.receivedPackets {
                reported.insert(received.sequenceNumber)
                guard let arrival = recorded[received.sequenceNumber] else {
                    Issue.record("\(received.sequenceNumber) reported but never recorded", sourceLocation: sourceLocation)
                    continue
                }
                let difference = received.arrivalTime * 1_000 - Int64(arrival)
                let error = ((difference % period) + period + period / 2) % period - period / 2
                #expect(abs(error) <= 125_000, "\(received.sequenceNumber)", sourceLocation: sourceLocation)
            }
        }
        #expect(Set(recorded.keys).subtracting(reported) == [], "recorded, never reported", sourceLocation: sourceLocation)
    }

    @Test(arguments: [UInt64(5_000), UInt64(1_073_700_000)])
    func roundTrips(startMilliseconds: UInt64) throws {
        var generator = MutationGenerator(seed: startMilliseconds)
        var trace: [(sequenceNumber: UInt16, arrival: UInt64)] = []
        for index in 0..<3000 where UInt8.random(in: 0..<20, using: &generator) != 0 {
            // Sent 1 ms apart from 65000 on (across the wrap), up to 3.7 ms of jitter: reordered.
            let arrival = startMilliseconds * 1_000_000 + UInt64(index) * 1_000_000
                + UInt64.random(in: 0...3_700_000, using: &generator)
            trace.append((UInt16(truncatingIfNeeded: 65000 + index), arrival))
            if UInt8.random(in: 0..<100, using: &generator) == 0 {
                trace.append((UInt16(truncatingIfNeeded: 65000 + index), arrival + 300_000))
            }
        }
        trace.sort { $0.arrival < $1.arrival }
        var recorded: [UInt16: UInt64] = [:]
        for (sequenceNumber, arrival) in trace where recorded[sequenceNumber] == nil {
            recorded[sequenceNumber] = arrival
        }
        var recorder = Recorder(senderSsrc: 1)
        let packets = Self.drive(&recorder, trace).map(\.packet)
        #expect(packets.count > 3000 / 50)
        #expect(packets.map(\.feedbackPacketCount) == packets.indices.map { UInt8(truncatingIfNeeded: $0) })
        try Self.expectReports(packets, recorded)
    }

    /// Any numbers in any order at any times: nothing traps, every packet is within bounds and
    /// parses back.
    @Test func hostileInputStaysBounded() throws {
        var generator = MutationGenerator(seed: 7)
        var recorder = Recorder(senderSsrc: 1)
        var now: UInt64 = 0
        var packets = 0
        for step in 0..<4_000 {
            let sequenceNumber: UInt16 = .random(in: 0...UInt16.max, using: &generator)
            let arrival: UInt64 = switch step % 4 {
            case 0: .random(in: 0...UInt64.max, using: &generator)
            case 1: UInt64(Int64.max) - .random(in: 0...1_000_000, using: &generator)
            default: now &+ .random(in: 0...100_000_000, using: &generator)
            }
            recorder.record(sequenceNumber: sequenceNumber, arrival: arrival)
            if step % 3 == 0 {
                now = .random(in: 0...UInt64.max, using: &generator)
                for packet in Self.drain(&recorder, now: now) {
                    packets += 1
                    #expect(packet.statuses.count <= TransportFeedbackHistory.capacity)
                    let bytes = try packet.bytes()
                    #expect(bytes.count <= Recorder.maxPacketSize)
                    #expect(try RtcpTransportFeedback.parse(bytes) == packet)
                }
            }
        }
        #expect(packets > 150)
    }
}
