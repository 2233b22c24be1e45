import Testing
@testable import Relay

@Suite struct DatagramKindTests {
    @Test func classifiesByFirstByte() {
        #expect(DatagramKind(classifying: [0x00, 0x01, 0x00, 0x00]) == .stun)
        #expect(DatagramKind(classifying: [0x01, 0x01]) == .stun)
        #expect(DatagramKind(classifying: [22, 0xFE, 0xFD]) == .dtls)
        #expect(DatagramKind(classifying: [63]) == .dtls)
        #expect(DatagramKind(classifying: [0x80, 96]) == .rtp)
        #expect(DatagramKind(classifying: [0x80, 0x80 | 111]) == .rtp)
        #expect(DatagramKind(classifying: [0x80, 200]) == .rtcp)
        #expect(DatagramKind(classifying: [0x81, 205]) == .rtcp)
        #expect(DatagramKind(classifying: [0x8F, 223]) == .rtcp)
    }

    @Test func rejectsWhatIsNoneOfThem() {
        #expect(DatagramKind(classifying: []) == .unknown)
        #expect(DatagramKind(classifying: [0x80]) == .unknown)
        #expect(DatagramKind(classifying: [16]) == .unknown)  // ZRTP
        #expect(DatagramKind(classifying: [64]) == .unknown)  // TURN channel
        #expect(DatagramKind(classifying: [0xFF, 0x00]) == .unknown)
    }
}
