import Relay
import DTLS

/// One media section: the `m=` line and the lines up to the next one (RFC 8866 §5.14). The
/// attributes are the source of truth, kept in order and verbatim; the typed properties read
/// them. `SdpParser` has already checked every attribute these properties interpret.
public struct MediaDescription: Equatable, Sendable {
    public var kind: SdpMediaKind
    /// 0 marks a rejected or disabled section (RFC 8843 §7.3.3, RFC 3264 §6).
    public var port: UInt16
    /// The optional `/<number of ports>` after the port.
    public var portCount: Int?
    public var proto: String
    /// The format tokens: payload types for RTP, e.g. `webrtc-datachannel` for SCTP.
    public var formats: [String]
    public var connection: SdpConnection?
    public var otherLines: [SdpLine]
    public var attributes: [SdpAttribute]

    public init(
        kind: SdpMediaKind, port: UInt16, portCount: Int? = nil, proto: String = "UDP/TLS/RTP/SAVPF",
        formats: [String], connection: SdpConnection? = nil, otherLines: [SdpLine] = [],
        attributes: [SdpAttribute] = []
    ) {
        self.kind = kind
        self.port = port
        self.portCount = portCount
        self.proto = proto
        self.formats = formats
        self.connection = connection
        self.otherLines = otherLines
        self.attributes = attributes
    }

    /// The value of the first attribute called `name`.
    public func value(of name: String) -> String? { attributes.firstValue(name) }

    /// The values of every attribute called `name`.
    public func values(of name: String) -> [String] { attributes.values(name) }

    public func has(_ name: String) -> Bool { attributes.contains(name) }

    /// Port 0 rejects a section, except in an offer that marks it `a=bundle-only`: it then
    /// shares the BUNDLE transport and has no port of its own (RFC 8843 §6, §7.2), as
    /// Firefox writes every section after the first under the max-bundle policy.
    public var isRejected: Bool { port == 0 && !attributes.contains("bundle-only") }

    /// Whether the section carries RTP over DTLS-SRTP (RFC 5764 §8, RFC 8829 §5.1.2).
    public var isSecureRtp: Bool {
        proto == "UDP/TLS/RTP/SAVPF" || proto == "UDP/TLS/RTP/SAVP"
    }

    public var payloadTypes: [UInt8] { formats.compactMap { SdpCodec.parsePayloadType(Substring($0)) } }

    public var mid: String? { value(of: "mid") }

    /// The direction attribute of this section, if it has one.
    public var direction: SdpDirection? {
        attributes.lazy.compactMap { SdpDirection(rawValue: $0.name) }.first
    }

    public var iceUfrag: String? { value(of: "ice-ufrag") }
    public var icePwd: String? { value(of: "ice-pwd") }

    /// The tokens of `a=ice-options` (`trickle`, `ice2`, ...), RFC 8839 §5.6.
    public var iceOptions: [String] {
        values(of: "ice-options").flatMap { $0.split(separator: " ").map(String.init) }
    }

    /// The first SHA-256 fingerprint of the section; other hash functions are skipped.
    public var fingerprint: CertificateFingerprint? {
        values(of: "fingerprint").lazy.compactMap { try? CertificateFingerprint(sdpValue: $0) }.first
    }

    public var setup: SdpSetupRole? { value(of: "setup").flatMap(SdpSetupRole.init(rawValue:)) }
    public var isRtcpMux: Bool { has("rtcp-mux") }
    public var isRtcpReducedSize: Bool { has("rtcp-rsize") }

