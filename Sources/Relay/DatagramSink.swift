/// Where sans-IO code puts the datagrams it wants sent. The socket loop's sink fills a batch for
/// `sendmmsg`; a test's sink collects them.
public protocol DatagramSink: AnyObject {
    /// Asks for a buffer of at least 1500 bytes; `write` fills it and returns the length used
    /// (0 to send nothing).
    func send(to address: TransportAddress, _ write: (UnsafeMutableRawBufferPointer) -> Int)

    /// As `send(to:_:)`, for a datagram that forwards one which reached the machine at `origin`
    /// (monotonic ns), if not nil: a sink that times forwarding counts from there. For video
    /// that waited for its subscriber's pacing budget, `origin` is moved later by the wait.
    func send(to address: TransportAddress, origin: UInt64?, _ write: (UnsafeMutableRawBufferPointer) -> Int)
}

extension DatagramSink {
    public func send(to address: TransportAddress, origin: UInt64?, _ write: (UnsafeMutableRawBufferPointer) -> Int) {
        send(to: address, write)
    }

    /// Sends a copy of `bytes`.
    public func send(_ bytes: [UInt8], to address: TransportAddress) {
        send(to: address) { buffer in
            guard bytes.count <= buffer.count else { return 0 }
            buffer.copyBytes(from: bytes)
            return bytes.count
        }
    }
}
