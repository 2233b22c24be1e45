/// The VP8 payload descriptor at the start of every VP8 RTP payload (RFC 7741 §4.2).
///
/// Parsing reads the bytes in place; the descriptor records the values and where the VP8 data
/// starts (`payloadOffset`), so a forwarder can detect keyframes and rewrite the picture
/// numbering without copying the packet.
///
///           0 1 2 3 4 5 6 7
///          +-+-+-+-+-+-+-+-+
///          |X|R|N|S|R| PID | (REQUIRED)
///          +-+-+-+-+-+-+-+-+
///     X:   |I|L|T|K| RSV   | (OPTIONAL)
///          +-+-+-+-+-+-+-+-+
///     I:   |M| PictureID   | (OPTIONAL)
///          +-+-+-+-+-+-+-+-+
///          |   PictureID   | (present when M=1)
///          +-+-+-+-+-+-+-+-+
///     L:   |   TL0PICIDX   | (OPTIONAL)
///          +-+-+-+-+-+-+-+-+
///     T/K: |TID|Y| KEYIDX  | (OPTIONAL)
///          +-+-+-+-+-+-+-+-+
public struct Vp8PayloadDescriptor: Equatable, Sendable {
    /// N: the frame can be discarded without affecting any other frame.
    public var isNonReference: Bool
    /// S: the packet starts a VP8 partition.
    public var isStartOfPartition: Bool
    /// PID: the partition index (0...7) the first byte of the VP8 data belongs to.
    public var partitionIndex: UInt8
    /// The PictureID, 7 bits or 15 bits wide (see `hasLongPictureID`), when I=1.
    public var pictureID: UInt16?
    /// M: the PictureID field takes two octets (15 bits) rather than one (7 bits).
    public var hasLongPictureID: Bool
    /// TL0PICIDX: the running index of the temporal base layer frames, when L=1.
    public var tl0PictureIndex: UInt8?
    /// TID: the temporal layer index, when T=1.
    public var temporalLayerID: UInt8?
    /// Y: the frame depends only on the base temporal layer (meaningful only when T=1).
    public var isLayerSync: Bool
    /// KEYIDX: the running index of the key frames, when K=1.
    public var keyIndex: UInt8?
    /// The descriptor's length: the offset of the VP8 data (the payload header) in the payload.
    public var payloadOffset: Int

    /// Where the PictureID lies in the payload: right after the two leading octets.
    static let pictureIDOffset = 2

    /// Where TL0PICIDX lies in the payload: after the PictureID, when there is one.
    var tl0PictureIndexOffset: Int {
        Self.pictureIDOffset + (pictureID == nil ? 0 : (hasLongPictureID ? 2 : 1))
    }

    public init(
        isNonReference: Bool = false, isStartOfPartition: Bool, partitionIndex: UInt8 = 0,
        pictureID: UInt16? = nil, hasLongPictureID: Bool = false, tl0PictureIndex: UInt8? = nil,
        temporalLayerID: UInt8? = nil, isLayerSync: Bool = false, keyIndex: UInt8? = nil,
        payloadOffset: Int
    ) {
        self.isNonReference = isNonReference
        self.isStartOfPartition = isStartOfPartition
        self.partitionIndex = partitionIndex
        self.pictureID = pictureID
        self.hasLongPictureID = hasLongPictureID
        self.tl0PictureIndex = tl0PictureIndex
        self.temporalLayerID = temporalLayerID
        self.isLayerSync = isLayerSync
        self.keyIndex = keyIndex
        self.payloadOffset = payloadOffset
    }

    /// Parses the descriptor at the start of a VP8 RTP payload, checking every field against
    /// the buffer. A descriptor with no VP8 data after it is refused: there is nothing to decode.
    public static func parse(_ payload: UnsafeRawBufferPointer) throws(Vp8ParseError)
        -> Vp8PayloadDescriptor
    {
        let length = payload.count
        guard length >= 1 else { throw .emptyPayload }
        let first = payload[0]
        var descriptor = Vp8PayloadDescriptor(
            isNonReference: first & 0x20 != 0, isStartOfPartition: first & 0x10 != 0,
            partitionIndex: first & 0x07, payloadOffset: 1)

        if first & 0x80 != 0 {
            guard length >= 2 else { throw .truncatedExtension }
            let extensionBits = payload[1]
            var offset = pictureIDOffset
            if extensionBits & 0x80 != 0 {
                guard offset < length else { throw .truncatedPictureID }
                if payload[offset] & 0x80 != 0 {
                    guard offset + 2 <= length else { throw .truncatedPictureID }
                    descriptor.pictureID = payload.u16(at: offset) & 0x7FFF
                    descriptor.hasLongPictureID = true
                    offset += 2
                } else {
                    descriptor.pictureID = UInt16(payload[offset])
                    offset += 1
                }
            }
            if extensionBits & 0x40 != 0 {
                guard offset < length else { throw .truncatedTl0PictureIndex }
                descriptor.tl0PictureIndex = payload[offset]
                offset += 1
            }
            let hasTemporalLayer = extensionBits & 0x20 != 0
            let hasKeyIndex = extensionBits & 0x10 != 0
            if hasTemporalLayer || hasKeyIndex {
                // RFC 7741 §4.2: one octet carries TID/Y and KEYIDX; each half counts only
                // when its own flag is set.
                guard offset < length else { throw .truncatedTemporalLayerOctet }
                let octet = payload[offset]
                if hasTemporalLayer {
                    descriptor.temporalLayerID = octet >> 6
                    descriptor.isLayerSync = octet & 0x20 != 0
                }
                if hasKeyIndex { descriptor.keyIndex = octet & 0x1F }
                offset += 1
            }
            descriptor.payloadOffset = offset
        }
        guard descriptor.payloadOffset < length else { throw .noFrameData }
        return descriptor
    }

