import RTP

/// One end of a relay link: SRTP over UDP between this worker and a worker of another node of
/// the cluster, carrying across the tracks that a room on both nodes needs on the other side,
/// each packet once whatever the number of subscribers there.
///
/// On the wire, each packet of a track crosses unchanged as the payload of an RTP packet of the
/// link's own (RFC 3550 §5.1 header, no CSRC, no extension): payload type `payloadType`, the
/// link's sequence number (one per direction, so the other end sees any loss on the link and
/// asks for it once for all tracks), the timestamp field naming the stream (the track's number
/// on the link shifted left by `layerBits`, or'd with the layer) and the link's SSRC. The whole
/// is protected with AEAD_AES_128_GCM (RFC 7714), the inner packet and its header encrypted.
/// RTCP back over the link is SRTCP with the same keys: a PLI whose media SSRC is a stream asks
/// for a keyframe of that layer; a generic NACK lists the link sequence numbers the other end
/// missed, resent from the link's history.
final class NodeLink {
    static let payloadType: UInt8 = 96
    static let headerLength = 12
    static let layerBits: UInt32 = 4
    /// The largest track packet that crosses: a datagram less the link's header and tag.
    static let maximumInnerLength =
        MediaRouter.maximumDatagramLength - headerLength - SrtpProfile.aeadAes128Gcm.rtpOverhead
    /// Links run between machines of one deployment: a lost packet is asked for again soon.
    static let nackRetryInterval: UInt64 = 20_000_000

    let id: NodeLinkID
    let remote: TransportAddress
    let ssrc = UInt32.random(in: 1...UInt32.max)
    private let sender: SrtpSession
    private let receiver: SrtpSession
    private var nextSequenceNumber = UInt16.random(in: .min ... .max)
    /// The protected packets sent lately, resent as they are when the other end misses them.
    private var history: RetransmissionBuffer
    /// Link packets that did not arrive.
    var nacks = NackGenerator(retryInterval: nackRetryInterval, maximumRequests: 5, maximumAge: 500_000_000)
    /// The other end's SSRC, once a packet of it authenticated: NACKs name it.
    private(set) var remoteSsrc: UInt32?
    /// Tracks sent over the link, and tracks that arrive over it, by their number on the link.
    var outbound: [UInt32: TrackID] = [:]
    var inbound: [UInt32: TrackID] = [:]
    private(set) var traffic = NodeLinkTraffic()

    init(_ setup: NodeLinkSetup) throws(NodeLinkError) {
        id = setup.id
        remote = setup.remote
        do {
            sender = try SrtpSession(profile: .aeadAes128Gcm, keyingMaterial: setup.sending, direction: .outbound)
            receiver = try SrtpSession(profile: .aeadAes128Gcm, keyingMaterial: setup.receiving, direction: .inbound)
            history = try RetransmissionBuffer(
                capacity: 1_024, slotSize: MediaRouter.maximumDatagramLength, maximumAge: 500_000_000)
        } catch {
            throw .setup(String(describing: error))
        }
    }

    static func stream(track number: UInt32, layer: Int) -> UInt32 {
        number << layerBits | UInt32(layer)
    }

    /// Sends one packet of stream `stream` across; false when it is too large to.
    func send(
        _ packet: UnsafeRawBufferPointer, stream: UInt32, arrival: UInt64, now: UInt64, sink: some DatagramSink
    ) -> Bool {
        guard packet.count <= Self.maximumInnerLength else { return false }
        let sequenceNumber = nextSequenceNumber
        nextSequenceNumber &+= 1
        sink.send(to: remote, origin: arrival) { buffer in
            let length = Self.headerLength + packet.count
            guard length + SrtpProfile.aeadAes128Gcm.rtpOverhead <= buffer.count else { return 0 }
            writeHeader(sequenceNumber: sequenceNumber, stream: stream, into: buffer)
            UnsafeMutableRawBufferPointer(rebasing: buffer[Self.headerLength..<length]).copyMemory(from: packet)
            guard let protected = try? sender.protectRtp(buffer, length: length) else { return 0 }
            try? history.store(
                sequenceNumber: sequenceNumber, bytes: UnsafeRawBufferPointer(rebasing: buffer[0..<protected]), now: now)
            traffic.packetsSent &+= 1
            traffic.bytesSent &+= UInt64(protected)
            return protected
        }
        return true
    }

