/// Renumbers the VP8 pictures of the sources one subscription forwards in turn (simulcast
/// layers), so the receiver sees one continuous sequence of PictureIDs and TL0PICIDXs
/// (RFC 7741 §4.2) and never takes a layer switch for lost pictures.
///
/// Within a source every value keeps a constant offset, so a retransmitted packet carries the
/// number it first went out with. When a source starts, its first picture takes the number after
/// the last one sent. Pictures left out (`skip`: a temporal layer the subscriber does not get)
/// are closed up, so the PictureIDs it gets stay consecutive: a receiver takes a gap for a lost
/// picture its next ones may depend on. Fields keep the width the packet carries them in.
public struct Vp8PictureRenumbering: Sendable {
    private var pictureIDOffset: UInt16 = 0
    private var tl0PictureIndexOffset: UInt8 = 0
    /// The latest outgoing values, 15 and 8 bits.
    private var lastPictureID: UInt16?
    private var lastTl0PictureIndex: UInt8?
    /// The newest PictureID of the current source, extended past its wrap-around.
    private var highestSourcePicture: Int64?
    private var skippedPictures = SkippedRuns()

    public init() {}

    /// Rewrites the descriptor at the start of `payload` in place. `startsSource` is true for
    /// the first packet forwarded from a source (the keyframe a switch waits for). A payload
    /// that is no VP8 is left as it is: the decoder will refuse it anyway.
    public mutating func rewrite(_ payload: UnsafeMutableRawBufferPointer, startsSource: Bool) {
        guard var descriptor = try? Vp8PayloadDescriptor.parse(UnsafeRawBufferPointer(payload)) else { return }
        if startsSource {
            highestSourcePicture = nil
            skippedPictures = SkippedRuns()
            if let pictureID = descriptor.pictureID, let lastPictureID {
                pictureIDOffset = (lastPictureID &+ 1 &- pictureID) & 0x7FFF
            }
            if let index = descriptor.tl0PictureIndex, let lastTl0PictureIndex {
                tl0PictureIndexOffset = lastTl0PictureIndex &+ 1 &- index
            }
        }
        var pictureID: UInt16?
        if let source = descriptor.pictureID {
            let extended = extend(source, descriptor: descriptor)
            // A packet of a picture left out is not written: it was not meant to be sent.
            guard let skipped = skippedPictures.skipped(before: extended) else { return }
            highestSourcePicture = max(highestSourcePicture ?? extended, extended)
            pictureID = (source &+ pictureIDOffset &- UInt16(truncatingIfNeeded: skipped)) & 0x7FFF
        }
        let tl0PictureIndex = descriptor.tl0PictureIndex.map { $0 &+ tl0PictureIndexOffset }
        descriptor.rewrite(pictureID: pictureID, tl0PictureIndex: tl0PictureIndex, in: payload)
        if let written = descriptor.pictureID {
            let width: UInt16 = descriptor.hasLongPictureID ? 0x7FFF : 0x7F
            // Only a newer picture moves the mark: a retransmission carries an older one.
            if let last = lastPictureID, startsSource == false {
                let ahead = (written &- last) & width
                if ahead != 0, ahead <= width / 2 { lastPictureID = written }
            } else {
                lastPictureID = written
            }
        }
        if let written = descriptor.tl0PictureIndex {
            if let last = lastTl0PictureIndex, startsSource == false {
                let ahead = written &- last
                if ahead != 0, ahead <= 0x7F { lastTl0PictureIndex = written }
            } else {
                lastTl0PictureIndex = written
            }
        }
    }

    /// The picture of the packet whose payload this is is not forwarded: the pictures after it
    /// are numbered as if it never was. Only a picture newer than every one seen is closed up.
    public mutating func skip(_ payload: UnsafeRawBufferPointer) {
        guard let descriptor = try? Vp8PayloadDescriptor.parse(payload), let source = descriptor.pictureID,
            let highest = highestSourcePicture
        else { return }
        let extended = extend(source, descriptor: descriptor)
        guard extended > highest else { return }
        skippedPictures.skip(extended)
        highestSourcePicture = extended
    }

    /// `pictureID` extended past its 7- or 15-bit wrap-around, nearest the newest of the source.
    private func extend(_ pictureID: UInt16, descriptor: Vp8PayloadDescriptor) -> Int64 {
        guard let highest = highestSourcePicture else { return Int64(pictureID) }
        let width: UInt16 = descriptor.hasLongPictureID ? 0x7FFF : 0x7F
        var step = Int64((pictureID &- UInt16(truncatingIfNeeded: highest)) & width)
        if step > Int64(width / 2) { step -= Int64(width) + 1 }
        return highest + step
    }
}
