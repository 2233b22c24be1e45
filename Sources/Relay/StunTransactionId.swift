/// The 96-bit transaction ID that pairs a STUN response with its request (RFC 8489 §5).
public struct StunTransactionId: Hashable, Sendable {
    public static let length = 12

    /// The 12 bytes in network order.
    public let bytes: [UInt8]

    /// An ID from exactly 12 bytes; nil for any other count.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == Self.length else { return nil }
        self.bytes = Array(bytes)
    }

    /// A fresh ID from a cryptographically secure generator, as RFC 8489 §5 asks.
    public static func random() -> StunTransactionId {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    public static func random(using generator: inout some RandomNumberGenerator) -> StunTransactionId {
        StunTransactionId(uncheckedBytes: (0..<length).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
    }

    /// For callers that have already checked the count.
    init(uncheckedBytes: [UInt8]) {
        bytes = uncheckedBytes
    }
}
