import Foundation
import Testing
import VaporTesting
@testable import Web

/// Plays a browser against the in-memory application: keeps the cookies (the session's and the
/// anonymous CSRF cookie), reads the CSRF token from the pages' meta tag, and sends forms.
final class TestBrowser: @unchecked Sendable {
    let tester: any TestingApplicationTester
    private(set) var cookies: [String: String] = [:]
    private(set) var csrf: String?

    var sessionCookie: String? { cookies["relay-session"] }

    init(app: Application) throws {
        self.tester = try app.testing()
    }

    @discardableResult
    func send(
        _ method: HTTPMethod, _ path: String, headers: HTTPHeaders = [:], body: ByteBuffer? = nil
    ) async throws -> TestingHTTPResponse {
        var headers = headers
        if !cookies.isEmpty, !headers.contains(name: .cookie) {
            headers.replaceOrAdd(
                name: .cookie, value: cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        let response = try await tester.sendRequest(method, path, headers: headers, body: body)
        for (name, cookie) in response.headers.setCookie?.all ?? [:] {
            let expired = cookie.string.isEmpty || cookie.maxAge == 0 || (cookie.expires.map { $0 < Date() } ?? false)
            cookies[name] = expired ? nil : cookie.string
        }
        if let token = Self.metaToken(in: response.body.string) {
            csrf = token
        }
        return response
    }

    @discardableResult
    func get(_ path: String, headers: HTTPHeaders = [:]) async throws -> TestingHTTPResponse {
        try await send(.GET, path, headers: headers)
    }

    /// Posts a URL-encoded form, with the session's CSRF token unless told not to.
    @discardableResult
    func postForm(_ path: String, _ fields: [(String, String)], withCSRF: Bool = true) async throws -> TestingHTTPResponse {
        if csrf == nil {
            try await get("/")
        }
        var all = fields
        if withCSRF, let csrf {
            all.append(("csrf", csrf))
        }
        let body = all.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await send(
            .POST, path, headers: ["Content-Type": "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: body))
    }

    /// Sends JSON with the CSRF header, as the pages' scripts do.
    @discardableResult
    func sendJSON(_ method: HTTPMethod, _ path: String, _ json: String?, withCSRF: Bool = true) async throws -> TestingHTTPResponse {
        if csrf == nil {
            try await get("/")
        }
        var headers: HTTPHeaders = ["Content-Type": "application/json"]
        if withCSRF, let csrf {
            headers.add(name: "X-CSRF-Token", value: csrf)
        }
        return try await send(method, path, headers: headers, body: json.map { ByteBuffer(string: $0) })
    }

    /// Sets or clears a cookie by hand, as a forger would.
    func setCookie(_ name: String, _ value: String?) {
        cookies[name] = value
    }

    func logIn(_ username: String, password: String) async throws {
        let response = try await postForm("/login", [("username", username), ("password", password)])
        #expect(response.status == .seeOther, "login of \(username) answered \(response.status)")
        try await get("/")
    }

    static func metaToken(in html: String) -> String? {
        guard let start = html.range(of: #"<meta name="csrf-token" content=""#) else {
            return nil
        }
        let rest = html[start.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else {
            return nil
        }
        return String(rest[..<end])
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
