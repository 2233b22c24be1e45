import Relay

/// Sfu mode: every participant hears, every few seconds, what the relay estimates of the path to
/// it, so the call page can show it beside its connections.
extension RoomRegistry {
    /// How often each participant hears its estimate.
    static let linkReportInterval: Duration = .seconds(2)

    /// Sends the estimates until the task is cancelled or the media plane stops, and hands
    /// each round of them to `sampled` as well.
    public func reportLinkEstimates(sampled: @Sendable ([SubscriberEstimate]) async -> Void = { _ in }) async {
        guard let media else { return }
        while !Task.isCancelled {
            try? await Task.sleep(for: Self.linkReportInterval)
            let statistics = await media.statistics()
            send(statistics.subscribers)
            await sampled(statistics.subscribers)
        }
    }

    func send(_ estimates: [SubscriberEstimate]) {
        for estimate in estimates {
            guard let id = participantByTransport[estimate.transport], let participant = participants[id] else { continue }
            participant.connection.send(.link(LinkEstimate(estimate)))
        }
    }

    /// The participant a transport belongs to, for metrics.
    public func participant(ofTransport transport: TransportID) -> String? {
        participantByTransport[transport]
    }
}
