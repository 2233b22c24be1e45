/// Where a node's load comes from: its rooms and participants, and the packets its media workers
/// forwarded so far (0 without a media plane).
struct NodeLoadSource: Sendable {
    var counts: @Sendable () async -> (rooms: Int, participants: Int, forwardedPackets: UInt64)
    var isDraining: @Sendable () -> Bool
}
