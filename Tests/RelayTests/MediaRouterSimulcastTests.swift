import Foundation
import RTP
import Testing
@testable import Relay

/// Simulcast through the router: layers told apart by RID, each subscriber switched between
/// them at keyframes, and what a VP8 or VP9 decoder makes of the stream it receives.
@Suite struct MediaRouterSimulcastTests {
    static let midID: UInt8 = 1
    static let ridID: UInt8 = 2
    static let repairedRidID: UInt8 = 3

    /// A publisher's layer: its own SSRC, numbering and pictures, as a browser sends them.
    struct Layer {
        let rid: String
        let ssrc: UInt32
        let encoder: VpxTestEncoder
        let format: PictureRenumbering.Format
        var sequenceNumber: UInt16
        var timestamp: UInt32
        var pictureID: UInt16
        var tl0PictureIndex: UInt8

        /// One encoded frame as RTP packets of at most 900 bytes of VP8 or VP9 data each, every
        /// one with a 15-bit PictureID and TL0PICIDX.
        mutating func packets(keyframe: Bool) throws -> [RtpPacket] {
            let frame = try encoder.encode(keyframe: keyframe)
            let chunks = stride(from: 0, to: frame.count, by: 900).map { Array(frame[$0..<min($0 + 900, frame.count)]) }
            var packets: [RtpPacket] = []
            for (index, chunk) in chunks.enumerated() {
                let descriptor = descriptor(
                    keyframe: keyframe, starts: index == 0, ends: index == chunks.count - 1)
                packets.append(RtpPacket(
                    marker: index == chunks.count - 1, payloadType: 96, sequenceNumber: sequenceNumber, timestamp: timestamp,
                    ssrc: ssrc,
                    extensions: [.init(id: MediaRouterSimulcastTests.midID, data: Array("1".utf8)),
                                 .init(id: MediaRouterSimulcastTests.ridID, data: Array(rid.utf8))],
                    payload: descriptor + chunk))
                sequenceNumber &+= 1
            }
            timestamp &+= 3000
            pictureID = (pictureID + 1) & 0x7FFF
            tl0PictureIndex &+= 1
            return packets
        }

        /// VP8 (RFC 7741 §4.2): S on the first packet, PictureID and TL0PICIDX. VP9 (RFC 9628
        /// §4.2), non-flexible: P on inter pictures, B and E, layer indices and TL0PICIDX, and
        /// on a keyframe's first packet the scalability structure with the picture's size.
        func descriptor(keyframe: Bool, starts: Bool, ends: Bool) -> [UInt8] {
            let pictureID = [0x80 | UInt8(pictureID >> 8), UInt8(pictureID & 0xFF)]
            switch format {
            case .vp8:
                return [starts ? 0x90 : 0x80, 0xC0] + pictureID + [tl0PictureIndex]
            case .vp9:
                let structure = keyframe && starts
                let flags: UInt8 = 0x80 | (keyframe ? 0 : 0x40) | 0x20 | (starts ? 0x08 : 0) | (ends ? 0x04 : 0)
                    | (structure ? 0x02 : 0)
                var descriptor = [flags] + pictureID + [0x00, tl0PictureIndex]
                if structure {
                    // N_S = 0, Y = 1, G = 0; one layer's width and height.
                    descriptor += [0x10, UInt8(encoder.width >> 8), UInt8(encoder.width & 0xFF),
                                   UInt8(encoder.height >> 8), UInt8(encoder.height & 0xFF)]
                }
                return descriptor
            }
        }

        /// Where the codec data starts in a payload built as above.
        func dataOffset(_ payload: [UInt8]) throws -> Int {
            switch format {
            case .vp8: try Vp8PayloadDescriptor.parse(payload).payloadOffset
            case .vp9: try Vp9PayloadDescriptor.parse(payload).payloadOffset
            }
        }
    }

    static func setUp(format: PictureRenumbering.Format = .vp8) throws
        -> (MediaRouterTests.Call, SimulatedBrowser, SimulatedBrowser, [Layer])
    {
        let call = try MediaRouterTests.makeCall()
        let publisher = try MediaRouterTests.join(call, id: 1, address: .ipv4(10, 0, 0, 1, port: 5000))
        let subscriber = try MediaRouterTests.join(call, id: 2, address: .ipv4(10, 0, 0, 2, port: 6000))
        call.router.addTrack(TrackDescription(
            id: TrackID(1), transport: TransportID(1), kind: .video, mid: "1", ssrcs: [], payloadType: 96,
            codecName: format == .vp8 ? "vp8" : "vp9", clockRate: 90_000, midExtensionID: midID, rids: ["q", "h"],
            ridExtensionID: ridID, repairedRidExtensionID: repairedRidID))
        call.router.subscribe(
            SubscriptionRequest(track: TrackID(1), transport: TransportID(2), ssrc: 0xABCD, payloadType: 96),
            now: Monotonic.now(), sink: call.sink)
        // Each layer numbers its packets and pictures on its own, far apart.
        let layers = [
            Layer(rid: "q", ssrc: 0x1000, encoder: try VpxTestEncoder(format: format, width: 160, height: 120),
                  format: format, sequenceNumber: 100, timestamp: 5_000, pictureID: 1_000, tl0PictureIndex: 5),
            Layer(rid: "h", ssrc: 0x2000, encoder: try VpxTestEncoder(format: format, width: 320, height: 240),
                  format: format, sequenceNumber: 40_000, timestamp: 2_000_000_000, pictureID: 20_000, tl0PictureIndex: 200),
        ]
        return (call, publisher, subscriber, layers)
    }

