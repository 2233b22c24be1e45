import Foundation
import Relay
import SDP
import Testing
@testable import Web

/// ICE restarts through signaling: a publish offer with new credentials is answered with new
/// ones of the relay's, and `restart-ice` brings a subscribe offer with new credentials; the
/// transports, their DTLS association and the tracks stay.
@Suite(.serialized) struct SfuIceRestartTests {
    static func answers(_ connection: RecordingConnection) -> [SessionDescription] {
        connection.messages.compactMap { if case .answer(let sdp) = $0 { try? SessionDescription(parsing: sdp) } else { nil } }
    }

    /// The credentials and fingerprint of a description's first section.
    static func transport(_ description: SessionDescription) -> (ufrag: String?, pwd: String?, fingerprint: String?) {
        let section = description.media.first
        return (section?.iceUfrag, section?.value(of: "ice-pwd"), section?.value(of: "fingerprint"))
    }

    /// `sdp` with the client's ICE credentials replaced, as after `restartIce()` in a browser.
    static func withCredentials(_ sdp: String, ufrag: String, pwd: String) -> String {
        sdp.replacingOccurrences(of: #"a=ice-ufrag:[^\r\n]+"#, with: "a=ice-ufrag:\(ufrag)", options: .regularExpression)
            .replacingOccurrences(of: #"a=ice-pwd:[^\r\n]+"#, with: "a=ice-pwd:\(pwd)", options: .regularExpression)
    }

    @Test func aPublishOfferWithNewCredentialsIsAnsweredWithNewOnesOnTheSameTransport() async throws {
        let (registry, media) = try SfuSignalingTests.makeRegistry()
        defer { media.stop() }
        let ada = RecordingConnection()
        await registry.handle(.join(.init(room: "r", name: "Ada", mode: .sfu)), from: ada)
        let offer = try SfuSignalingTests.fixture("chrome-offer")
        await registry.handle(.publish(sdp: offer), from: ada)
        await registry.handle(.publish(sdp: Self.withCredentials(offer, ufrag: "nEw1", pwd: "anewpasswordforthisclient")), from: ada)
        #expect(SfuSignalingTests.errors(ada).isEmpty)

        let answers = Self.answers(ada)
        #expect(answers.count == 2)
        let (first, second) = (Self.transport(answers[0]), Self.transport(answers[1]))
        #expect(second.ufrag != nil && second.ufrag != first.ufrag, "RFC 8839 §4.4.1.1.1: the answer restarts too")
        #expect(second.pwd != nil && second.pwd != first.pwd)
        #expect(second.fingerprint == first.fingerprint, "the DTLS association is kept")
        #expect(answers[1].media.filter { $0.port != 0 }.count == 2, "both tracks still accepted")
        let statistics = await media.statistics()
        #expect(statistics.transports == 1 && statistics.tracks == 2, "the same transport and tracks")

        // A renegotiation with the same credentials is no restart: the relay's stay.
        await registry.handle(.publish(sdp: Self.withCredentials(offer, ufrag: "nEw1", pwd: "anewpasswordforthisclient")), from: ada)
        #expect(Self.transport(Self.answers(ada)[2]).ufrag == second.ufrag)
    }

    @Test func restartIceBringsASubscribeOfferWithNewCredentialsAndTheSameTracks() async throws {
        let (registry, media) = try SfuSignalingTests.makeRegistry()
        defer { media.stop() }
        let ada = RecordingConnection()
        let bo = RecordingConnection()
        await registry.handle(.join(.init(room: "r", name: "Ada", mode: .sfu)), from: ada)
        await registry.handle(.join(.init(room: "r", name: "Bo", mode: .sfu)), from: bo)
        // Before Bo ever answered there is no subscribe transport to restart: nothing happens.
        await registry.handle(.restartIce, from: bo)
        #expect(SfuSignalingTests.offers(bo).isEmpty && SfuSignalingTests.errors(bo).isEmpty)

        await registry.handle(.publish(sdp: try SfuSignalingTests.fixture("chrome-offer")), from: ada)
        let first = try #require(SfuSignalingTests.offers(bo).first)
        await registry.handle(.answer(sdp: try SfuSignalingTests.answer(to: first.sdp)), from: bo)

        await registry.handle(.restartIce, from: bo)
        let offers = SfuSignalingTests.offers(bo)
        #expect(offers.count == 2)
        let restart = try #require(offers.last)
        let (before, after) = (Self.transport(try SessionDescription(parsing: first.sdp)), Self.transport(try SessionDescription(parsing: restart.sdp)))
        #expect(after.ufrag != before.ufrag && after.pwd != before.pwd)
        #expect(after.fingerprint == before.fingerprint)
        #expect(restart.tracks == first.tracks)
        let firstVersion = try SessionDescription(parsing: first.sdp).origin.sessionVersion
        #expect(try SessionDescription(parsing: restart.sdp).origin.sessionVersion != firstVersion, "a changed offer has a new version")

        let answer = Self.withCredentials(try SfuSignalingTests.answer(to: restart.sdp), ufrag: "bo22", pwd: "bosnewpasswordafterrestart")
        await registry.handle(.answer(sdp: answer), from: bo)
        #expect(SfuSignalingTests.errors(bo).isEmpty)
        let statistics = await media.statistics()
        #expect(statistics.transports == 2 && statistics.subscriptions == 2, "no transport or subscription was replaced")

        // Credentials that break RFC 8839 are refused, and the connection lives on.
        await registry.handle(.restartIce, from: bo)
        let third = try #require(SfuSignalingTests.offers(bo).last)
        await registry.handle(.answer(sdp: Self.withCredentials(try SfuSignalingTests.answer(to: third.sdp), ufrag: "b", pwd: "short")), from: bo)
        #expect(SfuSignalingTests.errors(bo) == ["negotiation-failed"])
    }

    @Test func restartIceOutsideAnSfuRoomIsRefused() async throws {
        let (registry, media) = try SfuSignalingTests.makeRegistry()
        defer { media.stop() }
        let bo = RecordingConnection()
        await registry.handle(.join(.init(room: "direct", name: "Bo", mode: .p2p)), from: bo)
        await registry.handle(.restartIce, from: bo)
        #expect(SfuSignalingTests.errors(bo) == ["not-available"])
    }
}
