import RTP
import Testing
@testable import Relay

@Suite struct ForwardedPacketTests {
    /// A publisher's packet as Chrome sends it: a CSRC, its own extensions (mid, transport-wide
    /// sequence number under its ids), a payload and padding.
    static func publisherPacket() throws -> [UInt8] {
        try RtpPacket(
            marker: true, payloadType: 109, sequenceNumber: 4_000, timestamp: 123_456, ssrc: 0x1111,
            csrcs: [0xC5C5_C5C5],
            extensions: [.init(id: 4, data: Array("0".utf8)), .init(id: 5, data: [0x12, 0x34]), .init(id: 9, data: [0x85])],
            payload: Array(0..<200), paddingLength: 4
        ).bytes()
    }

    static func write(_ source: [UInt8], extensions: ForwardedPacket.Extensions, capacity: Int = 1_500) throws -> [UInt8] {
        let header = try RtpHeader.parse(source)
        var buffer = [UInt8](repeating: 0xEE, count: capacity)
        let length = source.withUnsafeBytes { raw in
            buffer.withUnsafeMutableBytes { out in
                ForwardedPacket.write(
                    raw, header: header, payloadType: 96, sequenceNumber: 77, timestamp: 9_000, ssrc: 0xABCD,
                    extensions: extensions, into: out)
            }
        }
        return Array(buffer.prefix(length))
    }

    @Test func replacesThePublishersExtensionsWithTheRelays() throws {
        let source = try Self.publisherPacket()
        let written = try Self.write(source, extensions: .init(transportSequenceNumber: 0xBEEF, absSendTime: 0x12_3456, audioLevel: 0x85))
        let packet = try RtpPacket(parsing: written)
        #expect(packet.payloadType == 96 && packet.sequenceNumber == 77 && packet.timestamp == 9_000 && packet.ssrc == 0xABCD)
        #expect(packet.marker, "the marker stays")
        #expect(packet.csrcs == [0xC5C5_C5C5])
        #expect(packet.extensions == [
            .init(id: SubscribeHeaderExtensions.absSendTimeID, data: [0x12, 0x34, 0x56]),
            .init(id: SubscribeHeaderExtensions.transportSequenceNumberID, data: [0xBE, 0xEF]),
            .init(id: SubscribeHeaderExtensions.audioLevelID, data: [0x85]),
        ])
        #expect(packet.payload == Array(0..<200))
        #expect(packet.paddingLength == 4, "padding passes as it came")
    }

    @Test func withoutAnAudioLevelTheBlockIsTwoWords() throws {
        let source = try Self.publisherPacket()
        let written = try Self.write(source, extensions: .init(transportSequenceNumber: 1, absSendTime: 2, audioLevel: nil))
        let header = try RtpHeader.parse(written)
        #expect(header.extensionRange.count == 8)
        #expect(try RtpPacket(parsing: written).extensions.map(\.id) == [2, 3])
    }

    @Test func aPacketThatDoesNotFitIsNotWritten() throws {
        let source = try Self.publisherPacket()
        let written = try Self.write(source, extensions: .init(transportSequenceNumber: 1, absSendTime: 2), capacity: 100)
        #expect(written.isEmpty)
    }

    @Test func aRetransmissionCarriesTheOriginalSequenceNumberFirst() throws {
        let source = try Self.publisherPacket()
        let header = try RtpHeader.parse(source)
        var buffer = [UInt8](repeating: 0, count: 1_500)
        let length = source.withUnsafeBytes { raw in
            buffer.withUnsafeMutableBytes { out in
                ForwardedPacket.writeRetransmission(
                    raw, header: header, payloadType: 97, sequenceNumber: 500, originalSequenceNumber: 77,
                    timestamp: 9_000, ssrc: 0xDCBA, extensions: .init(transportSequenceNumber: 3, absSendTime: 4),
                    into: out)
            }
        }
        let packet = try RtpPacket(parsing: Array(buffer.prefix(length)))
        #expect(packet.payloadType == 97 && packet.sequenceNumber == 500 && packet.ssrc == 0xDCBA && packet.timestamp == 9_000)
        #expect(packet.payload == [0, 77] + Array(0..<200), "RFC 4588 §4: OSN, then the original payload")
        #expect(packet.paddingLength == 0)
    }

    @Test func absSendTimeIsSixEighteenFixedPointModulo64Seconds() {
        #expect(ForwardedPacket.absSendTime(at: 0) == 0)
        #expect(ForwardedPacket.absSendTime(at: 1_000_000_000) == 1 << 18)
        #expect(ForwardedPacket.absSendTime(at: 500_000_000) == 1 << 17)
        #expect(ForwardedPacket.absSendTime(at: 64_000_000_000) == 0)
        #expect(ForwardedPacket.absSendTime(at: 63_999_999_999) == 0xFF_FFFF)
    }
}
