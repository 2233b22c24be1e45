import Foundation
import Vapor

/// The read-only file explorer over the configured folder: `GET /files?path=` is the page,
/// `GET /api/files?path=` the JSON listing of a folder or the download of a file. Nothing here
/// writes, and no shell command is ever run: only realpath, stat and readdir.
struct FilesController: RouteCollection {
    struct Context: Encodable {
        var page: PageContext
        var parentQuery: String?
        var rows: [Row]
        var crumbs: [Crumb]
    }

    /// An entry as the page shows it; `query` is the path percent-encoded for a link.
    struct Row: Encodable {
        var name: String
        var query: String
        var isDirectory: Bool
        var size: Int64?
    }

    struct Crumb: Encodable {
        var name: String
        var query: String
    }

    func boot(routes: any RoutesBuilder) throws {
        let accounts = routes.grouped(RoleRequirement.anyAccount)
        accounts.get("files", use: page)
        accounts.get("api", "files", use: api)
    }

    func page(req: Request) async throws -> View {
        let listing = try await list(req, requestedPath(req))
        var crumbs: [Crumb] = []
        var walked: [Substring] = []
        for part in listing.path.split(separator: "/") {
            walked.append(part)
            crumbs.append(Crumb(name: String(part), query: Self.queryValue(walked.joined(separator: "/"))))
        }
        let rows = listing.entries.map {
            Row(name: $0.name, query: Self.queryValue($0.path), isDirectory: $0.kind == .directory, size: $0.size)
        }
        let context = Context(
            page: PageContext(request: req, title: "Files"), parentQuery: listing.parent.map(Self.queryValue),
            rows: rows, crumbs: crumbs)
        return try await req.view.render("files", context)
    }

    /// Names may hold `&`, `#`, `+` or `%`, which a link's query would otherwise misread.
    static func queryValue(_ path: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~/")
        return path.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    func api(req: Request) async throws -> Response {
        let jail = try req.services.files
        let relative = requestedPath(req)
        let resolved = try await req.application.threadPool.runIfActive { () throws(FileJailError) -> String in
            try jail.resolve(relative)
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: resolved, isDirectory: &isDirectory) else {
            throw FileJailError.notFound
        }
        if isDirectory.boolValue {
            return try await list(req, relative).encodeResponse(for: req)
        }
        let response = try await req.fileio.asyncStreamFile(at: resolved)
        let name = (resolved as NSString).lastPathComponent
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "download"
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename*=UTF-8''\(encoded)")
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        return response
    }

    private func requestedPath(_ req: Request) -> String {
        req.query[String.self, at: "path"] ?? ""
    }

    private func list(_ req: Request, _ relative: String) async throws -> FolderListing {
        let lister = FolderLister(jail: try req.services.files)
        return try await req.application.threadPool.runIfActive { () throws(FileJailError) -> FolderListing in
            try lister.list(relative)
        }
    }
}
