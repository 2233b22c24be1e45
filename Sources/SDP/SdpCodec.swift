import Relay
/// One payload type of a media section, gathered from its `a=rtpmap`, `a=fmtp` and `a=rtcp-fb`
/// lines (RFC 8866 §6.6, §6.15; RFC 4585 §4.2), plus the RTX payload type whose `apt=` points at
/// it (RFC 4588 §8.6).
public struct SdpCodec: Equatable, Sendable {
    public var payloadType: UInt8
    /// The encoding name as written (`opus`, `VP8`, `H264`, `rtx`); compare with `isNamed(_:)`.
    public var name: String
    public var clockRate: UInt32
    /// The channel count, when the rtpmap has one (`opus/48000/2`).
    public var channels: UInt8?
    /// The format parameters exactly as written after the payload type, e.g.
    /// `minptime=10;useinbandfec=1`.
    public var formatParameters: String?
    /// The rtcp-fb values for this payload type, e.g. `nack`, `nack pli`, `transport-cc`.
    public var feedback: [String]
    /// The RTX payload type that retransmits this one, if the description has one.
    public var rtxPayloadType: UInt8?

    public init(
        payloadType: UInt8, name: String, clockRate: UInt32, channels: UInt8? = nil,
        formatParameters: String? = nil, feedback: [String] = [], rtxPayloadType: UInt8? = nil
    ) {
        self.payloadType = payloadType
        self.name = name
        self.clockRate = clockRate
        self.channels = channels
        self.formatParameters = formatParameters
        self.feedback = feedback
        self.rtxPayloadType = rtxPayloadType
    }

    /// Encoding names are case-insensitive (RFC 4855 §3).
    public func isNamed(_ other: String) -> Bool {
        name.lowercased() == other.lowercased()
    }

    /// The format parameters as key/value pairs; a parameter without `=` maps to "".
    /// Keys are case-insensitive and returned lowercased (RFC 4855 §3).
    public var parameters: [String: String] {
        guard let formatParameters else { return [:] }
        var result: [String: String] = [:]
        for item in formatParameters.split(separator: ";") {
            let pair = item.split(separator: "=", maxSplits: 1)
            guard let key = pair.first else { continue }
            let trimmedKey = key.trimmingSpaces.lowercased()
            result[trimmedKey] = pair.count == 2 ? String(pair[1].trimmingSpaces) : ""
        }
        return result
    }

    /// The payload type an RTX codec repairs (`apt=`), nil for other codecs.
    public var associatedPayloadType: UInt8? {
        guard isNamed("rtx"), let apt = parameters["apt"] else { return nil }
        return UInt8(apt).flatMap { $0 <= 127 ? $0 : nil }
    }

    public var isRetransmission: Bool { isNamed("rtx") }

    /// The RTX codec that repairs this one, with the clock rate it must share (RFC 4588 §8.6).
    public func retransmissionCodec() -> SdpCodec? {
        rtxPayloadType.map {
            SdpCodec(payloadType: $0, name: "rtx", clockRate: clockRate, formatParameters: "apt=\(payloadType)")
        }
    }

    /// The attribute lines describing this codec: rtpmap, rtcp-fb, fmtp, in Chrome's order.
    /// The RTX codec, if any, is not included: see `retransmissionCodec()`.
    public var attributes: [SdpAttribute] {
        var rtpmap = "\(payloadType) \(name)/\(clockRate)"
        if let channels { rtpmap += "/\(channels)" }
        var result = [SdpAttribute("rtpmap", rtpmap)]
        result += feedback.map { SdpAttribute("rtcp-fb", "\(payloadType) \($0)") }
        if let formatParameters { result.append(SdpAttribute("fmtp", "\(payloadType) \(formatParameters)")) }
        return result
    }

    /// Reads `<pt> <name>/<clock>[/<channels>]` (RFC 8866 §6.6).
    static func parseRtpmap(_ value: String) -> (payloadType: UInt8, name: String, clockRate: UInt32, channels: UInt8?)? {
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, let payloadType = parsePayloadType(parts[0]) else { return nil }
        let encoding = parts[1].trimmingSpaces.split(separator: "/", omittingEmptySubsequences: false)
        guard encoding.count == 2 || encoding.count == 3, !encoding[0].isEmpty,
            let clockRate = UInt32(encoding[1]), clockRate > 0
        else { return nil }
        var channels: UInt8?
        if encoding.count == 3 {
            guard let count = UInt8(encoding[2]), count > 0 else { return nil }
            channels = count
        }
        return (payloadType, String(encoding[0]), clockRate, channels)
    }

    /// Reads `<pt> <parameters>` (RFC 8866 §6.15); the parameters may be empty.
    static func parseFmtp(_ value: String) -> (payloadType: UInt8, parameters: String)? {
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard let first = parts.first, let payloadType = parsePayloadType(first) else { return nil }
        return (payloadType, parts.count == 2 ? String(parts[1]) : "")
    }

    /// Reads `<pt>|* <feedback>` (RFC 4585 §4.2); nil payload type means every one.
    static func parseFeedback(_ value: String) -> (payloadType: UInt8?, feedback: String)? {
        let parts = value.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2 else { return nil }
        if parts[0] == "*" { return (nil, String(parts[1])) }
        guard let payloadType = parsePayloadType(parts[0]) else { return nil }
        return (payloadType, String(parts[1]))
    }

    /// RTP payload types are 7 bits (RFC 3550 §5.1).
    static func parsePayloadType(_ text: Substring) -> UInt8? {
        guard let value = UInt8(text), value <= 127 else { return nil }
        return value
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var result = self
        while result.first == " " { result = result.dropFirst() }
        while result.last == " " { result = result.dropLast() }
        return result
    }
}
