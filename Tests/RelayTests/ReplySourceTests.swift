import CUDP
import Foundation
import Testing
@testable import Relay

/// A socket bound to every address answers a peer from the address the peer sent to, not from
/// whichever the kernel's route prefers: on a machine with several addresses a browser drops an
/// answer from one it did not check. 127.0.0.2 is on the loopback interface as well.
@Suite struct ReplySourceTests {
    static let loopback: UInt32 = 0x7F00_0001
    static let secondLoopback: UInt32 = 0x7F00_0002

    /// A client socket on 127.0.0.1 that sends `bytes` to `port` at `address`.
    static func client() throws -> Int32 {
        let socket = relay_udp_bind_ipv4(loopback, 0)
        guard socket >= 0 else { throw POSIXError(.EADDRINUSE) }
        return socket
    }

    static func send(_ bytes: [UInt8], from socket: Int32, to address: UInt32, port: UInt16) {
        let batch = DatagramBatch(capacity: 1)
        batch.append(to: TransportAddress(host: .v4(address), port: port)) { buffer in
            buffer.copyBytes(from: bytes)
            return bytes.count
        }
        batch.send(on: socket)
    }

    /// Waits up to a second for a datagram on `socket` and returns where it came from.
    static func receive(on socket: Int32, into batch: DatagramBatch) -> Int {
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        _ = poll(&descriptor, 1, 1000)
        return batch.receive(from: socket)
    }

    @Test func anAnswerLeavesFromTheAddressTheRequestCameTo() throws {
        let server = relay_udp_bind_ipv4(0, 0)
        #expect(server >= 0)
        #expect(relay_udp_report_destinations(server) == 0)
        defer { close(server) }
        let port = UInt16(relay_udp_local_port(server))
        let client = try Self.client()
        defer { close(client) }
        let clientPort = UInt16(relay_udp_local_port(client))

        Self.send([1, 2, 3], from: client, to: Self.secondLoopback, port: port)
        let received = DatagramBatch(capacity: 4)
        #expect(Self.receive(on: server, into: received) == 1)
        #expect(received.localAddress(at: 0) == Self.secondLoopback)
        let peer = try #require(received.address(at: 0))
        #expect(peer == TransportAddress(host: .v4(Self.loopback), port: clientPort))

        let sources = ReplySources()
        sources.learn(received.localAddress(at: 0), from: peer)
        let answer = DatagramBatch(capacity: 1)
        answer.append(to: peer, from: sources.source(for: peer)) { buffer in
            buffer[0] = 9
            return 1
        }
        #expect(answer.send(on: server) == 1)
        let back = DatagramBatch(capacity: 4)
        #expect(Self.receive(on: client, into: back) == 1)
        #expect(back.address(at: 0) == TransportAddress(host: .v4(Self.secondLoopback), port: port), "from 127.0.0.2, where the request went")
    }

    @Test func aSocketNotAskedForDestinationsReportsNone() throws {
        let server = relay_udp_bind_ipv4(0, 0)
        defer { close(server) }
        let client = try Self.client()
        defer { close(client) }
        Self.send([1], from: client, to: Self.loopback, port: UInt16(relay_udp_local_port(server)))
        let received = DatagramBatch(capacity: 4)
        #expect(Self.receive(on: server, into: received) == 1)
        #expect(received.localAddress(at: 0) == 0)
    }

    @Test func eachPeerIsAnsweredFromTheAddressItUses() {
        let sources = ReplySources()
        let alice = TransportAddress.ipv4(10, 0, 0, 1, port: 5000)
        let bob = TransportAddress.ipv4(10, 0, 0, 2, port: 5000)
        let carol = TransportAddress.ipv4(10, 0, 0, 3, port: 5000)
        #expect(sources.source(for: alice) == 0, "nothing learned: the kernel chooses")
        sources.learn(0xC0A8_0001, from: alice)
        #expect(sources.source(for: bob) == 0xC0A8_0001, "one address seen: every peer is answered from it")
        sources.learn(0x0A00_0064, from: bob)
        #expect(sources.source(for: bob) == 0x0A00_0064)
        #expect(sources.source(for: alice) == 0xC0A8_0001)
        #expect(sources.source(for: carol) == 0xC0A8_0001, "a peer never heard from: the first address")
        sources.learn(0xC0A8_0001, from: bob)
        #expect(sources.source(for: bob) == 0xC0A8_0001, "a peer that moves to another of the machine's addresses")
    }
}
