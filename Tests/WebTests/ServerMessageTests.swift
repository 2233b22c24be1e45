import Testing
@testable import Web

@Suite struct ServerMessageTests {
    @Test func encodesTheContractFields() {
        #expect(ServerMessage.peerLeft(id: "abc").encoded() == #"{"id":"abc","type":"peer-left"}"#)
        #expect(ServerMessage.error(.unknownType("x")).encoded()
            == #"{"code":"unknown-type","message":"unknown message type 'x'","type":"error"}"#)
        let history = [CallChatMessage(id: "m", from: "p", name: "N", text: "hi", ts: 4)]
        let stun = ServerMessage.IceServer(urls: ["stun:s.example:3478"])
        #expect(ServerMessage.joined(id: "i", room: "r", mode: .sfu, peers: [.init(id: "p", name: "N")], iceServers: [stun], history: history).encoded()
            == #"{"history":[{"from":"p","id":"m","name":"N","text":"hi","ts":4}],"iceServers":[{"urls":["stun:s.example:3478"]}],"id":"i","mode":"sfu","#
            + #""peers":[{"audio":true,"id":"p","name":"N","screen":false,"video":true}],"room":"r","type":"joined"}"#)
        #expect(ServerMessage.chat(CallChatMessage(id: "m", from: "a", name: "A", text: "</script>", ts: 5)).encoded()
            == #"{"from":"a","id":"m","name":"A","text":"</script>","ts":5,"type":"chat"}"#)
        #expect(ServerMessage.mode(.p2p, reason: .relayUnreachable).encoded()
            == #"{"mode":"p2p","reason":"relay-unreachable","type":"mode"}"#)
        #expect(ServerMessage.mediaState(id: "a", MediaState(audio: false, video: true, screen: true)).encoded()
            == #"{"audio":false,"id":"a","screen":true,"type":"media-state","video":true}"#)
        #expect(ServerMessage.room(RoomState(owner: "a", locked: true, capacity: 4, passwordProtected: false, modePolicy: .auto)).encoded()
            == #"{"capacity":4,"locked":true,"modePolicy":"auto","owner":"a","passwordProtected":false,"type":"room"}"#)
        #expect(ServerMessage.speaker(id: "a").encoded() == #"{"peer":"a","type":"speaker"}"#)
        #expect(ServerMessage.videoLayer(peer: "a", rid: "h", width: 640, height: 360, paused: false).encoded()
            == #"{"height":360,"paused":false,"peer":"a","rid":"h","type":"video-layer","width":640}"#)
        #expect(ServerMessage.videoLayer(peer: "a", rid: nil, width: 0, height: 0, paused: true).encoded()
            == #"{"height":0,"paused":true,"peer":"a","rid":null,"type":"video-layer","width":0}"#)
        #expect(ServerMessage.redirect(room: "r", node: "eu-2", url: "https://eu-2.example:8443").encoded()
            == #"{"node":"eu-2","room":"r","type":"redirect","url":"https://eu-2.example:8443"}"#)
        #expect(ServerMessage.moved(room: "r", node: "eu-2", url: "https://eu-2.example:8443").encoded()
            == #"{"node":"eu-2","room":"r","type":"moved","url":"https://eu-2.example:8443"}"#)
        #expect(ServerMessage.nodes(urls: ["https://eu-2.example:8443", "https://eu-3.example"]).encoded()
            == #"{"type":"nodes","urls":["https://eu-2.example:8443","https://eu-3.example"]}"#)
    }
}
