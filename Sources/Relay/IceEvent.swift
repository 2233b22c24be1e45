/// What the ICE-lite agent tells its owner.
public enum IceEvent: Equatable, Sendable {
    /// A valid check arrived from this address for the first time: the peer can be reached
    /// there, and what it sends from there is its own (RFC 8445 §7.3.1.4).
    case validated(TransportAddress)
    /// The peer nominated this address (USE-CANDIDATE, RFC 8445 §7.3.1.5): send media there.
    /// Emitted again when a nomination moves the path to a new address.
    case selected(TransportAddress)
    /// No valid check arrived on the selected path within the consent timeout (RFC 7675 §5.1):
    /// stop sending to it.
    case consentExpired
}
