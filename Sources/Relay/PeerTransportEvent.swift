import DTLS

/// What happened to a peer connection's transport.
public enum PeerTransportEvent: Equatable, Sendable {
    /// ICE validated this address: datagrams from it belong to this transport.
    case pathValidated(TransportAddress)
    /// ICE selected this address for the path (again when the client moves).
    case pathSelected(TransportAddress)
    /// DTLS finished and SRTP is keyed: media can flow.
    case connected
    /// The transport is gone: DTLS failed or closed, or consent expired.
    case closed(PeerTransportCloseReason)
}

public enum PeerTransportCloseReason: Equatable, Sendable {
    case consentExpired
    case dtls(DtlsError?)
    case srtpSetupFailed
    /// It did not connect within `MediaRouter.connectTimeout` of its creation.
    case connectTimeout
    /// The router could not create it.
    case setupFailed(TransportSetupError)
    case removed
}
