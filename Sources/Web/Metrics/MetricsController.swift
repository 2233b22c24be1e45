import Relay
import Vapor

/// `GET /metrics`: the server's metrics in the Prometheus text format, so an operator can graph
/// forwarding and tell an attack (drops by reason) from a misconfiguration. With a token set,
/// only a scraper that presents it (`Authorization: Bearer TOKEN`) gets them: the names of the
/// participants are in the labels.
struct MetricsController: RouteCollection {
    let registry: RoomRegistry
    let media: MediaPlane?
    let backlog: WebSocketBacklogStatistics
    let metrics: RelayMetrics
    let token: String?
    /// This server's node, when it runs in a cluster: the live nodes it counted at its last beat.
    var cluster: ClusterMember? = nil

    func boot(routes: any RoutesBuilder) throws {
        routes.get("metrics") { request async -> Response in
            guard isAuthorized(request) else {
                var headers = HTTPHeaders()
                headers.replaceOrAdd(name: .wwwAuthenticate, value: #"Bearer realm="metrics""#)
                return Response(status: .unauthorized, headers: headers)
            }
            let body = await render()
            var headers = HTTPHeaders()
            headers.contentType = HTTPMediaType(type: "text", subType: "plain", parameters: ["version": "0.0.4", "charset": "utf-8"])
            return Response(status: .ok, headers: headers, body: .init(data: Data(body)))
        }
    }

    private func render() async -> [UInt8] {
        await metrics.update(
            rooms: await registry.roomCount, participants: await registry.participantCount,
            signalingConnections: registry.socketCount.current, backlog: backlog)
        if let cluster {
            await metrics.update(clusterNodes: await cluster.liveNodeCount)
        }
        var histograms = ""
        if let media {
            let statistics = await media.statistics()
            histograms = Self.histogramText(statistics.forwardingDelay, name: "relay_forwarding_delay_seconds")
                + Self.histogramText(statistics.pacingWait, name: "relay_pacing_wait_seconds")
            var participants: [TransportID: String] = [:]
            for estimate in statistics.subscribers {
                participants[estimate.transport] = await registry.participant(ofTransport: estimate.transport)
            }
            await metrics.update(media: statistics, workers: media.workers.count, participants: participants)
        }
        return metrics.registry.emitToBuffer() + Array(histograms.utf8)
    }

    /// Compared in constant time: how long a refusal takes says nothing of the token.
    private func isAuthorized(_ request: Request) -> Bool {
        guard let token else { return true }
        guard let presented = request.headers.bearerAuthorization?.token else { return false }
        let expected = Array(token.utf8)
        let given = Array(presented.utf8)
        guard expected.count == given.count else { return false }
        return zip(expected, given).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// One of the workers' delay histograms (forwarding delay, pacing wait), in the text format:
    /// a worker counts every datagram into fixed buckets without a lock, and the counts are
    /// exported as they are (a swift-metrics timer would take a lock per packet on the
    /// forwarding path).
    static func histogramText(_ delay: ForwardingDelayHistogram, name: String) -> String {
        var lines = ["# TYPE \(name) histogram"]
        var cumulative: UInt64 = 0
        for (bound, count) in zip(ForwardingDelayHistogram.upperBoundsNanoseconds, delay.counts) {
            cumulative += count
            lines.append(#"\#(name)_bucket{le=""# + "\(Double(bound) / 1e9)" + #""} \#(cumulative)"#)
        }
        lines.append(#"\#(name)_bucket{le="+Inf"} \#(delay.count)"#)
        lines.append("\(name)_sum \(Double(delay.sumNanoseconds) / 1e9)")
        lines.append("\(name)_count \(delay.count)")
        return lines.joined(separator: "\n") + "\n"
    }
}
