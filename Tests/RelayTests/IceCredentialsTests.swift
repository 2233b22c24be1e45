import Testing
@testable import Relay

@Suite struct IceCredentialsTests {
    @Test func randomCredentialsAreLongEnoughAndOfIceChars() {
        var seen = Set<String>()
        for _ in 0..<100 {
            let credentials = IceCredentials.random()
            #expect(credentials.ufrag.count >= 4)
            #expect(credentials.pwd.count >= 22)
            #expect(IceCredentials(ufrag: credentials.ufrag, pwd: credentials.pwd) == credentials)
            seen.insert(credentials.pwd)
        }
        #expect(seen.count == 100)
    }

    @Test func acceptsBrowserCredentials() {
        // Chrome's 4-character ufrag and Firefox's hex ones.
        #expect(IceCredentials(ufrag: "Xm1e", pwd: "n0Tl8yF9Q+GiVgJq0NM/0Zbk") != nil)
        #expect(IceCredentials(ufrag: "5f2b3c1d", pwd: "0f7e2d3c4b5a69788796a5b4c3d2e1f0") != nil)
    }

    @Test func rejectsWhatRfc8839Forbids() {
        #expect(IceCredentials(ufrag: "abc", pwd: "abcdefghijklmnopqrstuv") == nil)
        #expect(IceCredentials(ufrag: "abcd", pwd: "abcdefghijklmnopqrstu") == nil)
        #expect(IceCredentials(ufrag: "ab:d", pwd: "abcdefghijklmnopqrstuv") == nil)
        #expect(IceCredentials(ufrag: "abcd", pwd: "abcdefghijklmnopqrstu-") == nil)
        #expect(IceCredentials(ufrag: String(repeating: "a", count: 257), pwd: "abcdefghijklmnopqrstuv") == nil)
    }
}
