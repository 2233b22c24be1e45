import Testing
@testable import SDP
import Relay

@Suite struct SdpSessionDescriptionTests {
    @Test(arguments: SdpFixture.names)
    func browserOffersWriteBackByteForByte(_ name: String) throws {
        let text = try SdpFixture.text(name)
        let parsed = try SessionDescription(parsing: text)
        #expect(parsed.serialized() == text)
        #expect(try SessionDescription(parsing: parsed.serialized()) == parsed)
    }

    @Test func writesLinesInOrder() throws {
        var description = SessionDescription(
            origin: SdpOrigin(sessionId: "42", sessionVersion: "3"),
            otherLines: [SdpLine(type: "z", value: "0 0"), SdpLine(type: "b", value: "AS:1"), SdpLine(type: "i", value: "info")],
            attributes: [SdpAttribute("ice-lite")])
        description.connection = .placeholder
        description.media = [
            MediaDescription(
                kind: .audio, port: 9, formats: ["111"], connection: .placeholder,
                otherLines: [SdpLine(type: "b", value: "AS:64"), SdpLine(type: "i", value: "mic")],
                attributes: [SdpAttribute("mid", "0"), SdpAttribute("rtcp-mux")])
        ]
        let expected = [
            "v=0", "o=- 42 3 IN IP4 127.0.0.1", "s=-", "i=info", "c=IN IP4 0.0.0.0", "b=AS:1", "t=0 0", "z=0 0",
            "a=ice-lite", "m=audio 9 UDP/TLS/RTP/SAVPF 111", "i=mic", "c=IN IP4 0.0.0.0", "b=AS:64", "a=mid:0",
            "a=rtcp-mux",
        ].joined(separator: "\r\n") + "\r\n"
        #expect(description.serialized() == expected)
        let reparsed = try SessionDescription(parsing: expected)
        #expect(reparsed.serialized() == expected)
        #expect(try SessionDescription(parsing: reparsed.serialized()) == reparsed)
    }

    @Test func directionFallsBackToSessionThenSendrecv() throws {
        let text = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\na=recvonly\r\n"
            + "m=audio 9 RTP/AVP 0\r\nm=audio 9 RTP/AVP 0\r\na=inactive\r\n"
        let description = try SessionDescription(parsing: text)
        #expect(description.direction(of: description.media[0]) == .recvonly)
        #expect(description.direction(of: description.media[1]) == .inactive)
        let bare = try SessionDescription(parsing: "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\nm=audio 9 RTP/AVP 0\r\n")
        #expect(bare.direction(of: bare.media[0]) == .sendrecv)
    }
}
