@testable import Relay

/// A sink that keeps what the router sent, as (destination, bytes).
final class CollectingSink: DatagramSink {
    var datagrams: [(to: TransportAddress, bytes: [UInt8])] = []

    func send(to address: TransportAddress, _ write: (UnsafeMutableRawBufferPointer) -> Int) {
        var buffer = [UInt8](repeating: 0, count: 2048)
        let length = buffer.withUnsafeMutableBytes { write($0) }
        guard length > 0 else { return }
        datagrams.append((address, Array(buffer[0..<length])))
    }

    func take(for address: TransportAddress) -> [[UInt8]] {
        let mine = datagrams.filter { $0.to == address }.map(\.bytes)
        datagrams.removeAll { $0.to == address }
        return mine
    }
}
