import Fluent
import Vapor

/// Keeps at least one admin: removing or demoting an admin goes through here, one change at a
/// time in this process, and is refused with 409 when no other admin would remain. One at a
/// time, because two admins demoting each other at once would otherwise both see the other
/// still there.
actor LastAdminGuard {
    private var tail: Task<Void, Never>?

    /// Runs `change` (which removes `user`'s admin role or the account) if another admin exists.
    func change(
        _ user: User, on database: any Database, _ change: @escaping @Sendable () async throws -> Void
    ) async throws {
        let previous = tail
        let task = Task {
            await previous?.value
            let others = try await User.query(on: database)
                .filter(\.$roleName == UserRole.admin.rawValue)
                .filter(\.$id != user.requireID())
                .count()
            guard others > 0 else {
                throw Abort(.conflict, reason: "This is the last admin: make another account admin first.")
            }
            try await change()
        }
        // Set before any suspension, so the next change waits for this one whatever happens to it.
        tail = Task { _ = try? await task.value }
        try await task.value
    }
}
