/// The RTP header extensions the relay writes on every packet it sends a subscriber, with the
/// ids it offers them under on subscribe connections (RFC 8285 §5). Every section of a bundled
/// connection uses the same ids, so one extension block layout serves all its streams.
public enum SubscribeHeaderExtensions {
    /// The publisher's audio level, passed on for audio (RFC 6464).
    public static let audioLevelID: UInt8 = 1
    /// The relay's send time, which the subscriber's jitter and delay figures read.
    public static let absSendTimeID: UInt8 = 2
    /// The relay's own transport-wide sequence number, which the subscriber's transport-wide
    /// feedback reports on (draft-holmer-rmcat-transport-wide-cc-extensions-01 §2).
    public static let transportSequenceNumberID: UInt8 = 3
}
