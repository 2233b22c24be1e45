/// Identifies a published track within the relay.
public struct TrackID: Hashable, Sendable, Codable, CustomStringConvertible {
    public let value: UInt64
    public init(_ value: UInt64) { self.value = value }
    public var description: String { "track-\(value)" }
}
