import RTP

/// Why a relay link could not be opened, or a datagram on it was refused.
enum NodeLinkError: Error, Equatable {
    /// The keys or the history could not be set up.
    case setup(String)
    /// A datagram from the link's address that does not authenticate under its keys.
    case unauthenticated(SrtpError)
    /// It authenticated but is no packet of the link's format.
    case malformed
}