    private func writeHeader(sequenceNumber: UInt16, stream: UInt32, into buffer: UnsafeMutableRawBufferPointer) {
        buffer[0] = 0x80
        buffer[1] = Self.payloadType
        buffer.storeBytes(of: sequenceNumber.bigEndian, toByteOffset: 2, as: UInt16.self)
        buffer.storeBytes(of: stream.bigEndian, toByteOffset: 4, as: UInt32.self)
        buffer.storeBytes(of: ssrc.bigEndian, toByteOffset: 8, as: UInt32.self)
    }

    /// A link packet received: authenticated and decrypted in place; the stream it carries and
    /// where the track's packet lies in `bytes`.
    func open(_ bytes: UnsafeMutableRawBufferPointer, now: UInt64) throws(NodeLinkError) -> (stream: UInt32, packet: Range<Int>) {
        let length: Int
        do {
            length = try receiver.unprotectRtp(bytes, length: bytes.count)
        } catch {
            throw .unauthenticated(error)
        }
        guard length > Self.headerLength, bytes[0] == 0x80, bytes[1] & 0x7F == Self.payloadType else { throw .malformed }
        let sequenceNumber = UInt16(bytes[2]) << 8 | UInt16(bytes[3])
        let stream = bytes.loadUnaligned(fromByteOffset: 4, as: UInt32.self).bigEndian
        remoteSsrc = bytes.loadUnaligned(fromByteOffset: 8, as: UInt32.self).bigEndian
        nacks.received(sequenceNumber, now: now)
        traffic.packetsReceived &+= 1
        traffic.bytesReceived &+= UInt64(bytes.count)
        return (stream, Self.headerLength..<length)
    }

    /// SRTCP received over the link, decrypted in place: the RTCP packets it holds.
    func openRtcp(_ bytes: UnsafeMutableRawBufferPointer) throws(NodeLinkError) -> RtcpCompound {
        let length: Int
        do {
            length = try receiver.unprotectRtcp(bytes, length: bytes.count)
        } catch {
            throw .unauthenticated(error)
        }
        do {
            return try RtcpCompound.parse(UnsafeRawBufferPointer(rebasing: bytes[0..<length]))
        } catch {
            throw .malformed
        }
    }

    /// Asks the other end for a keyframe of `stream`.
    func requestKeyframe(of stream: UInt32, sink: some DatagramSink) {
        guard let pli = try? RtcpPictureLossIndication(senderSsrc: ssrc, mediaSsrc: stream).bytes() else { return }
        traffic.keyframeRequestsSent &+= 1
        sendRtcp(pli, sink: sink)
    }

    /// The NACK for the link packets missing now, if any is due.
    func sendNack(now: UInt64, sink: some DatagramSink) {
        guard let remoteSsrc else { return }
        let lost = nacks.pollNack(now: now)
        guard !lost.isEmpty,
            let nack = try? RtcpGenericNack(senderSsrc: ssrc, mediaSsrc: remoteSsrc, lostSequenceNumbers: lost).bytes()
        else { return }
        traffic.requestedRetransmissions &+= UInt64(lost.count)
        sendRtcp(nack, sink: sink)
    }

    /// Sends again the link packets the other end reports lost, those still held.
    func resend(_ nack: RtcpGenericNack, now: UInt64, sink: some DatagramSink) {
        guard nack.mediaSsrc == ssrc else { return }
        for lost in nack.lostSequenceNumbers.prefix(MediaRouter.maximumRetransmissionsPerNack) {
            _ = history.withPacket(sequenceNumber: lost, now: now) { stored in
                sink.send(to: remote) { buffer in
                    guard stored.count <= buffer.count else { return 0 }
                    buffer.copyMemory(from: stored)
                    return stored.count
                }
                traffic.retransmissions &+= 1
            }
        }
    }

    func keyframeRequested() {
        traffic.keyframeRequestsReceived &+= 1
    }

    private func sendRtcp(_ packet: [UInt8], sink: some DatagramSink) {
        sink.send(to: remote) { buffer in
            guard packet.count + SrtpProfile.aeadAes128Gcm.rtcpOverhead <= buffer.count else { return 0 }
            buffer.copyBytes(from: packet)
            return (try? sender.protectRtcp(buffer, length: packet.count)) ?? 0
        }
    }
}
