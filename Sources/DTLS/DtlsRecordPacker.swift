/// Packs the bytes OpenSSL wrote to its memory BIO into datagrams of at most `mtu` bytes.
///
/// The BIO is a byte stream that can hold several DTLS records (a server flight is five);
/// records must not be split across datagrams (RFC 6347 §4.1.1), so this splits on record
/// boundaries, read from the 13-byte header whose last two bytes are the length.
enum DtlsRecordPacker {
    static let recordHeaderLength = 13

    static func pack(_ stream: [UInt8], mtu: Int) -> [[UInt8]] {
        var datagrams: [[UInt8]] = []
        var current: [UInt8] = []
        var offset = 0
        while offset + recordHeaderLength <= stream.count {
            let length = Int(stream[offset + 11]) << 8 | Int(stream[offset + 12])
            let end = min(offset + recordHeaderLength + length, stream.count)
            if !current.isEmpty && current.count + (end - offset) > mtu {
                datagrams.append(current)
                current = []
            }
            current.append(contentsOf: stream[offset..<end])
            offset = end
        }
        if !current.isEmpty { datagrams.append(current) }
        return datagrams
    }
}
