/// The size at which a subscriber shows a track, in device pixels; zero when it is not on its
/// screen.
public struct DisplaySize: Sendable, Equatable, Codable {
    /// Larger than any screen: a size past this is no tile.
    public static let maximumSide = 16_384

    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = min(max(width, 0), Self.maximumSide)
        self.height = min(max(height, 0), Self.maximumSide)
    }

    /// Decoded sizes are bounded as made ones are.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(width: try container.decode(Int.self, forKey: .width), height: try container.decode(Int.self, forKey: .height))
    }

    public var isVisible: Bool { width > 0 && height > 0 }
}
