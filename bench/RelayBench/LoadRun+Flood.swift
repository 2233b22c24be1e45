import Foundation
import Relay

extension LoadRun {
    /// What the flooder aims at, from the connected call: the relay's media address, the ICE
    /// ufrags of both ends of every transport and the publishers' SSRCs. Nil before any
    /// transport connected.
    static func floodTarget(participants: [any BenchClient]) -> FloodTarget? {
        let peers = participants.flatMap(\.peers)
        guard let address = peers.lazy.compactMap(\.remote?.address).first else { return nil }
        let ufrags = peers.compactMap { peer in peer.remote.map { (relay: $0.credentials.ufrag, peer: peer.credentials.ufrag) } }
        let ssrcs = participants.compactMap(\.publisher).flatMap { publisher in
            publisher.hasVideo ? [publisher.audioSsrc, publisher.videoSsrc, publisher.rtxSsrc] : [publisher.audioSsrc]
        }
        return FloodTarget(address: address, ufrags: ufrags, ssrcs: ssrcs)
    }

    /// The drops the flood can cause, summed: settled once two reads 200 ms apart agree.
    static func floodDrops(in metrics: [String: Double]?) -> Double? {
        guard let metrics else { return nil }
        return FloodResult.floodReasons.reduce(0) { $0 + (metrics[#"relay_dropped_datagrams_total{reason=""# + $1.label + #""}"#] ?? 0) }
    }
}
