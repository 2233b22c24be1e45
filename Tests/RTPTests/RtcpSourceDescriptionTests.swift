import Testing
@testable import RTP

@Suite struct RtcpSourceDescriptionTests {
    /// One chunk with a 16-character CNAME: 2 + 16 bytes of item, then 2 null octets.
    static let vector = hex("""
        81 CA 0006                           # V=2 P=0 SC=1, PT=202, length 6 (28 bytes)
        11223344                             # SSRC
        01 10 6162636465666768696A6B6C6D6E6F70  # CNAME, 16 bytes: "abcdefghijklmnop"
        00 00                                # end of items, then padding to the word
        """)

    @Test func parsesTheVectorFieldByField() throws {
        let description = try expectRebuilds(Self.vector, as: RtcpSourceDescription.self)
        #expect(description.chunks.count == 1)
        let chunk = try #require(description.chunks.first)
        #expect(chunk.source == 0x1122_3344)
        #expect(chunk.items == [RtcpSourceDescription.Item(type: 1, text: "abcdefghijklmnop")])
        #expect(chunk.cname == "abcdefghijklmnop")
    }

    @Test func itemsEndingOnAWordTakeAFullWordOfNulls() throws {
        // CNAME "ab" fills 4 bytes exactly, so the terminator needs a whole null word.
        let bytes = hex("""
            82 CA 0007                                # SC=2, length 7 (32 bytes)
            11223344  01 02 6162  00000000            # CNAME "ab", a null word
            55667788  02 03 626F62  07 01 78  00000000  # NAME "bob", NOTE "x", 4 nulls
            """)
        let description = try expectRebuilds(bytes, as: RtcpSourceDescription.self)
        #expect(description.chunks == [
            .init(source: 0x1122_3344, items: [.init(type: RtcpSourceDescription.Item.cname, text: "ab")]),
            .init(source: 0x5566_7788, items: [
                .init(type: RtcpSourceDescription.Item.name, text: "bob"),
                .init(type: RtcpSourceDescription.Item.note, text: "x"),
            ]),
        ])
        #expect(description.chunks[1].cname == nil)
    }

    @Test func anEmptyChunkIsSsrcAndANullWord() throws {
        let bytes = try expectRoundTrip(RtcpSourceDescription(chunks: [.init(source: 9, items: [])]))
        #expect(bytes == hex("81 CA 0002 00000009 00000000"))
        #expect(try expectRoundTrip(RtcpSourceDescription(chunks: [])) == hex("80 CA 0000"))
    }

    @Test func roundTripsEveryPaddingLength() throws {
        for length in 0...9 {
            let value = [UInt8](repeating: 0x41 + UInt8(length), count: length)
            let bytes = try expectRoundTrip(RtcpSourceDescription(chunks: [
                .init(source: UInt32(length), items: [.init(type: 1, value: value)]),
                .init(source: 1, items: [.init(type: 6, text: "relay"), .init(type: 8, value: [1, 0x70, 0x71])]),
            ]))
            // One to four null octets end each chunk.
            #expect(bytes.count == 4 + 4 + (length + 6) / 4 * 4 + 4 + 16)
        }
    }

    @Test func keepsInvalidUtf8AsSent() throws {
        let description = RtcpSourceDescription(chunks: [.init(source: 1, items: [.init(type: 1, value: [0xFF, 0xFE])])])
        try expectRoundTrip(description)
        #expect(description.chunks[0].cname == "\u{FFFD}\u{FFFD}")
    }
}
