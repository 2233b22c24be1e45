/// A relay link a track is sent over, and the track's number on it.
struct NodeLinkRoute {
    let link: NodeLink
    let number: UInt32
}
