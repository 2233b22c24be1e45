internal import CUDP

/// The load generator's UDP sockets: on 127.0.0.1, non-blocking, with large buffers.
enum BenchSocket {
    /// A socket bound to 127.0.0.1 on a free port, or -1 with errno set.
    static func bindLoopback() -> Int32 {
        relay_udp_bind_ipv4(0x7F00_0001, 0)
    }

    static func port(of socket: Int32) -> UInt16 {
        UInt16(truncatingIfNeeded: relay_udp_local_port(socket))
    }
}
