import Foundation
import Testing
@testable import Relay

@Suite struct WorkerPipeTests {
    static func packet(_ index: Int, length: Int = 100) -> [UInt8] {
        (0..<length).map { UInt8(truncatingIfNeeded: index &* 31 &+ $0) }
    }

    @Test func packetsComeOutInOrderWithTheirTrackLayerAndArrival() {
        let pipe = WorkerPipe(origin: 0, consumer: 1, capacity: 8)
        for index in 0..<5 {
            let bytes = Self.packet(index, length: 60 + index)
            #expect(bytes.withUnsafeBytes { pipe.push($0, track: TrackID(UInt64(40 + index)), layer: index % 3, arrival: UInt64(1_000 * index)) })
        }
        var seen: [(TrackID, Int, UInt64, [UInt8])] = []
        #expect(pipe.drain { seen.append(($0.track, $0.layer, $0.arrival, Array($0.bytes))) } == 5)
        #expect(seen.map(\.0) == (0..<5).map { TrackID(UInt64(40 + $0)) })
        #expect(seen.map(\.1) == [0, 1, 2, 0, 1])
        #expect(seen.map(\.2) == [0, 1_000, 2_000, 3_000, 4_000])
        #expect(seen.map(\.3) == (0..<5).map { Self.packet($0, length: 60 + $0) })
        #expect(pipe.isEmpty)
    }

    @Test func aFullPipeRefusesUntilTheConsumerReadsAndTheSlotsWrapAround() {
        let pipe = WorkerPipe(origin: 0, consumer: 1, capacity: 4)
        var pushed = 0
        for round in 0..<3 {
            for index in 0..<5 {
                let accepted = Self.packet(round * 5 + index).withUnsafeBytes { pipe.push($0, track: TrackID(1), layer: 0, arrival: 0) }
                #expect(accepted == (index < 4), "four slots")
                if accepted { pushed += 1 }
            }
            var bytes: [[UInt8]] = []
            pipe.drain { bytes.append(Array($0.bytes)) }
            #expect(bytes == (0..<4).map { Self.packet(round * 5 + $0) })
        }
        #expect(pushed == 12)
    }

    @Test func aPacketLongerThanADatagramOrEmptyIsRefused() {
        let pipe = WorkerPipe(origin: 0, consumer: 1)
        #expect(![UInt8](repeating: 1, count: WorkerPipe.maximumPacketLength + 1).withUnsafeBytes { pipe.push($0, track: TrackID(1), layer: 0, arrival: 0) })
        #expect(![UInt8]().withUnsafeBytes { pipe.push($0, track: TrackID(1), layer: 0, arrival: 0) })
        #expect(![UInt8](repeating: 1, count: 10).withUnsafeBytes { pipe.push($0, track: TrackID(1), layer: 256, arrival: 0) })
        #expect([UInt8](repeating: 1, count: WorkerPipe.maximumPacketLength).withUnsafeBytes { pipe.push($0, track: TrackID(1), layer: 0, arrival: 0) })
        #expect(pipe.drain { _ in } == 1)
    }

    @Test func pipesShareABudgetThatShrinksEachAsWorkersMultiply() {
        #expect(WorkerPipe.slots(forWorkers: 2) == 1_024)
        #expect(WorkerPipe.slots(forWorkers: 4) == 1_024, "12 pipes of 1.5 MiB: 18 MiB")
        #expect(WorkerPipe.slots(forWorkers: 8) == 512, "56 pipes of 1,024 would pass 64 MiB")
        #expect(WorkerPipe.slots(forWorkers: 64) == 128, "the floor")
        for workers in 2...64 {
            let slots = WorkerPipe.slots(forWorkers: workers)
            #expect(slots & (slots - 1) == 0 && WorkerPipe.slotRange.contains(slots))
            #expect(slots == 128 || workers * (workers - 1) * slots * WorkerPipe.slotSize <= WorkerPipe.planeBudget)
        }
    }

    /// Two threads, as two workers: every packet the producer got in arrives once, in order,
    /// intact, however the two interleave.
    @Test func aProducerAndAConsumerOnTwoThreadsLoseAndReorderNothing() async {
        let pipe = WorkerPipe(origin: 0, consumer: 1, capacity: 64)
        let total = 200_000
        let producer = Thread {
            var index = 0
            while index < total {
                let bytes = Self.packet(index, length: 20 + index % 200)
                if bytes.withUnsafeBytes({ pipe.push($0, track: TrackID(UInt64(index)), layer: 0, arrival: UInt64(index)) }) {
                    index += 1
                }
            }
        }
        producer.start()
        var expected = 0
        var intact = true
        while expected < total {
            pipe.drain { packet in
                intact = intact && packet.track == TrackID(UInt64(expected)) && packet.arrival == UInt64(expected)
                    && packet.bytes.elementsEqual(Self.packet(expected, length: 20 + expected % 200))
                expected += 1
            }
        }
        #expect(intact)
        #expect(expected == total)
        #expect(pipe.isEmpty)
    }
}
