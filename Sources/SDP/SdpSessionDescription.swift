import Relay
import DTLS

/// A session description (RFC 8866): the session-level lines and the media sections, in
/// order. Parse one with `init(parsing:)`, write one with `serialized()`; a parsed description
/// written and parsed again is equal to itself.
public struct SessionDescription: Equatable, Sendable {
    /// Relay refuses larger descriptions before reading them: a browser offer with a few
    /// simulcast tracks is under 10 KiB, and signaling must not be an amplifier.
    public static let maximumSize = 64 * 1024

    public var origin: SdpOrigin
    public var sessionName: String
    /// The `t=` value; WebRTC always writes `0 0` (RFC 8829 §5.2.1).
    public var timing: String
    public var connection: SdpConnection?
    public var otherLines: [SdpLine]
    public var attributes: [SdpAttribute]
    public var media: [MediaDescription]

    public init(
        origin: SdpOrigin, sessionName: String = "-", timing: String = "0 0", connection: SdpConnection? = nil,
        otherLines: [SdpLine] = [], attributes: [SdpAttribute] = [], media: [MediaDescription] = []
    ) {
        self.origin = origin
        self.sessionName = sessionName
        self.timing = timing
        self.connection = connection
        self.otherLines = otherLines
        self.attributes = attributes
        self.media = media
    }

    /// Parses `text`, with CRLF or LF line ends (RFC 8866 §5 asks for CRLF, and lets a parser
    /// accept LF).
    public init(parsing text: String) throws(SdpParseError) {
        self = try SdpParser.parse(text)
    }

    /// The description as text: CRLF line ends, lines in the order RFC 8866 §5 fixes.
    public func serialized() -> String {
        var lines = ["v=0", "o=\(origin.sdpValue)", "s=\(sessionName)"]
        lines += otherLines.filter(\.precedesConnection).map(\.text)
        if let connection { lines.append("c=\(connection.sdpValue)") }
        lines += otherLines.filter { !$0.precedesConnection && $0.precedesTiming }.map(\.text)
        lines.append("t=\(timing)")
        lines += otherLines.filter { !$0.precedesTiming }.map(\.text)
        lines += attributes.map(\.text)
        for section in media {
            lines.append("m=\(section.mediaLineValue)")
            lines += section.otherLines.filter(\.precedesConnection).map(\.text)
            if let connection = section.connection { lines.append("c=\(connection.sdpValue)") }
            lines += section.otherLines.filter { !$0.precedesConnection }.map(\.text)
            lines += section.attributes.map(\.text)
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    public func value(of name: String) -> String? { attributes.firstValue(name) }

    public func has(_ name: String) -> Bool { attributes.contains(name) }

    public var isIceLite: Bool { has("ice-lite") }

    /// The mids of the first `a=group:BUNDLE` (RFC 8843 §7.1); empty when there is none.
    public var bundleMids: [String] {
        for value in attributes.values("group") {
            let tokens = value.split(separator: " ", omittingEmptySubsequences: true)
            if tokens.first == "BUNDLE" { return tokens.dropFirst().map(String.init) }
        }
        return []
    }

    /// The media section with `mid`.
    public func media(mid: String) -> MediaDescription? {
        media.first { $0.mid == mid }
    }

    /// Session-level `a=ice-options` tokens (Firefox writes them here).
    public var iceOptions: [String] {
        attributes.values("ice-options").flatMap { $0.split(separator: " ").map(String.init) }
    }

    /// The session-level SHA-256 fingerprint (Firefox writes it here, Chrome per section).
    public var fingerprint: CertificateFingerprint? {
        attributes.values("fingerprint").lazy.compactMap { try? CertificateFingerprint(sdpValue: $0) }.first
    }

    public var iceUfrag: String? { value(of: "ice-ufrag") }
    public var icePwd: String? { value(of: "ice-pwd") }
    public var setup: SdpSetupRole? { value(of: "setup").flatMap(SdpSetupRole.init(rawValue:)) }

    /// The direction of a section: its own attribute, else the session's, else sendrecv
    /// (RFC 8866 §6.7).
    public func direction(of section: MediaDescription) -> SdpDirection {
        section.direction ?? attributes.lazy.compactMap { SdpDirection(rawValue: $0.name) }.first ?? .sendrecv
    }
}
