import Foundation
import Testing
@testable import Relay

/// Every STUN datagram the relay does not act on is counted, including those whose USERNAME
/// names a real transport and so get past the router to its ICE agent.
@Suite struct MediaRouterStunDropTests {
    @Test func refusedStunOnARealTransportIsCounted() throws {
        let call = try MediaRouterTests.makeCall()
        let browser = try MediaRouterTests.join(call, id: 1, address: .ipv4(10, 0, 0, 1, port: 5000))
        let router = call.router
        let stranger = TransportAddress.ipv4(10, 9, 9, 9, port: 1)
        let ufrag = browser.relayCredentials.ufrag
        func inject(_ bytes: [UInt8], from address: TransportAddress = stranger) {
            var copy = bytes
            copy.withUnsafeMutableBytes { router.handleDatagram($0, from: address, now: Monotonic.now(), sink: call.sink) }
        }
        func request(_ username: String, key: String?, fingerprint: Bool = true, attributes: [StunAttribute] = []) -> [UInt8] {
            StunMessage(.request, .binding, transactionId: .random(), attributes: [.username(username)] + attributes)
                .encoded(integrityKey: key.map { Array($0.utf8) }, fingerprint: fingerprint)
        }
        let before = router.drops

        // The real ufrags and a wrong integrity; the wrong remote ufrag; no integrity at all.
        inject(request("\(ufrag):\(browser.credentials.ufrag)", key: "not the relay's password at all"))
        inject(request("\(ufrag):someone-else", key: browser.relayCredentials.pwd))
        inject(request("\(ufrag):\(browser.credentials.ufrag)", key: nil))
        // No FINGERPRINT, which ICE requires.
        inject(request("\(ufrag):\(browser.credentials.ufrag)", key: browser.relayCredentials.pwd, fingerprint: false))
        // A valid check claiming the controlled role, from the browser's validated address.
        inject(request("\(ufrag):\(browser.credentials.ufrag)", key: browser.relayCredentials.pwd, attributes: [.iceControlled(1)]),
               from: browser.address)
        // A binding indication from the validated address: nothing to answer.
        inject(StunMessage(.indication, .binding, transactionId: .random(), attributes: []).encoded(fingerprint: true), from: browser.address)
        // A USERNAME that names no transport never reaches one.
        inject(request("nobody:\(browser.credentials.ufrag)", key: "whatever password it is"))

        let after = router.drops
        #expect(after[.stunBadCredentials] - before[.stunBadCredentials] == 3)
        #expect(after[.malformedStun] - before[.malformedStun] == 1)
        #expect(after[.stunRefused] - before[.stunRefused] == 2)
        #expect(after[.unauthenticatedStun] - before[.unauthenticatedStun] == 1)
        #expect(after.total - before.total == 7)

        // A valid check is no drop.
        inject(request("\(ufrag):\(browser.credentials.ufrag)", key: browser.relayCredentials.pwd), from: browser.address)
        #expect(router.drops.total == after.total)
    }

    @Test func everyRefusalHasALabel() {
        let refusals: [StunRefusal] = [
            .malformed, .badFingerprint, .notBindingRequest, .missingCredentials, .unknownUsername, .badIntegrity,
            .unknownAttributes, .roleConflict, .transportClosed,
        ]
        let labels = Set(refusals.map(\.dropReason.label))
        #expect(labels == ["malformed_stun", "stun_bad_credentials", "stun_refused"])
    }
}
