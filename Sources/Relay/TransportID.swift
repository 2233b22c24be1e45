/// Identifies a transport within the relay.
public struct TransportID: Hashable, Sendable, Codable, CustomStringConvertible {
    public let value: UInt64
    public init(_ value: UInt64) { self.value = value }
    public var description: String { "transport-\(value)" }
}
