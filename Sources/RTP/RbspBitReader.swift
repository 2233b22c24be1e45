/// Reads the bits of an H.264 NAL unit's payload (RBSP) in order, dropping the emulation
/// prevention bytes (ITU-T H.264 §7.4.1: a 0x03 after two zero bytes is not data).
struct RbspBitReader {
    private let data: UnsafeRawBufferPointer
    private var offset: Int
    private var zeros = 0
    private var current: UInt8 = 0
    private var bitsLeft = 0

    /// Starts at `offset` in `data` (after the NAL unit header).
    init(_ data: UnsafeRawBufferPointer, from offset: Int) {
        self.data = data
        self.offset = offset
    }

    mutating func bit() throws(H264SequenceParameterSetError) -> Int {
        if bitsLeft == 0 {
            guard offset < data.count else { throw .truncated }
            var byte = data[offset]
            offset += 1
            if zeros >= 2, byte == 0x03 {
                guard offset < data.count else { throw .truncated }
                byte = data[offset]
                offset += 1
                zeros = 0
            }
            zeros = byte == 0 ? zeros + 1 : 0
            current = byte
            bitsLeft = 8
        }
        bitsLeft -= 1
        return Int(current >> UInt8(bitsLeft)) & 1
    }

    /// `count` bits as an unsigned number, most significant first (u(n), §7.2).
    mutating func bits(_ count: Int) throws(H264SequenceParameterSetError) -> Int {
        var value = 0
        for _ in 0..<count { value = value << 1 | (try bit()) }
        return value
    }

    /// An unsigned Exp-Golomb code (ue(v), §9.1).
    mutating func unsignedExpGolomb() throws(H264SequenceParameterSetError) -> Int {
        var leadingZeros = 0
        while try bit() == 0 {
            leadingZeros += 1
            guard leadingZeros < 32 else { throw .valueOutOfRange }
        }
        return (1 << leadingZeros) - 1 + (try bits(leadingZeros))
    }

    /// A signed Exp-Golomb code (se(v), §9.1.1): 1, −1, 2, −2, ... for codes 1, 2, 3, 4, ...
    mutating func signedExpGolomb() throws(H264SequenceParameterSetError) -> Int {
        let code = try unsignedExpGolomb()
        return code & 1 == 1 ? (code + 1) / 2 : -(code / 2)
    }
}
