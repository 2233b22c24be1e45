import Fluent
import Foundation
import Testing
import VaporTesting
@testable import Web

@Suite struct AvatarUploadTests {
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13] + Array(repeating: 7, count: 100)
    static let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0] + Array(repeating: 1, count: 100)
    static let webp: [UInt8] = Array("RIFF".utf8) + [0x20, 0, 0, 0] + Array("WEBPVP8 ".utf8) + Array(repeating: 2, count: 100)

    static func multipart(_ bytes: [UInt8], filename: String, contentType: String) -> (HTTPHeaders, ByteBuffer) {
        let boundary = "relay-test-boundary-7d1f"
        var body = ByteBuffer()
        body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\nContent-Type: \(contentType)\r\n\r\n")
        body.writeBytes(bytes)
        body.writeString("\r\n--\(boundary)--\r\n")
        return (["Content-Type": "multipart/form-data; boundary=\(boundary)"], body)
    }

    private func upload(_ browser: TestBrowser, to user: User, _ bytes: [UInt8], filename: String, contentType: String = "image/png") async throws -> TestingHTTPResponse {
        if browser.csrf == nil {
            try await browser.get("/")
        }
        var (headers, body) = Self.multipart(bytes, filename: filename, contentType: contentType)
        headers.add(name: "X-CSRF-Token", value: browser.csrf ?? "")
        return try await browser.send(.POST, "/api/users/\(try user.requireID())/avatar", headers: headers, body: body)
    }

    private func files(in directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    @Test(arguments: [(png, "image/png", "png"), (jpeg, "image/jpeg", "jpg"), (webp, "image/webp", "webp")])
    func aPictureIsStoredUnderARandomNameAndServedWithItsType(bytes: [UInt8], type: String, fileExtension: String) async throws {
        try await WebTestApp.run { t in
            let (browser, me) = try await t.loggedIn("uma")
            let response = try await upload(browser, to: me, bytes, filename: "../../evil.html", contentType: "text/html")
            #expect(response.status == .ok)
            let stored = files(in: t.uploads)
            #expect(stored.count == 1)
            let name = try #require(stored.first)
            #expect(AvatarStore.isStoredName(name) && name.hasSuffix("." + fileExtension))
            let served = try await browser.get("/api/users/\(try me.requireID())/avatar")
            #expect(served.status == .ok)
            #expect(served.headers.contentType?.description == type)
            #expect(served.headers.first(name: "X-Content-Type-Options") == "nosniff")
            #expect(Array(served.body.readableBytesView) == bytes)
        }
    }

    @Test func aTextFileNamedPngIs415() async throws {
        try await WebTestApp.run { t in
            let (browser, me) = try await t.loggedIn("vic")
            let response = try await upload(browser, to: me, Array("just some text, not a picture".utf8), filename: "photo.png")
            #expect(response.status == .unsupportedMediaType)
            #expect(response.body.string.contains(#""status":415"#))
            #expect(files(in: t.uploads).isEmpty)
        }
    }

    @Test func aPictureOver2MiBIs413() async throws {
        try await WebTestApp.run { t in
            let (browser, me) = try await t.loggedIn("wes")
            let big = Self.png + Array(repeating: 0, count: AvatarStore.maximumBytes)
            let response = try await upload(browser, to: me, big, filename: "big.png")
            #expect(response.status == .payloadTooLarge)
            #expect(files(in: t.uploads).isEmpty)
        }
    }

    @Test func theServerStopsReadingABodyOverTheLimitWith413() async throws {
        try await WebTestApp.run { t in
            let (browser, me) = try await t.loggedIn("wyn")
            let cookie = try #require(browser.sessionCookie)
            let token = try #require(browser.csrf)
            try await LiveServer.run(t) { server in
                let big = Self.png + Array(repeating: 0, count: 3 * 1024 * 1024)
                var (headers, body) = Self.multipart(big, filename: "big.png", contentType: "image/png")
                headers.add(name: .cookie, value: "relay-session=\(cookie)")
                headers.add(name: "X-CSRF-Token", value: token)
                let response = try await server.post("/api/users/\(try me.requireID())/avatar", headers: headers, body: body)
                #expect(response.status == .payloadTooLarge)
            }
            #expect(files(in: t.uploads).isEmpty)
        }
    }

    @Test func aReplacedAvatarsFileIsRemovedAndSoIsADeletedUsers() async throws {
        try await WebTestApp.run { t in
            let (admin, _) = try await t.loggedIn("admin", role: .admin)
            let user = try await t.makeUser("xia")
            #expect(try await upload(admin, to: user, Self.png, filename: "a.png").status == .ok)
            let first = files(in: t.uploads)
            #expect(try await upload(admin, to: user, Self.jpeg, filename: "b.jpg").status == .ok)
            let second = files(in: t.uploads)
            #expect(second.count == 1 && second != first)
            #expect(try await admin.sendJSON(.DELETE, "/api/users/\(try user.requireID())", nil).status == .noContent)
            #expect(files(in: t.uploads).isEmpty)
        }
    }

    @Test func onlyTheOwnerOrAnAdminSetsAnAvatar() async throws {
        try await WebTestApp.run { t in
            let (browser, _) = try await t.loggedIn("yan")
            let other = try await t.makeUser("zed")
            #expect(try await upload(browser, to: other, Self.png, filename: "a.png").status == .forbidden)
            #expect(try await browser.get("/api/users/\(try other.requireID())/avatar").status == .notFound)
        }
    }

    @Test func magicBytesDecideTheKind() {
        #expect(ImageKind(magic: Self.png) == .png)
        #expect(ImageKind(magic: Self.jpeg) == .jpeg)
        #expect(ImageKind(magic: Self.webp) == .webp)
        #expect(ImageKind(magic: Array("RIFF\u{0}\u{0}\u{0}\u{0}WAVE".utf8)) == nil)
        #expect(ImageKind(magic: [0x89, 0x50, 0x4E]) == nil)
        #expect(ImageKind(magic: [UInt8]()) == nil)
        #expect(!AvatarStore.isStoredName("../../etc/passwd"))
        #expect(!AvatarStore.isStoredName("0123456789abcdef0123456789abcdef.html"))
    }
}
