import RTP

/// Relay links to workers of other nodes (`NodeLink`): the tracks sent over them and those that
/// arrive over them, keyframe requests and repairs across, and the link's own datagrams.
extension MediaRouter {
    /// Opens this worker's end of a link; one that cannot be set up is reported (`linkFailed`).
    public func openLink(_ setup: NodeLinkSetup) {
        guard links[setup.id] == nil else { return }
        do {
            let link = try NodeLink(setup)
            links[setup.id] = link
            linksByAddress[setup.remote] = link
        } catch {
            onEvent(.linkFailed(setup.id))
        }
    }

    /// Closes a link: nothing more is sent over it, and the tracks that arrived over it end here.
    public func closeLink(_ id: NodeLinkID) {
        guard let link = links.removeValue(forKey: id) else { return }
        closedLinkTraffic = closedLinkTraffic + link.traffic
        if linksByAddress[link.remote] === link { linksByAddress[link.remote] = nil }
        for track in tracks.values {
            track.links.removeAll { $0.link === link }
        }
        for id in link.inbound.values { removeTrack(id) }
    }

    /// Sends every packet of `id` over the link too, as the track numbered `number` on it.
    public func sendOverLink(_ id: TrackID, link linkID: NodeLinkID, number: UInt32) {
        guard let track = tracks[id], let link = links[linkID], number < 1 << (32 - NodeLink.layerBits),
            !track.links.contains(where: { $0.link === link })
        else { return }
        track.links.append(NodeLinkRoute(link: link, number: number))
        link.outbound[number] = id
    }

    public func stopSendingOverLink(_ id: TrackID, link linkID: NodeLinkID) {
        guard let track = tracks[id], let link = links[linkID] else { return }
        for route in track.links where route.link === link { link.outbound[route.number] = nil }
        track.links.removeAll { $0.link === link }
    }

    /// A track published on another node, whose packets arrive over the link as the track
    /// numbered `number` on it; subscribing to it here is as to a track published here.
    /// `removeTrack` ends it.
    public func addLinkedTrack(_ description: TrackDescription, link linkID: NodeLinkID, number: UInt32) {
        guard tracks[description.id] == nil, let link = links[linkID], link.inbound[number] == nil else { return }
        tracks[description.id] = PublishedTrack(description: description, source: .link(link, number: number))
        link.inbound[number] = description.id
    }

    /// A datagram from a link's address: a packet of a track, or the other end's RTCP.
    func handleLinkDatagram(
        _ bytes: UnsafeMutableRawBufferPointer, on link: NodeLink, now: UInt64, arrival: UInt64, sink: some DatagramSink
    ) {
        switch DatagramKind(classifying: UnsafeRawBufferPointer(bytes)) {
        case .rtp:
            let opened: (stream: UInt32, packet: Range<Int>)
            do {
                opened = try link.open(bytes, now: now)
            } catch {
                drops.count(.linkRefused)
                return
            }
            let number = opened.stream >> NodeLink.layerBits
            let layer = Int(opened.stream & (1 << NodeLink.layerBits - 1))
            guard let id = link.inbound[number], let track = tracks[id], track.layers.indices.contains(layer) else {
                drops.count(.linkedTrackGone)
                return
            }
            forwardRelayed(
                UnsafeRawBufferPointer(rebasing: bytes[opened.packet]), of: track, layer: layer, now: now, arrival: arrival,
                sink: sink)
        case .rtcp:
            let compound: RtcpCompound
            do {
                compound = try link.openRtcp(bytes)
            } catch {
                drops.count(.linkRefused)
                return
            }
            for packet in compound.packets {
                switch packet {
                case .pictureLossIndication(let pli):
                    keyframeWanted(overLink: link, stream: pli.mediaSsrc, now: now, sink: sink)
                case .genericNack(let nack):
                    link.resend(nack, now: now, sink: sink)
                default:
                    break
                }
            }
        default:
            drops.count(.linkRefused)
        }
    }

    /// The other end asked for a keyframe of one of the streams sent to it.
    private func keyframeWanted(overLink link: NodeLink, stream: UInt32, now: UInt64, sink: some DatagramSink) {
        link.keyframeRequested()
        guard let id = link.outbound[stream >> NodeLink.layerBits], let track = tracks[id] else { return }
        requestKeyframe(track, layer: Int(stream & (1 << NodeLink.layerBits - 1)), now: now, sink: sink)
    }

    /// When a link next has lost packets to ask for.
    var linkDeadline: UInt64? {
        var earliest: UInt64?
        for link in links.values {
            if let deadline = link.nacks.nextTimeout, deadline < earliest ?? .max { earliest = deadline }
        }
        return earliest
    }

    func handleLinkTimeouts(now: UInt64, sink: some DatagramSink) {
        for link in links.values {
            if let deadline = link.nacks.nextTimeout, deadline <= now { link.sendNack(now: now, sink: sink) }
        }
    }

    /// What crossed every link of this worker, those closed since included.
    public var linkTraffic: NodeLinkTraffic {
        links.values.reduce(closedLinkTraffic) { $0 + $1.traffic }
    }
}
