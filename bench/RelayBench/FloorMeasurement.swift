import Foundation
import Relay
import RTP
internal import COpenSSL
internal import CUDP

/// The physical floor of forwarding on this machine, measured in the same run as the load and
/// at the scenario's own mix of packet lengths: the cheapest protect of a packet (libsrtp2, or
/// OpenSSL's AES-128-GCM alone), the kernel's cost of sending it with sendmmsg and of receiving
/// it with recvmmsg on loopback, and the receive and the cheaper unprotect (libsrtp2, or the
/// relay's on OpenSSL, `SrtpGcmReceiver`) of a published packet shared by its fan-out. No relay
/// can forward a packet for less.
struct FloorMeasurement: Codable {
    /// The mean length of the datagrams measured.
    var meanPacketBytes: Double
    var libsrtpProtectNs: Double
    var evpGcmSealNs: Double
    var sendmmsgPerPacketNs: Double
    /// The same datagrams to one destination in segmented sends (UDP_SEGMENT, runs of one
    /// length up to 64), batched with sendmmsg; nil where the kernel cannot segment.
    var segmentedSendPerPacketNs: Double?
    /// The same segmented sends to a socket that takes each whole (UDP_GRO): on loopback the
    /// kernel then never cuts the run up on its way in, which it otherwise does in the sending
    /// thread; what a send costs through a NIC that segments in hardware (USO). Nil where the
    /// kernel cannot.
    var segmentedWholeSendPerPacketNs: Double?
    var recvmmsgPerPacketNs: Double
    var libsrtpUnprotectNs: Double
    /// `SrtpGcmReceiver`: AES-128-GCM on OpenSSL's EVP interface with replay protection.
    var evpGcmUnprotectNs: Double

    var protectNs: Double { min(libsrtpProtectNs, evpGcmSealNs) }
    var unprotectNs: Double { min(libsrtpUnprotectNs, evpGcmUnprotectNs) }

    /// Nanoseconds per forwarded packet at a fan-out of `fanOut` subscribers per packet in.
    func perForwardedPacket(fanOut: Double) -> Double {
        protectNs + sendmmsgPerPacketNs + (recvmmsgPerPacketNs + unprotectNs) / max(fanOut, 1)
    }

    /// The SRTP (GCM) overhead on a packet: the 16-byte tag.
    static let tagLength = 16

