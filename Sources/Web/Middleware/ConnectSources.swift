import Foundation
import Vapor

/// Origins beyond its own that a response's page may connect to, added by its handler to the
/// `connect-src` of the Content-Security-Policy (`SecurityHeadersMiddleware`): a call page of a
/// cluster node asks the other nodes whether they are up when its own stops answering.
struct ConnectSources: StorageKey {
    typealias Value = [String]

    /// The origin of `url` (`scheme://host[:port]`) when it is an HTTP(S) URL whose host holds only
    /// what a host name, an IPv4 or a bracketed IPv6 address may: nothing else reaches the header.
    static func origin(of url: String) -> String? {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty,
            host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || ".-:[]".contains($0)) })
        else { return nil }
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "\(scheme)://\(bracketed)" + (components.port.map { ":\($0)" } ?? "")
    }
}
