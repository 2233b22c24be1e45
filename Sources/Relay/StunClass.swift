/// The class of a STUN message: the two bits C1 and C0 of the message type (RFC 8489 §5).
public enum StunClass: UInt8, Sendable {
    case request = 0b00
    case indication = 0b01
    case successResponse = 0b10
    case errorResponse = 0b11
}
