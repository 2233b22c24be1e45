import Testing
@testable import SDP
import Relay

@Suite struct SubscribeNegotiationTests {
    static let opusFromFirefox = SdpCodec(
        payloadType: 109, name: "opus", clockRate: 48000, channels: 2, formatParameters: "maxplaybackrate=48000;stereo=1;useinbandfec=1",
        feedback: ["transport-cc"])
    static let vp8FromFirefox = SdpCodec(
        payloadType: 120, name: "VP8", clockRate: 90000, formatParameters: "max-fs=12288;max-fr=60",
        feedback: ["nack", "nack pli", "ccm fir", "goog-remb"], rtxPayloadType: 124)

    static func track(_ id: UInt64, owner: String = "ada", kind: SdpMediaKind) -> ForwardedTrack {
        ForwardedTrack(
            id: TrackID(id), owner: owner, kind: kind, codec: kind == .audio ? opusFromFirefox : vp8FromFirefox,
            cname: owner, streamId: owner, trackId: "\(owner)-\(id)")
    }

    func negotiation() -> SubscribeNegotiation {
        SubscribeNegotiation(
            transport: TransportID(7), local: SdpFixture.relayTransport,
            localCredentials: IceCredentials.random(), sessionId: 11)
    }

    static func nextOffer(_ negotiation: inout SubscribeNegotiation) throws -> SessionDescription {
        let offer = negotiation.nextOffer()
        return try #require(offer)
    }

    func answer(to offer: SessionDescription, rejecting rejected: Set<String> = []) -> SessionDescription {
        SdpSubscribeAnswerTests().answer(to: offer, setup: "active", rejecting: rejected)
    }

    @Test func noTracksNoOffer() {
        var negotiation = negotiation()
        #expect(negotiation.nextOffer() == nil)
    }

    @Test func theFirstAnswerCreatesTheTransportAndStartsEveryAcceptedTrack() throws {
        var negotiation = negotiation()
        negotiation.add(Self.track(1, kind: .audio))
        negotiation.add(Self.track(2, kind: .video))
        let offer = try Self.nextOffer(&negotiation)
        #expect(offer.media.map(\.mid) == ["0", "1"])
        #expect(negotiation.isAwaitingAnswer)

        let change = try negotiation.handleAnswer(answer(to: offer))
        #expect(change.newTransport?.iceUfrag == "cli")
        #expect(change.start.map(\.track) == [TrackID(1), TrackID(2)])
        #expect(change.stop.isEmpty)
        let ssrcs = offer.media.map { $0.attributes.values("ssrc").first?.split(separator: " ").first.flatMap { UInt32($0) } }
        #expect(change.start.map(\.ssrc) == ssrcs.compactMap { $0 }, "each track is sent with the SSRC its section announced")
    }

    @Test func payloadTypesAreTheRelaysOwnWhateverThePublisherUsed() throws {
        var negotiation = negotiation()
        negotiation.add(Self.track(1, kind: .audio))
        negotiation.add(Self.track(2, kind: .video))
        let offer = try Self.nextOffer(&negotiation)
        #expect(offer.media[0].formats == ["111"])
        #expect(offer.media[1].formats == ["96", "97"])
        #expect(offer.media[1].attributes.values("fmtp").contains("96 max-fs=12288;max-fr=60"))
        #expect(offer.media[1].attributes.values("fmtp").contains("97 apt=96"))
        let change = try negotiation.handleAnswer(answer(to: offer))
        #expect(change.start.map(\.payloadType) == [111, 96])
    }

