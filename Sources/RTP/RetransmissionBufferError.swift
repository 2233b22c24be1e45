/// Why a retransmission buffer cannot be made or cannot keep a packet.
public enum RetransmissionBufferError: Error, Equatable, Sendable {
    /// The slot count is not a power of two in 1...32768, so it cannot divide the 16-bit
    /// sequence space evenly.
    case invalidCapacity(Int)
    /// The slot size is not positive.
    case invalidSlotSize(Int)
    /// The packet is larger than a slot.
    case packetTooLarge(size: Int, slotSize: Int)
    /// The sequence number lies a whole buffer or more behind the newest one stored; keeping it
    /// would overwrite a newer packet.
    case sequenceNumberTooOld(UInt16)
}
