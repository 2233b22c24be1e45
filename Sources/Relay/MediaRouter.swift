import DTLS
import RTP

/// The SFU of one worker, without I/O: routes each datagram to its transport, forwards RTP
/// from publishers to subscribers with rewritten headers, carries keyframe requests upstream,
/// and counts whatever it drops. The socket loop feeds it datagrams and time.
public final class MediaRouter {
    /// Keyframe requests reach a publisher at most this often per track (nanoseconds).
    public static let keyframeRequestInterval: UInt64 = 500_000_000
    /// The largest datagram the relay accepts; anything bigger is no WebRTC packet.
    public static let maximumDatagramLength = 1500
    /// How often the relay sends its sender and receiver reports on every transport.
    public static let reportInterval: UInt64 = 1_000_000_000
    /// The largest RTCP compound the relay writes, leaving room for SRTCP's trailer.
    static let maximumReportSize = 1_100
    /// Bounds the work one NACK can ask for.
    static let maximumRetransmissionsPerNack = 64

    public private(set) var drops = DropCounters()
    public private(set) var forwardedPackets: UInt64 = 0
    public private(set) var retransmittedPackets: UInt64 = 0

    private let dtlsContext: DtlsContext
    private let onEvent: @Sendable (RouterEvent) -> Void
    private let relaySsrc = UInt32.random(in: 1...UInt32.max)
    private let wallClock = WallClock.anchoredNow()
    private var nextReportTime: UInt64?
    private var transports: [TransportID: PeerTransport] = [:]
    private var transportsByAddress: [TransportAddress: TransportID] = [:]
    private var transportsByUfrag: [String: TransportID] = [:]
    private var tracks: [TrackID: PublishedTrack] = [:]
    /// Per publish transport, the track of each incoming SSRC.
    private var tracksBySsrc: [TransportID: [UInt32: TrackID]] = [:]
    /// Per subscribe transport, the subscription of each outgoing SSRC.
    private var subscriptionsBySsrc: [TransportID: [UInt32: Subscription]] = [:]

    public init(dtlsContext: DtlsContext, onEvent: @escaping @Sendable (RouterEvent) -> Void) {
        self.dtlsContext = dtlsContext
        self.onEvent = onEvent
    }

    public var transportCount: Int { transports.count }
    public var trackCount: Int { tracks.count }
    public var subscriptionCount: Int { subscriptionsBySsrc.values.reduce(0) { $0 + $1.count } }

    public var statistics: MediaStatistics {
        var statistics = MediaStatistics()
        statistics.forwardedPackets = forwardedPackets
        statistics.retransmittedPackets = retransmittedPackets
        statistics.drops = drops
        statistics.transports = transportCount
        statistics.tracks = trackCount
        statistics.subscriptions = subscriptionCount
        return statistics
    }

    public func countDropped(_ reason: DropReason) {
        drops.count(reason)
    }

    // MARK: Commands from signaling

    /// Creates a transport that waits for the peer's ICE checks.
    public func addTransport(
        id: TransportID, localCredentials: IceCredentials, remoteCredentials: IceCredentials,
        remoteFingerprint: CertificateFingerprint
    ) throws(DtlsError) {
        let transport = try PeerTransport(
            id: id, localCredentials: localCredentials, remoteCredentials: remoteCredentials,
            dtlsContext: dtlsContext, remoteFingerprint: remoteFingerprint)
        transports[id] = transport
        transportsByUfrag[localCredentials.ufrag] = id
    }

    /// Removes a transport and everything it owned: its tracks and subscriptions.
    public func removeTransport(_ id: TransportID, sink: some DatagramSink) {
        guard let transport = transports[id] else { return }
        transport.close(sink: sink)
        forget(transport)
    }

    public func addTrack(_ description: TrackDescription) {
        let track = PublishedTrack(description: description)
        tracks[description.id] = track
        var bySsrc = tracksBySsrc[description.transport] ?? [:]
        for ssrc in description.ssrcs { bySsrc[ssrc] = description.id }
        tracksBySsrc[description.transport] = bySsrc
    }

