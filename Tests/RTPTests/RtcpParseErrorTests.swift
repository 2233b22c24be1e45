import Testing
@testable import RTP

/// One named malformed input per error case, each expecting its own error.
struct MalformedRtcp: Sendable, CustomTestStringConvertible {
    let name: String
    let bytes: [UInt8]
    let error: RtcpParseError
    /// Parses with a given kind's parser instead of the compound parser.
    let parse: @Sendable ([UInt8]) throws(RtcpParseError) -> Void

    init(_ name: String, _ text: String, _ error: RtcpParseError,
         parse: @escaping @Sendable ([UInt8]) throws(RtcpParseError) -> Void = { bytes throws(RtcpParseError) in _ = try RtcpCompound.parse(bytes) }) {
        self.name = name
        self.bytes = hex(text)
        self.error = error
        self.parse = parse
    }

    var testDescription: String { name }
}

@Suite struct RtcpParseErrorTests {
    static let cases: [MalformedRtcp] = [
        .init("empty datagram", "", .truncatedHeader(length: 0)),
        .init("three bytes", "80 C9 00", .truncatedHeader(length: 3)),
        .init("version 1", "41 C9 0001 12345678", .badVersion(1)),
        .init("length past the datagram", "81 C9 0007 12345678", .lengthPastEnd(declared: 32, available: 8)),
        .init("padding count zero", "A0 C9 0001 12345600", .zeroPaddingLength),
        .init("padding longer than the packet", "A0 C9 0001 12345609",
              .paddingLongerThanPacket(padding: 9, available: 4)),
        .init("SR without sender information", "80 C8 0001 12345678", .senderInfoTruncated(length: 4)),
        .init("SR report count past the end", "81 C8 0006 12345678 00000000 00000000 00000000 00000000 00000000",
              .reportBlocksPastEnd(count: 1, available: 0)),
        .init("RR without SSRC", "80 C9 0000", .receiverReportTruncated(length: 0)),
        .init("RR report count past the end",
              "82 C9 0007 12345678 11223344 00000000 00000000 00000000 00000000 00000000",
              .reportBlocksPastEnd(count: 2, available: 24)),
        .init("SDES chunk past the end", "82 CA 0002 11223344 00000000", .sourceDescriptionChunkPastEnd(index: 1)),
        .init("SDES item past the end", "81 CA 0002 11223344 01 05 6162", .sourceDescriptionItemPastEnd(type: 1)),
        .init("SDES item length octet past the end", "81 CA 0002 11223344 01 01 41 07",
              .sourceDescriptionItemPastEnd(type: 7)),
        .init("SDES chunk without terminator", "81 CA 0002 11223344 01 02 6162",
              .sourceDescriptionChunkUnterminated(index: 0)),
        .init("BYE sources past the end", "82 CB 0001 12345678", .goodbyeSourcesPastEnd(count: 2, available: 4)),
        .init("BYE reason past the end", "81 CB 0002 12345678 08 616263",
              .goodbyeReasonPastEnd(length: 8, available: 3)),
        .init("APP without name", "80 CC 0001 12345678", .applicationDefinedTruncated(length: 4)),
        .init("feedback without media SSRC", "81 CD 0001 00000001", .feedbackHeaderTruncated(length: 4)),
        .init("NACK without entries", "81 CD 0002 00000001 12345678", .nackTruncated(length: 0)),
        .init("NACK with half an entry", "A1 CD 0003 00000001 12345678 0064 0002", .nackTruncated(length: 2)),
        .init("PLI with FCI", "81 CE 0003 00000001 12345678 00000000", .pictureLossIndicationHasBody(length: 4)),
        .init("FIR without entries", "84 CE 0002 00000001 00000000", .fullIntraRequestTruncated(length: 0)),
        .init("FIR with half an entry", "84 CE 0003 00000001 00000000 12345678", .fullIntraRequestTruncated(length: 4)),
        .init("REMB without bitrate", "8F CE 0003 00000001 00000000 52454D42", .rembTruncated(length: 4)),
        .init("REMB identifier wrong", "8F CE 0004 00000001 00000000 52454D43 00000000",
              .rembBadIdentifier(0x5245_4D43),
              parse: { bytes throws(RtcpParseError) in _ = try RtcpReceiverEstimatedMaxBitrate.parse(bytes) }),
        .init("REMB SSRC list past the end", "8F CE 0004 00000001 00000000 52454D42 02 000001",
              .rembSsrcListPastEnd(count: 2, available: 0)),
        .init("REMB bitrate overflow", "8F CE 0004 00000001 00000000 52454D42 00 FC0002",
              .rembBitrateOverflow(exponent: 63, mantissa: 2)),
        .init("TWCC without fixed fields", "8F CD 0003 00000001 12345678 0064 0001",
              .transportFeedbackTruncated(length: 4)),
        .init("TWCC chunks describe fewer statuses than the count",
              "8F CD 0005 00000001 12345678 0064 0014 000010 03 200F 0000",
              .transportFeedbackChunksTooShort(described: 15, statusCount: 20)),
        .init("TWCC reserved symbol", "8F CD 0005 00000001 12345678 0064 0002 000010 03 6002 0000",
              .transportFeedbackReservedSymbol(index: 0)),
        .init("TWCC reserved symbol in a vector", "8F CD 0005 00000001 12345678 0064 0003 000010 03 D700 0101",
              .transportFeedbackReservedSymbol(index: 2)),
        .init("TWCC small deltas truncated", "8F CD 0005 00000001 12345678 0064 0003 000010 03 2003 0102",
              .transportFeedbackDeltasTruncated(index: 2)),
        .init("TWCC large delta truncated", "AF CD 0005 00000001 12345678 0064 0001 000010 03 4001 0101",
              .transportFeedbackDeltasTruncated(index: 0)),
        .init("TWCC of more statuses than a compound may expand",
              "AF CD 0009 00000001 12345678 0000 FFFF 000000 00 1FFF 1FFF 1FFF 1FFF 1FFF 1FFF 1FFF 1FFF 0007 0002",
              .transportFeedbackTooManyStatuses(inCompound: 0xFFFF, limit: RtcpCompound.maximumTransportFeedbackStatuses)),
        .init("SR parser given an RR", "80 C9 0001 12345678", .unexpectedPacketType(type: 201, countOrFormat: 0),
              parse: { bytes throws(RtcpParseError) in _ = try RtcpSenderReport.parse(bytes) }),
        .init("bad second packet", "81 CE 0002 00000001 12345678 81 C9 0007", .lengthPastEnd(declared: 32, available: 4)),
    ]

