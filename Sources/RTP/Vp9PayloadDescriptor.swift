/// The VP9 payload descriptor at the start of every VP9 RTP payload (RFC 9628 §4.2).
///
/// Parsing reads the bytes in place and allocates nothing: the reference differences are
/// kept inline (at most three) and the scalability structure is recorded as a range to read
/// on demand. `payloadOffset` is where the VP9 data starts.
///
/// Flexible mode (F=1):
///
///            0 1 2 3 4 5 6 7
///           +-+-+-+-+-+-+-+-+
///           |I|P|L|F|B|E|V|Z| (REQUIRED)
///           +-+-+-+-+-+-+-+-+
///      I:   |M| PICTURE ID  | (REQUIRED)
///           +-+-+-+-+-+-+-+-+
///      M:   | EXTENDED PID  | (RECOMMENDED)
///           +-+-+-+-+-+-+-+-+
///      L:   | TID |U| SID |D| (Conditionally RECOMMENDED)
///           +-+-+-+-+-+-+-+-+                             -\
///      P,F: | P_DIFF      |N| (Conditionally REQUIRED)    - up to 3 times
///           +-+-+-+-+-+-+-+-+                             -/
///      V:   | SS            |
///           | ..            |
///           +-+-+-+-+-+-+-+-+
///
/// Non-flexible mode (F=0):
///
///            0 1 2 3 4 5 6 7
///           +-+-+-+-+-+-+-+-+
///           |I|P|L|F|B|E|V|Z| (REQUIRED)
///           +-+-+-+-+-+-+-+-+
///      I:   |M| PICTURE ID  | (RECOMMENDED)
///           +-+-+-+-+-+-+-+-+
///      M:   | EXTENDED PID  | (RECOMMENDED)
///           +-+-+-+-+-+-+-+-+
///      L:   | TID |U| SID |D| (Conditionally RECOMMENDED)
///           +-+-+-+-+-+-+-+-+
///           |   TL0PICIDX   | (Conditionally REQUIRED)
///           +-+-+-+-+-+-+-+-+
///      V:   | SS            |
///           | ..            |
///           +-+-+-+-+-+-+-+-+
public struct Vp9PayloadDescriptor: Equatable, Sendable {
    /// The P_DIFF values of a picture in flexible mode: up to three, stored inline.
    public struct ReferenceDiffs: RandomAccessCollection, ExpressibleByArrayLiteral, Equatable,
        Sendable
    {
        public static let maximumCount = 3

        public private(set) var count = 0
        private var firstValue: UInt8 = 0
        private var secondValue: UInt8 = 0
        private var thirdValue: UInt8 = 0

        public init() {}

        public init(arrayLiteral values: UInt8...) {
            precondition(values.count <= Self.maximumCount, "a picture has at most 3 references")
            for value in values { append(value) }
        }

        /// Adds a value; the parser checks there is room before calling.
        mutating func append(_ value: UInt8) {
            switch count {
            case 0: firstValue = value
            case 1: secondValue = value
            default: thirdValue = value
            }
            count += 1
        }

        public var startIndex: Int { 0 }
        public var endIndex: Int { count }

        public subscript(position: Int) -> UInt8 {
            precondition(position >= 0 && position < count, "reference index out of range")
            switch position {
            case 0: return firstValue
            case 1: return secondValue
            default: return thirdValue
            }
        }
    }

