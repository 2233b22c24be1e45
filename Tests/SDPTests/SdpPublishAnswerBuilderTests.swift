import DTLS
import Testing
@testable import SDP
import Relay

@Suite struct SdpPublishAnswerBuilderTests {
    let builder = PublishAnswerBuilder(local: SdpFixture.relayTransport, sessionId: 7)

    /// Checks what every answer must hold, whatever the browser.
    func checkCommon(_ result: SdpPublishAnswer, offer: SessionDescription) throws {
        let answer = result.answer
        #expect(answer.isIceLite)
        #expect(answer.origin.sessionId == "7")
        #expect(answer.media.count == offer.media.count)
        #expect(answer.media.map(\.mid) == offer.media.map(\.mid))
        #expect(answer.media.map(\.kind) == offer.media.map(\.kind))
        #expect(answer.bundleMids == result.media.map(\.mid))
        for section in answer.media where !section.isRejected {
            #expect(section.port == 40000)
            #expect(section.connection == SdpConnection(address: "192.0.2.10"))
            #expect(section.direction == .recvonly)
            #expect(section.setup == .passive)
            #expect(section.iceUfrag == "rlyU" && section.icePwd == "relaypasswordrelaypassword")
            #expect(section.fingerprint == SdpFixture.relayFingerprint)
            #expect(section.isRtcpMux)
            #expect(section.candidates == [SdpCandidate.host(SdpFixture.relayCandidate)])
            #expect(section.values(of: "candidate") == ["1 1 udp 2130706431 192.0.2.10 40000 typ host"])
            #expect(section.hasEndOfCandidates)
            #expect(!section.has("msid") && !section.has("ssrc"))

            let offered = try #require(offer.media(mid: section.mid ?? ""))
            #expect(section.isRtcpReducedSize == offered.isRtcpReducedSize)
            let offeredCodecs = Dictionary(uniqueKeysWithValues: offered.codecs.map { ($0.payloadType, $0) })
            for codec in section.codecs {
                let original = try #require(offeredCodecs[codec.payloadType])
                #expect(codec.name == original.name && codec.clockRate == original.clockRate)
                #expect(codec.formatParameters == original.formatParameters)
                #expect(codec.rtxPayloadType == original.rtxPayloadType)
                #expect(Set(codec.feedback).isSubset(of: Set(original.feedback)))
            }
            for ext in section.headerExtensions {
                #expect(SdpRelayCapabilities.standard.headerExtensions.contains(ext.uri))
                #expect(offered.headerExtensionId(ext.uri) == ext.id)
            }
            // One congestion-control feedback per section, never both.
            let congestion = SdpCongestionFeedback(choosingFor: offered)
            let offeredSupported = offered.headerExtensions.filter {
                SdpRelayCapabilities.standard.headerExtensions.contains($0.uri) && $0.direction != .recvonly
                    && congestion.allows(headerExtension: $0.uri)
            }
            let feedback = Set(section.codecs.flatMap(\.feedback))
            #expect(!(feedback.contains("transport-cc") && feedback.contains("goog-remb")))
            #expect(section.headerExtensions.map(\.uri) == offeredSupported.map(\.uri))
        }
        #expect(try SessionDescription(parsing: answer.serialized()) == answer)
    }

