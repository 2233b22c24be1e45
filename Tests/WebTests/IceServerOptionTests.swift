import Testing
@testable import Web

@Suite struct IceServerOptionTests {
    @Test func stunAndTurnURLsWithCredentialsInTheQuery() throws {
        #expect(try ServerMessage.IceServer(option: "stun:stun.example.org:3478")
            == ServerMessage.IceServer(urls: ["stun:stun.example.org:3478"]))
        #expect(try ServerMessage.IceServer(option: "turn:turn.example.org:3478?transport=udp&username=relay&credential=s%26cret")
            == ServerMessage.IceServer(urls: ["turn:turn.example.org:3478?transport=udp"], username: "relay", credential: "s&cret"))
        #expect(try ServerMessage.IceServer(option: "turns:turn.example.org:5349?username=u&credential=p")
            == ServerMessage.IceServer(urls: ["turns:turn.example.org:5349"], username: "u", credential: "p"))
    }

    @Test(arguments: ["http://turn.example.org", "turn:", "turn:turn.example.org:3478", "turn:h?username=u", "stun"])
    func refusesWhatABrowserCannotUse(option: String) {
        #expect(throws: SignalingConfigurationError.self) { try ServerMessage.IceServer(option: option) }
    }
}
