/// Why the media plane could not start.
public enum MediaPlaneError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidAnnouncedAddress(String)
    case invalidWorkerCount(Int)
    case portUnavailable(UInt16, errno: Int32)
    case certificate(String)
    case invalidRealtimePriority(Int32)
    case realtimeRefused(Int32, errno: Int32)

    public var description: String {
        switch self {
        case .invalidAnnouncedAddress(let address): "announced address '\(address)' is not an IP address"
        case .invalidWorkerCount(let count): "worker count \(count) must be between 1 and 64"
        case .portUnavailable(let port, let code): "cannot bind UDP port \(port) (errno \(code))"
        case .certificate(let reason): "cannot create the DTLS certificate: \(reason)"
        case .invalidRealtimePriority(let priority): "real-time priority \(priority) must be between 1 and 99"
        case .realtimeRefused(let priority, let code):
            "the system refuses real-time priority \(priority) (errno \(code)): it takes CAP_SYS_NICE or an RLIMIT_RTPRIO of at least \(priority)"
        }
    }
}