    @Test func answersChrome() throws {
        let offer = try SdpFixture.offer("chrome-offer")
        let result = try builder.answer(to: offer)
        try checkCommon(result, offer: offer)
        let audio = result.answer.media[0]
        #expect(audio.formats == ["111"])
        #expect(audio.codecs.first?.formatParameters == "minptime=10;useinbandfec=1")
        #expect(audio.codecs.first?.feedback == ["transport-cc"])
        // abs-send-time is left out: the relay's feedback is transport-wide, and it stamps
        // its own send time toward subscribers.
        #expect(audio.headerExtensions.map(\.id) == [1, 3, 4])
        let video = result.answer.media[1]
        #expect(video.formats == ["96", "97", "102", "103", "108", "109", "116", "117", "45", "46", "98", "99", "100", "101"])
        #expect(video.headerExtensions.map(\.id) == [3, 4, 10, 11])
        // REMB is not answered: the relay gives transport-wide feedback, never a REMB.
        #expect(video.codecs.first?.feedback == ["transport-cc", "ccm fir", "nack", "nack pli"])
        #expect(video.codecs.filter { $0.isNamed("H264") }.allSatisfy { $0.parameters["packetization-mode"] == "1" })
        #expect(result.answer.bundleMids == ["0", "1"])

        #expect(result.remote == SdpRemoteTransport(
            iceUfrag: "PBwA", icePwd: "mpIuMQD3B4aQjrXtwy7fFKIe", fingerprint: try #require(offer.media[0].fingerprint),
            setup: .actpass, iceOptions: ["trickle"]))
        let published = try #require(result.media(mid: "1"))
        #expect(published.kind == .video)
        #expect(published.preferredCodec?.payloadType == 96 && published.preferredCodec?.rtxPayloadType == 97)
        #expect(published.ssrcs == [1596424536] && published.rtxSsrcs == [1596424536: 757927810])
        #expect(published.headerExtensionId(SdpHeaderExtension.transportWideCc) == 3)
        #expect(published.rids.isEmpty)
        #expect(result.media(mid: "0")?.ssrcs == [3941458381])
        #expect(result.media(mid: "0")?.cname == "GZzbsJmwXl9zlo+N")
    }

    @Test func answersChromeSimulcast() throws {
        let offer = try SdpFixture.offer("chrome-offer-simulcast")
        let result = try builder.answer(to: offer)
        try checkCommon(result, offer: offer)
        let video = result.answer.media[0]
        #expect(video.rids == ["q", "h", "f"].map { SdpRid(id: $0, direction: .recv) })
        #expect(video.value(of: "simulcast") == "recv q;h;f")
        #expect(video.headerExtensionId(SdpHeaderExtension.rtpStreamId) == 10)
        #expect(result.media(mid: "0")?.rids == ["q", "h", "f"])
        #expect(result.media(mid: "0")?.ssrcs == [])
        #expect(result.media(mid: "1")?.headerExtensionId(SdpHeaderExtension.audioLevel) == 12)
        #expect(result.remote.iceUfrag == "Krhu")
    }

    @Test func answersAiortcWithRembAndAbsSendTime() throws {
        let offer = try SdpFixture.offer("aiortc-offer")
        let result = try builder.answer(to: offer)
        try checkCommon(result, offer: offer)
        let video = result.answer.media[1]
        // No transport-wide sequence number offered: the relay estimates the path itself and
        // tells the sender in REMB, from the abs-send-time of each packet.
        #expect(video.headerExtensions.map(\.uri) == [SdpHeaderExtension.mid, SdpHeaderExtension.absSendTime])
        #expect(video.codecs.first?.feedback == ["nack", "nack pli", "goog-remb"])
        let published = try #require(result.media(mid: "1"))
        let track = try #require(published.trackDescription(id: TrackID(1), transport: TransportID(1)))
        #expect(track.absSendTimeExtensionID == 3 && track.transportSequenceNumberExtensionID == nil)
        // Audio offers neither: it gets no congestion feedback of its own.
        #expect(result.answer.media[0].headerExtensions.map(\.uri) == [SdpHeaderExtension.mid, SdpHeaderExtension.audioLevel])
    }

    @Test func aChromeTrackCarriesTheTransportWideIdAndNoAbsSendTime() throws {
        let result = try builder.answer(to: try SdpFixture.offer("chrome-offer"))
        let track = try #require(result.media(mid: "1")?.trackDescription(id: TrackID(1), transport: TransportID(1)))
        #expect(track.transportSequenceNumberExtensionID == 3 && track.absSendTimeExtensionID == nil)
    }

    @Test func answersFirefox() throws {
        let offer = try SdpFixture.offer("firefox-offer")
        let result = try builder.answer(to: offer)
        try checkCommon(result, offer: offer)
        #expect(result.answer.media[0].formats == ["109"])
        #expect(result.answer.media[0].headerExtensions.map(\.id) == [1, 3, 7])
        #expect(result.answer.media[1].formats == ["120", "124", "121", "125", "99", "100"])
        #expect(result.remote.fingerprint == offer.fingerprint)
        #expect(result.remote.iceUfrag == "77c4a827")
        #expect(result.remote.iceOptions == ["trickle"])
        #expect(result.media(mid: "1")?.codecs.map(\.name) == ["VP8", "VP9", "AV1"])
    }

    @Test func acceptsTheBundleOnlySectionsOfFirefoxMaxBundle() throws {
        let offer = try SdpFixture.offer("firefox-offer-max-bundle")
        #expect(offer.media[1].port == 0, "Firefox gives the second section no port of its own")
        #expect(!offer.media[1].isRejected)
        let result = try builder.answer(to: offer)
        #expect(result.rejectedMids.isEmpty)
        #expect(result.media.map(\.mid) == ["0", "1"])
        #expect(result.answer.media.allSatisfy { $0.port == SdpFixture.relayCandidate.port })
        #expect(result.answer.bundleMids == ["0", "1"])
        #expect(result.media(mid: "1")?.ssrcs == [4_259_651_210])
        #expect(result.media(mid: "1")?.preferredCodec?.name == "VP8")
    }

    @Test func answersFirefoxSimulcast() throws {
        let offer = try SdpFixture.offer("firefox-offer-simulcast")
        let result = try builder.answer(to: offer)
        try checkCommon(result, offer: offer)
        let video = result.answer.media[0]
        #expect(video.value(of: "simulcast") == "recv q;h;f")
        #expect(video.rids.map(\.direction) == [.recv, .recv, .recv])
        // Offered sendonly, answered recvonly (RFC 8285 §7).
        #expect(video.headerExtensions.first { $0.uri == SdpHeaderExtension.rtpStreamId }
            == SdpHeaderExtension(id: 9, direction: .recvonly, uri: SdpHeaderExtension.rtpStreamId))
        #expect(result.media(mid: "0")?.ssrcs == [697994308, 374242057, 3040965447])
    }

    @Test func rejectsDataChannelAndUnsupportedCodecs() throws {
        var offer = try SdpFixture.offer("chrome-offer")
        var g722Only = offer.media[0]
        g722Only.formats = ["9"]
        g722Only.attributes = g722Only.attributes.map { $0.name == "mid" ? SdpAttribute("mid", "2") : $0 }
        offer.media.append(g722Only)
        offer.media.append(MediaDescription(
            kind: .application, port: 9, proto: "UDP/DTLS/SCTP", formats: ["webrtc-datachannel"],
            connection: .placeholder, attributes: [SdpAttribute("mid", "3"), SdpAttribute("sctp-port", "5000")]))
        offer.attributes = offer.attributes.map { $0.name == "group" ? SdpAttribute("group", "BUNDLE 0 1 2 3") : $0 }

        let result = try builder.answer(to: offer)
        try checkCommon(result, offer: offer)
        #expect(result.rejectedMids == ["2", "3"])
        #expect(result.answer.media.map(\.port) == [40000, 40000, 0, 0])
        #expect(result.answer.media[3].formats == ["webrtc-datachannel"])
        #expect(result.answer.bundleMids == ["0", "1"])
    }

    @Test func recvonlyOfferIsAnsweredInactive() throws {
        var offer = try SdpFixture.offer("chrome-offer")
        offer.media[0].attributes = offer.media[0].attributes.map { $0.name == "sendonly" ? SdpAttribute("recvonly") : $0 }
        let result = try builder.answer(to: offer)
        #expect(result.answer.media[0].direction == .inactive)
        #expect(result.answer.media[1].direction == .recvonly)
    }

    @Test func refusesWhatTheRelayCannotNegotiate() throws {
        var passive = try SdpFixture.offer("chrome-offer")
        passive.media = passive.media.map { section in
            var section = section
            section.attributes = section.attributes.map { $0.name == "setup" ? SdpAttribute("setup", "passive") : $0 }
            return section
        }
        #expect(throws: SdpNegotiationError.incompatibleSetupRole(.passive)) { try builder.answer(to: passive) }

        var noFingerprint = try SdpFixture.offer("firefox-offer")
        noFingerprint.attributes.removeAll { $0.name == "fingerprint" }
        #expect(throws: SdpNegotiationError.missingFingerprint) { try builder.answer(to: noFingerprint) }

        var noCredentials = try SdpFixture.offer("chrome-offer")
        noCredentials.media[0].attributes.removeAll { $0.name == "ice-pwd" }
        #expect(throws: SdpNegotiationError.missingIceCredentials) { try builder.answer(to: noCredentials) }

        var nothingUsable = try SdpFixture.offer("chrome-offer")
        nothingUsable.media = nothingUsable.media.map { section in
            var section = section
            section.port = 0
            return section
        }
        #expect(throws: SdpNegotiationError.noAcceptedMedia) { try builder.answer(to: nothingUsable) }
    }
}
