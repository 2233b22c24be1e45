import Relay
import RTP

/// A publisher: sends the looped Opus clip every 20 ms and the VP8 clip either at its frame
/// rate or at a fixed packet rate. At the frame rate, each frame's packets leave spaced at 2.5
/// times the clip's bitrate, as a browser paces what it sends (a keyframe is spread over tens of
/// milliseconds, not sent in one burst). As a browser does, it stamps every packet with abs-send-time
/// and a transport-wide sequence number (one counter for the transport); its send time also
/// goes in the packet's padding (`SendTimePadding`), which the relay forwards untouched. A
/// simulcast publisher sends its clip as the top layer (`topRid`) and each of `lowerLayers`
/// beside it, on SSRCs the relay learns from their RIDs.
final class BenchPublisher {
    struct Pacing {
        /// Video packets a second regardless of frame timing, for max-rate runs; nil sends
        /// each frame's packets at the frame rate.
        var videoPacketsPerSecond: Int?
        var maximumPayload = 1100
    }

    let peer: BenchPeer
    let audioSsrc = UInt32.random(in: 1...UInt32.max)
    let videoSsrc = UInt32.random(in: 1...UInt32.max)
    let rtxSsrc = UInt32.random(in: 1...UInt32.max)
    private let audio: AudioClip
    private let video: VideoClip?
    private let pacing: Pacing
    private let batch = DatagramBatch(capacity: 64)
    private var audioSequence = UInt16.random(in: 0...UInt16.max)
    private var videoSequence = UInt16.random(in: 0...UInt16.max)
    private var audioTimestamp = UInt32.random(in: 0...UInt32.max)
    private var videoTimestamp = UInt32.random(in: 0...UInt32.max)
    private var transportSequence = UInt16.random(in: 0...UInt16.max)
    var rtxSequence = UInt16.random(in: 0...UInt16.max)
    /// The video packets sent lately, by sequence number modulo the capacity, for NACKs.
    var sentVideo = [SentVideo?](repeating: nil, count: 1024)
    private var audioIndex = 0
    /// Video frames of the main clip begun so far; the latest is the one being sent, and its
    /// number (from 1) goes in each of its packets' padding.
    private var frameIndex = 0
    private var pendingVideo: [[UInt8]] = []
    /// At the frame rate: packets of begun frames not sent yet, and when the next may go.
    private var pacedVideo: [PacedVideo] = []
    private var nextPacedVideo: UInt64 = 0
    /// A browser's pacing factor over its target bitrate.
    static let pacingFactor = 2.5
    /// Simulcast: the top layer's RID (the main clip), and the layers below it.
    let topRid: String?
    private var lowerLayers: [SimulcastLayer]
    /// Nanoseconds between Opus frames (20 ms each).
    static let audioInterval: UInt64 = 20_000_000
    private var nextAudio: UInt64 = 0
    private var nextVideo: UInt64 = 0
    private(set) var packetsSent: UInt64 = 0
    private(set) var videoPacketsSent: UInt64 = 0
    private(set) var audioPacketsSent: UInt64 = 0
    /// What the SFU sent back on this transport, counted by `handleRtcp`, and the answers.
    var rtcpReceived = RtcpCounts()

    init(peer: BenchPeer, audio: AudioClip, video: VideoClip?, pacing: Pacing, topRid: String? = nil, lowerLayers: [SimulcastLayer] = []) {
        self.peer = peer
        self.audio = audio
        self.video = video
        self.pacing = pacing
        self.topRid = topRid
        self.lowerLayers = lowerLayers
    }

    /// Every layer's RID, lowest first; empty without simulcast.
    var rids: [String] { topRid.map { lowerLayers.map(\.rid) + [$0] } ?? [] }

    var hasVideo: Bool { video != nil }

    /// Frames of the main clip sent whole (a paced frame still being sent is not).
    var videoFramesSent: Int { frameIndex - (pendingVideo.isEmpty ? 0 : 1) - pacedVideo.filter(\.marker).count }

    func start(at now: UInt64) {
        nextAudio = now
        nextVideo = now
        for index in lowerLayers.indices { lowerLayers[index].nextFrame = now }
    }

    /// The earliest time something is due.
    var nextDue: UInt64 {
        let lower = lowerLayers.map(\.nextFrame).min() ?? .max
        let paced = pacedVideo.isEmpty ? UInt64.max : nextPacedVideo
        return video == nil ? nextAudio : min(nextAudio, nextVideo, lower, paced)
    }

    /// Sends what is due at `now`. After a stall longer than 100 ms the schedule restarts
    /// rather than bursting to catch up.
    func sendDue(now: UInt64) {
        if now > nextAudio + 100_000_000 { nextAudio = now }
        while nextAudio <= now {
            let payload = audio.frames[audioIndex % audio.frames.count]
            audioIndex += 1
            send(payload, payloadType: BenchSdp.opusPayloadType, ssrc: audioSsrc, sequence: &audioSequence, timestamp: audioTimestamp, marker: false, mid: "0", now: now)
            audioTimestamp &+= UInt32(AudioClip.samplesPerFrame)
            audioPacketsSent &+= 1
            nextAudio += Self.audioInterval
        }
        if let video {
            if now > nextVideo + 100_000_000 { nextVideo = now }
            let frameTicks = UInt32(90_000 / video.frameRate)
            if let rate = pacing.videoPacketsPerSecond {
                let interval = 1_000_000_000 / UInt64(max(rate, 1))
                while nextVideo <= now {
                    if pendingVideo.isEmpty { pendingVideo = nextFramePayloads(video) }
                    let payload = pendingVideo.removeFirst()
                    sendVideo(
                        payload, marker: pendingVideo.isEmpty, timestamp: videoTimestamp,
                        frame: UInt32(truncatingIfNeeded: frameIndex) & 0xFF_FFFF, now: now)
                    if pendingVideo.isEmpty { videoTimestamp &+= frameTicks }
                    nextVideo += interval
                }
            } else {
                while nextVideo <= now {
                    let payloads = nextFramePayloads(video)
                    let frame = UInt32(truncatingIfNeeded: frameIndex) & 0xFF_FFFF
                    for (index, payload) in payloads.enumerated() {
                        pacedVideo.append(PacedVideo(
                            payload: payload, marker: index == payloads.count - 1, timestamp: videoTimestamp, frame: frame))
                    }
                    videoTimestamp &+= frameTicks
                    nextVideo += 1_000_000_000 / UInt64(video.frameRate)
                }
                sendPacedVideo(now: now, bitrate: Double(video.bitrate) * Self.pacingFactor)
            }
        }
        for index in lowerLayers.indices { sendLowerLayer(index, now: now) }
        flush()
    }

