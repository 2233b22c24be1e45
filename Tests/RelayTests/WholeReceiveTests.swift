import CUDP
import DTLS
import Foundation
import Testing
@testable import Relay

/// UDP GRO: a socket that asks takes a peer's segmented send as one datagram of all its
/// segments, and the worker cuts it back into the datagrams that were sent.
@Suite struct WholeReceiveTests {
    static let loopback: UInt32 = 0x7F00_0001

    /// Sends `datagrams` to `port` on loopback in one segmented send from a new socket.
    static func sendSegmented(_ datagrams: [[UInt8]], toPort port: UInt16) -> (sent: Int, sends: Int) {
        let sender = relay_udp_bind_ipv4(loopback, 0)
        defer { close(sender) }
        let address = TransportAddress(host: .v4(loopback), port: port)
        let batch = DatagramBatch(capacity: datagrams.count)
        for datagram in datagrams { datagram.withUnsafeBytes { _ = batch.append($0, to: address) } }
        let result = batch.sendSegmented(on: sender)
        return (result.sent, result.sends)
    }

    @Test func aSegmentedSendArrivesInOneSlotWithItsSegmentLength() throws {
        let receiver = relay_udp_bind_ipv4(Self.loopback, 0)
        defer { close(receiver) }
        #expect(relay_udp_receive_whole(receiver) == 0, "this kernel takes segmented sends whole")
        let datagrams = (0..<5).map { [UInt8](repeating: UInt8($0), count: 300) } + [[UInt8](repeating: 9, count: 120)]
        #expect(Self.sendSegmented(datagrams, toPort: UInt16(relay_udp_local_port(receiver))) == (6, 1))

        let batch = DatagramBatch(capacity: 8, bytesPerSlot: DatagramBatch.wholeSlotCapacity)
        var descriptor = pollfd(fd: receiver, events: Int16(POLLIN), revents: 0)
        #expect(poll(&descriptor, 1, 1000) == 1)
        #expect(batch.receive(from: receiver) == 1, "the six datagrams in one slot")
        #expect(Array(batch.bytes(at: 0)) == datagrams.flatMap { $0 })
        #expect(batch.segmentLength(at: 0) == 300)
    }

    @Test func aDatagramOnItsOwnHasNoSegmentLength() throws {
        let receiver = relay_udp_bind_ipv4(Self.loopback, 0)
        defer { close(receiver) }
        #expect(relay_udp_receive_whole(receiver) == 0)
        #expect(Self.sendSegmented([[UInt8](repeating: 1, count: 200)], toPort: UInt16(relay_udp_local_port(receiver))).sent == 1)
        let batch = DatagramBatch(capacity: 8, bytesPerSlot: DatagramBatch.wholeSlotCapacity)
        var descriptor = pollfd(fd: receiver, events: Int16(POLLIN), revents: 0)
        #expect(poll(&descriptor, 1, 1000) == 1)
        #expect(batch.receive(from: receiver) == 1)
        #expect(batch.bytes(at: 0).count == 200)
        #expect(batch.segmentLength(at: 0) == 0)
    }

    @Test func theWorkerHandlesEachDatagramOfASegmentedSend() async throws {
        let certificate = try DtlsCertificate.generate()
        let router = MediaRouter(dtlsContext: try DtlsContext(role: .server, certificate: certificate), onEvent: { _ in })
        let worker = try MediaWorker(port: 0, listenAddress: Self.loopback, router: router)
        worker.start(name: "relay-media-gro")
        defer { worker.stop() }
        // Seven datagrams of no kind the relay knows (first byte 0xFF), the last shorter, and one
        // of 1,600 bytes: each is judged on its own.
        let unknown = (0..<6).map { [0xFF, UInt8($0)] + [UInt8](repeating: 0, count: 298) } + [[0xFF, 6, 0, 0]]
        #expect(Self.sendSegmented(unknown, toPort: worker.port).sends == 1)
        #expect(Self.sendSegmented([[UInt8](repeating: 0xFF, count: 1600)], toPort: worker.port).sent == 1)
        var drops = DropCounters()
        for _ in 0..<50 {
            drops = await worker.statistics().drops
            if drops[.unknownKind] >= 7 && drops[.oversizedDatagram] >= 1 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(drops[.unknownKind] == 7)
        #expect(drops[.oversizedDatagram] == 1)
        #expect(drops[.truncatedDatagram] == 0)
    }
}
