import Foundation
import Testing
@testable import Web

/// The notice a node sends on NOTIFY after storing a site chat message.
@Suite struct ChatNoticeTests {
    private let notice = ChatNotice(
        origin: UUID(), id: UUID(), room: "lobby",
        event: ChatEvent(type: "message", room: "lobby", author: "ana", text: "hello", ts: 1, history: false))

    @Test func aMessageThatFitsTravelsWhole() throws {
        let payload = try #require(notice.payload())
        #expect(ChatNotice.decode(payload) == notice)
    }

    @Test func aPayloadOverTheLimitCarriesTheIDAlone() throws {
        var long = notice
        long.event?.text = String(repeating: "\u{1}", count: 500)
        let whole = try #require(long.payload())
        #expect(whole.utf8.count > 3000, "each control character is escaped as six bytes")
        let small = try #require(long.payload(limit: 1000))
        #expect(small.utf8.count < 1000)
        let decoded = try #require(ChatNotice.decode(small))
        #expect(decoded.event == nil && decoded.id == notice.id && decoded.room == "lobby" && decoded.origin == notice.origin)
        #expect(notice.payload(limit: 20) == nil, "never cut")
    }

    @Test func aPayloadThatIsNoNoticeIsIgnored() {
        #expect(ChatNotice.decode("hello") == nil)
        #expect(ChatNotice.decode(#"{"id":"x"}"#) == nil)
    }

    @Test func theChannelIsPerSchemaAndOnlyOfSafeCharacters() {
        #expect(ChatFanOut.channel(schema: nil) == "relay_chat")
        #expect(ChatFanOut.channel(schema: "test_ab12") == "relay_chat_test_ab12")
        #expect(ChatFanOut.channel(schema: #"x"; DROP"#) == "relay_chat")
    }
}