    /// Sends the begun frames' packets the pacing allows at `now`, `bitrate` bits per second.
    private func sendPacedVideo(now: UInt64, bitrate: Double) {
        if nextPacedVideo < now { nextPacedVideo = now }
        var sent = 0
        while sent < pacedVideo.count, nextPacedVideo <= now {
            let packet = pacedVideo[sent]
            sendVideo(packet.payload, marker: packet.marker, timestamp: packet.timestamp, frame: packet.frame, now: now)
            nextPacedVideo += UInt64(Double(packet.payload.count * 8) * 1e9 / max(bitrate, 1))
            sent += 1
        }
        pacedVideo.removeFirst(sent)
    }

    private func sendLowerLayer(_ index: Int, now: UInt64) {
        if now > lowerLayers[index].nextFrame + 100_000_000 { lowerLayers[index].nextFrame = now }
        while lowerLayers[index].nextFrame <= now {
            let clip = lowerLayers[index].clip
            let frame = clip.frames[lowerLayers[index].frameIndex % clip.frames.count]
            lowerLayers[index].frameIndex += 1
            let payloads = VideoClip.packetize(frame, maximumPayload: pacing.maximumPayload)
            for (number, payload) in payloads.enumerated() {
                send(
                    payload, payloadType: BenchSdp.vp8PayloadType, ssrc: lowerLayers[index].ssrc, sequence: &lowerLayers[index].sequence,
                    timestamp: lowerLayers[index].timestamp, marker: number == payloads.count - 1, mid: "1", rid: lowerLayers[index].rid,
                    now: now)
            }
            lowerLayers[index].timestamp &+= UInt32(90_000 / clip.frameRate)
            lowerLayers[index].nextFrame += 1_000_000_000 / UInt64(clip.frameRate)
        }
    }

    private func nextFramePayloads(_ video: VideoClip) -> [[UInt8]] {
        let frame = video.frames[frameIndex % video.frames.count]
        frameIndex += 1
        return VideoClip.packetize(frame, maximumPayload: pacing.maximumPayload)
    }

    private func sendVideo(_ payload: [UInt8], marker: Bool, timestamp: UInt32, frame: UInt32, now: UInt64) {
        sentVideo[Int(videoSequence) % sentVideo.count] = SentVideo(
            sequenceNumber: videoSequence, timestamp: timestamp, marker: marker, payload: payload, sentAt: now, frame: frame)
        send(
            payload, payloadType: BenchSdp.vp8PayloadType, ssrc: videoSsrc, sequence: &videoSequence, timestamp: timestamp,
            marker: marker, mid: "1", rid: topRid, now: now, frame: frame)
        videoPacketsSent &+= 1
    }

    /// Sends one packet; `sentAt` (a retransmission's original send time) and `frame` (the main
    /// clip's frame number) go in the padding, `rid` (a simulcast layer's) in the RID header
    /// extension.
    func send(
        _ payload: [UInt8], payloadType: UInt8, ssrc: UInt32, sequence: inout UInt16, timestamp: UInt32, marker: Bool, mid: String,
        rid: String? = nil, now: UInt64, sentAt: UInt64? = nil, frame: UInt32 = 0
    ) {
        guard let outbound = peer.outbound, let destination = peer.remote?.address else { return }
        var extensions: [RtpPacket.Extension] = [
            .init(id: BenchSdp.midExtensionId, data: Array(mid.utf8)),
            .init(id: BenchSdp.absSendTimeExtensionId, data: AbsSendTime.bytes(at: now)),
            .init(id: BenchSdp.transportSequenceNumberExtensionId, data: [UInt8(transportSequence >> 8), UInt8(transportSequence & 0xFF)]),
        ]
        if let rid { extensions.append(.init(id: BenchSdp.ridExtensionId, data: Array(rid.utf8))) }
        let packet = RtpPacket(
            marker: marker, payloadType: payloadType, sequenceNumber: sequence, timestamp: timestamp, ssrc: ssrc,
            extensions: extensions,
            payload: payload, paddingLength: SendTimePadding.length)
        sequence &+= 1
        transportSequence &+= 1
        if batch.isFull { flush() }
        let appended = batch.append(to: destination) { buffer in
            guard let length = try? packet.write(into: buffer) else { return 0 }
            SendTimePadding.stamp(buffer, packetLength: length, now: sentAt ?? now, frame: frame)
            return (try? outbound.protectRtp(buffer, length: length)) ?? 0
        }
        guard appended else { return }
        if sentAt == nil { packetsSent &+= 1 } else { rtcpReceived.retransmissionsSent &+= 1 }
    }

    func flush() {
        guard batch.count > 0 else { return }
        batch.send(on: peer.socket)
        batch.removeAll()
    }
}
