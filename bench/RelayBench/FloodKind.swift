/// The kinds of bad datagram the flooder sends to the relay's media port (`Flooder`).
enum FloodKind: String, CaseIterable, Codable, Sendable {
    /// Random bytes of random length: empty, oversized, and with a first byte in each range of
    /// RFC 7983 (STUN, DTLS, RTP/RTCP) and outside them all.
    case randomBytes
    /// STUN Binding requests whose USERNAME names no transport on the relay.
    case stunUnknownUfrag
    /// STUN Binding requests naming a real transport's ufrag, with a wrong MESSAGE-INTEGRITY or
    /// a wrong remote ufrag: they get past the router to that transport's ICE agent.
    case stunRealUfrag
    /// SRTP with a real publisher's SSRC, a garbage payload and auth tag.
    case forgedSrtp
    /// SRTCP sender reports and PLIs with a real publisher's SSRC and a garbage tag.
    case forgedSrtcp

    /// Its share of the mix, out of the sum of all shares.
    var share: Int {
        switch self {
        case .randomBytes: 4
        case .stunUnknownUfrag, .stunRealUfrag: 2
        case .forgedSrtp: 3
        case .forgedSrtcp: 1
        }
    }
}
