import Foundation
import Vapor

/// The token every form post and API write must carry, as the `csrf` form field or the
/// `X-CSRF-Token` header. A cross-site page can make the browser send the cookies but cannot
/// read this token.
///
/// A logged-in browser's token lives in its session. A visitor who is not logged in has no
/// session (sessions begin at login), so its token lives in the `relay-csrf` cookie and a form
/// must carry the same value: that guards the login and register forms.
enum CSRFToken {
    static let sessionKey = "csrf"
    static let formField = "csrf"
    static let header: HTTPHeaders.Name = "X-CSRF-Token"
    static let cookieName = "relay-csrf"

    /// The token a page hands out: the session's, or the anonymous cookie's, made on first use.
    static func current(for request: Request) -> String {
        if request.auth.has(User.self) {
            if let token = request.session.data[sessionKey] {
                return token
            }
            let token = newToken()
            request.session.data[sessionKey] = token
            return token
        }
        if let token = request.storage[MintedKey.self] ?? anonymousCookie(of: request) {
            return token
        }
        let token = newToken()
        request.storage[MintedKey.self] = token
        return token
    }

    /// The token a state-changing request must match, or nil if it has none.
    static func expected(for request: Request) -> String? {
        if request.auth.has(User.self) {
            return request.hasSession ? request.session.data[sessionKey] : nil
        }
        return anonymousCookie(of: request)
    }

    /// A token made for this request that the response must set as the cookie.
    static func minted(for request: Request) -> String? {
        request.storage[MintedKey.self]
    }

    /// Compares in time that depends on the length only, so the comparison leaks nothing.
    static func matches(_ given: String, _ expected: String) -> Bool {
        let a = Array(given.utf8)
        let b = Array(expected.utf8)
        guard a.count == b.count, !b.isEmpty else {
            return false
        }
        var difference: UInt8 = 0
        for index in a.indices {
            difference |= a[index] ^ b[index]
        }
        return difference == 0
    }

    /// 32 bytes from the system's secure generator, URL-safe base64 (43 characters).
    static func newToken() -> String {
        AccountSessionDriver.newKey()
    }

    /// Only a value of the shape this server makes is taken from the cookie.
    private static func anonymousCookie(of request: Request) -> String? {
        guard let value = request.cookies[cookieName]?.string, value.utf8.count == 43,
              value.unicodeScalars.allSatisfy({ tokenCharacters.contains($0) }) else {
            return nil
        }
        return value
    }

    private static let tokenCharacters = Set(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_".unicodeScalars)

    private struct MintedKey: StorageKey {
        typealias Value = String
    }
}
