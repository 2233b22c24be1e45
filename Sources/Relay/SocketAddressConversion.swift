#if canImport(Glibc)
import Glibc
#endif

/// Between `sockaddr_storage` and `TransportAddress`, for the socket loop.
enum SocketAddressConversion {
    static func transportAddress(from storage: UnsafeMutablePointer<sockaddr_storage>) -> TransportAddress? {
        switch Int32(storage.pointee.ss_family) {
        case AF_INET:
            return storage.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { v4 in
                TransportAddress(host: .v4(UInt32(bigEndian: v4.pointee.sin_addr.s_addr)), port: UInt16(bigEndian: v4.pointee.sin_port))
            }
        case AF_INET6:
            return storage.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { v6 in
                let halves = withUnsafeBytes(of: v6.pointee.sin6_addr) { raw in
                    (UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
                     UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
                }
                return TransportAddress(host: .v6(halves.0, halves.1), port: UInt16(bigEndian: v6.pointee.sin6_port))
            }
        default:
            return nil
        }
    }

    /// Writes `address` into `storage` and returns the length to pass to the kernel.
    static func fill(_ storage: inout sockaddr_storage, with address: TransportAddress) -> socklen_t {
        switch address.host {
        case .v4(let value):
            return withUnsafeMutablePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { v4 in
                    v4.pointee = sockaddr_in()
                    v4.pointee.sin_family = sa_family_t(AF_INET)
                    v4.pointee.sin_port = address.port.bigEndian
                    v4.pointee.sin_addr.s_addr = value.bigEndian
                    return socklen_t(MemoryLayout<sockaddr_in>.size)
                }
            }
        case .v6:
            let bytes = address.addressBytes
            return withUnsafeMutablePointer(to: &storage) { pointer in
                pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { v6 in
                    v6.pointee = sockaddr_in6()
                    v6.pointee.sin6_family = sa_family_t(AF_INET6)
                    v6.pointee.sin6_port = address.port.bigEndian
                    withUnsafeMutableBytes(of: &v6.pointee.sin6_addr) { $0.copyBytes(from: bytes) }
                    return socklen_t(MemoryLayout<sockaddr_in6>.size)
                }
            }
        }
    }
}
