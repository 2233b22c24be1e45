/// How the publisher learns what the path to the relay carries, one way per section:
/// transport-wide feedback when it offers the transport-wide sequence number (the relay
/// reports every packet's arrival, and the publisher estimates); otherwise REMB when it offers
/// `goog-remb` with abs-send-time (the relay estimates from send and arrival times and
/// reports a rate); otherwise neither. The feedback and the extension of the way not taken
/// are left out of the answer, so the relay never agrees to send what it does not.
enum SdpCongestionFeedback {
    case transportWide
    case receiverEstimate
    case none

    init(choosingFor offered: MediaDescription) {
        let uris = Set(offered.headerExtensions.map(\.uri))
        if uris.contains(SdpHeaderExtension.transportWideCc) {
            self = .transportWide
        } else if uris.contains(SdpHeaderExtension.absSendTime),
            offered.codecs.contains(where: { $0.feedback.contains("goog-remb") })
        {
            self = .receiverEstimate
        } else {
            self = .none
        }
    }

    func allows(feedback: String) -> Bool {
        switch feedback {
        case "transport-cc": self == .transportWide
        case "goog-remb": self == .receiverEstimate
        default: true
        }
    }

    func allows(headerExtension uri: String) -> Bool {
        switch uri {
        case SdpHeaderExtension.transportWideCc: self == .transportWide
        case SdpHeaderExtension.absSendTime: self == .receiverEstimate
        default: true
        }
    }
}
