/// What the ICE-lite agent tells its transport.
public enum IceEvent: Equatable, Sendable {
    /// The controlling peer nominated this address (again when it moves).
    case selected(TransportAddress)
    /// No authenticated check arrived on the selected path within the consent timeout
    /// (RFC 7675 §5.1).
    case consentExpired
}
