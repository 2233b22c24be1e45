import DTLS

/// Why the router could not create a transport.
public enum TransportSetupError: Error, Equatable, Sendable {
    /// A transport with this id exists already.
    case duplicate(TransportID)
    /// OpenSSL could not set up the DTLS endpoint.
    case dtls(DtlsError)
}
