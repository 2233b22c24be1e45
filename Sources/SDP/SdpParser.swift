import Relay
import DTLS

/// Reads session descriptions (RFC 8866 §5). Unknown line types and attributes are kept
/// verbatim; the attributes Relay interprets are checked here, so a malformed one is reported
/// with its line number instead of being silently skipped later.
enum SdpParser {
    static func parse(_ text: String) throws(SdpParseError) -> SessionDescription {
        let size = text.utf8.count
        guard size <= SessionDescription.maximumSize else { throw .tooLarge(bytes: size) }

        // Character.isNewline covers "\r\n" as one grapheme, "\n" and a lone "\r".
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        var sawVersion = false
        var origin: SdpOrigin?
        var sessionName = "-"
        var timing = "0 0"
        var sessionConnection: SdpConnection?
        var sessionOtherLines: [SdpLine] = []
        var sessionAttributes: [SdpAttribute] = []
        var media: [MediaDescription] = []

        for (index, line) in lines.enumerated() {
            let number = index + 1
            if line.isEmpty { continue }
            guard line.count >= 2, line.dropFirst().first == "=", let type = line.first else {
                throw .lineWithoutEquals(line: number)
            }
            let value = line.dropFirst(2)
            if !sawVersion {
                guard type == "v" else { throw .missingVersion }
                guard value == "0" else { throw .unsupportedVersion(String(value)) }
                sawVersion = true
                continue
            }
            switch type {
            case "m":
                guard origin != nil else { throw .missingOrigin }
                media.append(try parseMediaLine(value, line: number))
            case "a":
                let attribute = try parseAttribute(value, line: number)
                if media.isEmpty {
                    sessionAttributes.append(attribute)
                } else {
                    media[media.count - 1].attributes.append(attribute)
                }
            case "c":
                guard let connection = SdpConnection(sdpValue: value) else { throw .badConnection(line: number) }
                if media.isEmpty {
                    sessionConnection = connection
                } else {
                    media[media.count - 1].connection = connection
                }
            case "o" where media.isEmpty:
                guard let parsed = SdpOrigin(sdpValue: value) else { throw .badOrigin(line: number) }
                origin = parsed
            case "s" where media.isEmpty:
                sessionName = String(value)
            case "t" where media.isEmpty:
                timing = String(value)
            default:
                let other = SdpLine(type: type, value: String(value))
                if media.isEmpty {
                    sessionOtherLines.append(other)
                } else {
                    media[media.count - 1].otherLines.append(other)
                }
            }
        }
        guard sawVersion else { throw .missingVersion }
        guard let origin else { throw .missingOrigin }
        for index in media.indices {
            media[index].otherLines = inWritingOrder(media[index].otherLines)
        }
        return SessionDescription(
            origin: origin, sessionName: sessionName, timing: timing, connection: sessionConnection,
            otherLines: inWritingOrder(sessionOtherLines), attributes: sessionAttributes, media: media)
    }

    /// `m=<media> <port>[/<count>] <proto> <fmt> ...` (RFC 8866 §5.14).
    private static func parseMediaLine(_ value: Substring, line: Int) throws(SdpParseError) -> MediaDescription {
        let fields = value.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.count >= 3, !fields[0].isEmpty else { throw .badMediaLine(line: line) }
        let portParts = fields[1].split(separator: "/", omittingEmptySubsequences: false)
        guard portParts.count <= 2, let port = UInt16(portParts[0]) else { throw .badMediaLine(line: line) }
        var portCount: Int?
        if portParts.count == 2 {
            guard let count = Int(portParts[1]), count > 0 else { throw .badMediaLine(line: line) }
            portCount = count
        }
        return MediaDescription(
            kind: SdpMediaKind(token: String(fields[0])), port: port, portCount: portCount,
            proto: String(fields[2]), formats: fields.dropFirst(3).map(String.init))
    }

    private static func parseAttribute(_ value: Substring, line: Int) throws(SdpParseError) -> SdpAttribute {
        let attribute = SdpAttribute(text: value)
        guard !attribute.name.isEmpty else { throw .badAttribute(line: line) }
        try check(attribute, line: line)
        return attribute
    }

    /// Checks the attributes Relay interprets; the others pass through unread.
    private static func check(_ attribute: SdpAttribute, line: Int) throws(SdpParseError) {
        let value = attribute.value ?? ""
        switch attribute.name {
        case "rtpmap":
            guard SdpCodec.parseRtpmap(value) != nil else { throw .badRtpmap(line: line) }
        case "fmtp":
            guard SdpCodec.parseFmtp(value) != nil else { throw .badFmtp(line: line) }
        case "rtcp-fb":
            guard SdpCodec.parseFeedback(value) != nil else { throw .badRtcpFeedback(line: line) }
        case "extmap":
            guard SdpHeaderExtension(sdpValue: value) != nil else { throw .badExtmap(line: line) }
        case "fingerprint":
            // A hash function other than SHA-256 is allowed to pass: RFC 8122 §5 lets a
            // description carry several fingerprints, and Relay uses the SHA-256 one.
            do {
                _ = try CertificateFingerprint(sdpValue: value)
            } catch .unsupportedHashFunction {
            } catch {
                throw .badFingerprint(line: line)
            }
        case "setup":
            guard SdpSetupRole(rawValue: value) != nil else { throw .badSetup(line: line) }
        case "mid":
            guard !value.isEmpty, !value.contains(" ") else { throw .badMid(line: line) }
        case "ssrc":
            guard SdpSsrcAttribute(sdpValue: value) != nil else { throw .badSsrc(line: line) }
        case "ssrc-group":
            guard SdpSsrcGroup(sdpValue: value) != nil else { throw .badSsrcGroup(line: line) }
        case "rid":
            guard SdpRid(sdpValue: value) != nil else { throw .badRid(line: line) }
        case "simulcast":
            guard SdpSimulcast(sdpValue: value) != nil else { throw .badSimulcast(line: line) }
        case "candidate":
            guard SdpCandidate(sdpValue: value) != nil else { throw .badCandidate(line: line) }
        default:
            break
        }
    }

    /// Sorts uninterpreted lines into the order the writer emits them, keeping the relative
    /// order of lines of one type, so that parse → write → parse gives equal values.
    private static func inWritingOrder(_ lines: [SdpLine]) -> [SdpLine] {
        lines.enumerated().sorted { ($0.element.rank, $0.offset) < ($1.element.rank, $1.offset) }.map(\.element)
    }
}
