import Testing
@testable import SDP
import Relay

@Suite struct SdpCandidateTests {
    @Test func hostCandidateHasTheHostPriority() {
        let candidate = SdpCandidate.host(.ipv4(192, 0, 2, 10, port: 40000))
        #expect(candidate.sdpValue == "1 1 udp 2130706431 192.0.2.10 40000 typ host")
        let second = SdpCandidate.host(.ipv4(192, 0, 2, 10, port: 40001), index: 1)
        #expect(second.priority < candidate.priority)
        #expect(second.foundation == "2")
    }

    @Test func readsTrickledBrowserCandidates() throws {
        let value = "candidate:842163049 1 udp 1677729535 203.0.113.7 46154 typ srflx raddr 10.0.0.2 rport 46154 generation 0 ufrag PBwA"
        let candidate = try #require(SdpCandidate(sdpValue: value))
        #expect(candidate.address == "203.0.113.7" && candidate.port == 46154 && candidate.type == "srflx")
        #expect(candidate.extensions == "raddr 10.0.0.2 rport 46154 generation 0 ufrag PBwA")
        #expect("candidate:" + candidate.sdpValue == value)
    }

    @Test func rejectsMalformed() {
        for value in ["", "1 1 udp", "1 1 udp 1 192.0.2.1 9 host x", "1 x udp 1 192.0.2.1 9 typ host"] {
            #expect(SdpCandidate(sdpValue: value) == nil, "\(value)")
        }
    }
}
