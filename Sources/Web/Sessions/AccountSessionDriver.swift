import Fluent
import Foundation
import Vapor

/// Keeps sessions in `account_sessions`: a session unused for `idleLifetime` reads as absent,
/// and each request it makes moves its end forward.
struct AccountSessionDriver: SessionDriver {
    let idleLifetime: TimeInterval

    func createSession(_ data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        request.eventLoop.makeFutureWithTask {
            let key = Self.newKey()
            let record = AccountSession(
                key: key, data: data, userID: AccountSession.userID(in: data),
                expiresAt: Date(timeIntervalSinceNow: idleLifetime))
            try await record.create(on: request.db)
            return SessionID(string: key)
        }
    }

    func readSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<SessionData?> {
        request.eventLoop.makeFutureWithTask {
            try await AccountSession.query(on: request.db)
                .filter(\.$key == sessionID.string)
                .filter(\.$expiresAt > Date())
                .first()?.data
        }
    }

    /// An update never inserts: a session ended meanwhile (logout elsewhere, a password change)
    /// stays ended.
    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        request.eventLoop.makeFutureWithTask {
            try await AccountSession.query(on: request.db)
                .filter(\.$key == sessionID.string)
                .set(\.$data, to: data)
                .set(\.$userID, to: AccountSession.userID(in: data))
                .set(\.$expiresAt, to: Date(timeIntervalSinceNow: idleLifetime))
                .update()
            return sessionID
        }
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<Void> {
        request.eventLoop.makeFutureWithTask {
            try await AccountSession.query(on: request.db).filter(\.$key == sessionID.string).delete()
        }
    }

    /// 32 bytes from the system's secure generator, URL-safe base64.
    static func newKey() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
