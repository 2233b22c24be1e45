#if canImport(Glibc)
import Glibc
#endif
import NIOCore

/// A file descriptor this process opened, closed when the last reference to it goes, so no path
/// through the explorer (an error, a download the client abandons) leaks one.
final class OpenDescriptor: Sendable {
    let raw: CInt

    init(raw: CInt) {
        self.raw = raw
    }

    deinit {
        close(raw)
    }

    /// `fstat` of the descriptor: the object it names now, whatever its path has become since.
    func status() -> stat? {
        var status = stat()
        return fstat(raw, &status) == 0 ? status : nil
    }

    /// Up to `count` bytes from `offset`, read with `pread` (the descriptor's own offset is left
    /// alone); fewer at the end of the file.
    func read(_ count: Int, at offset: Int64, allocator: ByteBufferAllocator) throws(FileJailError) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: count)
        var failure: CInt = 0
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: count) { bytes in
            while true {
                let read = pread(raw, bytes.baseAddress, count, off_t(offset))
                if read >= 0 { return read }
                if errno != EINTR {
                    failure = errno
                    return 0
                }
            }
        }
        guard failure == 0 else { throw .unreadable }
        return buffer
    }
}
