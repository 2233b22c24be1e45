import DTLS
import Testing
@testable import SDP
import Relay

@Suite struct SdpParserTests {
    @Test func chromeOffer() throws {
        let offer = try SdpFixture.offer("chrome-offer")
        #expect(offer.origin.sessionId == "8365819517046884786")
        #expect(offer.bundleMids == ["0", "1"])
        #expect(offer.media.map(\.kind) == [.audio, .video])
        #expect(offer.media.map(\.mid) == ["0", "1"])

        let audio = offer.media[0]
        #expect(audio.iceUfrag == "PBwA")
        #expect(audio.icePwd == "mpIuMQD3B4aQjrXtwy7fFKIe")
        #expect(audio.iceOptions == ["trickle"])
        #expect(audio.fingerprint?.hexDigest.hasPrefix("1B:57:2F:ED") == true)
        #expect(audio.setup == .actpass)
        #expect(audio.direction == .sendonly)
        #expect(audio.isRtcpMux && audio.isRtcpReducedSize)
        let opus = try #require(audio.codecs.first)
        #expect(opus == SdpCodec(
            payloadType: 111, name: "opus", clockRate: 48000, channels: 2,
            formatParameters: "minptime=10;useinbandfec=1", feedback: ["transport-cc"]))
        #expect(audio.codecs.map(\.payloadType) == [111, 63, 9, 0, 8, 13, 110, 126])
        #expect(audio.headerExtensionId(SdpHeaderExtension.audioLevel) == 1)
        #expect(audio.headerExtensionId(SdpHeaderExtension.mid) == 4)
        #expect(audio.mediaSsrcs == [3941458381])
        #expect(audio.cname == "GZzbsJmwXl9zlo+N")
        #expect(audio.msid == SdpMsid(streamId: "-", trackId: "cdd28787-513c-4b7b-a8da-66c10f78d023"))

        let video = offer.media[1]
        let vp8 = try #require(video.codecs.first)
        #expect(vp8.name == "VP8" && vp8.payloadType == 96 && vp8.rtxPayloadType == 97)
        #expect(vp8.feedback == ["goog-remb", "transport-cc", "ccm fir", "nack", "nack pli"])
        let h264 = video.codecs.filter { $0.isNamed("h264") }
        #expect(h264.map(\.payloadType) == [102, 104, 108, 114, 116, 39])
        #expect(h264.map(\.rtxPayloadType) == [103, 107, 109, 115, 117, 40])
        #expect(h264[0].parameters["profile-level-id"] == "42001f")
        #expect(h264[0].parameters["packetization-mode"] == "1")
        #expect(video.codecs.first { $0.isNamed("AV1") }?.rtxPayloadType == 46)
        #expect(video.codecs.first { $0.isNamed("rtx") }?.associatedPayloadType == 96)
        #expect(video.headerExtensionId(SdpHeaderExtension.rtpStreamId) == 10)
        #expect(video.headerExtensionId(SdpHeaderExtension.repairedRtpStreamId) == 11)
        #expect(video.headerExtensionId(SdpHeaderExtension.transportWideCc) == 3)
        #expect(video.mediaSsrcs == [1596424536])
        #expect(video.rtxSsrcs == [1596424536: 757927810])
        #expect(video.rids.isEmpty && video.simulcast == nil)
    }

    @Test func chromeSimulcastOffer() throws {
        let offer = try SdpFixture.offer("chrome-offer-simulcast")
        #expect(offer.media.map(\.kind) == [.video, .audio])
        let video = offer.media[0]
        #expect(video.mid == "0")
        #expect(video.iceUfrag == "Krhu")
        #expect(video.rids == ["q", "h", "f"].map { SdpRid(id: $0, direction: .send) })
        #expect(video.simulcast?.sendRids == ["q", "h", "f"])
        #expect(video.simulcast?.receive.isEmpty == true)
        #expect(video.mediaSsrcs.isEmpty)
        #expect(video.headerExtensionId(SdpHeaderExtension.mid) == 9)
        #expect(video.headerExtensionId(SdpHeaderExtension.rtpStreamId) == 10)
        #expect(offer.media[1].headerExtensionId(SdpHeaderExtension.audioLevel) == 12)
    }

    @Test func firefoxOffer() throws {
        let offer = try SdpFixture.offer("firefox-offer")
        #expect(offer.media.map(\.kind) == [.audio, .video])
        #expect(offer.iceOptions == ["trickle"])
        // Firefox writes the fingerprint once, at session level.
        #expect(offer.media[0].fingerprint == nil)
        #expect(offer.fingerprint?.hexDigest.hasPrefix("26:BB:F6:4A") == true)
        let audio = offer.media[0]
        #expect(audio.iceUfrag == "77c4a827")
        #expect(audio.codecs.first?.formatParameters == "maxplaybackrate=48000;stereo=1;useinbandfec=1")
        #expect(audio.codecs.map(\.payloadType) == [109, 9, 0, 8, 101])
        #expect(audio.codecs[1].channels == 1)
        #expect(audio.headerExtensions.first { $0.id == 2 }?.direction == .recvonly)
        let video = offer.media[1]
        let named = video.codecs.filter { !$0.isRetransmission }.map { "\($0.name):\($0.payloadType):\($0.rtxPayloadType ?? 0)" }
        #expect(named == ["VP8:120:124", "VP9:121:125", "AV1:99:100", "ulpfec:123:0", "red:122:119"])
        #expect(video.headerExtensionId(SdpHeaderExtension.mid) == 3)
        #expect(video.headerExtensionId(SdpHeaderExtension.absSendTime) == 4)
        #expect(video.mediaSsrcs == [59389802])
        #expect(video.rtxSsrcs == [59389802: 1526025591])
    }

    @Test func firefoxSimulcastOffer() throws {
        let offer = try SdpFixture.offer("firefox-offer-simulcast")
        let video = offer.media[0]
        #expect(video.kind == .video && video.mid == "0")
        #expect(video.rids.map(\.id) == ["q", "h", "f"])
        #expect(video.simulcast?.sendRids == ["q", "h", "f"])
        #expect(video.headerExtensions.first { $0.uri == SdpHeaderExtension.rtpStreamId }
            == SdpHeaderExtension(id: 9, direction: .sendonly, uri: SdpHeaderExtension.rtpStreamId))
        // Three layers, each with its RTX, and no SIM group.
        #expect(video.mediaSsrcs == [697994308, 374242057, 3040965447])
        #expect(video.rtxSsrcs[374242057] == 136071777)
    }

    @Test func acceptsLineFeedsAlone() throws {
        for name in SdpFixture.names {
            let text = try SdpFixture.text(name)
            let withLineFeeds = text.replacingOccurrences(of: "\r\n", with: "\n")
            #expect(try SessionDescription(parsing: withLineFeeds) == SessionDescription(parsing: text))
        }
    }

    @Test func keepsUnknownLinesAndAttributes() throws {
        let text = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nb=AS:100\r\nt=0 0\r\na=x-custom:some value\r\n"
            + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nb=TIAS:500000\r\na=x-flag\r\n"
        let description = try SessionDescription(parsing: text)
        #expect(description.otherLines == [SdpLine(type: "b", value: "AS:100")])
        #expect(description.attributes == [SdpAttribute("x-custom", "some value")])
        #expect(description.media[0].otherLines == [SdpLine(type: "b", value: "TIAS:500000")])
        #expect(description.media[0].attributes == [SdpAttribute("x-flag")])
        #expect(description.serialized() == text)
    }

    static let head = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
    static let media = head + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n"

    static let malformed: [(String, String, SdpParseError)] = [
        ("empty", "", .missingVersion),
        ("origin first", "o=- 1 1 IN IP4 0.0.0.0\r\nv=0\r\n", .missingVersion),
        ("version 1", "v=1\r\n", .unsupportedVersion("1")),
        ("line without equals", "v=0\r\nhello\r\n", .lineWithoutEquals(line: 2)),
        ("space before equals", "v=0\r\no =x\r\n", .lineWithoutEquals(line: 2)),
        ("no origin", "v=0\r\ns=-\r\nt=0 0\r\n", .missingOrigin),
        ("media before origin", "v=0\r\nm=audio 9 RTP/AVP 0\r\n", .missingOrigin),
        ("short origin", "v=0\r\no=- 1 1 IN IP4\r\n", .badOrigin(line: 2)),
        ("short connection", head + "c=IN IP4\r\n", .badConnection(line: 5)),
        ("media without port", head + "m=audio\r\n", .badMediaLine(line: 5)),
        ("port out of range", head + "m=audio 70000 RTP/AVP 0\r\n", .badMediaLine(line: 5)),
        ("zero port count", head + "m=audio 9/0 RTP/AVP 0\r\n", .badMediaLine(line: 5)),
        ("empty attribute name", media + "a=:x\r\n", .badAttribute(line: 6)),
        ("rtpmap without clock", media + "a=rtpmap:96 VP8\r\n", .badRtpmap(line: 6)),
        ("rtpmap payload type 200", media + "a=rtpmap:200 VP8/90000\r\n", .badRtpmap(line: 6)),
        ("fmtp without payload type", media + "a=fmtp:abc apt=96\r\n", .badFmtp(line: 6)),
        ("rtcp-fb without value", media + "a=rtcp-fb:96\r\n", .badRtcpFeedback(line: 6)),
        ("extmap id 0", media + "a=extmap:0 urn:x\r\n", .badExtmap(line: 6)),
        ("extmap bad direction", media + "a=extmap:1/sideways urn:x\r\n", .badExtmap(line: 6)),
        ("fingerprint bad digest", media + "a=fingerprint:sha-256 ZZ:00\r\n", .badFingerprint(line: 6)),
        ("setup unknown", media + "a=setup:both\r\n", .badSetup(line: 6)),
        ("empty mid", media + "a=mid:\r\n", .badMid(line: 6)),
        ("ssrc not a number", media + "a=ssrc:abc cname:x\r\n", .badSsrc(line: 6)),
        ("ssrc-group without sources", media + "a=ssrc-group:FID\r\n", .badSsrcGroup(line: 6)),
        ("rid bad direction", media + "a=rid:q sideways\r\n", .badRid(line: 6)),
        ("simulcast without list", media + "a=simulcast:send\r\n", .badSimulcast(line: 6)),
        ("candidate bad port", media + "a=candidate:1 1 udp 1 192.0.2.1 port typ host\r\n", .badCandidate(line: 6)),
    ]

    @Test(arguments: malformed)
    func rejectsMalformed(_ name: String, _ text: String, _ expected: SdpParseError) {
        #expect(throws: expected, "\(name)") { try SessionDescription(parsing: text) }
    }

    @Test func toleratesOtherHashFunctions() throws {
        let description = try SessionDescription(parsing: Self.media + "a=fingerprint:sha-512 AB:CD\r\n")
        #expect(description.media[0].fingerprint == nil)
    }

    /// A description padded with one long attribute to exactly `size` bytes.
    static func padded(to size: Int) -> String {
        let overhead = head.utf8.count + "a=x-padding:\r\n".utf8.count
        return head + "a=x-padding:" + String(repeating: "p", count: size - overhead) + "\r\n"
    }

    @Test func refusesMoreThan64KiB() throws {
        let text = Self.padded(to: 65 * 1024)
        #expect(throws: SdpParseError.tooLarge(bytes: 65 * 1024)) { try SessionDescription(parsing: text) }
        let justOver = Self.padded(to: SessionDescription.maximumSize + 1)
        #expect(throws: SdpParseError.tooLarge(bytes: 64 * 1024 + 1)) { try SessionDescription(parsing: justOver) }
        let fits = try SessionDescription(parsing: Self.padded(to: SessionDescription.maximumSize))
        #expect(fits.attributes.count == 1)
    }
}
