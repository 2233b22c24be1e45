import Foundation
import Logging

/// This server as a node of the cluster: registers in the directory, beats every interval with
/// its load, marks itself draining when told, and leaves. The directory does the database work;
/// this keeps the node's side of it in order, so that no beat lands after the node has left.
public actor ClusterMember {
    public nonisolated let nodeID: String
    nonisolated let directory: ClusterDirectory
    let announcement: NodeAnnouncement
    let heartbeatInterval: Duration
    let source: NodeLoadSource
    /// The node's session in the database, which tells the others it lives; nil in tests of the
    /// directory alone, whose nodes live by their leases.
    let presence: NodePresence?
    let logger: Logger

    private var membership: ClusterDirectory.Membership?
    private var sampler = LoadSampler(cores: ProcessInfo.processInfo.activeProcessorCount)
    private var beating: Task<Void, Never>?
    private var left = false
    /// Live nodes as counted at the last beat, for `/metrics`: a scrape reads no database.
    public private(set) var liveNodeCount = 0
    /// Told the live nodes after every beat (rooms across nodes follow them).
    private var nodesObserver: (@Sendable ([ClusterNode]) async -> Void)?

    init(
        directory: ClusterDirectory, announcement: NodeAnnouncement, heartbeatInterval: Duration, source: NodeLoadSource,
        presence: NodePresence? = nil, logger: Logger
    ) {
        self.nodeID = announcement.nodeID
        self.directory = directory
        self.announcement = announcement
        self.heartbeatInterval = heartbeatInterval
        self.source = source
        self.presence = presence
        self.logger = logger
    }

    /// This start of the process in the directory; nil before it registered and after it left.
    var currentMembership: ClusterDirectory.Membership? {
        left ? nil : membership
    }

    func observeNodes(_ observer: @escaping @Sendable ([ClusterNode]) async -> Void) {
        nodesObserver = observer
    }

    /// Registers and starts beating. Throws when the node cannot register: a server that was asked
    /// to join a cluster does not run outside it unnoticed.
    func join() async throws {
        try await presence?.start()
        membership = try await directory.register(announcement, presence: presence?.name)
        let first = await sample()
        _ = sampler.rates(at: first)
        await listNodes()
        logger.notice("cluster: registered as node \(nodeID) at \(announcement.publicURL)")
        let interval = heartbeatInterval
        beating = Task { [weak self] in
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    return
                }
                guard let self else { return }
                await self.beat()
            }
        }
    }

    /// One heartbeat: the load since the last, and the lease renewed. A database that does not
    /// answer is logged and tried again next time; meanwhile the lease runs out, and the others
    /// rightly see this node gone.
    func beat() async {
        guard !left, let membership else { return }
        let counts = await source.counts()
        let now = await sample(counts.forwardedPackets)
        let rates = sampler.rates(at: now)
        let load = NodeLoad(
            rooms: counts.rooms, participants: counts.participants, packetsPerSecond: rates.packetsPerSecond, cpu: rates.cpu)
        do {
            let held = try await directory.heartbeat(membership, load: load, draining: source.isDraining())
            if !held, !left {
                logger.warning("cluster: node \(nodeID) lost its row in the directory; registering again")
                self.membership = try await directory.register(announcement, presence: presence?.name)
                if source.isDraining(), let renewed = self.membership {
                    try await directory.markDraining(renewed)
                }
            }
            await listNodes()
        } catch {
            logger.error("cluster: heartbeat of node \(nodeID) failed: \(String(reflecting: error))")
        }
    }

    private func listNodes() async {
        do {
            let nodes = try await directory.liveNodes()
            liveNodeCount = nodes.count
            await nodesObserver?(nodes)
        } catch {
            logger.error("cluster: could not list the live nodes: \(String(reflecting: error))")
        }
    }

    /// Lists the node as draining now rather than at its next beat.
    public func markDraining() async {
        guard !left, let membership else { return }
        do {
            try await directory.markDraining(membership)
            logger.notice("cluster: node \(nodeID) is draining")
        } catch {
            logger.error("cluster: node \(nodeID) could not mark itself draining: \(String(reflecting: error))")
        }
    }

    /// Stops beating, then marks the node draining and removes its row: the others see it going,
    /// then gone, without waiting for its lease. The beat in progress ends first, so it cannot
    /// put the row back.
    func leave() async {
        guard !left else { return }
        left = true
        beating?.cancel()
        await beating?.value
        beating = nil
        if let membership {
            do {
                try await directory.markDraining(membership)
                try await directory.leave(membership)
                logger.notice("cluster: node \(nodeID) left the directory")
            } catch {
                logger.error("cluster: node \(nodeID) could not leave the directory (its lease will run out): \(String(reflecting: error))")
            }
        }
        await presence?.stop()
    }

    private func sample(_ forwarded: UInt64? = nil) async -> LoadSampler.Sample {
        let forwardedPackets: UInt64
        if let forwarded {
            forwardedPackets = forwarded
        } else {
            forwardedPackets = await source.counts().forwardedPackets
        }
        return LoadSampler.Sample(
            nanoseconds: DispatchTime.now().uptimeNanoseconds, forwardedPackets: forwardedPackets, cpuSeconds: ProcessCPU.seconds())
    }
}
