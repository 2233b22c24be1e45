import Foundation
import RTP

// Micro-benchmarks of the per-packet work of forwarding: RTP header parsing and SRTP protect
// and unprotect of a 1200-byte packet for both DTLS-SRTP profiles. Each figure is the median
// of several rounds; protect and unprotect include restoring the packet into the work buffer,
// whose cost is printed on its own line and subtracted.

struct Measurement {
    let name: String
    let nanosecondsPerOperation: Double
}

func monotonicNanoseconds() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted[sorted.count / 2]
}

/// Runs `body` `iterations` times per round and returns the median ns per iteration.
func measure(rounds: Int = 7, iterations: Int, _ body: (Int) throws -> Void) rethrows -> Double {
    var results: [Double] = []
    for _ in 0..<rounds {
        let start = monotonicNanoseconds()
        for index in 0..<iterations { try body(index) }
        results.append(Double(monotonicNanoseconds() - start) / Double(iterations))
    }
    return median(results)
}

let payloadLength = 1200 - 12
let iterations = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 20_000

func packet(sequence: UInt16) throws -> [UInt8] {
    try RtpPacket(
        marker: false, payloadType: 96, sequenceNumber: sequence, timestamp: 90_000, ssrc: 0x1234_5678,
        extensions: [.init(id: 1, data: [0x12, 0x34, 0x56])],
        payload: [UInt8](repeating: 0xA5, count: payloadLength - 8)
    ).bytes()
}

var results: [Measurement] = []
let template = try packet(sequence: 0)
var work = [UInt8](repeating: 0, count: 1500)

let copyCost = measure(iterations: iterations) { _ in
    work.withUnsafeMutableBytes { raw in
        template.withUnsafeBytes { source in raw.copyMemory(from: source) }
    }
}
results.append(Measurement(name: "restore 1200 bytes into the work buffer", nanosecondsPerOperation: copyCost))

var sink = 0
let parseCost = template.withUnsafeBytes { raw in
    measure(iterations: iterations * 10) { _ in
        if let header = try? RtpHeader.parse(raw) { sink &+= Int(header.sequenceNumber) &+ header.payloadRange.count }
    }
}
results.append(Measurement(name: "RTP header parse (one-byte extension)", nanosecondsPerOperation: parseCost))

for profile in SrtpProfile.allCases {
    let keying = SrtpKeyingMaterial(
        key: [UInt8](repeating: 0x11, count: profile.keyLength),
        salt: [UInt8](repeating: 0x22, count: profile.saltLength))
    let sender = try SrtpSession(profile: profile, keyingMaterial: keying, direction: .outbound)
    // The sender refuses to reuse an index, so the sequence runs on across rounds.
    var sequence: UInt16 = 0
    let protectCost = try measure(iterations: iterations) { _ in
        try work.withUnsafeMutableBytes { raw in
            template.withUnsafeBytes { source in raw.copyMemory(from: source) }
            sequence &+= 1
            raw.putSequence(sequence)
            sink &+= try sender.protectRtp(raw, length: template.count)
        }
    }
    results.append(Measurement(name: "SRTP protect \(profile.dtlsName)", nanosecondsPerOperation: protectCost - copyCost))

    // Every round needs fresh packets and a fresh receiver, since replays are refused.
    let protectingSender = try SrtpSession(profile: profile, keyingMaterial: keying, direction: .outbound)
    var protectedPackets: [[UInt8]] = []
    protectedPackets.reserveCapacity(iterations)
    for index in 0..<iterations {
        protectedPackets.append(try protectingSender.protectRtp(try packet(sequence: UInt16(index))))
    }
    var unprotectRounds: [Double] = []
    for _ in 0..<7 {
        let receiver = try SrtpSession(profile: profile, keyingMaterial: keying, direction: .inbound)
        let start = monotonicNanoseconds()
        for protected in protectedPackets {
            try work.withUnsafeMutableBytes { raw in
                protected.withUnsafeBytes { source in raw.copyMemory(from: source) }
                sink &+= try receiver.unprotectRtp(raw, length: protected.count)
            }
        }
        unprotectRounds.append(Double(monotonicNanoseconds() - start) / Double(iterations))
    }
    results.append(Measurement(name: "SRTP unprotect \(profile.dtlsName)", nanosecondsPerOperation: median(unprotectRounds) - copyCost))
}

print("relay-microbench: \(iterations) iterations a round, median of 7 rounds, 1200-byte packets")
for result in results {
    let padded = result.name.padding(toLength: 48, withPad: " ", startingAt: 0)
    print("\(padded) \(String(format: "%8.0f", result.nanosecondsPerOperation)) ns")
}
// Printing the sum of the results keeps the optimiser from dropping the measured work.
print("checksum \(sink)")

extension UnsafeMutableRawBufferPointer {
    func putSequence(_ value: UInt16) {
        self[2] = UInt8(value >> 8)
        self[3] = UInt8(value & 0xFF)
    }
}
