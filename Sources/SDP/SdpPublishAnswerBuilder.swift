import Relay
/// Answers the offer of a publish connection, on which the client sends and the relay only
/// receives (RFC 8829 §5.3, RFC 3264 §6).
///
/// Each offered section is answered in place, with its mid: audio and video the relay can
/// forward are accepted `recvonly` with the offer's payload types, parameters and header
/// extension ids; anything else is rejected with port 0 (RFC 8843 §7.3.3). The relay is
/// ICE-lite and the DTLS server (`a=setup:passive`).
public struct PublishAnswerBuilder: Sendable {
    public var local: SdpLocalTransport
    public var capabilities: SdpRelayCapabilities
    public var sessionId: UInt64

    public init(local: SdpLocalTransport, capabilities: SdpRelayCapabilities = .standard, sessionId: UInt64) {
        self.local = local
        self.capabilities = capabilities
        self.sessionId = sessionId
    }

    /// Answers `offer`. `version` is the answer's `o=` session version, increased by the caller
    /// for each renegotiation (RFC 8866 §5.2).
    public func answer(to offer: SessionDescription, version: UInt64 = 1) throws(SdpNegotiationError) -> SdpPublishAnswer {
        var sections: [MediaDescription] = []
        var published: [SdpPublishedMedia] = []
        var rejectedMids: [String] = []
        var transport: SdpRemoteTransport?

        for offered in offer.media {
            guard let accepted = accept(offered, in: offer) else {
                sections.append(rejection(of: offered))
                if let mid = offered.mid { rejectedMids.append(mid) }
                continue
            }
            if transport == nil {
                transport = try SdpRemoteTransport(section: offered, in: offer)
            }
            sections.append(accepted.section)
            published.append(accepted.media)
        }
        guard let transport else { throw .noAcceptedMedia }
        guard transport.setup == .actpass || transport.setup == .active else {
            throw .incompatibleSetupRole(transport.setup)
        }

        var attributes = [SdpAttribute("ice-lite")]
        let offeredBundle = offer.bundleMids
        if !offeredBundle.isEmpty {
            // Only accepted sections stay in the group (RFC 8843 §7.3.3).
            let acceptedMids = Set(published.map(\.mid))
            let bundle = offeredBundle.filter(acceptedMids.contains)
            attributes.append(SdpAttribute("group", (["BUNDLE"] + bundle).joined(separator: " ")))
        }
        let answer = SessionDescription(
            origin: SdpOrigin(sessionId: String(sessionId), sessionVersion: String(version)),
            attributes: attributes, media: sections)
        return SdpPublishAnswer(answer: answer, remote: transport, media: published, rejectedMids: rejectedMids)
    }

    private func accept(
        _ offered: MediaDescription, in offer: SessionDescription
    ) -> (section: MediaDescription, media: SdpPublishedMedia)? {
        guard !offered.isRejected, offered.isSecureRtp, offered.isRtcpMux,
            offered.kind == .audio || offered.kind == .video,
            let mid = offered.mid
        else { return nil }

        let offeredCodecs = offered.codecs
        let congestion = SdpCongestionFeedback(choosingFor: offered)
        let accepted = offeredCodecs.filter { capabilities.supports($0, kind: offered.kind) }.map { codec in
            var codec = codec
            codec.feedback = codec.feedback.filter { capabilities.feedback.contains($0) && congestion.allows(feedback: $0) }
            return codec
        }
        guard !accepted.isEmpty else { return nil }
        let acceptedPayloadTypes = Set(accepted.flatMap { [$0.payloadType] + ($0.rtxPayloadType.map { [$0] } ?? []) })
        let byPayloadType = Dictionary(accepted.map { ($0.payloadType, $0) }, uniquingKeysWith: { first, _ in first })

        // The relay never sends on a publish connection: a sending client gets recvonly, any
        // other direction gets inactive (RFC 3264 §6.1).
        let offeredDirection = offer.direction(of: offered)
        let direction: SdpDirection = offeredDirection.sends ? .recvonly : .inactive

        let extensions = offered.headerExtensions.filter { congestion.allows(headerExtension: $0.uri) }
            .compactMap(answerExtension)

        var attributes = local.transportAttributes(setup: .passive)
        attributes.append(SdpAttribute("mid", mid))
        attributes += extensions.map { SdpAttribute("extmap", $0.sdpValue) }
        attributes.append(SdpAttribute(direction.rawValue))
        attributes.append(SdpAttribute("rtcp-mux"))
        if offered.isRtcpReducedSize { attributes.append(SdpAttribute("rtcp-rsize")) }
        for codec in offeredCodecs where byPayloadType[codec.payloadType] != nil {
            let codec = byPayloadType[codec.payloadType] ?? codec
            attributes += codec.attributes
            if let rtx = codec.retransmissionCodec() { attributes += rtx.attributes }
        }

        // Simulcast (RFC 8853 §5.3): receive every stream the client sends, under the same
        // RIDs; restrictions are not repeated, so none constrains the publisher.
        var rids: [String] = []
        if let simulcast = offered.simulcast, !simulcast.send.isEmpty {
            let offeredRids = Set(offered.rids.filter { $0.direction == .send }.map(\.id))
            let streams = simulcast.send.map { $0.filter { offeredRids.contains($0.rid) } }.filter { !$0.isEmpty }
            if !streams.isEmpty {
                let answerRids = streams.flatMap { $0.map(\.rid) }
                attributes += answerRids.map { SdpAttribute("rid", SdpRid(id: $0, direction: .recv).sdpValue) }
                attributes.append(SdpAttribute("simulcast", SdpSimulcast(receive: streams).sdpValue))
                rids = streams.compactMap { $0.first?.rid }
            }
        }
        attributes += local.candidateAttributes

        let section = MediaDescription(
            kind: offered.kind, port: local.port, proto: offered.proto,
            formats: offered.payloadTypes.filter(acceptedPayloadTypes.contains).map(String.init),
            connection: local.connection, attributes: attributes)
        let media = SdpPublishedMedia(
            mid: mid, kind: offered.kind, codecs: accepted, headerExtensions: extensions,
            ssrcs: offered.mediaSsrcs, rtxSsrcs: offered.rtxSsrcs, rids: rids, cname: offered.cname,
            msid: offered.msid)
        return (section, media)
    }

    /// The offered extension as answered, or nil when the relay does not use it or the client
    /// would only receive it (RFC 8285 §7).
    private func answerExtension(_ offered: SdpHeaderExtension) -> SdpHeaderExtension? {
        guard capabilities.headerExtensions.contains(offered.uri) else { return nil }
        switch offered.direction {
        case nil, .sendrecv:
            return SdpHeaderExtension(id: offered.id, uri: offered.uri)
        case .sendonly:
            return SdpHeaderExtension(id: offered.id, direction: .recvonly, uri: offered.uri)
        case .recvonly, .inactive:
            return nil
        }
    }

    /// A rejected section keeps its kind, protocol, formats and mid, with port 0
    /// (RFC 8829 §5.3.1, RFC 8843 §7.3.3).
    private func rejection(of offered: MediaDescription) -> MediaDescription {
        MediaDescription(
            kind: offered.kind, port: 0, proto: offered.proto, formats: offered.formats,
            connection: .placeholder, attributes: offered.mid.map { [SdpAttribute("mid", $0)] } ?? [])
    }
}
