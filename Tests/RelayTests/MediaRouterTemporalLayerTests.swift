import Foundation
import RTP
import Testing
@testable import Relay

/// VP8 and VP9 with three temporal layers (L1T3) through the router: a subscription held to the
/// base layer gets a quarter of the frames, numbered without a gap, and steps back up one layer
/// at a time at frames that depend on the base layer alone; libvpx decodes every frame it gets.
@Suite struct MediaRouterTemporalLayerTests {
    /// The temporal layer of each frame of the L1T3 pattern.
    static let pattern = [0, 2, 1, 2]

    /// A publisher's L1T3 camera: every frame one packet (or more), its descriptor with a
    /// 15-bit PictureID, TL0PICIDX (counting base-layer frames) and TID with Y (VP8) or U (VP9,
    /// non-flexible mode).
    struct Camera {
        let encoder: VpxTestEncoder
        let format: PictureRenumbering.Format
        var frame = 0
        var sequenceNumber: UInt16 = 65_500
        var timestamp: UInt32 = 1_000
        var pictureID: UInt16 = 32_760
        var tl0PictureIndex: UInt8 = 254

        mutating func packets() throws -> [RtpPacket] {
            let layer = MediaRouterTemporalLayerTests.pattern[frame % 4]
            // The second frame of each cycle (layer 2) refers to the base layer alone.
            let syncs = layer == 1 || frame % 4 == 1
            if layer == 0, frame > 0 { tl0PictureIndex &+= 1 }
            let data = try encoder.encode(keyframe: frame == 0, flags: VpxTestEncoder.temporalFlags(layer: layer, syncs: syncs))
            let chunks = stride(from: 0, to: data.count, by: 900).map { Array(data[$0..<min($0 + 900, data.count)]) }
            var packets: [RtpPacket] = []
            for (index, chunk) in chunks.enumerated() {
                let picture = [0x80 | UInt8(pictureID >> 8), UInt8(pictureID & 0xFF)]
                let descriptor: [UInt8] = switch format {
                case .vp8: [index == 0 ? 0x90 : 0x80, 0xE0] + picture + [tl0PictureIndex, UInt8(layer << 6) | (syncs ? 0x20 : 0)]
                case .vp9:
                    [0xA0 | (frame == 0 ? 0 : 0x40) | (index == 0 ? 0x08 : 0) | (index == chunks.count - 1 ? 0x04 : 0)]
                        + picture + [UInt8(layer << 5) | (syncs ? 0x10 : 0), tl0PictureIndex]
                }
                packets.append(RtpPacket(
                    marker: index == chunks.count - 1, payloadType: 96, sequenceNumber: sequenceNumber, timestamp: timestamp,
                    ssrc: 0x1111, payload: descriptor + chunk))
                sequenceNumber &+= 1
            }
            frame += 1
            timestamp &+= 3_000
            pictureID = (pictureID + 1) & 0x7FFF
            return packets
        }
    }

