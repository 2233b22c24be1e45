/// Why a NAL unit gives no picture size as an H.264 sequence parameter set.
public enum H264SequenceParameterSetError: Error, Equatable, Sendable {
    /// The NAL unit's type is not 7, a sequence parameter set.
    case notASequenceParameterSet(nalUnitType: UInt8)
    /// The NAL unit ends before the fields the picture size needs.
    case truncated
    /// A field holds a value the standard does not allow (an Exp-Golomb code longer than 32
    /// bits, a chroma format over 3, a picture order count type over 2, a cropping larger than
    /// the picture, ...).
    case valueOutOfRange
}
