import Foundation

/// Where to go after logging in. Only a path on this site is followed, so the login form cannot
/// be used to send someone to another site.
enum LoginRedirect {
    static func encode(_ path: String) -> String {
        path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "/"
    }

    /// `next` if it is a path on this site, else `/`.
    ///
    /// Browsers read a `Location` leniently: they drop tabs and newlines, take `\` for `/`, and
    /// `//host` (or `/<tab>/host`) names another host. So the path must start with exactly one
    /// `/`, and hold no backslash or control character, as given and once percent-decoded.
    static func target(_ next: String?) -> String {
        guard let next, isLocalPath(next), let decoded = next.removingPercentEncoding, isLocalPath(decoded) else {
            return "/"
        }
        return next
    }

    private static func isLocalPath(_ path: String) -> Bool {
        path.hasPrefix("/") && !path.hasPrefix("//") && !path.contains("\\")
            && !path.unicodeScalars.contains { CharacterSet.controlCharacters.contains($0) }
    }
}
