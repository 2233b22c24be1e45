import Testing
@testable import Web

@Suite struct ServerMessageTests {
    @Test func encodesTheContractFields() {
        #expect(ServerMessage.peerLeft(id: "abc").encoded() == #"{"id":"abc","type":"peer-left"}"#)
        #expect(ServerMessage.error(.unknownType("x")).encoded()
            == #"{"code":"unknown-type","message":"unknown message type 'x'","type":"error"}"#)
        #expect(ServerMessage.joined(id: "i", room: "r", mode: .sfu, peers: [.init(id: "p", name: "N")], iceServers: []).encoded()
            == #"{"iceServers":[],"id":"i","mode":"sfu","peers":[{"id":"p","name":"N"}],"room":"r","type":"joined"}"#)
        #expect(ServerMessage.chat(from: "a", name: "A", text: "</script>", ts: 5).encoded()
            == #"{"from":"a","name":"A","text":"</script>","ts":5,"type":"chat"}"#)
    }
}