    /// Measures at `lengths`, datagram lengths as they go out (SRTP, tag included), cycled
    /// through in order; 1200 bytes if empty.
    static func measure(lengths requested: [Int], iterations: Int = 20_000) throws -> FloorMeasurement {
        let lengths = (requested.isEmpty ? [1200] : requested).map { min(max($0, 12 + tagLength + 1), 1500) }
        let keying = SrtpKeyingMaterial(
            key: [UInt8](repeating: 0x11, count: SrtpProfile.aeadAes128Gcm.keyLength),
            salt: [UInt8](repeating: 0x22, count: SrtpProfile.aeadAes128Gcm.saltLength))
        func plain(_ index: Int) throws -> [UInt8] {
            try RtpPacket(
                payloadType: 96, sequenceNumber: UInt16(truncatingIfNeeded: index), timestamp: 0, ssrc: 0x1234_5678,
                payload: [UInt8](repeating: 0xA5, count: lengths[index % lengths.count] - 12 - tagLength)).bytes()
        }
        let templates = try (0..<min(iterations, max(lengths.count, 1))).map(plain)

        let sender = try SrtpSession(profile: .aeadAes128Gcm, keyingMaterial: keying, direction: .outbound)
        var work = [UInt8](repeating: 0, count: 2048)
        let protectNs = try timed(iterations) { index in
            let template = templates[index % templates.count]
            try work.withUnsafeMutableBytes { raw in
                template.withUnsafeBytes { raw.copyMemory(from: $0) }
                raw[2] = UInt8((index >> 8) & 0xFF)
                raw[3] = UInt8(index & 0xFF)
                _ = try sender.protectRtp(raw, length: template.count)
            }
        }
        let packetSender = try SrtpSession(profile: .aeadAes128Gcm, keyingMaterial: keying, direction: .outbound)
        let protected = try (0..<iterations).map { index in
            var packet = templates[index % templates.count]
            packet[2] = UInt8((index >> 8) & 0xFF)
            packet[3] = UInt8(index & 0xFF)
            return try packetSender.protectRtp(packet)
        }
        let receiver = try SrtpSession(profile: .aeadAes128Gcm, keyingMaterial: keying, direction: .inbound)
        let unprotectNs = try timed(iterations) { index in
            try work.withUnsafeMutableBytes { raw in
                let packet = protected[index]
                packet.withUnsafeBytes { raw.copyMemory(from: $0) }
                _ = try receiver.unprotectRtp(raw, length: packet.count)
            }
        }
        let gcmReceiver = try SrtpGcmReceiver(keyingMaterial: keying)
        let evpUnprotectNs = try timed(iterations) { index in
            try work.withUnsafeMutableBytes { raw in
                let packet = protected[index]
                packet.withUnsafeBytes { raw.copyMemory(from: $0) }
                _ = try gcmReceiver.unprotectRtp(raw, length: packet.count)
            }
        }
        let kernel = try kernelCost(lengths: lengths, packets: iterations * 4, sending: .oneByOne)
        let segmented = try kernelCost(lengths: lengths, packets: iterations * 4, sending: .segmented)
        let whole = try kernelCost(lengths: lengths, packets: iterations * 4, sending: .segmentedReceivedWhole)
        return FloorMeasurement(
            meanPacketBytes: Double(lengths.reduce(0, +)) / Double(lengths.count),
            libsrtpProtectNs: protectNs, evpGcmSealNs: try evpSeal(lengths: lengths, iterations: iterations),
            sendmmsgPerPacketNs: kernel.send ?? 0, segmentedSendPerPacketNs: segmented.send, segmentedWholeSendPerPacketNs: whole.send, recvmmsgPerPacketNs: kernel.receive,
            libsrtpUnprotectNs: unprotectNs, evpGcmUnprotectNs: evpUnprotectNs)
    }

