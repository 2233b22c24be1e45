import Relay

extension SubscribeHeaderExtensions {
    /// The `a=extmap` lines of a subscribe section of `kind`.
    public static func sdp(for kind: SdpMediaKind) -> [SdpHeaderExtension] {
        var extensions = [
            SdpHeaderExtension(id: UInt16(absSendTimeID), uri: SdpHeaderExtension.absSendTime),
            SdpHeaderExtension(id: UInt16(transportSequenceNumberID), uri: SdpHeaderExtension.transportWideCc),
        ]
        if kind == .audio {
            extensions.insert(SdpHeaderExtension(id: UInt16(audioLevelID), uri: SdpHeaderExtension.audioLevel), at: 0)
        }
        return extensions
    }
}
