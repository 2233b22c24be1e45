import Foundation
import Relay
import RTP
internal import COpenSSL

/// The physical floor of forwarding on this machine, measured in the same run as the load: the
/// cheapest protect of a 1200-byte packet (libsrtp2, or OpenSSL's AES-128-GCM alone), the
/// kernel's cost of sending one packet with sendmmsg on loopback, and one unprotect shared by
/// the fan-out. No relay can forward a packet for less.
struct FloorMeasurement: Encodable {
    var libsrtpProtectNs: Double
    var evpGcmSealNs: Double
    var sendmmsgPerPacketNs: Double
    var libsrtpUnprotectNs: Double

    var protectNs: Double { min(libsrtpProtectNs, evpGcmSealNs) }

    /// Nanoseconds per forwarded packet at a fan-out of `fanOut` subscribers per packet in.
    func perForwardedPacket(fanOut: Double) -> Double {
        protectNs + sendmmsgPerPacketNs + libsrtpUnprotectNs / max(fanOut, 1)
    }

    static let packetLength = 1200

    static func measure(iterations: Int = 50_000) throws -> FloorMeasurement {
        let template = try RtpPacket(
            payloadType: 96, sequenceNumber: 0, timestamp: 0, ssrc: 0x1234_5678,
            payload: [UInt8](repeating: 0xA5, count: packetLength - 12)).bytes()
        let keying = SrtpKeyingMaterial(
            key: [UInt8](repeating: 0x11, count: SrtpProfile.aeadAes128Gcm.keyLength),
            salt: [UInt8](repeating: 0x22, count: SrtpProfile.aeadAes128Gcm.saltLength))

        let sender = try SrtpSession(profile: .aeadAes128Gcm, keyingMaterial: keying, direction: .outbound)
        var work = [UInt8](repeating: 0, count: 2048)
        let protectNs = try timed(iterations) { index in
            try work.withUnsafeMutableBytes { raw in
                template.withUnsafeBytes { raw.copyMemory(from: $0) }
                raw[2] = UInt8((index >> 8) & 0xFF)
                raw[3] = UInt8(index & 0xFF)
                _ = try sender.protectRtp(raw, length: template.count)
            }
        }
        let packetSender = try SrtpSession(profile: .aeadAes128Gcm, keyingMaterial: keying, direction: .outbound)
        let protected = try (0..<iterations).map { index in
            var packet = template
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
        return FloorMeasurement(
            libsrtpProtectNs: protectNs, evpGcmSealNs: try evpSeal(iterations: iterations),
            sendmmsgPerPacketNs: try sendCost(packets: iterations * 4), libsrtpUnprotectNs: unprotectNs)
    }

    /// AES-128-GCM over the payload with the header as associated data, as an SRTP transform
    /// on OpenSSL's EVP interface would do it (RFC 7714 §8).
    private static func evpSeal(iterations: Int) throws -> Double {
        guard let context = EVP_CIPHER_CTX_new() else { throw BenchSdp.Failure(description: "EVP context") }
        defer { EVP_CIPHER_CTX_free(context) }
        let key = [UInt8](repeating: 0x11, count: 16)
        var iv = [UInt8](repeating: 0x22, count: 12)
        guard EVP_EncryptInit_ex(context, EVP_aes_128_gcm(), nil, key, iv) == 1 else { throw BenchSdp.Failure(description: "EVP init") }
        let header = [UInt8](repeating: 0x80, count: 12)
        let payload = [UInt8](repeating: 0xA5, count: packetLength - 12)
        var output = [UInt8](repeating: 0, count: packetLength + 32)
        var tag = [UInt8](repeating: 0, count: 16)
        var length: Int32 = 0
        return try timed(iterations) { index in
            iv[11] = UInt8(index & 0xFF)
            iv[10] = UInt8((index >> 8) & 0xFF)
            guard EVP_EncryptInit_ex(context, nil, nil, nil, iv) == 1,
                EVP_EncryptUpdate(context, nil, &length, header, Int32(header.count)) == 1,
                EVP_EncryptUpdate(context, &output, &length, payload, Int32(payload.count)) == 1,
                EVP_EncryptFinal_ex(context, &output[Int(length)], &length) == 1,
                EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, 16, &tag) == 1
            else { throw BenchSdp.Failure(description: "EVP seal") }
        }
    }

    /// CPU time of the sending thread per 1200-byte datagram, sent in sendmmsg batches of 32 to
    /// a loopback socket that another thread drains (loopback delivery runs in the sender).
    private static func sendCost(packets: Int) throws -> Double {
        let sink = BenchSocket.bindLoopback()
        let source = BenchSocket.bindLoopback()
        guard sink >= 0, source >= 0 else { throw BenchSdp.Failure(description: "floor sockets") }
        defer {
            close(sink)
            close(source)
        }
        let destination = TransportAddress.ipv4(127, 0, 0, 1, port: BenchSocket.port(of: sink))
        let draining = DrainFlag()
        let drainer = Thread {
            let batch = DatagramBatch(capacity: 64)
            var descriptor = pollfd(fd: sink, events: Int16(POLLIN), revents: 0)
            while draining.running {
                _ = poll(&descriptor, 1, 10)
                while batch.receive(from: sink) > 0 {}
            }
        }
        drainer.start()
        defer { draining.stop() }
        let batch = DatagramBatch(capacity: 32)
        let payload = [UInt8](repeating: 0x5A, count: packetLength)
        let start = threadCpuNanoseconds()
        var sent = 0
        while sent < packets {
            batch.removeAll()
            for _ in 0..<32 { payload.withUnsafeBytes { _ = batch.append($0, to: destination) } }
            sent += max(batch.send(on: source), 0)
        }
        return Double(threadCpuNanoseconds() - start) / Double(sent)
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

/// Tells the drain thread to stop.
final class DrainFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var isRunning = true
    var running: Bool { lock.withLock { isRunning } }
    func stop() { lock.withLock { isRunning = false } }
}
