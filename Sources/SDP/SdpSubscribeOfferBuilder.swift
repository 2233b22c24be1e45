import Relay
/// Writes the relay's offer for a subscribe connection, on which the relay sends and the
/// client receives, and keeps its m-line slots across renegotiations.
///
/// Slots are never removed (RFC 8829 §5.2.2): a track that leaves turns its slot `inactive`,
/// and the next track of the same kind takes the first inactive slot, keeping its mid. Every
/// change increases the `o=` session version (RFC 8866 §5.2). The relay offers
/// `a=setup:actpass`; browsers answer `active`, which keeps the relay the DTLS server.
public struct SubscribeOfferBuilder: Sendable {
    public var local: SdpLocalTransport
    public let sessionId: UInt64
    public private(set) var sessionVersion: UInt64
    public private(set) var slots: [SdpOutgoingTrack]

    public init(local: SdpLocalTransport, sessionId: UInt64, slots: [SdpOutgoingTrack] = []) {
        self.local = local
        self.sessionId = sessionId
        self.sessionVersion = 1
        self.slots = slots
    }

    /// Places `track` in the first inactive slot of its kind, or in a new slot, and returns the
    /// mid it was given (the `mid` of `track` is ignored).
    @discardableResult
    public mutating func add(_ track: SdpOutgoingTrack) -> String {
        var track = track
        track.isActive = true
        if let index = slots.firstIndex(where: { !$0.isActive && $0.kind == track.kind }) {
            track.mid = slots[index].mid
            slots[index] = track
        } else {
            track.mid = nextMid()
            slots.append(track)
        }
        sessionVersion += 1
        return track.mid
    }

    /// Turns the slot with `mid` inactive; returns false when there is no such active slot.
    @discardableResult
    public mutating func deactivate(mid: String) -> Bool {
        guard let index = slots.firstIndex(where: { $0.mid == mid && $0.isActive }) else { return false }
        slots[index].isActive = false
        sessionVersion += 1
        return true
    }

    /// New ICE credentials for an ICE restart; the next offer carries them, with a new version.
    public mutating func restartIce(with credentials: IceCredentials) {
        local.iceUfrag = credentials.ufrag
        local.icePwd = credentials.pwd
        sessionVersion += 1
    }

    /// The offer for the current slots.
    public func offer() -> SessionDescription {
        let attributes = [
            SdpAttribute("ice-lite"),
            SdpAttribute("group", (["BUNDLE"] + slots.map(\.mid)).joined(separator: " ")),
            SdpAttribute("msid-semantic", " WMS *"),
        ]
        return SessionDescription(
            origin: SdpOrigin(sessionId: String(sessionId), sessionVersion: String(sessionVersion)),
            attributes: attributes, media: slots.map(section))
    }

    private func section(for slot: SdpOutgoingTrack) -> MediaDescription {
        var codec = slot.codec
        if codec.feedback.isEmpty { codec.feedback = SdpOutgoingTrack.defaultFeedback(for: slot.kind) }
        let rtx = codec.retransmissionCodec()

        var attributes = local.transportAttributes(setup: .actpass)
        attributes.append(SdpAttribute("mid", slot.mid))
        attributes += slot.headerExtensions.map { SdpAttribute("extmap", $0.sdpValue) }
        attributes.append(SdpAttribute(slot.isActive ? SdpDirection.sendonly.rawValue : SdpDirection.inactive.rawValue))
        let msid = SdpMsid(streamId: slot.streamId, trackId: slot.trackId).sdpValue
        if slot.isActive { attributes.append(SdpAttribute("msid", msid)) }
        attributes.append(SdpAttribute("rtcp-mux"))
        attributes.append(SdpAttribute("rtcp-rsize"))
        attributes += codec.attributes
        if let rtx { attributes += rtx.attributes }
        if slot.isActive {
            // Source attributes (RFC 5576 §4): the FID group tells the client which SSRC
            // carries retransmissions of which (RFC 4588 §8.7).
            var sources = [slot.ssrc]
            if let rtxSsrc = slot.rtxSsrc, rtx != nil {
                attributes.append(SdpAttribute("ssrc-group", SdpSsrcGroup(semantics: "FID", ssrcs: [slot.ssrc, rtxSsrc]).sdpValue))
                sources.append(rtxSsrc)
            }
            for ssrc in sources {
                attributes.append(SdpAttribute("ssrc", SdpSsrcAttribute(ssrc: ssrc, attribute: "cname", value: slot.cname).sdpValue))
                attributes.append(SdpAttribute("ssrc", SdpSsrcAttribute(ssrc: ssrc, attribute: "msid", value: msid).sdpValue))
            }
        }
        attributes += local.candidateAttributes

        let formats = [codec.payloadType] + (rtx.map { [$0.payloadType] } ?? [])
        return MediaDescription(
            kind: slot.kind, port: local.port, formats: formats.map(String.init), connection: local.connection,
            attributes: attributes)
    }

    /// The smallest non-negative integer not yet used as a mid.
    private func nextMid() -> String {
        let used = Set(slots.map(\.mid))
        var candidate = 0
        while used.contains(String(candidate)) { candidate += 1 }
        return String(candidate)
    }
}