    /// Every payload type of the `m=` line that has an rtpmap, in the line's (preference)
    /// order, with its fmtp and rtcp-fb, and the RTX payload type that points at it.
    public var codecs: [SdpCodec] {
        var byPayloadType: [UInt8: SdpCodec] = [:]
        for value in values(of: "rtpmap") {
            guard let map = SdpCodec.parseRtpmap(value) else { continue }
            byPayloadType[map.payloadType] = SdpCodec(
                payloadType: map.payloadType, name: map.name, clockRate: map.clockRate, channels: map.channels)
        }
        for value in values(of: "fmtp") {
            guard let fmtp = SdpCodec.parseFmtp(value) else { continue }
            byPayloadType[fmtp.payloadType]?.formatParameters = fmtp.parameters
        }
        for value in values(of: "rtcp-fb") {
            guard let entry = SdpCodec.parseFeedback(value) else { continue }
            if let payloadType = entry.payloadType {
                byPayloadType[payloadType]?.feedback.append(entry.feedback)
            } else {
                for key in byPayloadType.keys { byPayloadType[key]?.feedback.append(entry.feedback) }
            }
        }
        for codec in byPayloadType.values {
            guard let apt = codec.associatedPayloadType, byPayloadType[apt]?.rtxPayloadType == nil else { continue }
            byPayloadType[apt]?.rtxPayloadType = codec.payloadType
        }
        var seen = Set<UInt8>()
        return payloadTypes.compactMap { payloadType in
            guard seen.insert(payloadType).inserted else { return nil }
            return byPayloadType[payloadType]
        }
    }

    public var headerExtensions: [SdpHeaderExtension] {
        values(of: "extmap").compactMap(SdpHeaderExtension.init(sdpValue:))
    }

    /// The id of the header extension with `uri`, if the section maps it.
    public func headerExtensionId(_ uri: String) -> UInt16? {
        headerExtensions.first { $0.uri == uri }?.id
    }

    public var ssrcAttributes: [SdpSsrcAttribute] {
        values(of: "ssrc").compactMap(SdpSsrcAttribute.init(sdpValue:))
    }

    public var ssrcGroups: [SdpSsrcGroup] {
        values(of: "ssrc-group").compactMap(SdpSsrcGroup.init(sdpValue:))
    }

    /// The SSRCs that carry media, in the order they are announced: every `a=ssrc` source that
    /// is not the second member of an FID group (RFC 4588 §8.7). A SIM group sets the order.
    public var mediaSsrcs: [UInt32] {
        let repairSsrcs = Set(rtxSsrcs.values)
        var seen = Set<UInt32>()
        let announced = ssrcAttributes.map(\.ssrc).filter { !repairSsrcs.contains($0) && seen.insert($0).inserted }
        guard let simulcast = ssrcGroups.first(where: { $0.semantics == "SIM" }) else { return announced }
        return simulcast.ssrcs + announced.filter { !simulcast.ssrcs.contains($0) }
    }

    /// Media SSRC → RTX SSRC, from the FID groups.
    public var rtxSsrcs: [UInt32: UInt32] {
        var result: [UInt32: UInt32] = [:]
        for group in ssrcGroups where group.semantics == "FID" && group.ssrcs.count == 2 {
            result[group.ssrcs[0]] = group.ssrcs[1]
        }
        return result
    }

    /// The `cname` of the first source that has one (RFC 5576 §6.1).
    public var cname: String? {
        ssrcAttributes.first { $0.attribute == "cname" }?.value
    }

    public var msid: SdpMsid? { value(of: "msid").flatMap(SdpMsid.init(sdpValue:)) }

    public var rids: [SdpRid] { values(of: "rid").compactMap(SdpRid.init(sdpValue:)) }

    public var simulcast: SdpSimulcast? { value(of: "simulcast").flatMap(SdpSimulcast.init(sdpValue:)) }

    public var candidates: [SdpCandidate] { values(of: "candidate").compactMap(SdpCandidate.init(sdpValue:)) }

    public var hasEndOfCandidates: Bool { has("end-of-candidates") }

    var mediaLineValue: String {
        var port = String(self.port)
        if let portCount { port += "/\(portCount)" }
        return ([kind.token, port, proto] + formats).joined(separator: " ")
    }
}
