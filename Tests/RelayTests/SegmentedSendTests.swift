import CUDP
import Foundation
import Testing
@testable import Relay

/// UDP generic segmentation offload: a destination's datagrams of one size leave in one
/// message, which the kernel cuts back into the same datagrams, in the same order.
@Suite struct SegmentedSendTests {
    static let loopback: UInt32 = 0x7F00_0001

    /// A datagram of `length` bytes that says which it is: its destination and its number.
    static func datagram(to destination: UInt8, number: UInt8, length: Int) -> [UInt8] {
        [destination, number] + [UInt8](repeating: number &* 7, count: length - 2)
    }

    /// Everything that arrives on `socket` within a short wait.
    static func drain(_ socket: Int32) -> [[UInt8]] {
        let batch = DatagramBatch(capacity: 32)
        var received: [[UInt8]] = []
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        while poll(&descriptor, 1, 200) > 0 {
            let count = batch.receive(from: socket)
            guard count > 0 else { break }
            for index in 0..<count { received.append(Array(batch.bytes(at: index))) }
        }
        return received
    }

    @Test func eachDestinationGetsItsDatagramsIntactAndInOrderInFewerSends() throws {
        let sender = relay_udp_bind_ipv4(Self.loopback, 0)
        let first = relay_udp_bind_ipv4(Self.loopback, 0)
        let second = relay_udp_bind_ipv4(Self.loopback, 0)
        defer { [sender, first, second].forEach { close($0) } }
        #expect(relay_udp_can_segment(sender) == 1, "this kernel segments UDP")
        let addresses = [first, second].map { TransportAddress(host: .v4(Self.loopback), port: UInt16(relay_udp_local_port($0))) }

        // Interleaved as a fan-out writes them: frames of 1,000-byte packets to both, a shorter
        // last packet to the second, then audio (120 bytes) and more video to the first.
        let plan: [(destination: Int, length: Int)] = [
            (0, 1000), (1, 1000), (0, 1000), (1, 1000), (0, 1000), (1, 1000), (1, 400),
            (0, 120), (0, 1000), (0, 1000), (1, 1000),
        ]
        let batch = DatagramBatch(capacity: 64)
        var numbers = [UInt8](repeating: 0, count: 2)
        var expected: [[[UInt8]]] = [[], []]
        for (destination, length) in plan {
            let bytes = Self.datagram(to: UInt8(destination), number: numbers[destination], length: length)
            numbers[destination] += 1
            expected[destination].append(bytes)
            bytes.withUnsafeBytes { _ = batch.append($0, to: addresses[destination]) }
        }
        let result = batch.sendSegmented(on: sender)
        #expect(result.sent == plan.count)
        #expect(!result.refused)
        // Each destination: three of 1,000 bytes and the shorter one that ends the run (the
        // audio, for the first), then the rest in a second send, after it.
        #expect(result.sends == 4)
        #expect(Self.drain(first) == expected[0])
        #expect(Self.drain(second) == expected[1])
    }

    @Test func aRunStopsAtSixtyFourDatagrams() throws {
        let sender = relay_udp_bind_ipv4(Self.loopback, 0)
        let receiver = relay_udp_bind_ipv4(Self.loopback, 0)
        defer { [sender, receiver].forEach { close($0) } }
        let address = TransportAddress(host: .v4(Self.loopback), port: UInt16(relay_udp_local_port(receiver)))
        let batch = DatagramBatch(capacity: 100)
        var expected: [[UInt8]] = []
        for number in 0..<100 {
            let bytes = Self.datagram(to: 0, number: UInt8(number), length: 200)
            expected.append(bytes)
            bytes.withUnsafeBytes { _ = batch.append($0, to: address) }
        }
        let result = batch.sendSegmented(on: sender)
        #expect(result.sent == 100)
        #expect(result.sends == 2)
        #expect(Self.drain(receiver) == expected)
    }
}
