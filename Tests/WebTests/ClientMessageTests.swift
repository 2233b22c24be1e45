import Testing
@testable import Web

@Suite struct ClientMessageTests {
    @Test func decodesEveryClientMessage() throws {
        #expect(try ClientMessage.decode(#"{"type":"join","room":"standup","name":" Ada ","mode":"sfu"}"#)
            == .join(room: "standup", name: "Ada", mode: .sfu, token: nil))
        #expect(try ClientMessage.decode(#"{"type":"join","room":"a-1","name":"Bo"}"#)
            == .join(room: "a-1", name: "Bo", mode: .auto, token: nil))
        #expect(try ClientMessage.decode(#"{"type":"publish","sdp":"v=0"}"#) == .publish(sdp: "v=0"))
        #expect(try ClientMessage.decode(#"{"type":"answer","sdp":"v=0"}"#) == .answer(sdp: "v=0"))
        #expect(try ClientMessage.decode(#"{"type":"candidate","pc":"publish","candidate":"candidate:1"}"#)
            == .candidate(connection: "publish", candidate: "candidate:1"))
        #expect(try ClientMessage.decode(#"{"type":"signal","to":"x","data":{"sdp":"v=0","n":[1,true,null]}}"#)
            == .signal(to: "x", data: .object(["sdp": .string("v=0"), "n": .array([.number(1), .bool(true), .null])])))
        #expect(try ClientMessage.decode(#"{"type":"chat","text":"hi <b>"}"#) == .chat(text: "hi <b>"))
        #expect(try ClientMessage.decode(#"{"type":"leave"}"#) == .leave)
    }

    static let refused: [(String, SignalingError)] = [
        ("not json", .invalidJSON),
        ("[1,2]", .invalidJSON),
        (#"{"room":"a"}"#, .missingField("type")),
        (#"{"type":7}"#, .missingField("type")),
        (#"{"type":"dance"}"#, .unknownType("dance")),
        (#"{"type":"join","name":"a"}"#, .missingField("room")),
        (#"{"type":"join","room":"a b","name":"a"}"#, .invalidField("room", "1 to 64 letters, digits, '-' or '_'")),
        (#"{"type":"join","room":"a","name":"   "}"#, .invalidField("name", "1 to 64 characters")),
        (#"{"type":"join","room":"a","name":"b","mode":"mesh"}"#, .invalidField("mode", "one of auto, sfu, p2p")),
        (#"{"type":"publish"}"#, .missingField("sdp")),
        (#"{"type":"candidate","pc":"other","candidate":"c"}"#, .invalidField("pc", "publish or subscribe")),
        (#"{"type":"signal","to":"x"}"#, .missingField("data")),
        (#"{"type":"chat","text":""}"#, .invalidField("text", "1 to 2000 characters")),
    ]

    @Test(arguments: refused.indices)
    func refusesBadFramesWithTheirOwnError(index: Int) {
        let (frame, expected) = Self.refused[index]
        #expect(throws: expected, "\(frame)") { try ClientMessage.decode(frame) }
    }

    @Test func refusesFramesOver64KiB() {
        let sdp = String(repeating: "a", count: 64 * 1024)
        #expect(throws: SignalingError.tooLarge(limit: 65536)) {
            try ClientMessage.decode(#"{"type":"publish","sdp":"\#(sdp)"}"#)
        }
    }
}
