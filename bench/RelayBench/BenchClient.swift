/// A benchmark participant, whatever SFU it talks to: what it publishes and what it receives.
protocol BenchClient: AnyObject {
    var publisher: BenchPublisher? { get }
    var subscriber: BenchSubscriber? { get }
}

extension BenchClient {
    /// Every media socket of this participant.
    var peers: [BenchPeer] { [publisher?.peer, subscriber?.peer].compactMap { $0 } }
}
