import Foundation
import Testing
@testable import Web

@Suite struct ClientMessageTests {
    @Test func decodesEveryClientMessage() throws {
        #expect(try ClientMessage.decode(#"{"type":"join","room":"standup","name":" Ada ","mode":"sfu"}"#)
            == .join(JoinRequest(room: "standup", name: "Ada", mode: .sfu)))
        #expect(try ClientMessage.decode(#"{"type":"join","room":"a-1","name":"Bo"}"#)
            == .join(JoinRequest(room: "a-1", name: "Bo", mode: .auto)))
        #expect(try ClientMessage.decode(#"{"type":"join","room":"a","name":"Bo","mode":"p2p","token":"t","password":"pw","maxParticipants":3}"#)
            == .join(JoinRequest(room: "a", name: "Bo", mode: .p2p, token: "t", password: "pw", maximumParticipants: 3)))
        #expect(try ClientMessage.decode(#"{"type":"join","room":"a","name":"Bo","password":""}"#)
            == .join(JoinRequest(room: "a", name: "Bo")), "an empty password is no password")
        #expect(try ClientMessage.decode(#"{"type":"publish","sdp":"v=0"}"#) == .publish(sdp: "v=0"))
        #expect(try ClientMessage.decode(#"{"type":"answer","sdp":"v=0"}"#) == .answer(sdp: "v=0"))
        #expect(try ClientMessage.decode(#"{"type":"candidate","pc":"publish","candidate":"candidate:1"}"#)
            == .candidate(connection: "publish", candidate: "candidate:1"))
        #expect(try ClientMessage.decode(#"{"type":"signal","to":"x","data":{"sdp":"v=0","n":[1,true,null]}}"#)
            == .signal(to: "x", data: .object(["sdp": .string("v=0"), "n": .array([.number(1), .bool(true), .null])])))
        #expect(try ClientMessage.decode(#"{"type":"chat","text":"hi <b>"}"#) == .chat(text: "hi <b>", id: nil))
        #expect(try ClientMessage.decode(#"{"type":"chat","text":"hi","id":"k-9"}"#) == .chat(text: "hi", id: "k-9"))
        #expect(try ClientMessage.decode(#"{"type":"media-state","audio":false,"video":true}"#)
            == .mediaState(MediaState(audio: false, video: true, screen: false)))
        #expect(try ClientMessage.decode(#"{"type":"media-state","audio":true,"video":true,"screen":true}"#)
            == .mediaState(MediaState(audio: true, video: true, screen: true)))
        #expect(try ClientMessage.decode(#"{"type":"media-failed"}"#) == .mediaFailed)
        #expect(try ClientMessage.decode(#"{"type":"lock","locked":true}"#) == .lock(true))
        #expect(try ClientMessage.decode(#"{"type":"leave"}"#) == .leave)
        #expect(try ClientMessage.decode(#"{"type":"restart-ice"}"#) == .restartIce)
        #expect(try ClientMessage.decode(#"{"type":"tile","peer":"p-1","width":640,"height":360}"#)
            == .tile(peer: "p-1", width: 640, height: 360))
        #expect(try ClientMessage.decode(#"{"type":"tile","peer":"p-1","width":0,"height":0}"#) == .tile(peer: "p-1", width: 0, height: 0))
    }

    static let refused: [(String, SignalingError)] = [
        ("not json", .invalidJSON),
        ("[1,2]", .invalidJSON),
        (#"{"room":"a"}"#, .missingField("type")),
        (#"{"type":7}"#, .missingField("type")),
        (#"{"type":"dance"}"#, .unknownType("dance")),
        (#"{"type":"join","name":"a"}"#, .missingField("room")),
        (#"{"type":"join","room":"a b","name":"a"}"#, .invalidField("room", "1 to 64 letters, digits, '-' or '_'")),
        (#"{"type":"join","room":"a","name":"   "}"#, .invalidField("name", "1 to 64 characters, at most 256 bytes")),
        (#"{"type":"join","room":"a","name":"b","mode":"mesh"}"#, .invalidField("mode", "one of auto, sfu, p2p")),
        (#"{"type":"publish"}"#, .missingField("sdp")),
        (#"{"type":"candidate","pc":"other","candidate":"c"}"#, .invalidField("pc", "publish or subscribe")),
        (#"{"type":"signal","to":"x"}"#, .missingField("data")),
        (#"{"type":"chat","text":""}"#, .invalidField("text", "1 to 2000 characters, at most 8192 bytes")),
        (#"{"type":"chat","text":"a","id":"<img>"}"#, .invalidField("id", "1 to 64 letters, digits, '-' or '_'")),
        (#"{"type":"join","room":"a","name":"b","maxParticipants":1}"#, .invalidField("maxParticipants", "a whole number of at least 2")),
        (#"{"type":"join","room":"a","name":"b","maxParticipants":2.5}"#, .invalidField("maxParticipants", "a whole number")),
        (#"{"type":"join","room":"a","name":"b","maxParticipants":"3"}"#, .invalidField("maxParticipants", "a whole number")),
        (#"{"type":"join","room":"a","name":"b","password":7}"#, .missingField("password")),
        (#"{"type":"media-state","audio":true}"#, .missingField("video")),
        (#"{"type":"media-state","audio":"yes","video":true}"#, .invalidField("audio", "true or false")),
        (#"{"type":"lock"}"#, .missingField("locked")),
        (#"{"type":"tile","peer":"p","width":-1,"height":9}"#, .invalidField("width", "width and height: whole numbers from 0 to 16384")),
        (#"{"type":"tile","peer":"p","width":9}"#, .invalidField("width", "width and height: whole numbers from 0 to 16384")),
        (#"{"type":"tile","peer":"p","width":99999,"height":9}"#, .invalidField("width", "width and height: whole numbers from 0 to 16384")),
        (#"{"type":"tile","peer":"<p>","width":9,"height":9}"#, .invalidField("peer", "a participant id")),
        (#"{"type":"join","room":"ü","name":"b"}"#, .invalidField("room", "1 to 64 letters, digits, '-' or '_'")),
    ]

    @Test(arguments: refused.indices)
    func refusesBadFramesWithTheirOwnError(index: Int) {
        let (frame, expected) = Self.refused[index]
        #expect(throws: expected, "\(frame)") { try ClientMessage.decode(frame) }
    }

    @Test func deeplyNestedSignalDataIsRefusedNotACrash() {
        let depth = 20_000
        let frame = #"{"type":"signal","to":"x","data":"# + String(repeating: "[", count: depth)
            + String(repeating: "]", count: depth) + "}"
        #expect(throws: SignalingError.invalidJSON) { try ClientMessage.decode(frame) }
    }

    /// One character may carry any number of combining marks: a few characters can be many
    /// kilobytes, which every member is sent again. Names and texts are bounded in bytes too.
    @Test func namesTextsAndPasswordsAreBoundedInBytesNotOnlyCharacters() throws {
        let heavy = "e" + String(repeating: "\u{301}", count: 300)
        #expect(heavy.count == 1 && heavy.utf8.count == 601)
        func frame(_ fields: [String: String]) throws -> String {
            String(decoding: try JSONEncoder().encode(fields), as: UTF8.self)
        }
        #expect(throws: SignalingError.invalidField("name", "1 to 64 characters, at most 256 bytes")) {
            try ClientMessage.decode(try frame(["type": "join", "room": "a", "name": heavy]))
        }
        let heavyText = String(repeating: heavy, count: 20)
        #expect(heavyText.count == 20)
        #expect(throws: SignalingError.invalidField("text", "1 to 2000 characters, at most 8192 bytes")) {
            try ClientMessage.decode(try frame(["type": "chat", "text": heavyText]))
        }
        #expect(throws: SignalingError.invalidField("password", "at most 128 characters and 512 bytes")) {
            try ClientMessage.decode(try frame(["type": "join", "room": "a", "name": "b", "password": heavy]))
        }
        // What the call page sends at most passes: 2000 four-byte characters, a 64-character name.
        let emoji = String(repeating: "\u{1F600}", count: 2000)
        #expect(try ClientMessage.decode(try frame(["type": "chat", "text": emoji])) == .chat(text: emoji, id: nil))
        let name = String(repeating: "\u{00E9}", count: 64)
        #expect(try ClientMessage.decode(try frame(["type": "join", "room": "a", "name": name])) == .join(JoinRequest(room: "a", name: name)))
    }

    @Test func refusesFramesOver64KiB() {
        let sdp = String(repeating: "a", count: 64 * 1024)
        #expect(throws: SignalingError.tooLarge(limit: 65536)) {
            try ClientMessage.decode(#"{"type":"publish","sdp":"\#(sdp)"}"#)
        }
    }
}