    @Test func offersTheRelaysHeaderExtensionsAndRetransmissionStreams() throws {
        var negotiation = negotiation()
        negotiation.add(Self.track(1, kind: .audio))
        negotiation.add(Self.track(2, kind: .video))
        let offer = try Self.nextOffer(&negotiation)
        let audioExtensions = offer.media[0].headerExtensions.map { "\($0.id) \($0.uri)" }
        let videoExtensions = offer.media[1].headerExtensions.map { "\($0.id) \($0.uri)" }
        #expect(audioExtensions == [
            "1 \(SdpHeaderExtension.audioLevel)", "2 \(SdpHeaderExtension.absSendTime)",
            "3 \(SdpHeaderExtension.transportWideCc)",
        ])
        #expect(videoExtensions == ["2 \(SdpHeaderExtension.absSendTime)", "3 \(SdpHeaderExtension.transportWideCc)"])
        #expect(offer.media.allSatisfy { $0.attributes.values("rtcp-fb").contains { $0.hasSuffix(" transport-cc") } })

        let change = try negotiation.handleAnswer(answer(to: offer))
        let video = try #require(change.start.first { $0.track == TrackID(2) })
        let group = try #require(offer.media[1].attributes.values("ssrc-group").first)
        #expect(group == "FID \(video.ssrc) \(try #require(video.rtxSsrc))", "RTX goes on the SSRC the FID group names")
        #expect(video.rtxPayloadType == 97)
        #expect(change.start.first { $0.track == TrackID(1) }?.rtx == nil, "audio has no retransmission stream")
    }

    @Test func changesDuringAnOutstandingOfferWaitForItsAnswer() throws {
        var negotiation = negotiation()
        negotiation.add(Self.track(1, kind: .audio))
        let first = try Self.nextOffer(&negotiation)
        negotiation.add(Self.track(2, kind: .video))
        #expect(negotiation.nextOffer() == nil, "one offer at a time")

        let change = try negotiation.handleAnswer(answer(to: first))
        #expect(change.start.map(\.track) == [TrackID(1)])
        let second = try Self.nextOffer(&negotiation)
        #expect(second.media.count == 2)
        #expect(Int(second.origin.sessionVersion) ?? 0 > Int(first.origin.sessionVersion) ?? 0)

        let secondChange = try negotiation.handleAnswer(answer(to: second))
        #expect(secondChange.newTransport == nil, "the transport is created once")
        #expect(secondChange.start.map(\.track) == [TrackID(2)], "tracks already sent are not started again")
    }

    @Test func aRemovedTrackStopsAndItsSlotIsReused() throws {
        var negotiation = negotiation()
        negotiation.add(Self.track(1, kind: .video))
        _ = try negotiation.handleAnswer(answer(to: try Self.nextOffer(&negotiation)))

        negotiation.remove(track: TrackID(1))
        let removal = try Self.nextOffer(&negotiation)
        #expect(removal.media.first?.attributes.contains("inactive") == true)
        #expect(try negotiation.handleAnswer(answer(to: removal)).stop == [TrackID(1)])

        negotiation.add(Self.track(3, owner: "bo", kind: .video))
        let reuse = try Self.nextOffer(&negotiation)
        #expect(reuse.media.count == 1, "the inactive slot is reused")
        #expect(negotiation.tracks["0"]?.owner == "bo")
        #expect(try negotiation.handleAnswer(answer(to: reuse)).start.map(\.track) == [TrackID(3)])
    }

    @Test func aRejectedSectionIsNotSent() throws {
        var negotiation = negotiation()
        negotiation.add(Self.track(1, kind: .audio))
        negotiation.add(Self.track(2, kind: .video))
        let offer = try Self.nextOffer(&negotiation)
        let change = try negotiation.handleAnswer(answer(to: offer, rejecting: ["1"]))
        #expect(change.start.map(\.track) == [TrackID(1)])
    }

    @Test func anAnswerWithoutAnOfferIsRefused() throws {
        var negotiation = negotiation()
        negotiation.add(Self.track(1, kind: .audio))
        let offer = try Self.nextOffer(&negotiation)
        let reply = answer(to: offer)
        _ = try negotiation.handleAnswer(reply)
        #expect(throws: SdpNegotiationError.noOutstandingOffer) { try negotiation.handleAnswer(reply) }
    }

    @Test func formatParametersWithForeignCharactersAreDropped() {
        var hostile = Self.track(1, kind: .video)
        hostile.codec.formatParameters = "max-fs=1\r\na=candidate:evil"
        #expect(hostile.outgoingCodec.formatParameters == nil)
        #expect(Self.track(2, kind: .video).outgoingCodec.formatParameters == "max-fs=12288;max-fr=60")
    }
}
