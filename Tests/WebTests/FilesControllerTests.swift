import Foundation
import Testing
import VaporTesting
@testable import Web

@Suite struct FilesControllerTests {
    /// shared/ holds readme.txt, a name with HTML in it, docs/guide.md, a link inside (docs-link → docs), two links
    /// out (outside-dir → a folder next to shared, secret-link → a file there), two hidden names (.env, .git/config)
    /// and a FIFO (pipe).
    private func populate(_ t: WebTestApp) throws {
        let manager = FileManager.default
        try manager.createDirectory(atPath: t.filesRoot + "/docs", withIntermediateDirectories: true)
        try "hello from the shared folder\n".write(toFile: t.filesRoot + "/readme.txt", atomically: true, encoding: .utf8)
        try "# Guide\n".write(toFile: t.filesRoot + "/docs/guide.md", atomically: true, encoding: .utf8)
        try "<b>bold</b>".write(toFile: t.filesRoot + "/a<b>&'q'.txt", atomically: true, encoding: .utf8)
        try manager.createDirectory(atPath: t.directory + "/outside", withIntermediateDirectories: true)
        try "top secret".write(toFile: t.directory + "/outside/secret.txt", atomically: true, encoding: .utf8)
        try manager.createSymbolicLink(atPath: t.filesRoot + "/docs-link", withDestinationPath: "docs")
        try manager.createSymbolicLink(atPath: t.filesRoot + "/outside-dir", withDestinationPath: t.directory + "/outside")
        try manager.createSymbolicLink(atPath: t.filesRoot + "/secret-link", withDestinationPath: "../outside/secret.txt")
        try "TOKEN=hidden".write(toFile: t.filesRoot + "/.env", atomically: true, encoding: .utf8)
        try manager.createDirectory(atPath: t.filesRoot + "/.git", withIntermediateDirectories: true)
        try "[core]".write(toFile: t.filesRoot + "/.git/config", atomically: true, encoding: .utf8)
        #expect(mkfifo(t.filesRoot + "/pipe", 0o600) == 0)
    }

    @Test func theRootIsListedAsJSONWithoutLinksHiddenNamesOrSpecialFiles() async throws {
        try await WebTestApp.run { t in
            try populate(t)
            let (browser, _) = try await t.loggedIn("fia")
            let response = try await browser.get("/api/files")
            #expect(response.status == .ok)
            let listing = try JSONDecoder().decode(FolderListing.self, from: Data(response.body.string.utf8))
            #expect(listing.path == "" && listing.parent == nil)
            #expect(listing.entries.map(\.name) == ["docs", "a<b>&'q'.txt", "readme.txt"])
            #expect(listing.entries.first { $0.name == "readme.txt" }?.size == 29)
        }
    }

    @Test func aFileIsDownloadedAndASubfolderListed() async throws {
        try await WebTestApp.run { t in
            try populate(t)
            let (browser, _) = try await t.loggedIn("gil")
            let file = try await browser.get("/api/files?path=readme.txt")
            #expect(file.status == .ok)
            #expect(file.body.string == "hello from the shared folder\n")
            #expect(file.headers.first(name: .contentDisposition) == "attachment; filename*=UTF-8''readme%2Etxt")
            let folder = try await browser.get("/api/files?path=docs")
            #expect(folder.status == .ok)
            #expect(try JSONDecoder().decode(FolderListing.self, from: Data(folder.body.string.utf8)).parent == "")
            #expect(folder.body.string.contains(#""name":"guide.md""#))
            #expect(try await browser.get("/api/files?path=docs/./guide.md").body.string == "# Guide\n")
        }
    }

    @Test(arguments: [
        "../outside/secret.txt",
        "%2e%2e%2foutside%2fsecret.txt",
        "%2E%2E/outside",
        "docs/../../outside",
        "..",
        "/etc/passwd",
        "%2Fetc%2Fpasswd",
        "outside-dir",
        "outside-dir/secret.txt",
        "secret-link",
        "docs%00.txt",
        "docs-link",
        "docs-link/guide.md",
        "pipe",
    ])
    func escapesAreRefused(path: String) async throws {
        try await WebTestApp.run { t in
            try populate(t)
            let (browser, _) = try await t.loggedIn("hue")
            let response = try await browser.get("/api/files?path=\(path)")
            #expect(response.status == .forbidden)
            #expect(!response.body.string.contains("top secret"))
            #expect(response.body.string.contains(#""status":403"#))
            let page = try await browser.get("/files?path=\(path)")
            #expect(page.status == .forbidden)
        }
    }

    @Test func aMissingPathIs404() async throws {
        try await WebTestApp.run { t in
            let (browser, _) = try await t.loggedIn("ida")
            #expect(try await browser.get("/api/files?path=nothing-here").status == .notFound)
            #expect(try await browser.get("/api/files?path=%252e%252e%252f").status == .notFound)
        }
    }