    /// Where the scalability structure lies and what it announces (RFC 9628 §4.2.1).
    ///
    ///          +-+-+-+-+-+-+-+-+
    ///     V:   | N_S |Y|G|-|-|-|
    ///          +-+-+-+-+-+-+-+-+              -\
    ///     Y:   |     WIDTH     | (OPTIONAL)    .
    ///          +               +               .
    ///          |               | (OPTIONAL)    .
    ///          +-+-+-+-+-+-+-+-+               . - N_S + 1 times
    ///          |     HEIGHT    | (OPTIONAL)    .
    ///          +               +               .
    ///          |               | (OPTIONAL)    .
    ///          +-+-+-+-+-+-+-+-+              -/
    ///     G:   |      N_G      | (OPTIONAL)
    ///          +-+-+-+-+-+-+-+-+                           -\
    ///     N_G: |  T  |U| R |-|-| (OPTIONAL)                 .
    ///          +-+-+-+-+-+-+-+-+              -\            . - N_G times
    ///          |    P_DIFF     | (OPTIONAL)    . - R times  .
    ///          +-+-+-+-+-+-+-+-+              -/            -/
    public struct ScalabilityStructure: Equatable, Sendable {
        /// N_S + 1: the number of spatial layers in the stream.
        public var spatialLayerCount: Int
        /// Y: each spatial layer's width and height follow the first octet.
        public var hasResolutions: Bool
        /// N_G: the number of pictures in the picture group (0 when G=0).
        public var pictureGroupCount: Int
        /// Where the whole structure lies in the payload.
        public var range: Range<Int>

        public init(
            spatialLayerCount: Int, hasResolutions: Bool, pictureGroupCount: Int,
            range: Range<Int>
        ) {
            self.spatialLayerCount = spatialLayerCount
            self.hasResolutions = hasResolutions
            self.pictureGroupCount = pictureGroupCount
            self.range = range
        }

        /// The width and height announced for spatial layer `index`, read from the payload the
        /// structure was parsed from; nil when Y=0 or the layer does not exist.
        public func resolution(ofSpatialLayer index: Int, in payload: UnsafeRawBufferPointer)
            -> (width: UInt16, height: UInt16)?
        {
            guard hasResolutions, index >= 0, index < spatialLayerCount else { return nil }
            let offset = range.lowerBound + 1 + 4 * index
            guard offset + 4 <= payload.count else { return nil }
            return (payload.u16(at: offset), payload.u16(at: offset + 2))
        }
    }

    /// P: the picture is predicted from an earlier picture (not an intra picture).
    public var isInterPicturePredicted: Bool
    /// F: flexible mode, references are signalled per picture as P_DIFFs.
    public var isFlexibleMode: Bool
    /// B: the packet starts a layer frame.
    public var isStartOfFrame: Bool
    /// E: the packet ends a layer frame.
    public var isEndOfFrame: Bool
    /// Z: the frame is not used as a reference by a higher spatial layer.
    public var isNotUpperLayerReference: Bool
    /// The PictureID, 7 bits or 15 bits wide (see `hasLongPictureID`), when I=1.
    public var pictureID: UInt16?
    /// M: the PictureID field takes two octets (15 bits) rather than one (7 bits).
    public var hasLongPictureID: Bool
    /// TID: the temporal layer index, when L=1.
    public var temporalLayerID: UInt8?
    /// U: a switching-up point to a higher temporal layer (meaningful only when L=1).
    public var isSwitchingUpPoint: Bool
    /// SID: the spatial layer index, when L=1.
    public var spatialLayerID: UInt8?
    /// D: the frame depends on the lower spatial layer of the same picture (only when L=1).
    public var hasInterLayerDependency: Bool
    /// TL0PICIDX: the running index of the temporal base layer frames (non-flexible, L=1).
    public var tl0PictureIndex: UInt8?
    /// The P_DIFFs (flexible mode, P=1): how many pictures back each reference lies.
    public var referenceDiffs: ReferenceDiffs
    /// The scalability structure, when V=1.
    public var scalabilityStructure: ScalabilityStructure?
    /// The descriptor's length: the offset of the VP9 data in the payload.
    public var payloadOffset: Int

