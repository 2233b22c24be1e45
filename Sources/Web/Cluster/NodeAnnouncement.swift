/// What a node tells the directory about itself when it registers: how to reach it.
public struct NodeAnnouncement: Sendable, Equatable {
    public var nodeID: String
    public var publicURL: String
    /// The addresses in the relay's ICE candidates, most preferred first.
    public var mediaAddresses: [String]
    /// The UDP port of each media worker; empty without a media plane.
    public var mediaPorts: [Int]
    public var httpPort: Int

    public init(nodeID: String, publicURL: String, mediaAddresses: [String], mediaPorts: [Int], httpPort: Int) {
        self.nodeID = nodeID
        self.publicURL = publicURL
        self.mediaAddresses = mediaAddresses
        self.mediaPorts = mediaPorts
        self.httpPort = httpPort
    }
}
