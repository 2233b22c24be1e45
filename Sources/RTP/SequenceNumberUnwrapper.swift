/// Extends 16-bit sequence numbers (RTP, transport-wide) past their wrap-around into a 64-bit
/// count, taking each new number as the nearest extension of the last one unwrapped: a step of
/// less than half the space is a move forward or back (RFC 3550 Appendix A.1). The one
/// unwrapper the project uses wherever a 16-bit counter wraps.
public struct SequenceNumberUnwrapper: Sendable {
    /// The last value unwrapped, nil before the first.
    public private(set) var last: Int64?

    public init() {}

    /// The extended value of `sequenceNumber`, which becomes the reference for the next one.
    public mutating func unwrap(_ sequenceNumber: UInt16) -> Int64 {
        let extended = peek(sequenceNumber)
        last = extended
        return extended
    }

    /// The extended value of `sequenceNumber` without moving the reference.
    public func peek(_ sequenceNumber: UInt16) -> Int64 {
        guard let last else { return Int64(sequenceNumber) }
        return Self.extend(sequenceNumber, near: last)
    }

    /// The extension of `sequenceNumber` nearest to `reference`, for a caller that keeps its
    /// own reference (the highest number seen, say).
    public static func extend(_ sequenceNumber: UInt16, near reference: Int64) -> Int64 {
        let step = Int16(bitPattern: sequenceNumber &- UInt16(truncatingIfNeeded: reference))
        return reference + Int64(step)
    }
}