    public init(
        isInterPicturePredicted: Bool, isFlexibleMode: Bool = false, isStartOfFrame: Bool,
        isEndOfFrame: Bool, isNotUpperLayerReference: Bool = false, pictureID: UInt16? = nil,
        hasLongPictureID: Bool = false, temporalLayerID: UInt8? = nil,
        isSwitchingUpPoint: Bool = false, spatialLayerID: UInt8? = nil,
        hasInterLayerDependency: Bool = false, tl0PictureIndex: UInt8? = nil,
        referenceDiffs: ReferenceDiffs = ReferenceDiffs(),
        scalabilityStructure: ScalabilityStructure? = nil, payloadOffset: Int
    ) {
        self.isInterPicturePredicted = isInterPicturePredicted
        self.isFlexibleMode = isFlexibleMode
        self.isStartOfFrame = isStartOfFrame
        self.isEndOfFrame = isEndOfFrame
        self.isNotUpperLayerReference = isNotUpperLayerReference
        self.pictureID = pictureID
        self.hasLongPictureID = hasLongPictureID
        self.temporalLayerID = temporalLayerID
        self.isSwitchingUpPoint = isSwitchingUpPoint
        self.spatialLayerID = spatialLayerID
        self.hasInterLayerDependency = hasInterLayerDependency
        self.tl0PictureIndex = tl0PictureIndex
        self.referenceDiffs = referenceDiffs
        self.scalabilityStructure = scalabilityStructure
        self.payloadOffset = payloadOffset
    }

    /// Whether the packet starts a key frame: the first packet (B=1) of an intra picture (P=0)
    /// on the base spatial layer (SID=0, or no layer indices), from which a receiver can
    /// start decoding.
    public var startsKeyframe: Bool {
        !isInterPicturePredicted && isStartOfFrame && (spatialLayerID ?? 0) == 0
    }

