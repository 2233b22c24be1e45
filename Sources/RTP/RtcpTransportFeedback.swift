/// Transport-wide congestion control feedback: for a range of transport-wide sequence numbers,
/// which packets arrived and when, so the media sender can estimate bandwidth
/// (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1).
///
/// The model is the list of statuses; packet chunks are chosen when writing (see
/// `TransportFeedbackChunk.encode`), so any valid chunk layout parses to the same value.
public struct RtcpTransportFeedback: RtcpPacketKind {
    public static let packetType = RtcpFeedback.transportLayerType
    public static let format: UInt8 = 15
    /// Base sequence number, status count, reference time and feedback packet count.
    static let fixedLength = 8
    /// The range of the signed 24-bit reference time.
    public static let referenceTimeRange: ClosedRange<Int32> = -0x80_0000...0x7F_FFFF
    /// The length of one reference-time unit.
    public static let referenceTimeTickMicroseconds: Int64 = 64_000

    /// A received packet and its arrival time on the feedback sender's clock.
    public struct ReceivedPacket: Equatable, Sendable {
        public var sequenceNumber: UInt16
        /// Microseconds: the reference time plus every delta up to this packet.
        public var arrivalTime: Int64

        public init(sequenceNumber: UInt16, arrivalTime: Int64) {
            self.sequenceNumber = sequenceNumber
            self.arrivalTime = arrivalTime
        }
    }

    public var senderSsrc: UInt32
    public var mediaSsrc: UInt32
    /// The transport-wide sequence number of the first status.
    public var baseSequenceNumber: UInt16
    /// Signed 24 bits, in units of 64 ms. Chrome writes its clock modulo 2^24 units, so
    /// compare reference times modulo 2^24.
    public var referenceTime: Int32
    /// Counts feedback packets, so the media sender can tell a lost one.
    public var feedbackPacketCount: UInt8
    /// One status per sequence number from `baseSequenceNumber` on.
    public var statuses: [TransportFeedbackStatus]

    public init(
        senderSsrc: UInt32, mediaSsrc: UInt32, baseSequenceNumber: UInt16, referenceTime: Int32,
        feedbackPacketCount: UInt8, statuses: [TransportFeedbackStatus]
    ) {
        self.senderSsrc = senderSsrc
        self.mediaSsrc = mediaSsrc
        self.baseSequenceNumber = baseSequenceNumber
        self.referenceTime = referenceTime
        self.feedbackPacketCount = feedbackPacketCount
        self.statuses = statuses
    }

    /// The received packets with their arrival times, in sequence order; sequence numbers wrap
    /// after 65535.
    public var receivedPackets: [ReceivedPacket] {
        var packets: [ReceivedPacket] = []
        var time = Int64(referenceTime) * Self.referenceTimeTickMicroseconds
        var sequenceNumber = baseSequenceNumber
        for status in statuses {
            if let delta = status.delta {
                time += Int64(delta) * TransportFeedbackStatus.deltaTickMicroseconds
                packets.append(ReceivedPacket(sequenceNumber: sequenceNumber, arrivalTime: time))
            }
            sequenceNumber &+= 1
        }
        return packets
    }

    /// The packet chunks `write(into:)` uses.
    public var chunks: [TransportFeedbackChunk] {
        TransportFeedbackChunk.encode(statuses.map(\.symbol))
    }

    /// Parses a transport-wide feedback (draft-holmer-rmcat-transport-wide-cc-extensions-01
    /// §3.1). Chunks may describe more statuses than the status count, as Chrome's last chunk
    /// does; the excess is ignored. Bytes after the last delta are zero padding and not read.
    ///
    ///      0                   1                   2                   3
    ///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |V=2|P|  FMT=15 |    PT=205     |           length              |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |                     SSRC of packet sender                     |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |                      SSRC of media source                     |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |      base sequence number     |      packet status count      |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |                 reference time                | fb pkt. count |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |          packet chunk         |         packet chunk          |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     .                                                               .
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |         packet chunk          |  recv delta   |  recv delta   |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     .                                                               .
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    ///     |           recv delta          |  recv delta   | zero padding  |
    ///     +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
    public static func parse(_ bytes: UnsafeRawBufferPointer) throws(RtcpParseError) -> Self {
        try RtcpHeader.parsePacket(bytes, type: packetType, format: format, parse(body:header:))
    }

