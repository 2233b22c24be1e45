import Relay
/// An `a=ssrc-group` line (RFC 5576 §4.2): `FID` pairs a media SSRC with its RTX SSRC
/// (RFC 4588 §8.7), `SIM` lists the SSRCs of simulcast layers, lowest first.
public struct SdpSsrcGroup: Equatable, Sendable {
    public var semantics: String
    public var ssrcs: [UInt32]

    public init(semantics: String, ssrcs: [UInt32]) {
        self.semantics = semantics
        self.ssrcs = ssrcs
    }

    public init?(sdpValue: String) {
        let parts = sdpValue.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count >= 2 else { return nil }
        var ssrcs: [UInt32] = []
        for part in parts.dropFirst() {
            guard let ssrc = UInt32(part) else { return nil }
            ssrcs.append(ssrc)
        }
        self.init(semantics: String(parts[0]), ssrcs: ssrcs)
    }

    public var sdpValue: String {
        ([semantics] + ssrcs.map(String.init)).joined(separator: " ")
    }
}
