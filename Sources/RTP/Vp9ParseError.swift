/// Why an RTP payload is not a well-formed VP9 payload (RFC 9628 §4.2).
public enum Vp9ParseError: Error, Equatable, Sendable {
    /// The payload has no bytes, so not even the required first descriptor octet.
    case emptyPayload
    /// I=1 but the PictureID (one octet, or two when M=1) runs past the end.
    case truncatedPictureID
    /// L=1 but the TID/U/SID/D octet is missing.
    case truncatedLayerIndices
    /// L=1 in non-flexible mode but the TL0PICIDX octet is missing.
    case truncatedTl0PictureIndex
    /// F=1 and P=1 but a P_DIFF octet (the first, or one announced by N=1) is missing.
    case truncatedReferenceDiff
    /// A fourth P_DIFF is announced; a picture has at most three references.
    case tooManyReferenceDiffs
    /// V=1 but the scalability structure's first octet (N_S, Y, G) is missing.
    case truncatedScalabilityStructure
    /// Y=1 but the spatial layers' widths and heights run past the end.
    case truncatedSpatialLayerResolutions
    /// G=1 but N_G or a picture group description (T, U, R and its P_DIFFs) runs past the end.
    case truncatedPictureGroupDescription
    /// The descriptor takes the whole payload: no VP9 data follows it.
    case noFrameData
}
