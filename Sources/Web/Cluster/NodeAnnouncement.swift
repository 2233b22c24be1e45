/// What a node tells the directory about itself when it registers: how to reach it.
public struct NodeAnnouncement: Sendable, Equatable {
    public var nodeID: String
    public var publicURL: String
    /// The addresses in the relay's ICE candidates, most preferred first.
    public var mediaAddresses: [String]
    /// The UDP port of each media worker; empty without a media plane.
    public var mediaPorts: [Int]
    public var httpPort: Int
    /// The media plane's DTLS certificate fingerprint (`sha-256 AB:...`), which another node
    /// puts in the SDP of the participants whose media it places here; nil without a media plane.
    public var mediaFingerprint: String?

    public init(
        nodeID: String, publicURL: String, mediaAddresses: [String], mediaPorts: [Int], httpPort: Int,
        mediaFingerprint: String? = nil
    ) {
        self.nodeID = nodeID
        self.publicURL = publicURL
        self.mediaAddresses = mediaAddresses
        self.mediaPorts = mediaPorts
        self.httpPort = httpPort
        self.mediaFingerprint = mediaFingerprint
    }
}