    @Test(arguments: [PictureRenumbering.Format.vp8, .vp9])
    func aSubscriptionHeldToTheBaseLayerGetsAContinuousStreamThatDecodes(format: PictureRenumbering.Format) throws {
        let call = try MediaRouterTests.makeCall()
        let publisher = try MediaRouterTests.join(call, id: 1, address: .ipv4(10, 0, 0, 1, port: 5000))
        let subscriber = try MediaRouterTests.join(call, id: 2, address: .ipv4(10, 0, 0, 2, port: 6000))
        call.router.addTrack(TrackDescription(
            id: TrackID(1), transport: TransportID(1), kind: .video, mid: "1", ssrcs: [0x1111], payloadType: 96,
            codecName: format == .vp8 ? "vp8" : "vp9", clockRate: 90_000, midExtensionID: nil))
        call.router.subscribe(
            SubscriptionRequest(track: TrackID(1), transport: TransportID(2), ssrc: 0xABCD, payloadType: 96),
            now: Monotonic.now(), sink: call.sink)
        let subscription = try #require(call.router.transports[TransportID(2)]?.subscribing.subscription(ssrc: 0xABCD))
        var camera = Camera(encoder: try VpxTestEncoder(format: format, width: 320, height: 240), format: format)
        for frame in 0..<20 {
            if frame == 4 { subscription.temporalLayers.target = 0 }
            if frame == 12 { subscription.temporalLayers.target = .max }
            for packet in try camera.packets() { try publisher.sendRtp(packet, to: call.router, sink: call.sink) }
        }
        subscriber.collect(from: call.sink)
        let packets = try MediaRouterEstimationTests.received(subscriber).filter { $0.ssrc == 0xABCD }

        // Held to the base layer from frame 4; from frame 12 up to layer 1 at frame 14 (which
        // depends on the base alone), to layer 2 at frame 17 (the same), everything after.
        let frames = Set(packets.map(\.timestamp)).sorted { $0 &- packets[0].timestamp < $1 &- packets[0].timestamp }
        let forwarded = frames.map { Int(($0 &- packets[0].timestamp) / 3_000) }
        #expect(forwarded == [0, 1, 2, 3, 4, 8, 12, 14, 16, 17, 18, 19])
        #expect(call.router.drops[.temporalLayer] > 0)

        var pictures: [UInt16] = []
        let decoder = try VpxTestDecoder(format: format)
        var data: [UInt8] = []
        for (previous, next) in zip(packets, packets.dropFirst()) {
            #expect(next.sequenceNumber == previous.sequenceNumber &+ 1, "no gap to NACK")
        }
        for packet in packets {
            switch format {
            case .vp8:
                let descriptor = try Vp8PayloadDescriptor.parse(packet.payload)
                if descriptor.isStartOfPartition, descriptor.partitionIndex == 0 { pictures.append(try #require(descriptor.pictureID)) }
                data += packet.payload[descriptor.payloadOffset...]
            case .vp9:
                let descriptor = try Vp9PayloadDescriptor.parse(packet.payload)
                if descriptor.isStartOfFrame { pictures.append(try #require(descriptor.pictureID)) }
                data += packet.payload[descriptor.payloadOffset...]
            }
            guard packet.marker else { continue }
            #expect(decoder.decode(data) != nil, "frame \(pictures.count - 1) decodes")
            data.removeAll()
        }
        let consecutive: [UInt16] = (0..<12).map { (index: Int) -> UInt16 in UInt16((32_760 + index) & 0x7FFF) }
        #expect(pictures == consecutive, "one PictureID after another")
    }

    @Test func theFilterStepsDownAtAFrameAndUpOneLayerAtATimeAtSyncFrames() {
        var filter = TemporalLayerFilter()
        func frame(_ layer: UInt8, sync: Bool = false, keyframe: Bool = false) -> Bool {
            filter.admits(PacketMarks(startsKeyframe: keyframe, temporalLayer: layer, isLayerSync: sync, startsFrame: true))
        }
        #expect(frame(0, keyframe: true) && frame(2) && frame(1))
        filter.target = 1
        #expect(!frame(2, sync: true), "down at once")
        #expect(frame(0) && frame(1))
        filter.target = 0
        // A frame's later packets follow its first: the change waits for the next frame.
        let laterPacket = filter.admits(PacketMarks(startsKeyframe: false, temporalLayer: 1, startsFrame: false))
        #expect(laterPacket)
        #expect(frame(0) && !frame(1, sync: true) && !frame(2, sync: true))
        filter.target = .max
        #expect(!frame(2, sync: true), "two layers up needs layer 1 first")
        #expect(!frame(1), "layer 1 without sync depends on a layer-1 frame not sent")
        #expect(frame(1, sync: true) && frame(2, sync: true) && frame(1) && frame(2))
        filter.target = 0
        #expect(frame(0, keyframe: true) && !frame(2, sync: true), "a keyframe takes the target at once")
    }
}
