/// What a transport-wide feedback reports about one packet: lost, or received with its
/// arrival time as a delta from the previous received packet (or, for the first, from the
/// reference time), in ticks of 250 µs
/// (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1.1, §3.1.5).
public enum TransportFeedbackStatus: Equatable, Sendable {
    case notReceived
    /// A delta of 0...255 ticks, sent in one byte.
    case receivedSmallDelta(UInt8)
    /// A delta sent in two bytes, signed: negative, above 255 ticks, or whatever the sender chose.
    case receivedLargeDelta(Int16)

    /// The length of one receive-delta tick.
    public static let deltaTickMicroseconds: Int64 = 250

    /// A received packet, in the one-byte form when the delta fits it.
    public static func received(delta: Int16) -> TransportFeedbackStatus {
        (0...255).contains(delta) ? .receivedSmallDelta(UInt8(delta)) : .receivedLargeDelta(delta)
    }

    /// The receive delta in ticks, nil when the packet was not received.
    public var delta: Int16? {
        switch self {
        case .notReceived: nil
        case .receivedSmallDelta(let delta): Int16(delta)
        case .receivedLargeDelta(let delta): delta
        }
    }

    /// The symbol a packet chunk uses for this status.
    public var symbol: TransportFeedbackChunk.Symbol {
        switch self {
        case .notReceived: .notReceived
        case .receivedSmallDelta: .receivedSmallDelta
        case .receivedLargeDelta: .receivedLargeDelta
        }
    }

    /// Bytes of receive delta this status takes.
    var deltaSize: Int {
        switch self {
        case .notReceived: 0
        case .receivedSmallDelta: 1
        case .receivedLargeDelta: 2
        }
    }
}