    static func send(
        frames: Range<Int>, of layers: inout [Layer], keyframes: Set<Int> = [], from publisher: SimulatedBrowser,
        to call: MediaRouterTests.Call
    ) throws {
        for frame in frames {
            for index in layers.indices {
                for packet in try layers[index].packets(keyframe: keyframes.contains(frame)) {
                    try publisher.sendRtp(packet, to: call.router, sink: call.sink)
                }
            }
        }
    }

    /// The PictureID and TL0PICIDX of a packet built as above.
    static func pictureNumbers(_ packet: RtpPacket, format: PictureRenumbering.Format) throws -> (UInt16, UInt8) {
        switch format {
        case .vp8:
            let descriptor = try Vp8PayloadDescriptor.parse(packet.payload)
            return (try #require(descriptor.pictureID), try #require(descriptor.tl0PictureIndex))
        case .vp9:
            let descriptor = try Vp9PayloadDescriptor.parse(packet.payload)
            return (try #require(descriptor.pictureID), try #require(descriptor.tl0PictureIndex))
        }
    }

    @Test(arguments: [PictureRenumbering.Format.vp8, .vp9])
    func aSubscriberSwitchedUpAndDownGetsOneStreamThatDecodes(format: PictureRenumbering.Format) throws {
        var (call, publisher, subscriber, layers) = try Self.setUp(format: format)
        let subscription = try #require(call.router.transports[TransportID(2)]?.subscribing.subscription(ssrc: 0xABCD))
        try Self.send(frames: 0..<6, of: &layers, keyframes: [0], from: publisher, to: call)
        subscription.targetLayer = 1
        // Frames 6 to 9 of the lower layer go on until the upper layer's keyframe at 10.
        try Self.send(frames: 6..<16, of: &layers, keyframes: [10], from: publisher, to: call)
        subscription.targetLayer = 0
        try Self.send(frames: 16..<26, of: &layers, keyframes: [20], from: publisher, to: call)
        subscriber.collect(from: call.sink)
        let packets = try MediaRouterEstimationTests.received(subscriber).filter { $0.ssrc == 0xABCD }

        for (previous, next) in zip(packets, packets.dropFirst()) {
            #expect(next.sequenceNumber == previous.sequenceNumber &+ 1, "no gap to NACK at a switch")
            let (previousPicture, previousIndex) = try Self.pictureNumbers(previous, format: format)
            let (nextPicture, nextIndex) = try Self.pictureNumbers(next, format: format)
            if next.timestamp == previous.timestamp {
                #expect(nextPicture == previousPicture && nextIndex == previousIndex)
            } else {
                #expect(next.timestamp &- previous.timestamp > 0 && next.timestamp &- previous.timestamp < 90_000)
                #expect(nextPicture == (previousPicture + 1) & 0x7FFF, "one picture after another")
                #expect(nextIndex == previousIndex &+ 1)
            }
        }
        #expect(call.router.layerSwitches == 2)

        // Reassembled and decoded: every frame decodes, at the size of the layer it came from.
        let decoder = try VpxTestDecoder(format: format)
        var sizes: [Int] = []
        var frame: [UInt8] = []
        for packet in packets {
            frame += packet.payload[try layers[0].dataOffset(packet.payload)...]
            guard packet.marker else { continue }
            let size = try #require(decoder.decode(frame), "frame \(sizes.count) decodes")
            sizes.append(size.width)
            frame.removeAll()
        }
        // The lower layer's frame 10 arrives before the upper layer's keyframe and still goes
        // out; at frame 20 the lower layer's keyframe comes first and the switch is at once.
        #expect(sizes == Array(repeating: 160, count: 11) + Array(repeating: 320, count: 10) + Array(repeating: 160, count: 6))
        let changes = call.log.all.compactMap { event -> String? in
            if case .layerChanged(let change) = event { return "\(change.rid ?? "-") \(change.width)x\(change.height)" }
            return nil
        }
        #expect(changes == ["q 160x120", "h 320x240", "q 160x120"])
    }

    @Test func aTileItsLayerCoversIsSentThatLayerAfterAKeyframeRequestForIt() throws {
        var (call, publisher, subscriber, layers) = try Self.setUp()
        try Self.send(frames: 0..<3, of: &layers, keyframes: [0], from: publisher, to: call)
        publisher.collect(from: call.sink)
        publisher.receivedRtcp.removeAll()
        let subscription = try #require(call.router.transports[TransportID(2)]?.subscribing.subscription(ssrc: 0xABCD))
        #expect(subscription.currentLayer == 0)

        // Off screen: no video at the next check, whatever the bandwidth.
        call.router.setDisplaySize(DisplaySize(width: 0, height: 0), track: TrackID(1), transport: TransportID(2))
        var deadline = Monotonic.now() + 2_000_000_000
        while subscription.targetLayer != nil, Monotonic.now() < deadline {
            call.router.handleTimeout(now: Monotonic.now(), sink: call.sink)
            usleep(20_000)
        }
        #expect(subscription.targetLayer == nil)
        #expect(subscription.isPausedForBandwidth == false, "hidden, not paused")
        subscriber.collect(from: call.sink)
        subscriber.received.removeAll()
        try Self.send(frames: 3..<5, of: &layers, from: publisher, to: call)
        subscriber.collect(from: call.sink)
        #expect(try MediaRouterEstimationTests.received(subscriber).filter { $0.ssrc == 0xABCD }.isEmpty)

        // Shown at 300x220: the 320x240 layer covers it, the 160x120 one does not.
        call.router.setDisplaySize(DisplaySize(width: 300, height: 220), track: TrackID(1), transport: TransportID(2))
        deadline = Monotonic.now() + 2_000_000_000
        while subscription.targetLayer == nil, Monotonic.now() < deadline {
            call.router.handleTimeout(now: Monotonic.now(), sink: call.sink)
            usleep(20_000)
        }
        #expect(subscription.targetLayer == 1)
        publisher.collect(from: call.sink)
        let upstream = publisher.receivedRtcp.compactMap { try? RtcpCompound.parse($0.withUnsafeBytes { $0 }) }
        let requested = upstream.flatMap(\.packets).compactMap { packet -> UInt32? in
            if case .pictureLossIndication(let pli) = packet { return pli.mediaSsrc }
            return nil
        }
        #expect(requested == [0x2000], "a keyframe of the upper layer only")
        try Self.send(frames: 5..<8, of: &layers, keyframes: [6], from: publisher, to: call)
        subscriber.collect(from: call.sink)
        let widths = try MediaRouterEstimationTests.received(subscriber).filter { $0.ssrc == 0xABCD && $0.marker }.count
        #expect(widths == 2, "frames 6 and 7 of the upper layer")
        #expect(subscription.currentLayer == 1)
    }

    @Test func aRetransmissionStreamIsLearnedFromTheRepairedRidAndRepairsItsLayer() throws {
        var (call, publisher, subscriber, layers) = try Self.setUp()
        try Self.send(frames: 0..<2, of: &layers, keyframes: [0], from: publisher, to: call)
        // The lower layer's next packet is lost on the way and comes back on its RTX stream.
        var lost = try layers[0].packets(keyframe: false)
        let original = lost.removeFirst()
        for packet in lost { try publisher.sendRtp(packet, to: call.router, sink: call.sink) }
        let rtx = RtpPacket(
            payloadType: 97, sequenceNumber: 7, timestamp: original.timestamp, ssrc: 0x1001,
            extensions: [.init(id: Self.midID, data: Array("1".utf8)), .init(id: Self.repairedRidID, data: Array("q".utf8))],
            payload: [UInt8(original.sequenceNumber >> 8), UInt8(original.sequenceNumber & 0xFF)] + original.payload)
        subscriber.collect(from: call.sink)
        subscriber.received.removeAll()
        try publisher.sendRtp(rtx, to: call.router, sink: call.sink)
        subscriber.collect(from: call.sink)
        let forwarded = try MediaRouterEstimationTests.received(subscriber).filter { $0.ssrc == 0xABCD }
        #expect(forwarded.count == 1)
        #expect(forwarded.first?.payload == original.payload)
        #expect(call.router.repairedPackets == 1)
    }

    /// An H.264 layer as a browser packetizes it (RFC 6184, packetization mode 1): a keyframe is
    /// a STAP-A with SPS (x264's, at the layer's size) and PPS, then the IDR slice in two FU-A
    /// fragments; any other frame one non-IDR slice. The slice data carries the layer's RID and
    /// the frame's number.
    struct H264Layer {
        let rid: String
        let ssrc: UInt32
        let sequenceParameterSet: [UInt8]
        var sequenceNumber: UInt16
        var timestamp: UInt32
        var frame = 0

        mutating func packets(keyframe: Bool) -> [RtpPacket] {
            let data = Array(rid.utf8) + [UInt8(frame & 0xFF)]
            let payloads: [[UInt8]] = keyframe
                ? [[0x78, 0x00, UInt8(sequenceParameterSet.count)] + sequenceParameterSet + [0x00, 0x02, 0x68, 0xCE],
                   [0x7C, 0x85] + data, [0x7C, 0x45] + data]
                : [[0x41] + data]
            var packets: [RtpPacket] = []
            for (index, payload) in payloads.enumerated() {
                packets.append(RtpPacket(
                    marker: index == payloads.count - 1, payloadType: 102, sequenceNumber: sequenceNumber,
                    timestamp: timestamp, ssrc: ssrc,
                    extensions: [.init(id: MediaRouterSimulcastTests.midID, data: Array("1".utf8)),
                                 .init(id: MediaRouterSimulcastTests.ridID, data: Array(rid.utf8))],
                    payload: payload))
                sequenceNumber &+= 1
            }
            timestamp &+= 3000
            frame += 1
            return packets
        }
    }

    @Test func anH264SubscriberIsSwitchedAtTheTargetLayersIdrWithoutAGap() throws {
        let call = try MediaRouterTests.makeCall()
        let publisher = try MediaRouterTests.join(call, id: 1, address: .ipv4(10, 0, 0, 1, port: 5000))
        let subscriber = try MediaRouterTests.join(call, id: 2, address: .ipv4(10, 0, 0, 2, port: 6000))
        call.router.addTrack(TrackDescription(
            id: TrackID(1), transport: TransportID(1), kind: .video, mid: "1", ssrcs: [], payloadType: 102,
            codecName: "h264", clockRate: 90_000, midExtensionID: Self.midID, rids: ["q", "h"], ridExtensionID: Self.ridID,
            repairedRidExtensionID: Self.repairedRidID))
        call.router.subscribe(
            SubscriptionRequest(track: TrackID(1), transport: TransportID(2), ssrc: 0xABCD, payloadType: 102),
            now: Monotonic.now(), sink: call.sink)
        let subscription = try #require(call.router.transports[TransportID(2)]?.subscribing.subscription(ssrc: 0xABCD))
        var layers = [
            H264Layer(rid: "q", ssrc: 0x1000, sequenceParameterSet: StunTestVectors.bytes("6742c00bd901419f9f011000000300100000030140f142a480"),
                      sequenceNumber: 100, timestamp: 5_000),
            H264Layer(rid: "h", ssrc: 0x2000, sequenceParameterSet: StunTestVectors.bytes("6742c016d900a02ff97011000003000100000300140f162e48"),
                      sequenceNumber: 40_000, timestamp: 2_000_000_000),
        ]
        func send(_ frames: Range<Int>, keyframes: Set<Int> = []) throws {
            for frame in frames {
                for index in layers.indices {
                    for packet in layers[index].packets(keyframe: keyframes.contains(frame)) {
                        try publisher.sendRtp(packet, to: call.router, sink: call.sink)
                    }
                }
            }
        }
        try send(0..<4, keyframes: [0])
        subscription.targetLayer = 1
        try send(4..<10, keyframes: [7])
        subscription.targetLayer = 0
        try send(10..<14, keyframes: [12])
        subscriber.collect(from: call.sink)
        let packets = try MediaRouterEstimationTests.received(subscriber).filter { $0.ssrc == 0xABCD }

        for (previous, next) in zip(packets, packets.dropFirst()) {
            #expect(next.sequenceNumber == previous.sequenceNumber &+ 1, "no gap to NACK at a switch")
            #expect(next.timestamp &- previous.timestamp < 90_000, "timestamps go on")
        }
        // Each frame as the subscriber gets it: the layer it came from, and whether it is a keyframe.
        let frames = packets.filter(\.marker).map { packet in
            String(decoding: packet.payload.dropFirst(packet.payload[0] == 0x41 ? 1 : 2).dropLast(), as: UTF8.self)
        }
        // The lower layer's frame 7 arrives before the upper layer's IDR and still goes out.
        #expect(frames == Array(repeating: "q", count: 8) + Array(repeating: "h", count: 5) + ["q", "q"])
        let starts = packets.filter { $0.payload.first == 0x78 }.count
        #expect(starts == 4, "parameter sets of q at 0 and 7 (before h's), h at 7, q at 12")
        #expect(call.router.layerSwitches == 2)
        // Each switch is reported at the size the layer's parameter sets state.
        let changes = call.log.all.compactMap { event -> String? in
            if case .layerChanged(let change) = event { return "\(change.rid ?? "-") \(change.width)x\(change.height)" }
            return nil
        }
        #expect(changes == ["q 320x180", "h 640x360", "q 320x180"])
    }
}
