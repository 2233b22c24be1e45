import Foundation
import Relay
import Testing
import Vapor
@testable import Web

/// A publish offer is bounded in sections and a participant in tracks, so an offer that fits in
/// one frame cannot make the relay set up hundreds of tracks.
@Suite(.serialized) struct PublishLimitTests {
    /// A publish offer of `count` minimal video sections, as small as the relay accepts: the
    /// transport once at the session level, one VP8 codec per section.
    static func offer(videoSections count: Int) -> String {
        let fingerprint = Array(repeating: "AB", count: 32).joined(separator: ":")
        var lines = [
            "v=0", "o=- 1 1 IN IP4 127.0.0.1", "s=-", "t=0 0",
            "a=group:BUNDLE " + (0..<count).map(String.init).joined(separator: " "),
            "a=ice-ufrag:abcd", "a=ice-pwd:abcdefghijklmnopqrstuvwxyz",
            "a=fingerprint:sha-256 \(fingerprint)", "a=setup:actpass",
        ]
        for mid in 0..<count {
            lines += [
                "m=video 9 UDP/TLS/RTP/SAVPF 96", "c=IN IP4 0.0.0.0", "a=mid:\(mid)", "a=sendonly", "a=rtcp-mux",
                "a=rtpmap:96 VP8/90000",
            ]
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    static func withRunningSfuServer(_ body: (Int, any EventLoopGroup, MediaPlane) async throws -> Void) async throws {
        let media = try MediaPlane(configuration: MediaPlaneConfiguration(
            workers: 1, firstPort: 0, listenAddress: 0x7F00_0001, announcedAddresses: ["127.0.0.1"]))
        let app = try await Application.make(.testing)
        do {
            try configure(app, WebConfiguration(hostname: "127.0.0.1", port: 0, media: media))
            try await app.asyncBoot()
            try await app.server.start(address: .hostname("127.0.0.1", port: 0))
            guard let port = app.http.server.shared.localAddress?.port else { throw SocketTestFailure("no port") }
            try await body(port, app.eventLoopGroup, media)
        } catch {
            await app.server.shutdown()
            try await app.asyncShutdown()
            throw error
        }
        await app.server.shutdown()
        try await app.asyncShutdown()
    }

    @Test func aPublishOf180SectionsIsRefusedAndCostsTheServerNothing() async throws {
        try await Self.withRunningSfuServer { port, group, media in
            let mallory = try await SocketClient.connect(port: port, on: group)
            try await mallory.send(["type": .string("join"), "room": .string("r"), "name": .string("M"), "mode": .string("sfu")])
            _ = try await mallory.next(type: "room")
            let sdp = Self.offer(videoSections: 180)
            #expect(sdp.utf8.count < ClientMessage.maximumFrameLength, "the offer fits in one frame")

            let before = try ResidentMemory.bytes()
            try await mallory.send(["type": .string("publish"), "sdp": .string(sdp)])
            let reply = try await mallory.next("an answer or an error") {
                $0["type"] == .string("answer") || $0["type"] == .string("error")
            }
            // The worker sets tracks up after the answer, on its own thread.
            try await Task.sleep(for: .milliseconds(500))
            let growth = try ResidentMemory.bytes() - before
            print("publish of 180 video sections: \(reply["type"].map { "\($0)" } ?? "?") \(reply["code"].map { "\($0)" } ?? ""), growth \(ResidentMemory.mebibytes(growth))")
            #expect(reply["type"] == .string("error"))
            #expect(reply["code"] == .string("too-many-sections"))
            // The process's resident size: the suite's other tests run meanwhile and their
            // allocations count too (18 MiB was seen on a busy machine). Tracks for 180 sections
            // with their histories would take hundreds; the message limit tests allow as much.
            #expect(growth < 32 * 1_048_576, "growth \(ResidentMemory.mebibytes(growth))")
            #expect(await media.statistics().tracks == 0)

            // The connection stays open and an honest offer still works on it.
            try await SignalingSocketTests.expectServed(mallory, after: "a refused publish")
            try await mallory.send(["type": .string("publish"), "sdp": .string(Self.offer(videoSections: 2))])
            _ = try await mallory.next(type: "answer")
            #expect(await media.statistics().tracks == 2)
            try await mallory.socket.close()
        }
    }

    @Test func tracksPerParticipantAreCappedAcrossRenegotiations() async throws {
        let (registry, media) = try SfuSignalingTests.makeRegistry()
        defer { media.stop() }
        let ada = RecordingConnection()
        await registry.handle(.join(.init(room: "r", name: "Ada", mode: .sfu)), from: ada)
        let limit = await registry.configuration.maximumTracksPerParticipant
        #expect(limit == 8)

        await registry.handle(.publish(sdp: Self.offer(videoSections: limit)), from: ada)
        #expect(SfuSignalingTests.errors(ada).isEmpty, "\(limit) tracks are allowed")
        // Renegotiating adds sections to the same connection: one more is too many.
        await registry.handle(.publish(sdp: Self.offer(videoSections: limit + 1)), from: ada)
        #expect(SfuSignalingTests.errors(ada) == ["too-many-tracks"])
        #expect(await media.statistics().tracks == limit, "the refused offer added nothing")

        let bo = RecordingConnection()
        await registry.handle(.join(.init(room: "r", name: "Bo", mode: .sfu)), from: bo)
        await registry.handle(.publish(sdp: Self.offer(videoSections: limit + 1)), from: bo)
        #expect(SfuSignalingTests.errors(bo) == ["too-many-tracks"], "a first offer is capped too")
        await registry.handle(.publish(sdp: Self.offer(videoSections: 17)), from: bo)
        #expect(SfuSignalingTests.errors(bo) == ["too-many-tracks", "too-many-sections"])
    }
}
