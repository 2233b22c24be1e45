import Relay
import Vapor

/// `GET /metrics`: counters in the Prometheus text format (version 0.0.4), so an operator can
/// graph forwarding and tell an attack (drops by reason) from a misconfiguration.
struct MetricsController: RouteCollection {
    let registry: RoomRegistry
    let media: MediaPlane?
    let backlog: WebSocketBacklogStatistics

    func boot(routes: any RoutesBuilder) throws {
        routes.get("metrics") { _ async -> Response in
            let text = await render()
            var headers = HTTPHeaders()
            headers.contentType = HTTPMediaType(type: "text", subType: "plain", parameters: ["version": "0.0.4", "charset": "utf-8"])
            return Response(status: .ok, headers: headers, body: .init(string: text))
        }
    }

    private func render() async -> String {
        var lines: [String] = []
        func metric(_ name: String, _ type: String, _ help: String, _ samples: [(labels: String, value: String)]) {
            lines.append("# HELP \(name) \(help)")
            lines.append("# TYPE \(name) \(type)")
            for sample in samples { lines.append("\(name)\(sample.labels) \(sample.value)") }
        }
        metric("relay_rooms", "gauge", "Rooms with at least one participant.", [("", "\(await registry.roomCount)")])
        metric("relay_participants", "gauge", "Participants in all rooms.", [("", "\(await registry.participantCount)")])
        metric(
            "relay_signaling_connections", "gauge",
            "Signaling connections in memory: open sockets, and closed ones not yet released.",
            [("", "\(registry.socketCount.current)")])
        metric(
            "relay_websocket_backlog_closes_total", "counter",
            "WebSockets (/ws, /chat/ws) closed because their client left too much unread.", [("", "\(backlog.closedSockets)")])
        metric(
            "relay_websocket_pending_bytes_peak", "gauge",
            "The most bytes one WebSocket has had written and not yet taken by the kernel.", [("", "\(backlog.peakPendingBytes)")])
        if let media {
            let statistics = await media.statistics()
            metric("relay_media_workers", "gauge", "Media worker threads, one UDP port each.", [("", "\(media.workers.count)")])
            metric("relay_transports", "gauge", "Peer connection transports on the media plane.", [("", "\(statistics.transports)")])
            metric("relay_tracks", "gauge", "Published tracks.", [("", "\(statistics.tracks)")])
            metric("relay_subscriptions", "gauge", "Tracks being sent to subscribers.", [("", "\(statistics.subscriptions)")])
            metric("relay_forwarded_packets_total", "counter", "RTP packets forwarded to subscribers.", [("", "\(statistics.forwardedPackets)")])
            metric("relay_retransmitted_packets_total", "counter", "RTP packets resent in answer to NACKs.", [("", "\(statistics.retransmittedPackets)")])
            metric(
                "relay_requested_retransmissions_total", "counter", "Packets the relay asked publishers to resend (NACK).",
                [("", "\(statistics.requestedRetransmissions)")])
            metric(
                "relay_repaired_packets_total", "counter", "Missing publisher packets filled by their retransmission.",
                [("", "\(statistics.repairedPackets)")])
            metric("relay_probe_packets_total", "counter", "Padding packets sent to probe subscribers' paths.", [("", "\(statistics.probePackets)")])
            metric(
                "relay_layer_switches_total", "counter", "Times a subscriber was moved from one simulcast layer of a track to another.",
                [("", "\(statistics.layerSwitches)")])
            metric(
                "relay_video_pauses_total", "counter", "Times a subscriber's video of a track was held back for bandwidth.",
                [("", "\(statistics.videoPauses)")])
            var bitrates: [(labels: String, value: String)] = []
            var losses: [(labels: String, value: String)] = []
            for estimate in statistics.subscribers {
                let participant = await registry.participant(ofTransport: estimate.transport) ?? ""
                let labels = #"{transport=""# + "\(estimate.transport.value)" + #"",participant=""# + Self.escaped(participant) + #""}"#
                bitrates.append((labels, "\(estimate.bitrate)"))
                losses.append((labels, "\(estimate.lossFraction)"))
            }
            metric(
                "relay_subscriber_estimated_bitrate_bps", "gauge",
                "The relay's bandwidth estimate toward each subscribe transport that sends transport-wide feedback.", bitrates)
            metric("relay_subscriber_loss_ratio", "gauge", "Loss each subscriber reported over its last interval.", losses)
            metric(
                "relay_dropped_datagrams_total", "counter", "Datagrams dropped, by reason.",
                DropReason.allCases.map { (#"{reason=""# + $0.label + #""}"#, "\(statistics.drops[$0])") })
            let delay = statistics.forwardingDelay
            let name = "relay_forwarding_delay_seconds"
            lines.append("# HELP \(name) From a datagram's kernel receive time to the return of the sendmmsg carrying what was sent in answer.")
            lines.append("# TYPE \(name) histogram")
            var cumulative: UInt64 = 0
            for (bound, count) in zip(ForwardingDelayHistogram.upperBoundsNanoseconds, delay.counts) {
                cumulative += count
                lines.append(#"\#(name)_bucket{le=""# + "\(Double(bound) / 1e9)" + #""} \#(cumulative)"#)
            }
            lines.append(#"\#(name)_bucket{le="+Inf"} \#(delay.count)"#)
            lines.append("\(name)_sum \(Double(delay.sumNanoseconds) / 1e9)")
            lines.append("\(name)_count \(delay.count)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A label value in the text format: backslash, quote and newline escaped.
    static func escaped(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}
