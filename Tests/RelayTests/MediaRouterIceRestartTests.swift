import Foundation
import RTP
import Testing
@testable import Relay

/// An ICE restart through the router: the subscriber changes networks, the restart gives both
/// ends new credentials, checks from the new address find the transport by its new ufrag, and
/// media follows there on the same DTLS association and SRTP keys.
@Suite struct MediaRouterIceRestartTests {
    @Test func aRestartedTransportKeepsItsKeysAndFollowsThePeerToItsNewAddress() throws {
        let (call, publisher, subscriber) = try MediaRouterTests.videoCall()
        try publisher.sendRtp(MediaRouterTests.videoPacket(1), to: call.router, sink: call.sink)
        subscriber.collect(from: call.sink)
        #expect(subscriber.received.count == 1)

        // The subscriber's Wi-Fi is gone; it comes back from another address with new
        // credentials, and so does the relay's end.
        let oldUfrag = subscriber.relayCredentials.ufrag
        let relayCredentials = IceCredentials.random()
        subscriber.credentials = IceCredentials.random()
        call.router.execute(.restartIce(TransportID(2), local: relayCredentials, remote: subscriber.credentials), now: Monotonic.now(), sink: call.sink)
        #expect(Set(call.router.transportsByUfrag.filter { $0.value.id == TransportID(2) }.keys) == [oldUfrag, relayCredentials.ufrag])
        subscriber.relayCredentials = relayCredentials
        let oldAddress = subscriber.address
        subscriber.address = .ipv4(10, 0, 1, 2, port: 7000)

        subscriber.deliver(subscriber.bindingRequest(), to: call.router, sink: call.sink)
        let sent = call.sink.take(for: subscriber.address).compactMap { try? StunMessage.parse($0) }
        #expect(sent.map(\.messageClass) == [.successResponse, .request], "answered, and checked back before media moves")
        let check = try #require(sent.last)
        #expect(check.username == "\(subscriber.credentials.ufrag):\(relayCredentials.ufrag)")
        let answer = StunMessage(.successResponse, .binding, transactionId: check.transactionId, attributes: [.xorMappedAddress(subscriber.address)])
            .encoded(integrityKey: Array(subscriber.credentials.pwd.utf8), fingerprint: true)
        // Seconds have passed since the subscription's own keyframe request.
        call.router.tracks[TrackID(1)]?.layers[0].lastKeyframeRequest = nil
        publisher.collect(from: call.sink)
        publisher.receivedRtcp.removeAll()
        subscriber.deliver(answer, to: call.router, sink: call.sink)
        // The subscriber lost what was sent into the gap: its publisher is asked for a keyframe.
        publisher.collect(from: call.sink)
        #expect(MediaRouterTests.reports(publisher.receivedRtcp).contains {
            if case .pictureLossIndication(let pli) = $0 { pli.mediaSsrc == 0x1111 } else { false }
        })

        for sequence in UInt16(2)...UInt16(4) {
            try publisher.sendRtp(MediaRouterTests.videoPacket(sequence), to: call.router, sink: call.sink)
        }
        #expect(call.sink.take(for: oldAddress).isEmpty, "nothing more to the address that went away")
        subscriber.collect(from: call.sink)
        let sequences = try subscriber.received.map { try RtpHeader.parse($0).sequenceNumber }
        #expect(sequences.count == 4, "decrypted with the keys of the first handshake")
        #expect(zip(sequences, sequences.dropFirst()).allSatisfy { $1 == $0 &+ 1 })
        #expect(call.log.all.filter { $0 == .transportConnected(TransportID(2)) }.count == 1, "no second DTLS handshake")
        #expect(call.router.statistics.iceRestarts == 1)
        #expect(call.router.statistics.pathMoves == 1)
    }

    @Test func aPublisherWhosePathMovedIsAskedForAKeyframeAtOnce() throws {
        let (call, publisher, _) = try MediaRouterTests.videoCall()
        try publisher.sendRtp(MediaRouterTests.videoPacket(1), to: call.router, sink: call.sink)
        publisher.collect(from: call.sink)
        publisher.receivedRtcp.removeAll()

        // The publisher moves; the subscription's own request a moment ago does not hold this one
        // back, as it went to the old address.
        publisher.address = .ipv4(10, 0, 1, 1, port: 7000)
        publisher.deliver(publisher.bindingRequest(), to: call.router, sink: call.sink)
        let check = try #require(call.sink.take(for: publisher.address).compactMap { try? StunMessage.parse($0) }.last)
        #expect(check.messageClass == .request)
        let answer = StunMessage(.successResponse, .binding, transactionId: check.transactionId, attributes: [.xorMappedAddress(publisher.address)])
            .encoded(integrityKey: Array(publisher.credentials.pwd.utf8), fingerprint: true)
        publisher.deliver(answer, to: call.router, sink: call.sink)
        publisher.collect(from: call.sink)
        let plis = MediaRouterTests.reports(publisher.receivedRtcp).filter {
            if case .pictureLossIndication(let pli) = $0 { pli.mediaSsrc == 0x1111 } else { false }
        }
        #expect(plis.count == 1)
    }
}
