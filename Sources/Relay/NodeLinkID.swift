/// Identifies a relay link within a worker (`NodeLink`); both ends of a link use the same id.
public struct NodeLinkID: Hashable, Sendable, Codable, CustomStringConvertible {
    public let value: UInt64
    public init(_ value: UInt64) { self.value = value }
    public var description: String { "link-\(value)" }
}