    @Test func thePageListsEscapedNamesWithLinks() async throws {
        try await WebTestApp.run { t in
            try populate(t)
            let (browser, _) = try await t.loggedIn("jon")
            let page = try await browser.get("/files")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.contains(#"<a href="/api/files?path=readme.txt">readme.txt</a>"#))
            #expect(html.contains("a&lt;b&gt;&amp;&#39;q&#39;.txt</a>"))
            #expect(html.contains(#"href="/api/files?path=a%3Cb%3E%26%27q%27.txt""#))
            #expect(html.contains(#"<a class="folder" href="/files?path=docs">docs/</a>"#))
            #expect(!html.contains("a<b>"))
            #expect(!html.contains("outside-dir"))
        }
    }

    @Test func theExplorerNeedsALogin() async throws {
        try await WebTestApp.run { t async throws in
            #expect(try await t.app.testing().sendRequest(.GET, "/files").status == .seeOther)
            #expect(try await t.app.testing().sendRequest(.GET, "/api/files").status == .unauthorized)
        }
    }

    @Test(arguments: [".env", ".git", ".git/config", "docs/.hidden", "./.env"])
    func hiddenNamesAre404(path: String) async throws {
        try await WebTestApp.run { t in
            try populate(t)
            try "hidden".write(toFile: t.filesRoot + "/docs/.hidden", atomically: true, encoding: .utf8)
            let (browser, _) = try await t.loggedIn("kai")
            let response = try await browser.get("/api/files?path=\(path)")
            #expect(response.status == .notFound)
            #expect(!response.body.string.contains("TOKEN") && !response.body.string.contains("[core]"))
            let docs = try await browser.get("/api/files?path=docs")
            #expect(!docs.body.string.contains(".hidden"))
        }
    }

    @Test func theJailOpensInsideAndRefusesOutside() throws {
        let base = NSTemporaryDirectory() + "relay-jail-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: base) }
        try FileManager.default.createDirectory(atPath: base + "/root/a", withIntermediateDirectories: true)
        try "x".write(toFile: base + "/root/a/x.txt", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: base + "/root/up", withDestinationPath: base)
        #expect(mkfifo(base + "/root/a/fifo", 0o600) == 0)
        let jail = try FileJail(root: base + "/root")
        guard case .folder(_, let root) = try jail.open("") else { Issue.record("the root is a folder"); return }
        #expect(root == "")
        guard case .folder(_, let folder) = try jail.open("a/") else { Issue.record("a is a folder"); return }
        #expect(folder == "a")
        guard case .file(_, let name, let size) = try jail.open("./a/x.txt") else { Issue.record("a/x.txt is a file"); return }
        #expect(name == "x.txt" && size == 1)
        #expect(throws: FileJailError.parentReference) { try jail.open("a/../..") }
        #expect(throws: FileJailError.absolutePath) { try jail.open("/tmp") }
        #expect(throws: FileJailError.forbiddenCharacter) { try jail.open("a\\..\\..") }
        #expect(throws: FileJailError.notFound) { try jail.open("b") }
        #expect(throws: FileJailError.notFound) { try jail.open("a/x.txt/y") }
        #expect(throws: FileJailError.symbolicLink) { try jail.open("up") }
        #expect(throws: FileJailError.symbolicLink) { try jail.open("up/root/a/x.txt") }
        #expect(throws: FileJailError.notRegularFile) { try jail.open("a/fifo") }
        #expect(try FolderLister.list(try Self.folder(jail, "a"), path: "a").entries.map(\.name) == ["x.txt"])
    }

    /// The file a request checked is the file it sends: replacing it by a link to a secret once
    /// it is open changes nothing.
    @Test func aFileIsReadFromTheDescriptorThatWasChecked() throws {
        let base = NSTemporaryDirectory() + "relay-jail-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: base) }
        try FileManager.default.createDirectory(atPath: base + "/root", withIntermediateDirectories: true)
        try "public".write(toFile: base + "/root/notes.txt", atomically: true, encoding: .utf8)
        try "top secret".write(toFile: base + "/secret.txt", atomically: true, encoding: .utf8)
        let jail = try FileJail(root: base + "/root")
        guard case .file(let descriptor, _, let size) = try jail.open("notes.txt") else {
            Issue.record("notes.txt is a file")
            return
        }
        try FileManager.default.removeItem(atPath: base + "/root/notes.txt")
        try FileManager.default.createSymbolicLink(atPath: base + "/root/notes.txt", withDestinationPath: base + "/secret.txt")
        let content = try descriptor.read(Int(size), at: 0, allocator: ByteBufferAllocator())
        #expect(String(buffer: content) == "public")
        #expect(throws: FileJailError.symbolicLink) { try jail.open("notes.txt") }
    }

    private static func folder(_ jail: FileJail, _ path: String) throws -> OpenDescriptor {
        guard case .folder(let descriptor, _) = try jail.open(path) else {
            throw FileJailError.notFound
        }
        return descriptor
    }
}
