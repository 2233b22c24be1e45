/// The tile sizes the receive-only subscribers of a simulcast scenario show the publishers in,
/// by their index: a thumbnail that the lowest layer covers, a tile for the middle one, and no
/// size at all (the relay then sends the top layer the estimate allows), in turn.
enum SimulcastTiles {
    struct Tile {
        var name: String
        var size: (width: Int, height: Int)?
    }

    static let cycle = [
        Tile(name: "160x90 tile", size: (160, 90)),
        Tile(name: "320x180 tile", size: (320, 180)),
        Tile(name: "no tile size", size: nil),
    ]

    static func tile(ofSubscriber index: Int) -> Tile { cycle[index % cycle.count] }
}
