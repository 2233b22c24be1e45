import DTLS
import Relay
import SDP

/// The SDP the load generator writes and reads: publish offers shaped like a browser's, and
/// answers to the relay's subscribe offers.
enum BenchSdp {
    static let opusPayloadType: UInt8 = 111
    static let vp8PayloadType: UInt8 = 96
    static let midExtensionId: UInt8 = 1
    /// Publishers stamp every packet with abs-send-time, as Chrome does. The relay replaces it
    /// with its own send time, so latency is read from the padding instead (`SendTimePadding`).
    static let absSendTimeExtensionId: UInt8 = 2
    /// The publisher's transport-wide sequence number, which the SFU's feedback reports on.
    static let transportSequenceNumberExtensionId: UInt8 = 3
    /// A simulcast layer's RID (RFC 8852), on every packet of the layer.
    static let ridExtensionId: UInt8 = 4

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// `rids`: the video's simulcast layers, lowest first (RFC 8853: `a=rid` and `a=simulcast`,
    /// no SSRCs, as a browser offers them); empty for one stream on `video.ssrc`.
    static func publishOffer(
        peer: BenchPeer, fingerprint: CertificateFingerprint, audioSsrc: UInt32, video: (ssrc: UInt32, rtx: UInt32)?, rids: [String] = []
    ) -> String {
        var lines = [
            "v=0", "o=- \(UInt32.random(in: 1...UInt32.max)) 2 IN IP4 127.0.0.1", "s=-", "t=0 0",
            "a=group:BUNDLE 0" + (video == nil ? "" : " 1"), "a=msid-semantic: WMS bench",
        ]
        func common(_ mid: String) -> [String] {
            [
                "c=IN IP4 127.0.0.1", "a=candidate:1 1 udp 2130706431 127.0.0.1 \(peer.address.port) typ host",
                "a=ice-ufrag:\(peer.credentials.ufrag)", "a=ice-pwd:\(peer.credentials.pwd)",
                "a=fingerprint:\(fingerprint.sdpValue)", "a=setup:actpass", "a=mid:\(mid)",
                "a=extmap:\(midExtensionId) \(SdpHeaderExtension.mid)",
                "a=extmap:\(absSendTimeExtensionId) \(SdpHeaderExtension.absSendTime)",
                "a=extmap:\(transportSequenceNumberExtensionId) \(SdpHeaderExtension.transportWideCc)",
                "a=sendonly", "a=rtcp-mux", "a=rtcp-rsize",
            ]
        }
        lines += ["m=audio 9 UDP/TLS/RTP/SAVPF \(opusPayloadType)"] + common("0") + [
            "a=msid:bench audio", "a=rtpmap:\(opusPayloadType) opus/48000/2",
            "a=rtcp-fb:\(opusPayloadType) transport-cc",
            "a=fmtp:\(opusPayloadType) minptime=10;useinbandfec=1", "a=ssrc:\(audioSsrc) cname:bench",
        ]
        if let video {
            let rtx = vp8PayloadType + 1
            lines += ["m=video 9 UDP/TLS/RTP/SAVPF \(vp8PayloadType) \(rtx)"] + common("1") + [
                "a=msid:bench video", "a=rtpmap:\(vp8PayloadType) VP8/90000",
                "a=rtcp-fb:\(vp8PayloadType) nack", "a=rtcp-fb:\(vp8PayloadType) nack pli",
                "a=rtcp-fb:\(vp8PayloadType) ccm fir", "a=rtcp-fb:\(vp8PayloadType) transport-cc",
                "a=rtpmap:\(rtx) rtx/90000", "a=fmtp:\(rtx) apt=\(vp8PayloadType)",
            ]
            if rids.isEmpty {
                lines += [
                    "a=ssrc-group:FID \(video.ssrc) \(video.rtx)",
                    "a=ssrc:\(video.ssrc) cname:bench", "a=ssrc:\(video.rtx) cname:bench",
                ]
            } else {
                lines.append("a=extmap:\(ridExtensionId) \(SdpHeaderExtension.rtpStreamId)")
                lines += rids.map { "a=rid:\($0) send" }
                lines.append("a=simulcast:send " + rids.joined(separator: ";"))
            }
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// Accepts every section of a subscribe offer, receiving, with this peer's transport, and
    /// every header extension and RTCP feedback offered, as a browser does.
    static func subscribeAnswer(to offer: SessionDescription, peer: BenchPeer, fingerprint: CertificateFingerprint) -> String {
        var lines = ["v=0", "o=- \(UInt32.random(in: 1...UInt32.max)) 2 IN IP4 127.0.0.1", "s=-", "t=0 0"]
        let mids = offer.media.compactMap(\.mid)
        lines.append("a=group:BUNDLE " + mids.joined(separator: " "))
        for section in offer.media {
            lines.append("m=\(section.kind.token) 9 \(section.proto) \(section.formats.joined(separator: " "))")
            lines += [
                "c=IN IP4 0.0.0.0", "a=ice-ufrag:\(peer.credentials.ufrag)", "a=ice-pwd:\(peer.credentials.pwd)",
                "a=fingerprint:\(fingerprint.sdpValue)", "a=setup:active", "a=mid:\(section.mid ?? "")",
                section.direction == .sendonly ? "a=recvonly" : "a=inactive", "a=rtcp-mux",
            ]
            lines += section.values(of: "rtpmap").map { "a=rtpmap:\($0)" }
            lines += section.values(of: "fmtp").map { "a=fmtp:\($0)" }
            lines += section.values(of: "rtcp-fb").map { "a=rtcp-fb:\($0)" }
            lines += section.values(of: "extmap").map { "a=extmap:\($0)" }
            if section.isRtcpReducedSize { lines.append("a=rtcp-rsize") }
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// The relay's transport from its answer or offer: credentials, fingerprint and the first
    /// IPv4 UDP host candidate.
    static func remote(of description: SessionDescription) throws -> BenchPeer.Remote {
        guard let section = description.media.first(where: { !$0.isRejected }),
            let ufrag = section.iceUfrag, let pwd = section.icePwd,
            let credentials = IceCredentials(ufrag: ufrag, pwd: pwd),
            let fingerprint = section.fingerprint ?? description.fingerprint
        else { throw Failure(description: "the relay's SDP has no usable transport") }
        let candidate = section.values(of: "candidate").compactMap(SdpCandidate.init(sdpValue:))
            .first { $0.transport.lowercased() == "udp" && TransportAddress(ip: $0.address, port: $0.port)?.isIPv4 == true }
        guard let candidate, let address = TransportAddress(ip: candidate.address, port: candidate.port) else {
            throw Failure(description: "the relay's SDP has no IPv4 UDP candidate")
        }
        return BenchPeer.Remote(credentials: credentials, fingerprint: fingerprint, address: address)
    }
}
