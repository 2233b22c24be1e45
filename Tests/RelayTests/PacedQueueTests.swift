import RTP
import Testing
@testable import Relay

@Suite struct PacedQueueTests {
    static func packet(_ index: Int, subscription: Subscription) -> (PacedPacket, [UInt8]) {
        let bytes = [UInt8](repeating: UInt8(index & 0xFF), count: 100 + index % 900)
        let header = RtpHeader(
            marker: false, payloadType: 96, sequenceNumber: UInt16(index), timestamp: 0, ssrc: 1, payloadRange: 12..<bytes.count)
        return (PacedPacket(
            subscription: subscription, header: header, layer: 0, marks: PacketMarks(startsKeyframe: false), received: UInt64(index),
            arrival: UInt64(index)), bytes)
    }

    static func subscription() throws -> Subscription {
        let call = try MediaRouterTests.makeCall()
        let peer = try PeerTransport(
            id: TransportID(9), localCredentials: .random(), remoteCredentials: .random(), dtlsContext: call.router.dtlsContext,
            remoteFingerprint: call.relayCertificate.fingerprint)
        let transport = RoutedTransport(peer: peer, relaySsrc: 1)
        return Subscription(track: TrackID(1), subscriber: transport, ssrc: 2, payloadType: 96, clockRate: 90_000)
    }

    @Test func packetsComeOutInOrderWithTheirBytesAcrossGrowthAndWrapping() throws {
        let subscription = try Self.subscription()
        let queue = PacedQueue()
        var next = 0
        var expected = 0
        // Push 30, take 20, push 100 (grows while wrapped), take all.
        for (push, take) in [(30, 20), (100, 110)] {
            for _ in 0..<push {
                let (packet, bytes) = Self.packet(next, subscription: subscription)
                #expect(bytes.withUnsafeBytes { queue.push(packet, bytes: $0) })
                next += 1
            }
            for _ in 0..<take {
                var seen: (Int, [UInt8])?
                queue.popFirst { packet, bytes in seen = (Int(packet.header.sequenceNumber), Array(bytes)) }
                let (index, bytes) = try #require(seen)
                #expect(index == expected)
                #expect(bytes == Self.packet(expected, subscription: subscription).1)
                expected += 1
            }
        }
        #expect(queue.isEmpty && queue.bytes == 0)
    }

    @Test func aFullQueueRefusesMore() throws {
        let subscription = try Self.subscription()
        let queue = PacedQueue()
        for index in 0..<PacedQueue.capacity {
            let (packet, bytes) = Self.packet(index, subscription: subscription)
            #expect(bytes.withUnsafeBytes { queue.push(packet, bytes: $0) })
        }
        let (packet, bytes) = Self.packet(0, subscription: subscription)
        #expect(!bytes.withUnsafeBytes { queue.push(packet, bytes: $0) })
        #expect(queue.count == PacedQueue.capacity)
        let tooLarge = [UInt8](repeating: 0, count: PacedQueue.slotSize + 1)
        queue.removeAll()
        #expect(!tooLarge.withUnsafeBytes { queue.push(packet, bytes: $0) })
    }
}
