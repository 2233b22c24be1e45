import Testing
@testable import Relay

@Suite struct Crc32Tests {
    @Test func matchesTheStandardCheckValue() {
        // The check value every CRC-32 catalogue lists for the ASCII digits 1 to 9.
        #expect(Crc32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
    }

    @Test func emptyInputGivesZero() {
        #expect(Crc32.checksum([UInt8]()) == 0)
    }

    @Test func changesWithEveryFlippedBit() {
        let data = Array("The quick brown fox jumps over the lazy dog".utf8)
        #expect(Crc32.checksum(data) == 0x414F_A339)
        for index in data.indices {
            var flipped = data
            flipped[index] ^= 0x01
            #expect(Crc32.checksum(flipped) != 0x414F_A339)
        }
    }
}
