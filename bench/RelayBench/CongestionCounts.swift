/// What the measured window showed of congestion control: feedback each way, repairs and the
/// SFU's own counts (from the relay's `/metrics`; nil for an SFU or relay without them).
struct CongestionCounts: Codable {
    /// Transport-wide feedback packets each publisher received, in publisher order.
    var publisherFeedback: [UInt64] = []
    var publisherNackedPackets: UInt64 = 0
    /// RTX packets the publishers sent in answer.
    var publisherRetransmissions: UInt64 = 0
    var publisherKeyframeRequests: UInt64 = 0
    var publisherRtcpRejected: UInt64 = 0
    /// Subscribers whose SFU offered transport-wide-cc, so they send feedback.
    var subscribersWithFeedback = 0
    /// Transport-wide feedback packets all subscribers sent.
    var subscriberFeedbackSent: UInt64 = 0
    /// Retransmissions and probes the subscribers received.
    var subscriberRepairPackets: UInt64 = 0
    var relayProbePackets: Double?
    var relayRequestedRetransmissions: Double?
    var relayRepairedPackets: Double?
    var relayRetransmittedPackets: Double?
    /// The relay's mean estimate toward its subscribers at the end of the window.
    var relayMeanEstimateBitsPerSecond: Double?

    init() {}

    init(publishers: [BenchPublisher], subscribers: [BenchSubscriber], metricsBefore: [String: Double]?, metricsAfter: [String: Double]?) {
        for publisher in publishers {
            publisherFeedback.append(publisher.rtcpReceived.transportFeedback)
            publisherNackedPackets += publisher.rtcpReceived.nackedPackets
            publisherRetransmissions += publisher.rtcpReceived.retransmissionsSent
            publisherKeyframeRequests += publisher.rtcpReceived.keyframeRequests
            publisherRtcpRejected += publisher.rtcpReceived.rejected
        }
        subscribersWithFeedback = subscribers.filter { $0.feedback != nil }.count
        subscriberFeedbackSent = subscribers.reduce(0) { $0 + $1.feedbackSent }
        subscriberRepairPackets = subscribers.reduce(0) { $0 + $1.repairPacketsReceived }
        func delta(_ name: String) -> Double? {
            guard let after = metricsAfter?[name] else { return nil }
            return after - (metricsBefore?[name] ?? 0)
        }
        relayProbePackets = delta("relay_probe_packets_total")
        relayRequestedRetransmissions = delta("relay_requested_retransmissions_total")
        relayRepairedPackets = delta("relay_repaired_packets_total")
        relayRetransmittedPackets = delta("relay_retransmitted_packets_total")
        if let estimates = metricsAfter?.samples(of: "relay_subscriber_estimated_bitrate_bps"), !estimates.isEmpty {
            relayMeanEstimateBitsPerSecond = estimates.reduce(0, +) / Double(estimates.count)
        }
    }

    /// Why the run must fail when feedback was expected (the relay under test sends it), or nil.
    func missingFeedback() -> String? {
        if publisherFeedback.isEmpty { return nil }
        if let silent = publisherFeedback.firstIndex(of: 0) {
            return "publisher \(silent) received no transport-wide feedback (\(publisherFeedback.count) publishers)"
        }
        if subscribersWithFeedback == 0 { return "no subscriber was offered transport-wide-cc" }
        if subscriberFeedbackSent == 0 { return "the subscribers sent no transport-wide feedback" }
        return nil
    }
}
