/// What every RTCP packet kind offers: parsing one packet from bytes and writing it back into a
/// caller's buffer, so a sender can reuse one buffer for every report.
public protocol RtcpPacketKind: Equatable, Sendable {
    /// Parses the packet that starts `bytes`; bytes after its length field are not read.
    static func parse(_ bytes: UnsafeRawBufferPointer) throws(RtcpParseError) -> Self
    /// The number of bytes `write(into:)` produces.
    var marshalSize: Int { get }
    /// Writes the packet at the start of `buffer` and returns the number of bytes written.
    func write(into buffer: UnsafeMutableRawBufferPointer) throws(RtcpBuildError) -> Int
}

extension RtcpPacketKind {
    /// Parses the packet that starts a byte array.
    public static func parse(_ bytes: [UInt8]) throws(RtcpParseError) -> Self {
        let result: Result<Self, RtcpParseError> = bytes.withUnsafeBytes { raw in
            do throws(RtcpParseError) { return .success(try parse(raw)) } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// The packet's bytes.
    public func bytes() throws(RtcpBuildError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: marshalSize)
        let result: Result<Int, RtcpBuildError> = out.withUnsafeMutableBytes { raw in
            do throws(RtcpBuildError) { return .success(try write(into: raw)) } catch {
                return .failure(error)
            }
        }
        _ = try result.get()
        return out
    }
}
