import Foundation

/// Where to go after logging in. Only a local path is followed, so the login form cannot be used
/// to send someone to another site.
enum LoginRedirect {
    static func encode(_ path: String) -> String {
        path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"
    }

    static func target(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\") else {
            return "/"
        }
        return next
    }
}