    public func removeTrack(_ id: TrackID) {
        guard let track = tracks.removeValue(forKey: id) else { return }
        tracksBySsrc[track.description.transport] = tracksBySsrc[track.description.transport]?.filter { $0.value != id }
        for subscription in track.subscriptions {
            subscriptionsBySsrc[subscription.transport]?[subscription.ssrc] = nil
        }
    }

    /// Starts sending `track` on `transport` as `ssrc`, and asks the publisher for a keyframe
    /// so the new subscriber can start decoding.
    public func subscribe(track id: TrackID, transport: TransportID, ssrc: UInt32, payloadType: UInt8, now: UInt64, sink: some DatagramSink) {
        guard let track = tracks[id], transports[transport] != nil else { return }
        let subscription = Subscription(
            track: id, transport: transport, ssrc: ssrc, payloadType: payloadType,
            clockRate: track.description.clockRate)
        track.subscriptions.append(subscription)
        subscriptionsBySsrc[transport, default: [:]][ssrc] = subscription
        requestKeyframe(track, now: now, sink: sink)
    }

    public func unsubscribe(track id: TrackID, transport: TransportID) {
        guard let track = tracks[id] else { return }
        track.subscriptions.removeAll { subscription in
            guard subscription.transport == transport else { return false }
            subscriptionsBySsrc[transport]?[subscription.ssrc] = nil
            return true
        }
    }

    // MARK: Input

    public var nextTimeout: UInt64? {
        var earliest: UInt64? = transports.isEmpty ? nil : nextReportTime
        for transport in transports.values {
            if let deadline = transport.nextTimeout, deadline < earliest ?? .max { earliest = deadline }
        }
        return earliest
    }

    public func handleTimeout(now: UInt64, sink: some DatagramSink) {
        if let due = nextReportTime, due <= now, !transports.isEmpty {
            sendReports(now: now, sink: sink)
        }
        if nextReportTime.map({ $0 <= now }) ?? true {
            nextReportTime = now + Self.reportInterval
        }
        for transport in transports.values {
            if let deadline = transport.nextTimeout, deadline <= now {
                transport.handleTimeout(now: now, sink: sink)
                drainEvents(of: transport, now: now, sink: sink)
            }
        }
    }

    /// One received datagram. Its bytes may be modified in place (SRTP is decrypted there).
    public func handleDatagram(_ bytes: UnsafeMutableRawBufferPointer, from source: TransportAddress, now: UInt64, sink: some DatagramSink) {
        guard bytes.count <= Self.maximumDatagramLength else {
            drops.count(.oversizedDatagram)
            return
        }
        switch DatagramKind(classifying: UnsafeRawBufferPointer(bytes)) {
        case .stun: handleStun(bytes, from: source, now: now, sink: sink)
        case .dtls: handleDtls(bytes, from: source, now: now, sink: sink)
        case .rtp: handleRtp(bytes, from: source, now: now, sink: sink)
        case .rtcp: handleRtcp(bytes, from: source, now: now, sink: sink)
        case .unknown: drops.count(.unknownKind)
        }
    }

    private func handleStun(_ bytes: UnsafeMutableRawBufferPointer, from source: TransportAddress, now: UInt64, sink: some DatagramSink) {
        let raw = UnsafeRawBufferPointer(bytes)
        var transport = transportsByAddress[source].flatMap { transports[$0] }
        if transport == nil {
            // A new path: the request's USERNAME names our ufrag before the colon (RFC 8445 §7.2.2).
            guard let ufrag = StunMessage.localUfrag(inRequest: Array(raw)),
                let id = transportsByUfrag[String(ufrag)]
            else {
                drops.count(.unauthenticatedStun)
                return
            }
            transport = transports[id]
        }
        guard let transport else { return }
        transport.handleStun(raw, from: source, now: now, sink: sink)
        drainEvents(of: transport, now: now, sink: sink)
    }