    @Test(arguments: cases) func malformedInputHasItsOwnError(_ input: MalformedRtcp) {
        #expect(throws: input.error) { try input.parse(input.bytes) }
    }

    /// The name of an error's case, written as a switch without a default so that a new
    /// error case does not compile until it is named here and given an input above.
    static func caseName(_ error: RtcpParseError) -> String {
        switch error {
        case .truncatedHeader: "truncatedHeader"
        case .badVersion: "badVersion"
        case .lengthPastEnd: "lengthPastEnd"
        case .zeroPaddingLength: "zeroPaddingLength"
        case .paddingLongerThanPacket: "paddingLongerThanPacket"
        case .unexpectedPacketType: "unexpectedPacketType"
        case .senderInfoTruncated: "senderInfoTruncated"
        case .receiverReportTruncated: "receiverReportTruncated"
        case .reportBlocksPastEnd: "reportBlocksPastEnd"
        case .sourceDescriptionChunkPastEnd: "sourceDescriptionChunkPastEnd"
        case .sourceDescriptionItemPastEnd: "sourceDescriptionItemPastEnd"
        case .sourceDescriptionChunkUnterminated: "sourceDescriptionChunkUnterminated"
        case .goodbyeSourcesPastEnd: "goodbyeSourcesPastEnd"
        case .goodbyeReasonPastEnd: "goodbyeReasonPastEnd"
        case .applicationDefinedTruncated: "applicationDefinedTruncated"
        case .feedbackHeaderTruncated: "feedbackHeaderTruncated"
        case .nackTruncated: "nackTruncated"
        case .pictureLossIndicationHasBody: "pictureLossIndicationHasBody"
        case .fullIntraRequestTruncated: "fullIntraRequestTruncated"
        case .rembTruncated: "rembTruncated"
        case .rembBadIdentifier: "rembBadIdentifier"
        case .rembSsrcListPastEnd: "rembSsrcListPastEnd"
        case .rembBitrateOverflow: "rembBitrateOverflow"
        case .transportFeedbackTruncated: "transportFeedbackTruncated"
        case .transportFeedbackChunksTooShort: "transportFeedbackChunksTooShort"
        case .transportFeedbackReservedSymbol: "transportFeedbackReservedSymbol"
        case .transportFeedbackDeltasTruncated: "transportFeedbackDeltasTruncated"
        case .transportFeedbackTooManyStatuses: "transportFeedbackTooManyStatuses"
        }
    }

    @Test func everyErrorCaseHasAnInput() {
        let covered = Set(Self.cases.map { Self.caseName($0.error) })
        #expect(covered.count == 28)
        #expect(Set(Self.cases.map(\.name)).count == Self.cases.count)
    }
}
