import Foundation
import Vapor

/// The read-only file explorer over the configured folder: `GET /files?path=` is the page,
/// `GET /api/files?path=` the JSON listing of a folder or the download of a file. Nothing here
/// writes, and no shell command is ever run: only openat, fstat, readdir and pread, through
/// `FileJail`.
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
        guard case .folder(let folder, let path) = try await open(req, requestedPath(req)) else {
            throw FileJailError.notFound
        }
        let listing = try await list(req, folder, path: path)
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
        switch try await open(req, requestedPath(req)) {
        case .folder(let folder, let path):
            return try await list(req, folder, path: path).encodeResponse(for: req)
        case .file(let file, let name, let size):
            return download(req, file, name: name, size: size)
        }
    }

    /// The file's bytes, read from the descriptor the jail checked.
    private func download(_ req: Request, _ file: OpenDescriptor, name: String, size: Int64) -> Response {
        let response = Response(status: .ok)
        if let type = name.split(separator: ".").last.flatMap({ HTTPMediaType.fileExtension(String($0)) }) {
            response.headers.contentType = type
        }
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "download"
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename*=UTF-8''\(encoded)")
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        let threadPool = req.application.threadPool
        let allocator = req.byteBufferAllocator
        response.body = .init(asyncStream: { writer in
            do {
                var offset: Int64 = 0
                while offset < size {
                    let count = Int(min(Int64(Self.chunkSize), size - offset))
                    let position = offset
                    let chunk = try await threadPool.runIfActive { () throws(FileJailError) -> ByteBuffer in
                        try file.read(count, at: position, allocator: allocator)
                    }
                    // The file shrank since it was opened: the length already promised cannot be
                    // kept, so the response fails rather than end short.
                    guard chunk.readableBytes > 0 else { throw FileJailError.unreadable }
                    offset += Int64(chunk.readableBytes)
                    try await writer.writeBuffer(chunk)
                }
                try await writer.write(.end)
            } catch {
                try? await writer.write(.error(error))
            }
        }, count: Int(size), byteBufferAllocator: allocator)
        return response
    }

    static let chunkSize = 64 * 1024

    private func requestedPath(_ req: Request) -> String {
        req.query[String.self, at: "path"] ?? ""
    }

    private func open(_ req: Request, _ relative: String) async throws -> FileJail.Item {
        let jail = try req.services.files
        return try await req.application.threadPool.runIfActive { () throws(FileJailError) -> FileJail.Item in
            try jail.open(relative)
        }
    }

    private func list(_ req: Request, _ folder: OpenDescriptor, path: String) async throws -> FolderListing {
        try await req.application.threadPool.runIfActive { () throws(FileJailError) -> FolderListing in
            try FolderLister.list(folder, path: path)
        }
    }
}
