/// The encoded frames every publisher sends, by hash: a subscriber that reassembles a frame can
/// tell whether it is byte for byte the frame the publisher sent under that number, and whose.
struct SourceFrames {
    /// Each publisher's clip as frame hashes, by publisher ordinal.
    let clips: [[UInt64]]

    init(clips: [VideoClip]) {
        self.clips = clips.map { $0.frames.map { Self.hash($0.data) } }
    }

    /// The hash of the frame a publisher sent as its frame number `number` (from 1; its clip loops).
    func hash(publisher: Int, frame number: UInt32) -> UInt64? {
        guard clips.indices.contains(publisher), !clips[publisher].isEmpty, number > 0 else { return nil }
        return clips[publisher][Int(number - 1) % clips[publisher].count]
    }

    /// The publisher whose frame number `number` has `hash`, if one has.
    func publisher(sending hash: UInt64, asFrame number: UInt32) -> Int? {
        clips.indices.first { self.hash(publisher: $0, frame: number) == hash }
    }

    /// FNV-1a, 64 bits: enough to tell frames apart, not a defence against forgery.
    static func hash<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt64 {
        var value: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes {
            value ^= UInt64(byte)
            value &*= 0x0000_0100_0000_01B3
        }
        return value
    }
}
