import Testing
@testable import RTP

@Suite struct RtcpGenericNackTests {
    @Test func parsesTheVectorFieldByField() throws {
        let bytes = hex("""
            81 CD 0003   # V=2 P=0 FMT=1, PT=205, length 3 (16 bytes)
            00000001     # SSRC of packet sender
            12345678     # SSRC of media source
            0064 0005    # PID 100, BLP 0b101: 101 and 103 lost too
            """)
        let nack = try expectRebuilds(bytes, as: RtcpGenericNack.self)
        #expect(nack.senderSsrc == 1)
        #expect(nack.mediaSsrc == 0x1234_5678)
        #expect(nack.entries == [.init(packetID: 100, lostBitmask: 5)])
        #expect(nack.lostSequenceNumbers == [100, 101, 103])
    }

    @Test func packsSequenceNumbersIntoEntries() {
        #expect(RtcpGenericNack.entries(lostSequenceNumbers: []) == [])
        #expect(RtcpGenericNack.entries(lostSequenceNumbers: [7]) == [.init(packetID: 7)])
        // 16 after the PID is the last bit; 17 after needs a new entry.
        #expect(RtcpGenericNack.entries(lostSequenceNumbers: [10, 26, 27]) == [
            .init(packetID: 10, lostBitmask: 0x8000), .init(packetID: 27),
        ])
        #expect(RtcpGenericNack.entries(lostSequenceNumbers: Array(0...16)) == [
            .init(packetID: 0, lostBitmask: 0xFFFF),
        ])
        // Duplicates are reported once.
        #expect(RtcpGenericNack.entries(lostSequenceNumbers: [5, 5, 6, 6]) == [
            .init(packetID: 5, lostBitmask: 1),
        ])
    }

    @Test func packingFollowsTheSequenceNumberWrap() {
        let lost: [UInt16] = [65534, 65535, 0, 3, 40]
        let entries = RtcpGenericNack.entries(lostSequenceNumbers: lost)
        #expect(entries == [.init(packetID: 65534, lostBitmask: 0b1_0011), .init(packetID: 40)])
        let nack = RtcpGenericNack(senderSsrc: 1, mediaSsrc: 2, lostSequenceNumbers: lost)
        #expect(nack.lostSequenceNumbers == lost)
        // A bitmask that runs past 65535 comes back wrapped.
        let wrapped = RtcpGenericNack(
            senderSsrc: 1, mediaSsrc: 2, entries: [.init(packetID: 65530, lostBitmask: 0x8010)])
        #expect(wrapped.lostSequenceNumbers == [65530, 65535, 10])
    }

    @Test func roundTrips() throws {
        let lost: [UInt16] = [1, 2, 3, 100, 116, 117, 500, 65535, 0]
        let nack = RtcpGenericNack(senderSsrc: 0xAABB_CCDD, mediaSsrc: 0x1122_3344, lostSequenceNumbers: lost)
        let bytes = try expectRoundTrip(nack)
        #expect(bytes.count == 12 + 4 * nack.entries.count)
        #expect(try RtcpGenericNack.parse(bytes).lostSequenceNumbers == lost)
    }

    /// Captured from Chromium 156 (Fixtures/chrome-rtcp-nack.md): 3814...3844 lost.
    @Test func chromeNack() throws {
        let bytes = try Fixture.bytes("chrome-rtcp-nack")
        let nack = try expectRebuilds(bytes, as: RtcpGenericNack.self)
        #expect(nack.senderSsrc == 0x282A_285D)
        #expect(nack.mediaSsrc == 0xC2F1_D62A)
        #expect(nack.entries == [.init(packetID: 3814, lostBitmask: 0xFFFF), .init(packetID: 3831, lostBitmask: 0x1FFF)])
        #expect(nack.lostSequenceNumbers == Array(3814...3844))
        // Packing the same numbers gives Chrome's entries.
        let packed = RtcpGenericNack(senderSsrc: nack.senderSsrc, mediaSsrc: nack.mediaSsrc, lostSequenceNumbers: Array(3814...3844))
        #expect(try packed.bytes() == bytes)
    }
}
