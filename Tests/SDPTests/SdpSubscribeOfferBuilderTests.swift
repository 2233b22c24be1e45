import Testing
@testable import SDP
import Relay

@Suite struct SdpSubscribeOfferBuilderTests {
    static let vp8 = SdpCodec(payloadType: 96, name: "VP8", clockRate: 90000, rtxPayloadType: 97)
    static let opus = SdpCodec(
        payloadType: 111, name: "opus", clockRate: 48000, channels: 2, formatParameters: "minptime=10;useinbandfec=1")
    static let videoExtensions = [
        SdpHeaderExtension(id: 1, uri: SdpHeaderExtension.mid),
        SdpHeaderExtension(id: 3, uri: SdpHeaderExtension.transportWideCc),
    ]

    static func video(_ ssrc: UInt32, track: String) -> SdpOutgoingTrack {
        SdpOutgoingTrack(
            mid: "", kind: .video, codec: vp8, ssrc: ssrc, rtxSsrc: ssrc + 1, cname: "relay", streamId: "peer-1",
            trackId: track, headerExtensions: videoExtensions)
    }

    static func audio(_ ssrc: UInt32, track: String) -> SdpOutgoingTrack {
        SdpOutgoingTrack(
            mid: "", kind: .audio, codec: opus, ssrc: ssrc, cname: "relay", streamId: "peer-1", trackId: track,
            headerExtensions: [SdpHeaderExtension(id: 1, uri: SdpHeaderExtension.mid)])
    }

    @Test func oneVideoTrack() throws {
        var builder = SubscribeOfferBuilder(local: SdpFixture.relayTransport, sessionId: 99)
        let mid = builder.add(Self.video(1000, track: "cam"))
        #expect(mid == "0")
        let offer = builder.offer()
        #expect(offer.isIceLite)
        #expect(offer.bundleMids == ["0"])
        #expect(offer.origin.sessionVersion == "2")
        let section = try #require(offer.media.first)
        #expect(section.kind == .video && section.port == 40000 && section.formats == ["96", "97"])
        #expect(section.direction == .sendonly)
        #expect(section.setup == .actpass)
        #expect(section.fingerprint == SdpFixture.relayFingerprint)
        #expect(section.iceUfrag == "rlyU")
        #expect(section.isRtcpMux && section.isRtcpReducedSize)
        #expect(section.msid == SdpMsid(streamId: "peer-1", trackId: "cam"))
        #expect(section.codecs == [
            SdpCodec(
                payloadType: 96, name: "VP8", clockRate: 90000,
                feedback: ["nack", "nack pli", "ccm fir", "transport-cc"], rtxPayloadType: 97),
            SdpCodec(payloadType: 97, name: "rtx", clockRate: 90000, formatParameters: "apt=96"),
        ])
        #expect(section.ssrcGroups == [SdpSsrcGroup(semantics: "FID", ssrcs: [1000, 1001])])
        #expect(section.values(of: "ssrc") == [
            "1000 cname:relay", "1000 msid:peer-1 cam", "1001 cname:relay", "1001 msid:peer-1 cam",
        ])
        #expect(section.mediaSsrcs == [1000] && section.rtxSsrcs == [1000: 1001])
        #expect(section.headerExtensions == Self.videoExtensions)
        #expect(section.candidates == [SdpCandidate.host(SdpFixture.relayCandidate)])
        #expect(section.hasEndOfCandidates)
        #expect(try SessionDescription(parsing: offer.serialized()) == offer)
    }

    @Test func threeTracks() throws {
        var builder = SubscribeOfferBuilder(local: SdpFixture.relayTransport, sessionId: 99)
        let mids = [
            builder.add(Self.audio(10, track: "mic")), builder.add(Self.video(20, track: "cam")),
            builder.add(Self.video(30, track: "screen")),
        ]
        #expect(mids == ["0", "1", "2"])
        let offer = builder.offer()
        #expect(offer.bundleMids == ["0", "1", "2"])
        #expect(offer.origin.sessionVersion == "4")
        #expect(offer.media.map(\.kind) == [.audio, .video, .video])
        #expect(offer.media.map(\.direction) == [.sendonly, .sendonly, .sendonly])
        #expect(offer.media[0].codecs.first?.feedback == ["transport-cc"])
        #expect(offer.media[0].formats == ["111"] && !offer.media[0].has("ssrc-group"))
        #expect(offer.media.map(\.mediaSsrcs) == [[10], [20], [30]])
        #expect(offer.media[2].msid?.trackId == "screen")
    }

    @Test func aLeavingTrackKeepsItsSlotForTheNextOfItsKind() throws {
        var builder = SubscribeOfferBuilder(local: SdpFixture.relayTransport, sessionId: 99)
        builder.add(Self.audio(10, track: "mic"))
        builder.add(Self.video(20, track: "cam-a"))
        builder.add(Self.video(30, track: "cam-b"))
        let deactivated = builder.deactivate(mid: "1")
        let deactivatedAgain = builder.deactivate(mid: "1")
        #expect(deactivated && !deactivatedAgain)

        let left = builder.offer()
        #expect(left.media.count == 3)
        let inactive = left.media[1]
        #expect(inactive.direction == .inactive && inactive.port == 40000 && inactive.mid == "1")
        #expect(!inactive.has("ssrc") && !inactive.has("msid"))
        #expect(left.bundleMids == ["0", "1", "2"])

        let reusedMid = builder.add(Self.video(40, track: "cam-c"))
        let newMid = builder.add(Self.audio(50, track: "mic-2"))
        #expect(reusedMid == "1" && newMid == "3")
        let reused = builder.offer()
        #expect(reused.media.map(\.mid) == ["0", "1", "2", "3"])
        #expect(reused.media[1].direction == .sendonly)
        #expect(reused.media[1].mediaSsrcs == [40])
        #expect(reused.media[1].msid?.trackId == "cam-c")
        #expect(Int(reused.origin.sessionVersion) ?? 0 > Int(left.origin.sessionVersion) ?? 0)
    }
}