    /// Parses the descriptor at the start of a VP9 RTP payload, checking every field against
    /// the buffer. A descriptor with no VP9 data after it is refused: there is nothing to decode.
    public static func parse(_ payload: UnsafeRawBufferPointer) throws(Vp9ParseError)
        -> Vp9PayloadDescriptor
    {
        let length = payload.count
        guard length >= 1 else { throw .emptyPayload }
        let flags = payload[0]
        let hasPictureID = flags & 0x80 != 0
        let hasLayerIndices = flags & 0x20 != 0
        let hasScalabilityStructure = flags & 0x02 != 0
        var descriptor = Vp9PayloadDescriptor(
            isInterPicturePredicted: flags & 0x40 != 0, isFlexibleMode: flags & 0x10 != 0,
            isStartOfFrame: flags & 0x08 != 0, isEndOfFrame: flags & 0x04 != 0,
            isNotUpperLayerReference: flags & 0x01 != 0, payloadOffset: 1)
        var offset = 1

        if hasPictureID {
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

        if hasLayerIndices {
            guard offset < length else { throw .truncatedLayerIndices }
            let indices = payload[offset]
            descriptor.temporalLayerID = indices >> 5
            descriptor.isSwitchingUpPoint = indices & 0x10 != 0
            descriptor.spatialLayerID = (indices >> 1) & 0x07
            descriptor.hasInterLayerDependency = indices & 0x01 != 0
            offset += 1
            // RFC 9628 §4.2: TL0PICIDX follows the layer indices only in non-flexible mode.
            if !descriptor.isFlexibleMode {
                guard offset < length else { throw .truncatedTl0PictureIndex }
                descriptor.tl0PictureIndex = payload[offset]
                offset += 1
            }
        }

        if descriptor.isFlexibleMode && descriptor.isInterPicturePredicted {
            // Each P_DIFF octet's low bit (N) says whether another one follows.
            var hasNext = true
            while hasNext {
                guard descriptor.referenceDiffs.count < ReferenceDiffs.maximumCount else {
                    throw .tooManyReferenceDiffs
                }
                guard offset < length else { throw .truncatedReferenceDiff }
                let octet = payload[offset]
                descriptor.referenceDiffs.append(octet >> 1)
                hasNext = octet & 0x01 != 0
                offset += 1
            }
        }

        if hasScalabilityStructure {
            let structure = try parseScalabilityStructure(payload, at: offset)
            descriptor.scalabilityStructure = structure
            offset = structure.range.upperBound
        }

        guard offset < length else { throw .noFrameData }
        descriptor.payloadOffset = offset
        return descriptor
    }

    /// Where the PictureID lies in the payload: right after the first octet.
    static let pictureIDOffset = 1

    /// Where TL0PICIDX lies: after the PictureID and the layer indices.
    var tl0PictureIndexOffset: Int {
        Self.pictureIDOffset + (pictureID == nil ? 0 : (hasLongPictureID ? 2 : 1)) + 1
    }

    /// Where the P_DIFFs lie: after the layer indices, and TL0PICIDX when there is one.
    var referenceDiffsOffset: Int {
        Self.pictureIDOffset + (pictureID == nil ? 0 : (hasLongPictureID ? 2 : 1))
            + (temporalLayerID == nil ? 0 : 1) + (tl0PictureIndex == nil ? 0 : 1)
    }

    /// Overwrites the PictureID, TL0PICIDX and P_DIFFs of the payload this descriptor was
    /// parsed from, in place, and updates the descriptor to match.
    ///
    /// A forwarder that switches simulcast layers renumbers pictures so the receiver sees one
    /// continuous sequence; a P_DIFF counts pictures back (RFC 9628 §4.2), so closing up pictures
    /// left out shortens it. Fields keep their width: a PictureID is truncated to 7 or 15 bits
    /// as the packet carries it. A field the packet does not carry is left out; pass nil to
    /// leave a field unchanged. `referenceDiffs` must have one value (1...127) per P_DIFF.
    public mutating func rewrite(
        pictureID newPictureID: UInt16?, tl0PictureIndex newTl0PictureIndex: UInt8?,
        referenceDiffs newReferenceDiffs: ReferenceDiffs? = nil, in payload: UnsafeMutableRawBufferPointer
    ) {
        precondition(payload.count >= payloadOffset, "not the payload this descriptor came from")
        if let newPictureID, pictureID != nil {
            pictureID = PictureIDField.write(newPictureID, long: hasLongPictureID, at: Self.pictureIDOffset, in: payload)
        }
        if let newTl0PictureIndex, tl0PictureIndex != nil {
            payload[tl0PictureIndexOffset] = newTl0PictureIndex
            tl0PictureIndex = newTl0PictureIndex
        }
        if let newReferenceDiffs {
            precondition(newReferenceDiffs.count == referenceDiffs.count, "one value per P_DIFF")
            let start = referenceDiffsOffset
            for index in newReferenceDiffs.indices {
                // The low bit (N) still says whether another P_DIFF follows.
                payload[start + index] = newReferenceDiffs[index] << 1 | payload[start + index] & 0x01
            }
            referenceDiffs = newReferenceDiffs
        }
    }

    /// Parses the descriptor at the start of a VP9 RTP payload held in an array.
    public static func parse(_ payload: [UInt8]) throws(Vp9ParseError) -> Vp9PayloadDescriptor {
        let result: Result<Vp9PayloadDescriptor, Vp9ParseError> = payload.withUnsafeBytes { raw in
            do throws(Vp9ParseError) { return .success(try parse(raw)) } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Walks the scalability structure starting at `start`, checking each part's length.
    static func parseScalabilityStructure(_ payload: UnsafeRawBufferPointer, at start: Int)
        throws(Vp9ParseError) -> ScalabilityStructure
    {
        let length = payload.count
        guard start < length else { throw .truncatedScalabilityStructure }
        let header = payload[start]
        let spatialLayerCount = Int(header >> 5) + 1
        let hasResolutions = header & 0x10 != 0
        let hasPictureGroup = header & 0x08 != 0
        var offset = start + 1

        if hasResolutions {
            // Two octets of width and two of height per spatial layer.
            offset += 4 * spatialLayerCount
            guard offset <= length else { throw .truncatedSpatialLayerResolutions }
        }

        var pictureGroupCount = 0
        if hasPictureGroup {
            guard offset < length else { throw .truncatedPictureGroupDescription }
            pictureGroupCount = Int(payload[offset])
            offset += 1
            for _ in 0..<pictureGroupCount {
                guard offset < length else { throw .truncatedPictureGroupDescription }
                let referenceCount = Int((payload[offset] >> 2) & 0x03)
                offset += 1 + referenceCount
                guard offset <= length else { throw .truncatedPictureGroupDescription }
            }
        }

        return ScalabilityStructure(
            spatialLayerCount: spatialLayerCount, hasResolutions: hasResolutions,
            pictureGroupCount: pictureGroupCount, range: start..<offset)
    }
}
