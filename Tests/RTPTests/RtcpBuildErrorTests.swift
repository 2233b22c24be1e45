import Testing
@testable import RTP

/// One named packet that cannot be written, with the error it must give.
struct UnbuildableRtcp: Sendable, CustomTestStringConvertible {
    let name: String
    let packet: RtcpPacket
    let error: RtcpBuildError

    init(_ name: String, _ packet: RtcpPacket, _ error: RtcpBuildError) {
        self.name = name
        self.packet = packet
        self.error = error
    }

    var testDescription: String { name }
}

@Suite struct RtcpBuildErrorTests {
    static let cases: [UnbuildableRtcp] = [
        .init("32 report blocks",
              .receiverReport(.init(ssrc: 1, reportBlocks: Array(repeating: .init(ssrc: 2), count: 32))),
              .countTooLarge(32)),
        .init("cumulative loss above 24 bits",
              .senderReport(.init(ssrc: 1, ntpTimestamp: 0, rtpTimestamp: 0, packetCount: 0, octetCount: 0,
                                  reportBlocks: [.init(ssrc: 2, cumulativeLost: 0x80_0000)])),
              .cumulativeLostOutOfRange(0x80_0000)),
        .init("report extension of 3 bytes",
              .senderReport(.init(ssrc: 1, ntpTimestamp: 0, rtpTimestamp: 0, packetCount: 0, octetCount: 0,
                                  profileExtension: [1, 2, 3])),
              .notWordAligned(3)),
        .init("32 SDES chunks",
              .sourceDescription(.init(chunks: Array(repeating: .init(source: 1, items: []), count: 32))),
              .countTooLarge(32)),
        .init("SDES item of type 0",
              .sourceDescription(.init(chunks: [.init(source: 1, items: [.init(type: 0, value: [])])])),
              .sourceDescriptionItemTypeZero),
        .init("SDES item of 256 bytes",
              .sourceDescription(.init(chunks: [.init(source: 1, items: [.init(type: 1, value: Array(repeating: 0x61, count: 256))])])),
              .textTooLong(256)),
        .init("32 BYE sources", .goodbye(.init(sources: Array(repeating: 1, count: 32))), .countTooLarge(32)),
        .init("BYE reason of 300 bytes",
              .goodbye(.init(sources: [1], reason: Array(repeating: 0x61, count: 300))), .textTooLong(300)),
        .init("APP subtype 32", .applicationDefined(.init(subtype: 32, ssrc: 1, name: 0)), .subtypeTooLarge(32)),
        .init("APP data of 5 bytes", .applicationDefined(.init(subtype: 0, ssrc: 1, name: 0, data: [1, 2, 3, 4, 5])),
              .notWordAligned(5)),
        .init("NACK without entries", .genericNack(.init(senderSsrc: 1, mediaSsrc: 2, entries: [])), .noEntries),
        .init("FIR without entries", .fullIntraRequest(.init(senderSsrc: 1, entries: [])), .noEntries),
        .init("REMB with 256 SSRCs",
              .receiverEstimatedMaxBitrate(.init(senderSsrc: 1, bitrate: 1, ssrcs: Array(repeating: 1, count: 256))),
              .tooManySsrcs(256)),
        .init("TWCC with 65536 statuses",
              .transportFeedback(.init(senderSsrc: 1, mediaSsrc: 2, baseSequenceNumber: 0, referenceTime: 0,
                                       feedbackPacketCount: 0, statuses: Array(repeating: .notReceived, count: 65536))),
              .tooManyStatuses(65536)),
        .init("TWCC reference time above 24 bits",
              .transportFeedback(.init(senderSsrc: 1, mediaSsrc: 2, baseSequenceNumber: 0, referenceTime: 0x80_0000,
                                       feedbackPacketCount: 0, statuses: [])),
              .referenceTimeOutOfRange(0x80_0000)),
        .init("unknown body of 3 bytes", .unknown(.init(packetType: 207, countOrFormat: 0, body: [1, 2, 3])),
              .notWordAligned(3)),
        .init("packet longer than the length field",
              .unknown(.init(packetType: 207, countOrFormat: 0, body: Array(repeating: 0, count: 4 * 65536))),
              .packetTooLong(4 + 4 * 65536)),
    ]

    @Test(arguments: cases) func unbuildablePacketHasItsOwnError(_ input: UnbuildableRtcp) {
        #expect(throws: input.error) { try input.packet.bytes() }
        #expect(throws: input.error) { try RtcpCompound(packets: [input.packet]).bytes() }
    }

    @Test func theLargestPacketFits() throws {
        let packet = RtcpUnknownPacket(packetType: 207, countOrFormat: 0, body: Array(repeating: 0, count: 4 * 65535))
        let bytes = try packet.bytes()
        #expect(bytes.count == 4 * 65536)
        #expect(Array(bytes[2...3]) == [0xFF, 0xFF])
    }

    @Test func aCompoundChecksItsBufferFirst() {
        let compound = RtcpCompound(packets: [
            .pictureLossIndication(.init(senderSsrc: 1, mediaSsrc: 2)),
            .pictureLossIndication(.init(senderSsrc: 3, mediaSsrc: 4)),
        ])
        var buffer = [UInt8](repeating: 0, count: 20)
        #expect(throws: RtcpBuildError.bufferTooSmall(needed: 24, available: 20)) {
            try buffer.withUnsafeMutableBytes { raw throws(RtcpBuildError) in try compound.write(into: raw) }
        }
    }
}
