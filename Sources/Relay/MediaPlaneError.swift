/// Why the media plane could not start.
public enum MediaPlaneError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidAnnouncedAddress(String)
    case invalidWorkerCount(Int)
    case portUnavailable(UInt16, errno: Int32)
    case certificate(String)

    public var description: String {
        switch self {
        case .invalidAnnouncedAddress(let address): "announced address '\(address)' is not an IP address"
        case .invalidWorkerCount(let count): "worker count \(count) must be between 1 and 64"
        case .portUnavailable(let port, let code): "cannot bind UDP port \(port) (errno \(code))"
        case .certificate(let reason): "cannot create the DTLS certificate: \(reason)"
        }
    }
}
