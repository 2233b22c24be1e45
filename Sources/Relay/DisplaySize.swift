/// The size at which a subscriber shows a track, in device pixels; zero when it is not on its
/// screen.
public struct DisplaySize: Sendable, Equatable {
    /// Larger than any screen: a size past this is no tile.
    public static let maximumSide = 16_384

    public var width: Int
    public var height: Int

    public init(width: Int, height: Int) {
        self.width = min(max(width, 0), Self.maximumSide)
        self.height = min(max(height, 0), Self.maximumSide)
    }

    public var isVisible: Bool { width > 0 && height > 0 }
}