    /// AES-128-GCM over the payload with the header as associated data, as an SRTP transform
    /// on OpenSSL's EVP interface would do it (RFC 7714 §8).
    private static func evpSeal(lengths: [Int], iterations: Int) throws -> Double {
        guard let context = EVP_CIPHER_CTX_new() else { throw BenchSdp.Failure(description: "EVP context") }
        defer { EVP_CIPHER_CTX_free(context) }
        let key = [UInt8](repeating: 0x11, count: 16)
        var iv = [UInt8](repeating: 0x22, count: 12)
        guard EVP_EncryptInit_ex(context, EVP_aes_128_gcm(), nil, key, iv) == 1 else { throw BenchSdp.Failure(description: "EVP init") }
        let header = [UInt8](repeating: 0x80, count: 12)
        let payload = [UInt8](repeating: 0xA5, count: 1500)
        var output = [UInt8](repeating: 0, count: 1500 + 32)
        var tag = [UInt8](repeating: 0, count: 16)
        var length: Int32 = 0
        return try timed(iterations) { index in
            iv[11] = UInt8(index & 0xFF)
            iv[10] = UInt8((index >> 8) & 0xFF)
            let payloadLength = Int32(lengths[index % lengths.count] - 12 - tagLength)
            guard EVP_EncryptInit_ex(context, nil, nil, nil, iv) == 1,
                EVP_EncryptUpdate(context, nil, &length, header, Int32(header.count)) == 1,
                EVP_EncryptUpdate(context, &output, &length, payload, payloadLength) == 1,
                EVP_EncryptFinal_ex(context, &output[Int(length)], &length) == 1,
                EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, 16, &tag) == 1
            else { throw BenchSdp.Failure(description: "EVP seal") }
        }
    }

    /// How the floor's datagrams leave.
    private enum Sending {
        case oneByOne
        /// Batches of 64 in segmented sends.
        case segmented
        /// Segmented, to a socket that takes each segmented send whole.
        case segmentedReceivedWhole
    }

    /// CPU time per datagram of the thread that sends, in sendmmsg batches of 32 to a loopback
    /// socket (loopback delivery runs in the sender), and of the thread that drains it with
    /// recvmmsg after poll, as a media worker does; nil for a segmented send where the kernel
    /// cannot segment (or take it whole).
    private static func kernelCost(lengths: [Int], packets: Int, sending: Sending) throws -> (send: Double?, receive: Double) {
        let sink = BenchSocket.bindLoopback()
        let source = BenchSocket.bindLoopback()
        guard sink >= 0, source >= 0 else { throw BenchSdp.Failure(description: "floor sockets") }
        defer {
            close(sink)
            close(source)
        }
        let segmented = sending != .oneByOne
        if segmented, relay_udp_can_segment(source) != 1 { return (nil, 0) }
        if sending == .segmentedReceivedWhole, relay_udp_receive_whole(sink) != 0 { return (nil, 0) }
        let destination = TransportAddress.ipv4(127, 0, 0, 1, port: BenchSocket.port(of: sink))
        let draining = DrainFlag()
        let drainer = Thread {
            let batch = DatagramBatch(capacity: 32)
            var descriptor = pollfd(fd: sink, events: Int16(POLLIN), revents: 0)
            let start = threadCpuNanoseconds()
            var received = 0
            while draining.running {
                _ = poll(&descriptor, 1, 10)
                while true {
                    let count = batch.receive(from: sink)
                    guard count > 0 else { break }
                    received += count
                }
            }
            draining.receiveCost = received == 0 ? 0 : Double(threadCpuNanoseconds() - start) / Double(received)
            draining.finished.signal()
        }
        drainer.start()
        let batch = DatagramBatch(capacity: segmented ? 64 : 32)
        let payload = [UInt8](repeating: 0x5A, count: 1500)
        let start = threadCpuNanoseconds()
        var sent = 0
        var next = 0
        while sent < packets {
            batch.removeAll()
            for _ in 0..<batch.capacity {
                let length = lengths[next % lengths.count]
                next += 1
                payload.withUnsafeBytes { _ = batch.append(UnsafeRawBufferPointer(rebasing: $0[0..<length]), to: destination) }
            }
            sent += max(segmented ? batch.sendSegmented(on: source).sent : batch.send(on: source), 0)
        }
        let sendCost = Double(threadCpuNanoseconds() - start) / Double(sent)
        // What is still queued is drained before the receiver stops.
        usleep(50_000)
        draining.stop()
        draining.finished.wait()
        return (sendCost, draining.receiveCost)
    }

    private static func threadCpuNanoseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }

    /// Median nanoseconds per call over five rounds.
    private static func timed(_ iterations: Int, _ body: (Int) throws -> Void) throws -> Double {
        var rounds: [Double] = []
        var index = 0
        for _ in 0..<5 {
            let count = iterations / 5
            let start = Monotonic.now()
            for _ in 0..<count {
                try body(index)
                index += 1
            }
            rounds.append(Double(Monotonic.now() - start) / Double(count))
        }
        return rounds.sorted()[2]
    }
}

/// Tells the drain thread to stop, and hands back what its receiving cost.
final class DrainFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var isRunning = true
    private var cost = 0.0
    let finished = DispatchSemaphore(value: 0)
    var running: Bool { lock.withLock { isRunning } }
    func stop() { lock.withLock { isRunning = false } }
    var receiveCost: Double {
        get { lock.withLock { cost } }
        set { lock.withLock { cost = newValue } }
    }
}
