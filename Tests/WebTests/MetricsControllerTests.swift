import Foundation
import Relay
import Testing
import VaporTesting
@testable import Web

/// `/metrics` through swift-metrics and swift-prometheus: what it counts, and who may read it.
@Suite struct MetricsControllerTests {
    /// The value of the sample written exactly as `name` (labels included), from the text format.
    static func sample(_ name: String, in text: String) -> Double? {
        text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
    }

    @Test func withATokenOnlyAScraperPresentingItReadsTheMetrics() async throws {
        try await withApp(configure: { try configure($0, WebConfiguration(metricsToken: "scrape-me-0123456789")) }) { app in
            try await app.testing().test(.GET, "metrics") { res async in
                #expect(res.status == .unauthorized)
                #expect(res.headers.first(name: .wwwAuthenticate)?.hasPrefix("Bearer") == true)
                #expect(!res.body.string.contains("relay_rooms"))
            }
            for wrong in ["Bearer scrape-me-012345678", "Bearer scrape-me-0123456789x", "Basic c2NyYXBlLW1lOg=="] {
                try await app.testing().test(.GET, "metrics", headers: ["Authorization": wrong]) { res async in
                    #expect(res.status == .unauthorized, "\(wrong)")
                }
            }
            try await app.testing().test(.GET, "metrics", headers: ["Authorization": "Bearer scrape-me-0123456789"]) { res async in
                #expect(res.status == .ok)
                #expect(Self.sample("relay_rooms", in: res.body.string) == 0)
            }
        }
    }

    @Test func gaugesFollowTheRoomsAndCountersOnlyGrow() async throws {
        let media = try MediaPlane(configuration: MediaPlaneConfiguration(
            workers: 1, firstPort: 0, listenAddress: 0x7F00_0001, announcedAddresses: ["127.0.0.1"]))
        try await withApp(configure: { try configure($0, WebConfiguration(media: media)) }) { app in
            let registry = try #require(app.roomRegistry)
            let ada = RecordingConnection()
            await registry.handle(.join(.init(room: "r", name: "Ada", mode: .sfu)), from: ada)
            var first = ""
            try await app.testing().test(.GET, "metrics") { res async in
                first = res.body.string
            }
            #expect(Self.sample("relay_rooms", in: first) == 1)
            #expect(Self.sample("relay_participants", in: first) == 1)
            #expect(Self.sample("relay_transports", in: first) == 0, "no transport before the first offer")
            #expect(Self.sample("relay_media_workers", in: first) == 1)
            #expect(first.contains(#"relay_dropped_datagrams_total{reason="unknown_kind"} 0"#))
            #expect(first.contains("# TYPE relay_forwarding_delay_seconds histogram"))
            #expect(first.contains("# TYPE relay_pacing_wait_seconds histogram"))
            #expect(Self.sample("relay_pacing_wait_seconds_count", in: first) == 0)
            #expect(first.contains("# TYPE relay_subscriber_round_trip_time_seconds histogram"))

            await registry.handle(.leave, from: ada)
            var second = ""
            try await app.testing().test(.GET, "metrics") { res async in
                second = res.body.string
            }
            #expect(Self.sample("relay_rooms", in: second) == 0)
            #expect(Self.sample("relay_participants", in: second) == 0)
            // Counters keep what they counted: a second reading adds only what grew meanwhile.
            #expect(Self.sample("relay_forwarded_packets_total", in: second) == Self.sample("relay_forwarded_packets_total", in: first))
        }
    }
}

extension MetricsControllerTests {
    @Test func aSubscribersSeriesLeaveWithItAndItsSamplesFillTheHistograms() async throws {
        let metrics = RelayMetrics()
        var statistics = MediaStatistics()
        statistics.subscribers = [
            SubscriberEstimate(transport: TransportID(7), bitrate: 1_200_000, acknowledgedBitrate: nil, lossFraction: 0.02, roundTripTime: 60_000_000)
        ]
        await metrics.update(media: statistics, workers: 1, participants: [TransportID(7): #"Ada "the" \ one"#])
        await metrics.sample(statistics.subscribers)
        await metrics.sample(statistics.subscribers)
        let text = metrics.registry.emitToString()
        let labels = #"{transport="7",participant="Ada \"the\" \\ one"}"#
        #expect(Self.sample("relay_subscriber_estimated_bitrate_bps" + labels, in: text) == 1_200_000, "\(text)")
        #expect(Self.sample("relay_subscriber_round_trip_seconds" + labels, in: text) == 0.06)
        #expect(Self.sample("relay_subscriber_estimate_bits_per_second_count", in: text) == 2)
        #expect(Self.sample(#"relay_subscriber_estimate_bits_per_second_bucket{le="1000000.0"}"#, in: text) == 0)
        #expect(Self.sample(#"relay_subscriber_estimate_bits_per_second_bucket{le="1500000.0"}"#, in: text) == 2)
        #expect(Self.sample(#"relay_subscriber_round_trip_time_seconds_bucket{le="0.1"}"#, in: text) == 2)

        await metrics.update(media: MediaStatistics(), workers: 1, participants: [:])
        let after = metrics.registry.emitToString()
        #expect(!after.contains("relay_subscriber_estimated_bitrate_bps{"), "\(after)")
        #expect(Self.sample("relay_subscriber_estimate_bits_per_second_count", in: after) == 2, "the histograms keep their samples")
    }
}
