/// Where and how the media plane listens: one worker thread and one UDP port per worker, the
/// ports counting up from `firstPort`, announced to clients at each of `announcedAddresses`.
public struct MediaPlaneConfiguration: Sendable {
    public var workers: Int
    /// The first worker's port; 0 lets the system pick a free port for each worker.
    public var firstPort: UInt16
    /// The IPv4 address the sockets bind, in host byte order (0 is every interface).
    public var listenAddress: UInt32
    /// The addresses written in the relay's ICE candidates, most preferred first: one host
    /// candidate per address and worker port.
    public var announcedAddresses: [String]
    /// Whether a destination's datagrams of one size leave in one segmented send where the
    /// kernel can (UDP generic segmentation offload).
    public var segmentsUdp: Bool
    /// The SCHED_FIFO priority (1–99) of the worker threads, or nil for the system's ordinary
    /// scheduling. Real-time, a worker that has datagrams waiting runs before any ordinary thread
    /// on its core (the relay's own web and database threads among them), so forwarding is not
    /// held up behind them; the kernel's real-time throttling still leaves them a share.
    public var realtimePriority: Int32?

    public init(
        workers: Int, firstPort: UInt16, listenAddress: UInt32 = 0, announcedAddresses: [String], segmentsUdp: Bool = true,
        realtimePriority: Int32? = nil
    ) {
        self.workers = workers
        self.firstPort = firstPort
        self.listenAddress = listenAddress
        self.announcedAddresses = announcedAddresses
        self.segmentsUdp = segmentsUdp
        self.realtimePriority = realtimePriority
    }
}
