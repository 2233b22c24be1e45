import Relay
/// The relay's answer to a publish offer, and what it learnt from the offer.
public struct SdpPublishAnswer: Equatable, Sendable {
    /// The answer to send back to the client.
    public var answer: SessionDescription
    /// The client's ICE credentials, fingerprint and DTLS role.
    public var remote: SdpRemoteTransport
    /// The accepted sections, in the offer's order.
    public var media: [SdpPublishedMedia]
    /// The mids of the sections the answer rejects.
    public var rejectedMids: [String]

    public init(answer: SessionDescription, remote: SdpRemoteTransport, media: [SdpPublishedMedia], rejectedMids: [String]) {
        self.answer = answer
        self.remote = remote
        self.media = media
        self.rejectedMids = rejectedMids
    }

    public func media(mid: String) -> SdpPublishedMedia? {
        media.first { $0.mid == mid }
    }
}
