/// What a datagram on a bundled, rtcp-muxed transport carries, decided by its first byte
/// (RFC 7983 §7, as updated by RFC 9443) and, for RTP/RTCP, by the second (RFC 5761 §4).
public enum DatagramKind: Equatable, Sendable {
    case stun
    case dtls
    case rtp
    case rtcp
    case unknown

    public init(classifying bytes: UnsafeRawBufferPointer) {
        guard let first = bytes.first else {
            self = .unknown
            return
        }
        switch first {
        case 0...3:
            self = .stun
        case 20...63:
            self = .dtls
        case 128...191:
            guard bytes.count >= 2 else {
                self = .unknown
                return
            }
            // RTCP packet types 192-223 occupy the byte where RTP has marker and payload type.
            self = (192...223).contains(bytes[1]) ? .rtcp : .rtp
        default:
            self = .unknown
        }
    }

    public init(classifying bytes: [UInt8]) {
        self = bytes.withUnsafeBytes { DatagramKind(classifying: $0) }
    }
}
