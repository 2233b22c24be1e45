/// Maps the sequence numbers and timestamps of packets from successive sources (a publisher
/// that comes back, another simulcast layer) onto one continuous outgoing RTP stream with a
/// fixed SSRC and payload type: what one subscription of a forwarder sends.
///
/// Within a source, each packet keeps its distance from the others (a constant offset), so a
/// reordered, late or lost packet looks the same to the receiver as it did at the sender. When
/// the source changes, the next outgoing sequence number is the last one plus one and the
/// timestamp advances from the last outgoing one by the time elapsed since that packet
/// arrived, so the receiver sees neither a gap nor a jump (RFC 3550 §5.1 asks for sequence
/// numbers that increase by one per packet and timestamps that follow the sampling clock).
///
/// The rewriter starts with the first source it sees. After `switchSource(to:)`, only packets
/// of the new source are accepted; a packet from any other source, including a late one from
/// the previous source, is refused. Time is passed in as monotonic nanoseconds. Nothing is
/// allocated per packet.
public struct RtpStreamRewriter: Sendable {
    /// The outgoing sequence number and timestamp of one packet.
    public struct Mapping: Equatable, Sendable {
        public var sequenceNumber: UInt16
        public var timestamp: UInt32

        public init(sequenceNumber: UInt16, timestamp: UInt32) {
            self.sequenceNumber = sequenceNumber
            self.timestamp = timestamp
        }
    }

    /// The source being forwarded and how its numbers map to outgoing ones.
    struct Source: Sendable {
        var ssrc: UInt32
        var sequenceNumberOffset: UInt16
        var timestampOffset: UInt32
        /// The first and highest sequence numbers received, extended past 16 bits so a source
        /// can run for any number of wrap-arounds.
        var firstExtendedSequenceNumber: Int64
        var highestExtendedSequenceNumber: Int64
        /// Packets of this source left out (`skip`), which the outgoing numbers close up.
        var skipped = SkippedRuns()
    }

    /// Which incoming packets the rewriter accepts.
    enum SourceState: Sendable {
        /// Nothing forwarded yet: the first packet's source is taken.
        case waitingForFirstSource
        /// A switch was asked: the next packet of this SSRC starts the new source.
        case switching(to: UInt32)
        case forwarding(Source)
    }

    /// The last packet that advanced the outgoing stream and when it arrived.
    struct LastOutgoing: Sendable {
        var sequenceNumber: UInt16
        var timestamp: UInt32
        var arrival: UInt64
    }

    public let ssrc: UInt32
    public let payloadType: UInt8
    /// The RTP clock rate of the payload format, e.g. 90000 for video, 48000 for Opus.
    public let clockRate: UInt32
    let initialSequenceNumber: UInt16
    let initialTimestamp: UInt32
    var state: SourceState = .waitingForFirstSource
    var lastOutgoing: LastOutgoing?

    /// - Parameters:
    ///   - ssrc: the outgoing SSRC of this subscription.
    ///   - payloadType: the outgoing payload type, as the subscriber negotiated it.
    ///   - clockRate: the RTP clock rate, to turn elapsed time into timestamp units.
    ///   - initialSequenceNumber, initialTimestamp: the first outgoing values; RFC 3550 §5.1
    ///     asks for random ones, which the caller draws.
    public init(
        ssrc: UInt32, payloadType: UInt8, clockRate: UInt32, initialSequenceNumber: UInt16,
        initialTimestamp: UInt32
    ) {
        self.ssrc = ssrc
        self.payloadType = payloadType
        self.clockRate = clockRate
        self.initialSequenceNumber = initialSequenceNumber
        self.initialTimestamp = initialTimestamp
    }

    /// The SSRC of the source being forwarded, or nil before the first packet and during a
    /// switch.
    public var currentSourceSSRC: UInt32? {
        if case .forwarding(let source) = state { return source.ssrc }
        return nil
    }

    /// The highest outgoing sequence number and its timestamp so far.
    public var lastMapping: Mapping? {
        lastOutgoing.map { Mapping(sequenceNumber: $0.sequenceNumber, timestamp: $0.timestamp) }
    }

    /// The outgoing timestamp that corresponds to `now`: the last outgoing one advanced by
    /// the time since it was sent, as a sender report states it (RFC 3550 §6.4.1).
    public func timestamp(at now: UInt64) -> UInt32? {
        guard let lastOutgoing else { return nil }
        let elapsed = now > lastOutgoing.arrival ? now - lastOutgoing.arrival : 0
        return lastOutgoing.timestamp &+ Self.ticks(elapsed, clockRate: clockRate)
    }

    /// The source's sequence number of the outgoing packet `sequenceNumber`, for answering a
    /// subscriber's NACK from the source's packets; nil before forwarding starts, and for a
    /// packet sent before the current source started (another layer's, which the current
    /// source's history does not hold).
    public func sourceSequenceNumber(forOutgoing sequenceNumber: UInt16) -> UInt16? {
        guard case .forwarding(let source) = state else { return nil }
        // The outgoing number less the offset is the source's number less the packets skipped
        // before it.
        let closedUp = SequenceNumberUnwrapper.extend(
            sequenceNumber &- source.sequenceNumberOffset, near: source.highestExtendedSequenceNumber - source.skipped.total)
        guard let extended = source.skipped.value(closedUp: closedUp), extended >= source.firstExtendedSequenceNumber
        else { return nil }
        return UInt16(truncatingIfNeeded: extended)
    }