    /// Parses the descriptor at the start of a VP8 RTP payload held in an array.
    public static func parse(_ payload: [UInt8]) throws(Vp8ParseError) -> Vp8PayloadDescriptor {
        let result: Result<Vp8PayloadDescriptor, Vp8ParseError> = payload.withUnsafeBytes { raw in
            do throws(Vp8ParseError) { return .success(try parse(raw)) } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Whether the packet this descriptor was parsed from starts a key frame.
    ///
    /// RFC 7741 §4.3: only the first packet of a frame (S=1, PID=0) carries the VP8 payload
    /// header, whose first octet holds the frame tag's P bit; P=0 marks a key frame
    /// (RFC 6386 §9.1). `payload` must be the buffer the descriptor was parsed from.
    public func startsKeyframe(in payload: UnsafeRawBufferPointer) -> Bool {
        guard isStartOfPartition, partitionIndex == 0, payloadOffset < payload.count else {
            return false
        }
        return payload[payloadOffset] & 0x01 == 0
    }

    /// The picture size a key frame states (RFC 6386 §9.1: after the 3-byte frame tag, the
    /// start code 9d 01 2a, then width and height in 14 bits each, little-endian), or nil when
    /// this packet does not start a key frame or the header is cut short.
    public func keyframeSize(in payload: UnsafeRawBufferPointer) -> (width: Int, height: Int)? {
        guard startsKeyframe(in: payload), payloadOffset + 10 <= payload.count else { return nil }
        let header = payloadOffset
        guard payload[header + 3] == 0x9D, payload[header + 4] == 0x01, payload[header + 5] == 0x2A else { return nil }
        let width = (Int(payload[header + 7]) << 8 | Int(payload[header + 6])) & 0x3FFF
        let height = (Int(payload[header + 9]) << 8 | Int(payload[header + 8])) & 0x3FFF
        return (width, height)
    }

    /// Whether a VP8 RTP payload starts a key frame; parses the descriptor first.
    public static func isKeyframe(_ payload: UnsafeRawBufferPointer) throws(Vp8ParseError) -> Bool {
        try parse(payload).startsKeyframe(in: payload)
    }

    /// Whether a VP8 RTP payload held in an array starts a key frame.
    public static func isKeyframe(_ payload: [UInt8]) throws(Vp8ParseError) -> Bool {
        let result: Result<Bool, Vp8ParseError> = payload.withUnsafeBytes { raw in
            do throws(Vp8ParseError) { return .success(try isKeyframe(raw)) } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Overwrites the PictureID and TL0PICIDX of the payload this descriptor was parsed from,
    /// in place, and updates the descriptor to match.
    ///
    /// A forwarder that switches simulcast layers renumbers pictures so the receiver sees one
    /// continuous sequence. Fields keep their width: a value is truncated to 7 or 15 bits as
    /// the packet carries it, which is the wrap-around the receiver expects for that width.
    /// A field the packet does not carry is left out; pass nil to leave a field unchanged.
    public mutating func rewrite(
        pictureID newPictureID: UInt16?, tl0PictureIndex newTl0PictureIndex: UInt8?,
        in payload: UnsafeMutableRawBufferPointer
    ) {
        precondition(payload.count >= payloadOffset, "not the payload this descriptor came from")
        if let newPictureID, pictureID != nil {
            pictureID = PictureIDField.write(newPictureID, long: hasLongPictureID, at: Self.pictureIDOffset, in: payload)
        }
        if let newTl0PictureIndex, tl0PictureIndex != nil {
            payload[tl0PictureIndexOffset] = newTl0PictureIndex
            tl0PictureIndex = newTl0PictureIndex
        }
    }
}
