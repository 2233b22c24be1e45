@testable import Relay

/// A sink that keeps what the router sent, as (destination, bytes), and the origin the router
/// gave each datagram that forwards one (`DatagramSink.send(to:origin:_:)`).
final class CollectingSink: DatagramSink {
    var datagrams: [(to: TransportAddress, bytes: [UInt8])] = []
    var origins: [(to: TransportAddress, origin: UInt64)] = []

    func send(to address: TransportAddress, _ write: (UnsafeMutableRawBufferPointer) -> Int) {
        var buffer = [UInt8](repeating: 0, count: 2048)
        let length = buffer.withUnsafeMutableBytes { write($0) }
        guard length > 0 else { return }
        datagrams.append((address, Array(buffer[0..<length])))
    }

    func send(to address: TransportAddress, origin: UInt64?, _ write: (UnsafeMutableRawBufferPointer) -> Int) {
        let count = datagrams.count
        send(to: address, write)
        if let origin, datagrams.count > count { origins.append((address, origin)) }
    }

    func take(for address: TransportAddress) -> [[UInt8]] {
        let mine = datagrams.filter { $0.to == address }.map(\.bytes)
        datagrams.removeAll { $0.to == address }
        return mine
    }
}