    /// The packet `sequenceNumber` of the source being forwarded is left out (a temporal layer
    /// the subscriber does not get): the packets after it are numbered as if it never was, so
    /// the receiver sees no gap to ask about. Only a packet newer than every one seen can be
    /// left out this way; an older one already has its place in the outgoing numbering.
    public mutating func skip(sequenceNumber: UInt16, ssrc sourceSSRC: UInt32) {
        guard case .forwarding(var source) = state, source.ssrc == sourceSSRC else { return }
        let extended = SequenceNumberUnwrapper.extend(sequenceNumber, near: source.highestExtendedSequenceNumber)
        guard extended > source.highestExtendedSequenceNumber else { return }
        // The state gives up its copy first, so the runs are changed in place.
        state = .waitingForFirstSource
        source.skipped.skip(extended)
        source.highestExtendedSequenceNumber = extended
        state = .forwarding(source)
    }

    /// From now on, forward the source `ssrc` only; its next packet continues the outgoing
    /// stream. Passing the current source's SSRC restarts its mapping, for a publisher that
    /// restarted its numbering without changing SSRC.
    public mutating func switchSource(to ssrc: UInt32) {
        state = .switching(to: ssrc)
    }

    /// The outgoing sequence number and timestamp for an incoming packet, or nil when the
    /// packet must be dropped: it belongs to another source than the one forwarded, or it was
    /// sent before the packet at which this source's forwarding started.
    public mutating func map(
        sequenceNumber: UInt16, timestamp: UInt32, ssrc sourceSSRC: UInt32, now: UInt64
    ) -> Mapping? {
        switch state {
        case .forwarding(var source):
            guard source.ssrc == sourceSSRC else { return nil }
            // The nearest extension of the 16-bit number to the highest one seen (RFC 3550
            // Appendix A.1): a difference of less than half the space is a move forward or back.
            let highest = source.highestExtendedSequenceNumber
            let extended = SequenceNumberUnwrapper.extend(sequenceNumber, near: highest)
            guard extended >= source.firstExtendedSequenceNumber, let skipped = source.skipped.skipped(before: extended)
            else { return nil }
            let mapping = Mapping(
                sequenceNumber: sequenceNumber &+ source.sequenceNumberOffset &- UInt16(truncatingIfNeeded: skipped),
                timestamp: timestamp &+ source.timestampOffset)
            if extended > highest {
                source.highestExtendedSequenceNumber = extended
                state = .forwarding(source)
                lastOutgoing = LastOutgoing(
                    sequenceNumber: mapping.sequenceNumber, timestamp: mapping.timestamp,
                    arrival: now)
            }
            return mapping
        case .switching(let expected) where expected != sourceSSRC:
            return nil
        case .switching, .waitingForFirstSource:
            return startSource(
                sequenceNumber: sequenceNumber, timestamp: timestamp, ssrc: sourceSSRC, now: now)
        }
    }

    /// Rewrites an incoming packet in place for this subscription (sequence number, timestamp,
    /// SSRC and payload type) and returns true, or returns false and leaves it untouched when
    /// it must be dropped. `header` is the packet's parsed header.
    public mutating func rewrite(
        _ packet: UnsafeMutableRawBufferPointer, header: RtpHeader, now: UInt64
    ) -> Bool {
        guard
            let mapping = map(
                sequenceNumber: header.sequenceNumber, timestamp: header.timestamp,
                ssrc: header.ssrc, now: now)
        else { return false }
        RtpHeader.rewrite(
            packet, payloadType: payloadType, sequenceNumber: mapping.sequenceNumber,
            timestamp: mapping.timestamp, ssrc: ssrc)
        return true
    }

    /// Anchors a new source so that its first packet follows the last outgoing one.
    mutating func startSource(
        sequenceNumber: UInt16, timestamp: UInt32, ssrc sourceSSRC: UInt32, now: UInt64
    ) -> Mapping {
        let mapping: Mapping
        if let lastOutgoing {
            // At least one tick, so the first frame of the new source is never taken for a
            // continuation of the last frame of the old one.
            let elapsed = now > lastOutgoing.arrival ? now - lastOutgoing.arrival : 0
            let ticks = max(1, Self.ticks(elapsed, clockRate: clockRate))
            mapping = Mapping(
                sequenceNumber: lastOutgoing.sequenceNumber &+ 1,
                timestamp: lastOutgoing.timestamp &+ ticks)
        } else {
            mapping = Mapping(sequenceNumber: initialSequenceNumber, timestamp: initialTimestamp)
        }
        let extended = Int64(sequenceNumber)
        state = .forwarding(
            Source(
                ssrc: sourceSSRC, sequenceNumberOffset: mapping.sequenceNumber &- sequenceNumber,
                timestampOffset: mapping.timestamp &- timestamp,
                firstExtendedSequenceNumber: extended, highestExtendedSequenceNumber: extended))
        lastOutgoing = LastOutgoing(
            sequenceNumber: mapping.sequenceNumber, timestamp: mapping.timestamp, arrival: now)
        return mapping
    }

    /// A duration in nanoseconds in units of the RTP clock, rounded to the nearest tick and
    /// reduced modulo 2^32 as timestamps are. Whole seconds and the rest are scaled apart so the
    /// product never overflows.
    static func ticks(_ nanoseconds: UInt64, clockRate: UInt32) -> UInt32 {
        let perSecond: UInt64 = 1_000_000_000
        let rate = UInt64(clockRate)
        let whole = (nanoseconds / perSecond) &* rate
        let fraction = ((nanoseconds % perSecond) * rate + perSecond / 2) / perSecond
        return UInt32(truncatingIfNeeded: whole &+ fraction)
    }
}
