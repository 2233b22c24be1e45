/// Renumbers the VP8 or VP9 pictures of the sources one subscription forwards in turn
/// (simulcast layers), so the receiver sees one continuous sequence of PictureIDs and TL0PICIDXs
/// (RFC 7741 §4.2, RFC 9628 §4.2) and never takes a layer switch for lost pictures.
///
/// Within a source every value keeps a constant offset, so a retransmitted packet carries the
/// number it first went out with. When a source starts, its first picture takes the number after
/// the last one sent. Pictures left out (`skip`: a temporal layer the subscriber does not get)
/// are closed up, so the PictureIDs it gets stay consecutive: a receiver takes a gap for a lost
/// picture its next ones may depend on. A VP9 picture in flexible mode names its references by
/// how many PictureIDs back they lie (P_DIFF); those shrink by the pictures closed up between.
/// Fields keep the width the packet carries them in.
public struct PictureRenumbering: Sendable {
    /// The payload format whose descriptor carries the numbers.
    public enum Format: Sendable {
        case vp8, vp9
    }

    public let format: Format
    private var pictureIDOffset: UInt16 = 0
    private var tl0PictureIndexOffset: UInt8 = 0
    /// The latest outgoing values, 15 and 8 bits.
    private var lastPictureID: UInt16?
    private var lastTl0PictureIndex: UInt8?
    /// The newest PictureID of the current source, extended past its wrap-around.
    private var highestSourcePicture: Int64?
    private var skippedPictures = SkippedRuns()

    public init(format: Format) {
        self.format = format
    }

    /// The numbers one picture goes out with, and where it stands in its source.
    private struct Numbers {
        var pictureID: UInt16?
        var tl0PictureIndex: UInt8?
        /// The source's PictureID extended past its wrap-around, and the pictures closed up
        /// before it; nil without a PictureID.
        var extendedSource: Int64?
        var skippedBefore: Int64 = 0
    }

    /// Rewrites the descriptor at the start of `payload` in place. `startsSource` is true for
    /// the first packet forwarded from a source (the keyframe a switch waits for). A payload
    /// that is not of the format is left as it is: the decoder will refuse it anyway.
    public mutating func rewrite(_ payload: UnsafeMutableRawBufferPointer, startsSource: Bool) {
        let source = UnsafeRawBufferPointer(payload)
        switch format {
        case .vp8:
            guard var descriptor = try? Vp8PayloadDescriptor.parse(source),
                let numbers = renumber(
                    pictureID: descriptor.pictureID, long: descriptor.hasLongPictureID,
                    tl0PictureIndex: descriptor.tl0PictureIndex, startsSource: startsSource)
            else { return }
            descriptor.rewrite(pictureID: numbers.pictureID, tl0PictureIndex: numbers.tl0PictureIndex, in: payload)
        case .vp9:
            guard var descriptor = try? Vp9PayloadDescriptor.parse(source),
                let numbers = renumber(
                    pictureID: descriptor.pictureID, long: descriptor.hasLongPictureID,
                    tl0PictureIndex: descriptor.tl0PictureIndex, startsSource: startsSource)
            else { return }
            descriptor.rewrite(
                pictureID: numbers.pictureID, tl0PictureIndex: numbers.tl0PictureIndex,
                referenceDiffs: referenceDiffs(descriptor.referenceDiffs, of: numbers), in: payload)
        }
    }

    /// The picture of the packet whose payload this is is not forwarded: the pictures after it
    /// are numbered as if it never was. Only a picture newer than every one seen is closed up.
    public mutating func skip(_ payload: UnsafeRawBufferPointer) {
        let pictureID: UInt16?
        let long: Bool
        switch format {
        case .vp8:
            guard let descriptor = try? Vp8PayloadDescriptor.parse(payload) else { return }
            (pictureID, long) = (descriptor.pictureID, descriptor.hasLongPictureID)
        case .vp9:
            guard let descriptor = try? Vp9PayloadDescriptor.parse(payload) else { return }
            (pictureID, long) = (descriptor.pictureID, descriptor.hasLongPictureID)
        }
        guard let pictureID, let highest = highestSourcePicture else { return }
        let extended = extend(pictureID, long: long)
        guard extended > highest else { return }
        skippedPictures.skip(extended)
        highestSourcePicture = extended
    }

    /// The numbers a picture goes out with, and the marks moved to them; nil when its picture
    /// was left out, so it is not to be written.
    private mutating func renumber(pictureID source: UInt16?, long: Bool, tl0PictureIndex sourceIndex: UInt8?, startsSource: Bool)
        -> Numbers?
    {
        if startsSource {
            highestSourcePicture = nil
            skippedPictures = SkippedRuns()
            if let source, let lastPictureID {
                pictureIDOffset = (lastPictureID &+ 1 &- source) & 0x7FFF
            }
            if let sourceIndex, let lastTl0PictureIndex {
                tl0PictureIndexOffset = lastTl0PictureIndex &+ 1 &- sourceIndex
            }
        }
        var numbers = Numbers()
        if let source {
            let extended = extend(source, long: long)
            // A packet of a picture left out is not written: it was not meant to be sent.
            guard let skipped = skippedPictures.skipped(before: extended) else { return nil }
            highestSourcePicture = max(highestSourcePicture ?? extended, extended)
            let width: UInt16 = long ? 0x7FFF : 0x7F
            let written = (source &+ pictureIDOffset &- UInt16(truncatingIfNeeded: skipped)) & width
            numbers.pictureID = written
            numbers.extendedSource = extended
            numbers.skippedBefore = skipped
            // Only a newer picture moves the mark: a retransmission carries an older one.
            if let last = lastPictureID, startsSource == false {
                let ahead = (written &- last) & width
                if ahead != 0, ahead <= width / 2 { lastPictureID = written }
            } else {
                lastPictureID = written
            }
        }
        if let sourceIndex {
            let written = sourceIndex &+ tl0PictureIndexOffset
            numbers.tl0PictureIndex = written
            if let last = lastTl0PictureIndex, startsSource == false {
                let ahead = written &- last
                if ahead != 0, ahead <= 0x7F { lastTl0PictureIndex = written }
            } else {
                lastTl0PictureIndex = written
            }
        }
        return numbers
    }

    /// Each P_DIFF less the pictures closed up between the reference and this picture; nil
    /// when there is nothing to change. A reference older than the runs kept reach, or itself
    /// left out, keeps its distance: the receiver's references then tell it what is missing.
    private func referenceDiffs(_ diffs: Vp9PayloadDescriptor.ReferenceDiffs, of numbers: Numbers)
        -> Vp9PayloadDescriptor.ReferenceDiffs?
    {
        guard !diffs.isEmpty, let extended = numbers.extendedSource, numbers.skippedBefore > 0 else { return nil }
        var shortened = Vp9PayloadDescriptor.ReferenceDiffs()
        for diff in diffs {
            let closedUp = skippedPictures.skipped(before: extended - Int64(diff)).map { numbers.skippedBefore - $0 } ?? 0
            let value = Int64(diff) - closedUp
            shortened.append(value >= 1 ? UInt8(value) : diff)
        }
        return shortened
    }

    /// `pictureID` extended past its 7- or 15-bit wrap-around, nearest the newest of the source.
    private func extend(_ pictureID: UInt16, long: Bool) -> Int64 {
        guard let highest = highestSourcePicture else { return Int64(pictureID) }
        let width: UInt16 = long ? 0x7FFF : 0x7F
        var step = Int64((pictureID &- UInt16(truncatingIfNeeded: highest)) & width)
        if step > Int64(width / 2) { step -= Int64(width) + 1 }
        return highest + step
    }
}
