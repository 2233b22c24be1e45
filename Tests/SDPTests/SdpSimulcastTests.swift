import Testing
@testable import SDP
import Relay

@Suite struct SdpSimulcastTests {
    @Test func readsAndWritesRfc8853Form() throws {
        let simulcast = try #require(SdpSimulcast(sdpValue: "send 1,~2;3 recv 4"))
        #expect(simulcast.send == [
            [.init(rid: "1"), .init(rid: "2", isPaused: true)], [.init(rid: "3")],
        ])
        #expect(simulcast.receiveRids == ["4"])
        #expect(simulcast.sdpValue == "send 1,~2;3 recv 4")
        #expect(simulcast.reversed.sdpValue == "send 4 recv 1,~2;3")
    }

    @Test func readsTheDraftFormOlderFirefoxWrote() throws {
        let simulcast = try #require(SdpSimulcast(sdpValue: " send rid=q;h;f"))
        #expect(simulcast.sendRids == ["q", "h", "f"])
        #expect(simulcast.sdpValue == "send q;h;f")
    }

    @Test func rejectsMalformed() {
        for value in ["", "send", "send q;;f", "both q", "send q send h", "send q recv h send f", "send q!"] {
            #expect(SdpSimulcast(sdpValue: value) == nil, "\(value)")
        }
    }
}
