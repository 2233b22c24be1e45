import RTP

/// A track on the relay: where its packets come from, its layers, and who receives them.
final class PublishedTrack {
    let description: TrackDescription
    var subscriptions: [Subscription] = []
    /// One per simulcast RID in the publisher's order, or the track's one stream.
    let layers: [PublishedLayer]
    var packetsReceived: UInt64 = 0
    /// Higher is served first when a subscriber's estimate is shared out.
    var priority = 0
    /// The audio levels since the last activity report.
    var levels = AudioLevelAccumulator()
    /// The codec whose payload `marks` reads, named once rather than compared per packet.
    let codec: VideoPayloadFormat?
    /// Where the track's packets come from.
    let source: Source
    /// Pipes to the other workers with subscribers of this track: each gets every packet once.
    var mirrors: [WorkerPipe] = []
    /// Relay links to other nodes with subscribers of this track: each gets every packet once.
    var links: [NodeLinkRoute] = []

    /// Where a track's packets come from. A track that arrives from another worker or node
    /// asks there for keyframes, and leaves repairs from the publisher and its audio activity
    /// to it.
    enum Source {
        /// A publisher on this worker.
        case publisher
        /// The worker it is published on, through a pipe: a room spread over workers.
        case worker(Int)
        /// Another node, over a relay link, as the track numbered `number` there.
        case link(NodeLink, number: UInt32)
    }

    /// Whether the publisher sends it to this worker, rather than another worker or node.
    var isFromPublisher: Bool {
        if case .publisher = source { true } else { false }
    }

    /// The video payloads the relay can read keyframes of.
    enum VideoPayloadFormat {
        case vp8, vp9, h264, av1

        /// The picture numbers a subscription rewrites, for the formats whose descriptor has them.
        var pictureNumbering: PictureRenumbering.Format? {
            switch self {
            case .vp8: .vp8
            case .vp9: .vp9
            case .h264, .av1: nil
            }
        }
    }

    init(description: TrackDescription, source: Source = .publisher) {
        self.description = description
        self.source = source
        codec = switch description.codecName {
        case "vp8": .vp8
        case "vp9": .vp9
        case "h264": .h264
        case "av1": .av1
        default: nil
        }
        if description.rids.isEmpty {
            layers = [PublishedLayer(rid: nil, ssrc: description.ssrcs.first, kind: description.kind, clockRate: description.clockRate)]
        } else {
            layers = description.rids.map {
                PublishedLayer(rid: $0, ssrc: nil, kind: description.kind, clockRate: description.clockRate)
            }
        }
        if !isFromPublisher {
            for layer in layers { layer.nacks = nil }
        }
    }

    /// Bits per second the publisher sends on all layers together.
    func bitrate(at now: UInt64) -> Int {
        layers.reduce(0) { $0 + $1.bitrate(at: now) }
    }

    /// The index of the layer sent under `rid`.
    func layerIndex(rid: UnsafeRawBufferPointer) -> Int? {
        layers.firstIndex { layer in layer.rid.map { rid.elementsEqual($0.utf8) } ?? false }
    }

    /// What the relay reads of a video `packet`: whether it starts a keyframe, for the codecs
    /// whose keyframes the relay can read (VP8, VP9, H.264, AV1; any packet of another codec
    /// counts, so its video is never held back for good), and the temporal layer of VP8 and VP9.
    /// A keyframe tells `layer` its picture size: VP8's frame header, VP9's scalability
    /// structure, H.264's sequence parameter set.
    func marks(of packet: UnsafeRawBufferPointer, header: RtpHeader, layer: PublishedLayer) -> PacketMarks {
        let payload = UnsafeRawBufferPointer(rebasing: packet[header.payloadRange])
        switch codec {
        case .vp8:
            guard let descriptor = try? Vp8PayloadDescriptor.parse(payload) else { return PacketMarks(startsKeyframe: false) }
            let startsKeyframe = descriptor.startsKeyframe(in: payload)
            if startsKeyframe, let size = descriptor.keyframeSize(in: payload) {
                layer.width = size.width
                layer.height = size.height
            }
            return PacketMarks(
                startsKeyframe: startsKeyframe, temporalLayer: descriptor.temporalLayerID, isLayerSync: descriptor.isLayerSync,
                startsFrame: descriptor.isStartOfPartition && descriptor.partitionIndex == 0)
        case .vp9:
            guard let descriptor = try? Vp9PayloadDescriptor.parse(payload) else { return PacketMarks(startsKeyframe: false) }
            // A keyframe's scalability structure states the size of each spatial layer; the
            // top one is the picture a subscriber gets.
            if descriptor.startsKeyframe, let structure = descriptor.scalabilityStructure,
                let size = structure.resolution(ofSpatialLayer: structure.spatialLayerCount - 1, in: payload)
            {
                layer.width = Int(size.width)
                layer.height = Int(size.height)
            }
            // U, a switching-up point (RFC 9628 §4.2): libwebrtc sets it on the frames that refer
            // to lower temporal layers only, where forwarding of their layer can start, as VP8's Y.
            return PacketMarks(
                startsKeyframe: descriptor.startsKeyframe, temporalLayer: descriptor.temporalLayerID,
                isLayerSync: descriptor.isSwitchingUpPoint,
                startsFrame: descriptor.isStartOfFrame && (descriptor.spatialLayerID ?? 0) == 0)
        case .h264:
            guard let parsed = try? H264Payload.parse(payload) else { return PacketMarks(startsKeyframe: false) }
            // The sequence parameter set before an IDR states the picture size.
            if parsed.containsSps, let range = H264Payload.sequenceParameterSet(in: payload),
                let parameters = try? H264SequenceParameterSet.parse(UnsafeRawBufferPointer(rebasing: payload[range]))
            {
                layer.width = parameters.width
                layer.height = parameters.height
            }
            return PacketMarks(startsKeyframe: parsed.isKeyframe)
        case .av1: return PacketMarks(startsKeyframe: (try? Av1AggregationHeader.parse(payload).startsKeyframe) ?? false)
        case nil: return .anyStart
        }
    }

    /// The audio level byte the publisher sent with `packet` (RFC 6464 §3), if it negotiated it.
    func audioLevel(in packet: UnsafeRawBufferPointer, header: RtpHeader) -> UInt8? {
        guard let id = description.audioLevelExtensionID,
            let range = header.extensions(in: packet).element(id: id), !range.isEmpty
        else { return nil }
        return packet[range.lowerBound]
    }
}