    static func parse(body: UnsafeRawBufferPointer, header: RtcpHeader) throws(RtcpParseError) -> Self {
        let ssrcs = try RtcpFeedback.ssrcs(of: body)
        let fci = RtcpFeedback.fci(of: body)
        guard fci.count >= fixedLength else { throw .transportFeedbackTruncated(length: fci.count) }
        let statusCount = Int(fci.u16(at: 2))
        // Sign-extend the 24-bit reference time.
        let referenceTime = Int32(bitPattern: fci.u24(at: 4) << 8) >> 8

        // The count is 16 bits the sender chose; nothing is allocated for it until the chunks
        // are known to describe that many statuses and the packet holds every delta they need.
        var deltaBytes = 0
        let deltasStart = try forEachRun(in: fci, statusCount: statusCount) { symbol, count, _ throws(RtcpParseError) in
            deltaBytes += count * symbol.deltaSize
        }
        if deltasStart + deltaBytes > fci.count {
            var offset = deltasStart
            _ = try forEachRun(in: fci, statusCount: statusCount) { symbol, count, first throws(RtcpParseError) in
                let size = symbol.deltaSize
                guard size > 0 else { return }
                let available = max(0, fci.count - offset) / size
                if available < count { throw .transportFeedbackDeltasTruncated(index: first + available) }
                offset += count * size
            }
        }

        var statuses: [TransportFeedbackStatus] = []
        statuses.reserveCapacity(statusCount)
        var offset = deltasStart
        _ = try forEachRun(in: fci, statusCount: statusCount) { symbol, count, _ throws(RtcpParseError) in
            for _ in 0..<count {
                switch symbol {
                case .notReceived, .reserved:
                    statuses.append(.notReceived)
                case .receivedSmallDelta:
                    statuses.append(.receivedSmallDelta(fci[offset]))
                    offset += 1
                case .receivedLargeDelta:
                    statuses.append(.receivedLargeDelta(Int16(bitPattern: fci.u16(at: offset))))
                    offset += 2
                }
            }
        }
        return RtcpTransportFeedback(
            senderSsrc: ssrcs.sender, mediaSsrc: ssrcs.media, baseSequenceNumber: fci.u16(at: 0),
            referenceTime: referenceTime, feedbackPacketCount: fci[7], statuses: statuses)
    }

    /// Walks the packet chunks of `fci` without allocating, calling `body` with each run of
    /// `count` equal symbols and the index of its first status, until `statusCount` statuses are
    /// described (symbols past that are ignored). Returns the offset of the first receive delta.
    private static func forEachRun(
        in fci: UnsafeRawBufferPointer, statusCount: Int,
        _ body: (TransportFeedbackChunk.Symbol, Int, Int) throws(RtcpParseError) -> Void
    ) throws(RtcpParseError) -> Int {
        var described = 0
        var offset = fixedLength
        while described < statusCount {
            guard offset + 2 <= fci.count else {
                throw .transportFeedbackChunksTooShort(described: described, statusCount: statusCount)
            }
            let raw = fci.u16(at: offset)
            offset += 2
            let capacity = TransportFeedbackChunk.symbolCount(raw: raw)
            let used = min(capacity, statusCount - described)
            if raw & 0x8000 == 0 {
                let symbol = TransportFeedbackChunk.symbol(raw: raw, at: 0)
                if used > 0 {
                    guard symbol != .reserved else { throw .transportFeedbackReservedSymbol(index: described) }
                    try body(symbol, used, described)
                }
            } else {
                for index in 0..<used {
                    let symbol = TransportFeedbackChunk.symbol(raw: raw, at: index)
                    guard symbol != .reserved else {
                        throw .transportFeedbackReservedSymbol(index: described + index)
                    }
                    try body(symbol, 1, described + index)
                }
            }
            described += used
        }
        return offset
    }

    /// Bytes before padding, for `chunkCount` chunks.
    private func unpaddedSize(chunkCount: Int) -> Int {
        RtcpHeader.size + RtcpFeedback.ssrcsLength + Self.fixedLength + 2 * chunkCount
            + statuses.reduce(0) { $0 + $1.deltaSize }
    }

    /// Padding is written as RTCP padding (P bit, count in the last octet), as libwebrtc does.
    public var marshalSize: Int { (unpaddedSize(chunkCount: chunks.count) + 3) / 4 * 4 }

    public func write(into buffer: UnsafeMutableRawBufferPointer) throws(RtcpBuildError) -> Int {
        guard statuses.count <= 0xFFFF else { throw .tooManyStatuses(statuses.count) }
        guard Self.referenceTimeRange.contains(referenceTime) else {
            throw .referenceTimeOutOfRange(referenceTime)
        }
        let chunks = chunks
        let unpadded = unpaddedSize(chunkCount: chunks.count)
        let size = (unpadded + 3) / 4 * 4
        let padding = size - unpadded
        var offset = try RtcpFeedback.writeHeader(
            format: Self.format, packetType: Self.packetType, packetLength: size,
            paddingLength: padding, sender: senderSsrc, media: mediaSsrc, into: buffer)
        buffer.putU16(baseSequenceNumber, at: offset)
        buffer.putU16(UInt16(statuses.count), at: offset + 2)
        buffer.putU24(UInt32(bitPattern: referenceTime) & 0xFF_FFFF, at: offset + 4)
        buffer[offset + 7] = feedbackPacketCount
        offset += Self.fixedLength
        for chunk in chunks {
            buffer.putU16(chunk.raw, at: offset)
            offset += 2
        }
        for status in statuses {
            switch status {
            case .notReceived:
                break
            case .receivedSmallDelta(let delta):
                buffer[offset] = delta
                offset += 1
            case .receivedLargeDelta(let delta):
                buffer.putU16(UInt16(bitPattern: delta), at: offset)
                offset += 2
            }
        }
        if padding > 0 {
            while offset < size - 1 {
                buffer[offset] = 0
                offset += 1
            }
            buffer[offset] = UInt8(padding)
            offset += 1
        }
        return offset
    }
}
