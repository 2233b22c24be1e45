import Foundation
import Testing
@testable import Relay

/// Serialized: both planes name their threads relay-media-0 and relay-media-1.
@Suite(.serialized) struct MediaPlaneSchedulingTests {
    /// The scheduling policy and real-time priority the kernel holds for the thread of this
    /// process named `name` (/proc/self/task/TID/stat, fields 41 and 40), or nil if none has it.
    static func scheduling(ofThreadNamed name: String) -> (policy: Int, priority: Int)? {
        guard let tasks = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task") else { return nil }
        for task in tasks {
            guard let comm = try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8),
                comm.trimmingCharacters(in: .whitespacesAndNewlines) == name,
                let stat = try? String(contentsOfFile: "/proc/self/task/\(task)/stat", encoding: .utf8),
                let end = stat.lastIndex(of: ")")
            else { continue }
            // After "pid (comm)" the fields count from 3 (state).
            let fields = stat[stat.index(after: end)...].split(separator: " ")
            guard fields.count > 38, let priority = Int(fields[37]), let policy = Int(fields[38]) else { return nil }
            return (policy, priority)
        }
        return nil
    }

    /// Waits (up to two seconds) until no thread of an earlier plane is left to be mistaken for
    /// this one's.
    static func waitForEarlierWorkersToEnd() async throws {
        for _ in 0..<100 {
            if scheduling(ofThreadNamed: "relay-media-0") == nil, scheduling(ofThreadNamed: "relay-media-1") == nil { return }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    static func configuration(priority: Int32?) -> MediaPlaneConfiguration {
        MediaPlaneConfiguration(
            workers: 2, firstPort: 0, listenAddress: 0x7F00_0001, announcedAddresses: ["127.0.0.1"], realtimePriority: priority)
    }

    @Test func workersRunUnderTheRealtimePriorityAskedOrTheRelayDoesNotStart() async throws {
        try await Self.waitForEarlierWorkersToEnd()
        let plane: MediaPlane
        do {
            plane = try MediaPlane(configuration: Self.configuration(priority: 7))
        } catch .realtimeRefused(let priority, let code) {
            // Without CAP_SYS_NICE or RLIMIT_RTPRIO: refused before any worker exists.
            #expect(priority == 7 && code == EPERM)
            return
        }
        plane.start()
        defer { plane.stop() }
        for index in plane.workers.indices {
            var seen: (policy: Int, priority: Int)?
            for _ in 0..<100 {
                seen = Self.scheduling(ofThreadNamed: "relay-media-\(index)")
                if seen?.policy == Int(SCHED_FIFO) { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(seen?.policy == Int(SCHED_FIFO), "worker \(index): \(String(describing: seen))")
            #expect(seen?.priority == 7)
        }
    }

    @Test func withoutAPriorityWorkersKeepOrdinaryScheduling() async throws {
        try await Self.waitForEarlierWorkersToEnd()
        let plane = try MediaPlane(configuration: Self.configuration(priority: nil))
        plane.start()
        defer { plane.stop() }
        var seen: (policy: Int, priority: Int)?
        for _ in 0..<100 {
            seen = Self.scheduling(ofThreadNamed: "relay-media-1")
            if seen != nil { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(seen?.policy == Int(SCHED_OTHER))
        #expect(seen?.priority == 0)
    }

    @Test(arguments: [Int32(0), 100, -3])
    func aPriorityOutsideOneToNinetyNineIsRefused(priority: Int32) {
        #expect(throws: MediaPlaneError.invalidRealtimePriority(priority)) {
            try MediaPlane(configuration: Self.configuration(priority: priority))
        }
    }
}
