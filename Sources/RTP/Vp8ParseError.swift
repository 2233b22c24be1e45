/// Why an RTP payload is not a well-formed VP8 payload (RFC 7741 §4).
public enum Vp8ParseError: Error, Equatable, Sendable {
    /// The payload has no bytes, so not even the required first descriptor octet.
    case emptyPayload
    /// X=1 but the extension octet (I, L, T, K) is missing.
    case truncatedExtension
    /// I=1 but the PictureID (one octet, or two when M=1) runs past the end.
    case truncatedPictureID
    /// L=1 but the TL0PICIDX octet is missing.
    case truncatedTl0PictureIndex
    /// T=1 or K=1 but the TID/Y/KEYIDX octet is missing.
    case truncatedTemporalLayerOctet
    /// The descriptor takes the whole payload: no VP8 data follows it.
    case noFrameData
}
