import Relay
/// Why a text is not a session description Relay can read (RFC 8866 §5, §9). Line numbers
/// count from 1 so a signaling error can point at the offending line.
public enum SdpParseError: Error, Equatable, Sendable {
    /// The description is larger than `SessionDescription.maximumSize` bytes.
    case tooLarge(bytes: Int)
    /// The first line is not `v=` (RFC 8866 §5 requires it first).
    case missingVersion
    /// `v=` carries something other than 0.
    case unsupportedVersion(String)
    /// A line does not start with a type letter followed by `=`.
    case lineWithoutEquals(line: Int)
    /// There is no `o=` line before the first media section.
    case missingOrigin
    /// The `o=` line does not have its six fields (RFC 8866 §5.2).
    case badOrigin(line: Int)
    /// A `c=` line does not have network type, address type and address (RFC 8866 §5.7).
    case badConnection(line: Int)
    /// An `m=` line does not have media, a port in range and a protocol (RFC 8866 §5.14).
    case badMediaLine(line: Int)
    /// An `a=` line with an empty attribute name.
    case badAttribute(line: Int)
    case badRtpmap(line: Int)
    case badFmtp(line: Int)
    case badRtcpFeedback(line: Int)
    case badExtmap(line: Int)
    case badFingerprint(line: Int)
    case badSetup(line: Int)
    case badMid(line: Int)
    case badSsrc(line: Int)
    case badSsrcGroup(line: Int)
    case badRid(line: Int)
    case badSimulcast(line: Int)
    case badCandidate(line: Int)
}
