import RTP
import Testing
@testable import Relay

/// What the relay reads of a video packet to know where a subscriber may start or switch.
@Suite struct PublishedTrackMarksTests {
    static func marks(codec: String, payload: [UInt8]) throws -> PacketMarks {
        let track = PublishedTrack(description: TrackDescription(
            id: TrackID(1), transport: TransportID(1), kind: .video, mid: "1", ssrcs: [0x1111], payloadType: 45,
            codecName: codec, clockRate: 90_000, midExtensionID: nil))
        let bytes = try RtpPacket(marker: false, payloadType: 45, sequenceNumber: 7, timestamp: 9, ssrc: 0x1111, payload: payload).bytes()
        return try bytes.withUnsafeBytes { raw in
            try track.marks(of: raw, header: RtpHeader.parse(raw), layer: track.layers[0])
        }
    }

    @Test func anAv1KeyframeIsReadFromTheAggregationHeader() throws {
        // N=1: the first packet of a coded video sequence.
        #expect(try Self.marks(codec: "av1", payload: [0b0010_1000, 0b0000_1000, 0x00, 0b0011_0000, 0x10]).startsKeyframe)
        // A delta frame, and a packet cut short to nothing but a malformed header, are not.
        #expect(try !Self.marks(codec: "av1", payload: [0b0001_0000, 0b0011_0000, 0x42]).startsKeyframe)
        #expect(try !Self.marks(codec: "av1", payload: [0b1000_1000, 0x00]).startsKeyframe)
    }
}
