import Testing
@testable import Relay

@Suite struct IceCandidateTests {
    @Test func hostCandidateLine() {
        let candidate = IceCandidate.host(.ipv4(203, 0, 113, 7, port: 40000))
        #expect(candidate.priority == 2_130_706_431)
        #expect(candidate.description == "candidate:1 1 udp 2130706431 203.0.113.7 40000 typ host")
    }

    @Test func parsesChromeHostCandidate() throws {
        let line = "candidate:3471623853 1 udp 2122260223 192.168.1.20 56143 typ host generation 0 ufrag Xm1e network-id 1"
        let candidate = try IceCandidate(parsing: line)
        #expect(candidate.foundation == "3471623853")
        #expect(candidate.component == 1)
        #expect(candidate.priority == 2_122_260_223)
        #expect(candidate.address == .ipv4(192, 168, 1, 20, port: 56143))
        #expect(candidate.type == .host)
        #expect(candidate.extensions.map(\.name) == ["generation", "ufrag", "network-id"])
        #expect(candidate.description == line)
    }

    @Test func parsesFirefoxServerReflexiveCandidateWithPrefix() throws {
        let candidate = try IceCandidate(
            parsing: "a=candidate:1 1 UDP 1686052607 198.51.100.4 61000 typ srflx raddr 10.0.0.5 rport 61000")
        #expect(candidate.type == .serverReflexive)
        #expect(candidate.address == .ipv4(198, 51, 100, 4, port: 61000))
        #expect(candidate.extensions.first?.value == "10.0.0.5")
    }

    @Test func parsesIpv6Candidate() throws {
        let candidate = try IceCandidate(parsing: "candidate:2 1 udp 2122197247 2001:db8::5 50000 typ host")
        #expect(candidate.address == TransportAddress(ip: "2001:db8::5", port: 50000))
    }

    @Test func refusesWhatTheRelayCannotUse() {
        let cases: [(String, IceCandidateError)] = [
            ("foundation:1 1 udp 1 1.2.3.4 5 typ host", .notACandidate),
            ("candidate:1 1 udp 1 1.2.3.4 5 typ", .missingFields),
            ("candidate:1 0 udp 1 1.2.3.4 5 typ host", .badComponent("0")),
            ("candidate:1 1 tcp 1518280447 1.2.3.4 9 typ host tcptype active", .unsupportedTransport("tcp")),
            ("candidate:1 1 udp 0 1.2.3.4 5 typ host", .badPriority("0")),
            ("candidate:1 1 udp 4294967295 1.2.3.4 5 typ host", .badPriority("4294967295")),
            ("candidate:1 1 udp 1 1.2.3.4 70000 typ host", .badPort("70000")),
            ("candidate:1 1 udp 2122260223 5f1c1a2e-3b4d-4c5e-8f90-a1b2c3d4e5f6.local 5 typ host",
             .unresolvedAddress("5f1c1a2e-3b4d-4c5e-8f90-a1b2c3d4e5f6.local")),
            ("candidate:1 1 udp 1 1.2.3.4 5 type host", .missingType),
            ("candidate:1 1 udp 1 1.2.3.4 5 typ bogus", .unknownType("bogus")),
        ]
        for (line, error) in cases {
            #expect(throws: error, "\(line)") { try IceCandidate(parsing: line) }
        }
    }
}
