import Relay

/// A relay link a room of this node uses between two places of its media (`RoomRegistry+Nodes`):
/// its id, and the number each track crossing it has on it.
struct SpanLink {
    /// The two places a link joins, in a fixed order, so either way round names the same link.
    struct Ends: Hashable {
        let first: MediaLocation
        let second: MediaLocation

        init(_ a: MediaLocation, _ b: MediaLocation) {
            if (a.node ?? "", a.worker) <= (b.node ?? "", b.worker) {
                (first, second) = (a, b)
            } else {
                (first, second) = (b, a)
            }
        }
    }

    let id: NodeLinkID
    var numbers: [TrackID: UInt32] = [:]
    var nextNumber: UInt32 = 1
}
