import Vapor

/// The per-session token every form post and API write must carry, as the `csrf` form field or
/// the `X-CSRF-Token` header. A cross-site page can make the browser send the session cookie but
/// cannot read this token.
enum CSRFToken {
    static let sessionKey = "csrf"
    static let formField = "csrf"
    static let header: HTTPHeaders.Name = "X-CSRF-Token"

    /// The session's token, made on first use.
    static func current(for request: Request) -> String {
        if let token = request.session.data[sessionKey] {
            return token
        }
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let token = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        request.session.data[sessionKey] = token
        return token
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
}