    private func handleDtls(_ bytes: UnsafeMutableRawBufferPointer, from source: TransportAddress, now: UInt64, sink: some DatagramSink) {
        guard let id = transportsByAddress[source], let transport = transports[id] else {
            drops.count(.dtlsBeforeIce)
            return
        }
        do {
            try transport.handleDtls(UnsafeRawBufferPointer(bytes), from: source, now: now, sink: sink)
        } catch {
            drops.count(.dtlsFailure)
        }
        drainEvents(of: transport, now: now, sink: sink)
    }

    private func authenticatedTransport(from source: TransportAddress) -> PeerTransport? {
        guard let id = transportsByAddress[source], let transport = transports[id] else {
            drops.count(.unknownSource)
            return nil
        }
        guard transport.isConnected else {
            drops.count(.srtpBeforeDtls)
            return nil
        }
        return transport
    }

    private func count(_ error: SrtpError) {
        switch error {
        case .authenticationFailed: drops.count(.srtpAuthenticationFailed)
        case .replayed: drops.count(.srtpReplayed)
        default: drops.count(.malformedRtp)
        }
    }

    private func handleRtp(_ bytes: UnsafeMutableRawBufferPointer, from source: TransportAddress, now: UInt64, sink: some DatagramSink) {
        guard let publisher = authenticatedTransport(from: source) else { return }
        let length: Int
        do {
            length = try publisher.unprotectRtp(bytes)
        } catch {
            count(error)
            return
        }
        let packet = UnsafeMutableRawBufferPointer(rebasing: bytes[0..<length])
        let header: RtpHeader
        do {
            header = try RtpHeader.parse(UnsafeRawBufferPointer(packet))
        } catch {
            drops.count(.malformedRtp)
            return
        }
        guard let track = track(of: header, packet: UnsafeRawBufferPointer(packet), on: publisher.id) else {
            let isRetransmission = tracks.values.contains {
                $0.description.transport == publisher.id && $0.description.rtxSsrcs.contains(header.ssrc)
            }
            drops.count(isRetransmission ? .publisherRetransmission : .unknownSsrc)
            return
        }
        if track.packetsReceived == 0 { onEvent(.trackStarted(track.description.id)) }
        track.packetsReceived &+= 1
        guard header.ssrc == track.mediaSsrc else { return }
        track.receiveStatistics.record(sequenceNumber: header.sequenceNumber, timestamp: header.timestamp, arrival: now)
        // A packet too old to keep is still forwarded; it just cannot be repaired later.
        try? track.history?.store(sequenceNumber: header.sequenceNumber, bytes: UnsafeRawBufferPointer(packet), now: now)
        forward(packet, header: header, of: track, now: now, sink: sink)
    }

    /// The track an RTP packet belongs to: by SSRC, or for an SSRC not in the SDP (simulcast,
    /// or none signalled) by the mid header extension (RFC 8843 §15).
    private func track(of header: RtpHeader, packet: UnsafeRawBufferPointer, on transport: TransportID) -> PublishedTrack? {
        if let id = tracksBySsrc[transport]?[header.ssrc] { return tracks[id] }
        let candidates = tracks.values.filter { $0.description.transport == transport }
        for track in candidates {
            guard let extensionID = track.description.midExtensionID,
                let range = header.extensions(in: packet).element(id: extensionID),
                packet[range].elementsEqual(track.description.mid.utf8)
            else { continue }
            if track.description.rtxSsrcs.contains(header.ssrc) { return nil }
            tracksBySsrc[transport, default: [:]][header.ssrc] = track.description.id
            if track.mediaSsrc == nil { track.mediaSsrc = header.ssrc }
            return track
        }
        return nil
    }

