/// The receive-only subscribers of a simulcast scenario, by their index, in turn: a thumbnail
/// that the lowest layer covers, a tile for the middle one, no size at all (the relay then sends
/// the top layer the estimate allows), and no size behind a 1 Mbit/s downlink (the estimate then
/// decides).
enum SimulcastTiles {
    struct Viewer {
        var name: String
        var size: (width: Int, height: Int)?
        /// Bits per second the subscriber's downlink carries; nil: what loopback carries.
        var downlink: Int?
    }

    static let cycle = [
        Viewer(name: "160x90 tile", size: (160, 90)),
        Viewer(name: "320x180 tile", size: (320, 180)),
        Viewer(name: "no tile size", size: nil),
        Viewer(name: "no tile size, 1 Mbit/s downlink", size: nil, downlink: 1_000_000),
    ]

    static func viewer(ofSubscriber index: Int) -> Viewer { cycle[index % cycle.count] }
}
