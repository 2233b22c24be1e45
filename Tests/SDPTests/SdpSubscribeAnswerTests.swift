import DTLS
import Testing
@testable import SDP
import Relay

@Suite struct SdpSubscribeAnswerTests {
    static let clientFingerprint = CertificateFingerprint(digest: Array(repeating: 0xAB, count: 32))

    func offer() -> SessionDescription {
        var builder = SubscribeOfferBuilder(local: SdpFixture.relayTransport, sessionId: 5)
        builder.add(SdpSubscribeOfferBuilderTests.audio(10, track: "mic"))
        builder.add(SdpSubscribeOfferBuilderTests.video(20, track: "cam"))
        return builder.offer()
    }

    /// An answer shaped like a browser's: same sections, its own transport, `setup` as given.
    func answer(to offer: SessionDescription, setup: String?, rejecting rejected: Set<String> = []) -> SessionDescription {
        var answer = offer
        answer.attributes = [SdpAttribute("group", "BUNDLE 0 1")]
        answer.media = offer.media.map { section in
            var section = section
            let mid = section.mid ?? ""
            if rejected.contains(mid) {
                section.port = 0
                section.attributes = [SdpAttribute("mid", mid)]
                return section
            }
            section.port = 9
            section.attributes = [
                SdpAttribute("ice-ufrag", "cli"), SdpAttribute("ice-pwd", "clientpasswordclientpass"),
                SdpAttribute("fingerprint", Self.clientFingerprint.sdpValue), SdpAttribute("mid", mid),
                SdpAttribute("recvonly"), SdpAttribute("rtcp-mux"),
            ] + (setup.map { [SdpAttribute("setup", $0)] } ?? [])
            return section
        }
        return answer
    }

    @Test func readsAnActiveAnswer() throws {
        let offer = offer()
        let text = answer(to: offer, setup: "active").serialized()
        let result = try SdpSubscribeAnswer(parsing: SessionDescription(parsing: text), offer: offer)
        #expect(result.remote == SdpRemoteTransport(
            iceUfrag: "cli", icePwd: "clientpasswordclientpass", fingerprint: Self.clientFingerprint, setup: .active))
        #expect(result.acceptedMids == ["0", "1"])
        #expect(result.isAccepted(mid: "1"))
    }

    @Test func noSetupMeansActive() throws {
        let offer = offer()
        let result = try SdpSubscribeAnswer(parsing: answer(to: offer, setup: nil), offer: offer)
        #expect(result.remote.setup == .active)
    }

    @Test func reportsRejectedSections() throws {
        let offer = offer()
        let result = try SdpSubscribeAnswer(parsing: answer(to: offer, setup: "active", rejecting: ["0"]), offer: offer)
        #expect(result.acceptedMids == ["1"] && result.rejectedMids == ["0"])
        #expect(!result.isAccepted(mid: "0"))
    }

    @Test func refusesAPassiveClient() {
        let offer = offer()
        #expect(throws: SdpNegotiationError.incompatibleSetupRole(.passive)) {
            try SdpSubscribeAnswer(parsing: answer(to: offer, setup: "passive"), offer: offer)
        }
    }

    @Test func refusesAnswersThatDoNotMatchTheOffer() {
        let offer = offer()
        var missing = answer(to: offer, setup: "active")
        missing.media.removeLast()
        #expect(throws: SdpNegotiationError.mediaSectionsMismatch) { try SdpSubscribeAnswer(parsing: missing, offer: offer) }
        var swapped = answer(to: offer, setup: "active")
        swapped.media.swapAt(0, 1)
        #expect(throws: SdpNegotiationError.mediaSectionsMismatch) { try SdpSubscribeAnswer(parsing: swapped, offer: offer) }
        #expect(throws: SdpNegotiationError.noAcceptedMedia) {
            try SdpSubscribeAnswer(parsing: answer(to: offer, setup: "active", rejecting: ["0", "1"]), offer: offer)
        }
    }
}
