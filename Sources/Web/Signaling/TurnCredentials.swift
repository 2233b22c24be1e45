import Crypto
import Foundation

/// Time-limited TURN credentials from a secret shared with the TURN server, as coturn's
/// `use-auth-secret` checks them (the "TURN REST API" scheme): the username is the expiry as
/// Unix time and the participant's id, `1733400000:p3`, and the password is the base64 of
/// HMAC-SHA1 of that username under the secret. Each participant gets its own, which stop
/// working at the expiry, so a password copied from a page is not a standing key to the server.
public struct TurnCredentials: Sendable {
    public let secret: [UInt8]
    /// How long minted credentials are valid.
    public let lifetime: TimeInterval

    public init(secret: [UInt8], lifetime: TimeInterval) {
        self.secret = secret
        self.lifetime = lifetime
    }

    /// The username and password for participant `id`, valid until `now + lifetime`.
    public func mint(for id: String, now: Date = Date()) -> (username: String, credential: String) {
        let expiry = Int((now + lifetime).timeIntervalSince1970)
        let username = "\(expiry):\(id)"
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Array(username.utf8), using: SymmetricKey(data: secret))
        return (username, Data(mac).base64EncodedString())
    }

    /// `servers` as handed to participant `id`: TURN servers given without credentials get
    /// freshly minted ones; the rest are as configured.
    public func servers(_ servers: [ServerMessage.IceServer], for id: String, now: Date = Date()) -> [ServerMessage.IceServer] {
        servers.map { server in
            guard server.username == nil, server.urls.contains(where: { $0.hasPrefix("turn") }) else { return server }
            let (username, credential) = mint(for: id, now: now)
            return ServerMessage.IceServer(urls: server.urls, username: username, credential: credential)
        }
    }
}