    private func forward(_ packet: UnsafeMutableRawBufferPointer, header: RtpHeader, of track: PublishedTrack, now: UInt64, sink: some DatagramSink) {
        let source = UnsafeRawBufferPointer(packet)
        for subscription in track.subscriptions {
            guard let subscriber = transports[subscription.transport], subscriber.isConnected else { continue }
            subscriber.sendRtp(sink: sink) { buffer in
                let copy = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<source.count])
                copy.copyMemory(from: source)
                guard subscription.rewriter.rewrite(copy, header: header, now: now) else { return 0 }
                return source.count
            }
            subscription.packetsSent &+= 1
            subscription.octetsSent &+= UInt64(header.payloadRange.count)
            forwardedPackets &+= 1
        }
    }

    private func handleRtcp(_ bytes: UnsafeMutableRawBufferPointer, from source: TransportAddress, now: UInt64, sink: some DatagramSink) {
        guard let transport = authenticatedTransport(from: source) else { return }
        let length: Int
        do {
            length = try transport.unprotectRtcp(bytes)
        } catch {
            count(error)
            return
        }
        let compound: RtcpCompound
        do {
            compound = try RtcpCompound.parse(UnsafeRawBufferPointer(rebasing: bytes[0..<length]))
        } catch {
            drops.count(.malformedRtcp)
            return
        }
        for packet in compound.packets {
            switch packet {
            case .pictureLossIndication(let pli):
                keyframeWanted(mediaSsrc: pli.mediaSsrc, by: transport.id, now: now, sink: sink)
            case .fullIntraRequest(let fir):
                for entry in fir.entries { keyframeWanted(mediaSsrc: entry.ssrc, by: transport.id, now: now, sink: sink) }
            case .genericNack(let nack):
                retransmit(nack, to: transport, now: now, sink: sink)
            case .senderReport(let report):
                if let id = tracksBySsrc[transport.id]?[report.ssrc], let track = tracks[id], track.mediaSsrc == report.ssrc {
                    track.receiveStatistics.recordSenderReport(ntpTimestamp: report.ntpTimestamp, arrival: now)
                }
            default:
                break
            }
        }
    }

    /// Resends what a subscriber reports lost, from the track's history, rewritten as when it
    /// was first forwarded; packets no longer held are skipped.
    private func retransmit(_ nack: RtcpGenericNack, to subscriber: PeerTransport, now: UInt64, sink: some DatagramSink) {
        guard let subscription = subscriptionsBySsrc[subscriber.id]?[nack.mediaSsrc],
            let track = tracks[subscription.track], let history = track.history
        else { return }
        for lost in nack.lostSequenceNumbers.prefix(Self.maximumRetransmissionsPerNack) {
            guard let source = subscription.rewriter.sourceSequenceNumber(forOutgoing: lost) else { continue }
            let sent = history.withPacket(sequenceNumber: source, now: now) { stored -> Bool in
                guard let header = try? RtpHeader.parse(stored) else { return false }
                subscriber.sendRtp(sink: sink) { buffer in
                    guard stored.count <= buffer.count else { return 0 }
                    let copy = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<stored.count])
                    copy.copyMemory(from: stored)
                    return subscription.rewriter.rewrite(copy, header: header, now: now) ? stored.count : 0
                }
                return true
            }
            if sent == true { retransmittedPackets &+= 1 }
        }
    }

    /// A subscriber asked for a keyframe of one of its streams: pass it to the publisher.
    private func keyframeWanted(mediaSsrc: UInt32, by subscriber: TransportID, now: UInt64, sink: some DatagramSink) {
        guard let subscription = subscriptionsBySsrc[subscriber]?[mediaSsrc], let track = tracks[subscription.track] else { return }
        requestKeyframe(track, now: now, sink: sink)
    }

    /// Sends a PLI upstream, at most once per `keyframeRequestInterval` per track.
    private func requestKeyframe(_ track: PublishedTrack, now: UInt64, sink: some DatagramSink) {
        guard track.description.kind == .video, let mediaSsrc = track.mediaSsrc,
            let publisher = transports[track.description.transport], publisher.isConnected
        else { return }
        if let last = track.lastKeyframeRequest, now < last + Self.keyframeRequestInterval { return }
        track.lastKeyframeRequest = now
        guard let pli = try? RtcpPictureLossIndication(senderSsrc: relaySsrc, mediaSsrc: mediaSsrc).bytes() else { return }
        publisher.sendRtcp(pli, sink: sink)
    }

    /// RTCP is terminated per hop (RFC 3550 §6.4): each publisher hears receiver reports about
    /// the streams it sends the relay, each subscriber sender reports about the streams the
    /// relay sends it.
    private func sendReports(now: UInt64, sink: some DatagramSink) {
        let ntp = wallClock.ntpTimestamp(atMonotonic: now)
        var blocksByTransport: [TransportID: [RtcpReportBlock]] = [:]
        for track in tracks.values where track.receiveStatistics.packetsReceived > 0 {
            guard let ssrc = track.mediaSsrc else { continue }
            blocksByTransport[track.description.transport, default: []].append(track.receiveStatistics.reportBlock(ssrc: ssrc, now: now))
        }
        for (id, transport) in transports where transport.isConnected {
            var packets: [RtcpPacket] = []
            for subscription in subscriptionsBySsrc[id]?.values.sorted(by: { $0.ssrc < $1.ssrc }) ?? [] where subscription.packetsSent > 0 {
                guard let timestamp = subscription.rewriter.timestamp(at: now) else { continue }
                packets.append(.senderReport(RtcpSenderReport(
                    ssrc: subscription.ssrc, ntpTimestamp: ntp, rtpTimestamp: timestamp,
                    packetCount: UInt32(truncatingIfNeeded: subscription.packetsSent),
                    octetCount: UInt32(truncatingIfNeeded: subscription.octetsSent))))
            }
            // A report carries at most 31 blocks (RFC 3550 §6.4.2).
            var blocks = blocksByTransport[id] ?? []
            while !blocks.isEmpty {
                let chunk = Array(blocks.prefix(31))
                blocks.removeFirst(chunk.count)
                packets.append(.receiverReport(RtcpReceiverReport(ssrc: relaySsrc, reportBlocks: chunk)))
            }
            // As many compounds as it takes to keep each within one datagram.
            var compound: [RtcpPacket] = []
            var size = 0
            for packet in packets {
                if size + packet.marshalSize > Self.maximumReportSize, !compound.isEmpty {
                    send(compound, on: transport, sink: sink)
                    compound.removeAll()
                    size = 0
                }
                compound.append(packet)
                size += packet.marshalSize
            }
            if !compound.isEmpty { send(compound, on: transport, sink: sink) }
        }
    }

    private func send(_ packets: [RtcpPacket], on transport: PeerTransport, sink: some DatagramSink) {
        guard let bytes = try? RtcpCompound(packets: packets).bytes() else { return }
        transport.sendRtcp(bytes, sink: sink)
    }

    private func drainEvents(of transport: PeerTransport, now: UInt64, sink: some DatagramSink) {
        while let event = transport.pollEvent() {
            switch event {
            case .pathValidated(let address), .pathSelected(let address):
                transportsByAddress[address] = transport.id
            case .connected:
                onEvent(.transportConnected(transport.id))
                // Subscriptions made before the subscriber connected need a keyframe now.
                for subscription in subscriptionsBySsrc[transport.id].map({ Array($0.values) }) ?? [] {
                    if let track = tracks[subscription.track] {
                        track.lastKeyframeRequest = nil
                        requestKeyframe(track, now: now, sink: sink)
                    }
                }
            case .closed(let reason):
                forget(transport)
                onEvent(.transportClosed(transport.id, reason))
            }
        }
    }

    private func forget(_ transport: PeerTransport) {
        let id = transport.id
        transports[id] = nil
        transportsByUfrag[transport.localCredentials.ufrag] = nil
        transportsByAddress = transportsByAddress.filter { $0.value != id }
        for track in tracks.values where track.description.transport == id {
            removeTrack(track.description.id)
        }
        tracksBySsrc[id] = nil
        for track in tracks.values {
            track.subscriptions.removeAll { $0.transport == id }
        }
        subscriptionsBySsrc[id] = nil
    }
}
